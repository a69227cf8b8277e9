import { suiteNowSeconds } from './support/clock';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../domain/entities/roster';
import { ROUTES } from '../../functions/routes';
import type { Route } from '../../functions/routes/route';
import type { Store } from '../../functions/store/client';
import { signCtv } from '../../functions/webhooks/adapters/signatures';
import type { ApiClient, ApiResponse, Caller } from './support/http';
import { queryString, sampleBody, sampleQuery } from './support/samples';
import { testServer } from './support/servers';
import { buildWorld, fillPath, type World } from './support/world';

/**
 * "No list reads the whole table" (API.md): no code path issues a Scan.
 *   - statically: nothing in functions/, domain/ or infra/ names a Scan (command, paginator, IAM
 *     action, the CDK grants that include it) or PartiQL (a SELECT without a key is a scan);
 *   - at runtime: a local server whose DynamoDB client refuses and records any Scan, driven through
 *     every route of the route table (and the list filters), must never see one.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|mts|js|mjs|json)$/.test(name)) out.push(path);
  }
  return out;
}

const FORBIDDEN: [RegExp, string][] = [
  [/\bScanCommand\b/, 'ScanCommand'],
  [/\bpaginateScan\b/, 'paginateScan'],
  [/\bScan(Command)?(Input|Output)\b/, 'Scan input/output types'],
  [/['"`]dynamodb:Scan['"`]/, 'the dynamodb:Scan action'],
  [/['"`]dynamodb:\*['"`]/, 'dynamodb:* (includes Scan)'],
  [/['"`]Scan['"`]/, 'a "Scan" action or operation name'],
  [/\.grant(ReadData|ReadWriteData|FullAccess)\s*\(/, 'a CDK table grant that includes Scan'],
  [/\b(Batch)?ExecuteStatement(Command)?\b|\bExecuteTransaction(Command)?\b/, 'PartiQL (a SELECT without a key scans)'],
];

describe('no Scan, statically', () => {
  it('functions/, domain/ and infra/ never name a Scan', () => {
    const found: string[] = [];
    for (const dir of ['functions', 'domain', 'infra']) {
      for (const file of sourceFiles(join(ROOT, dir))) {
        const lines = readFileSync(file, 'utf8').split('\n');
        lines.forEach((line, i) => {
          const code = line.replace(/\/\/.*$/, '').replace(/^\s*\*.*$/, ''); // comments may talk about Scan
          for (const [pattern, what] of FORBIDDEN)
            if (pattern.test(code)) found.push(`${relative(ROOT, file)}:${i + 1}: ${what}: ${line.trim()}`);
        });
      }
    }
    expect(found).toEqual([]);
  });

  it('the patterns do catch what they are for', () => {
    const samples = [
      "import { ScanCommand } from '@aws-sdk/lib-dynamodb';",
      'for await (const p of paginateScan({ client }, input)) {}',
      "actions: ['dynamodb:Scan']",
      'table.grantReadData(fn);',
      "new ExecuteStatementCommand({ Statement: 'SELECT * FROM t' })",
    ];
    for (const s of samples)
      expect(
        FORBIDDEN.some(([p]) => p.test(s)),
        s,
      ).toBe(true);
    expect(FORBIDDEN.some(([p]) => p.test('ScanIndexForward: false,'))).toBe(false);
  });
});

describe('no Scan, at runtime', () => {
  const commands = new Map<string, number>();
  const scans: string[] = [];
  let api: ApiClient;
  let close: () => Promise<void>;
  let errors: Record<string, unknown>[];
  let w: World;
  let store: Store;

  beforeAll(async () => {
    const server = await testServer({
      instrument: (store) => {
        store.db.middlewareStack.add(
          (next, context) => async (args) => {
            const name = String(context.commandName ?? 'unknown');
            commands.set(name, (commands.get(name) ?? 0) + 1);
            if (/^(Scan|ExecuteStatement|BatchExecuteStatement|ExecuteTransaction)Command$/.test(name)) {
              scans.push(`${name} ${JSON.stringify(args.input).slice(0, 300)}`);
              throw new Error(`${name} is not allowed`);
            }
            return next(args);
          },
          { step: 'initialize', name: 'refuseScans' },
        );
      },
    });
    api = server.api;
    close = server.close;
    errors = server.errors;
    store = server.store;
    w = await buildWorld(api, 'noscan');
  }, 60_000);
  afterAll(async () => close?.());

  function callerFor(route: Route<any, any>): Caller | null {
    if (route.auth !== 'jwt') return null;
    if (!route.roles?.length) return w.ctvUser;
    const byRole: Record<Role, Caller> = {
      owner: w.owner,
      manager: w.manager,
      care_staff: w.care,
      seller: w.seller,
      collaborator: w.ctvUser,
    };
    return byRole[route.roles[0]!];
  }

  async function call(route: Route<any, any>, query?: Record<string, string>): Promise<ApiResponse> {
    const caller = callerFor(route);
    const body = route.body ? JSON.stringify(sampleBody(route, w).value) : undefined;
    const headers: Record<string, string> = {};
    if (route.auth === 'webhook') headers['x-ctv-signature'] = signCtv(body ?? '', w.source.secret, suiteNowSeconds());
    const url = fillPath(route.path, w) + queryString(query ?? sampleQuery(route, w).value);
    return api.request(route.method, url, { ...(caller ? { token: caller.token } : {}), ...(body !== undefined ? { body } : {}), headers });
  }

  it('drives every route (reads, then writes, then deletes) and the list filters without a Scan', async () => {
    const order = (r: Route<any, any>) => (r.method === 'GET' ? 0 : r.method === 'DELETE' ? 2 : 1);
    const routes = [...ROUTES].sort((a, b) => order(a) - order(b));
    const statuses: string[] = [];
    for (const route of routes) {
      const res = await call(route);
      statuses.push(`${route.id} ${res.status}`);
      expect(res.status, `${route.id} → ${res.status} ${res.text.slice(0, 300)}`).toBeLessThan(500);
    }
    // the filters that pick another index or a filter expression, and the deeper tree
    const byId = (id: string) => ROUTES.find((r) => r.id === id);
    const filtered: [string, Record<string, string>][] = [
      ['listCollaborators', { status: 'approved' }],
      ['listCollaborators', { careStaffUserId: w.care.sub }],
      ['listCollaborators', { level: '1' }],
      ['listCollaborators', { status: 'approved', careStaffUserId: w.care.sub, level: '1', limit: '1' }],
      ['listCollaboratorReferees', { depth: '2' }],
      ['listOrders', { from: '2026-11-01', to: '2026-11-30', collaboratorId: w.ctv.id }],
      ['listOrders', { from: '2026-11-01', to: '2026-11-30', careStaffUserId: w.care.sub }],
      ['listOrders', { from: '2026-11-01', to: '2026-11-30', state: 'approved' }],
      ['listOpportunities', { state: 'new' }],
      ['listOpportunities', { collaboratorId: w.ctv.id }],
      ['listOpportunities', { careStaffUserId: w.care.sub }],
      ['getCollaboratorEarnings', { period: '2026-Q4' }],
      ['getCollaboratorEarnings', { period: '2026' }],
    ];
    for (const [id, query] of filtered) {
      const route = byId(id);
      expect(route, `${id} is not in the route table: update this list`).toBeDefined();
      const res = await call(route!, query);
      expect(res.status, `${id} ${JSON.stringify(query)} → ${res.status} ${res.text.slice(0, 300)}`).toBeLessThan(500);
    }
    // the manager's and the care staff's narrowed lists read other indexes
    for (const caller of [w.manager, w.care]) {
      for (const path of ['collaborators', 'opportunities', 'orders?from=2026-11-01&to=2026-11-30']) {
        const res = await caller.get(`${w.base}/${path}`);
        expect(res.status, `${path} → ${res.status}`).toBeLessThan(500);
      }
    }

    expect(scans).toEqual([]);
    expect(errors).toEqual([]);
    // the instrument did see the traffic
    expect(commands.get('QueryCommand') ?? 0).toBeGreaterThan(0);
    expect(commands.get('GetCommand') ?? commands.get('GetItemCommand') ?? 0).toBeGreaterThan(0);
    expect(statuses).toHaveLength(ROUTES.length);
  });

  it('the instrument refuses a Scan (it is not asleep)', async () => {
    const { ScanCommand } = await import('@aws-sdk/lib-dynamodb');
    await expect(store.db.send(new ScanCommand({ TableName: store.tableName, Limit: 1 }))).rejects.toThrow(/not allowed/);
    expect(scans).toHaveLength(1);
  });
});
