import fc from 'fast-check';
import * as z from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../domain/entities/roster';
import { ROUTES } from '../../functions/routes';
import type { Route } from '../../functions/routes/route';
import { signCtv } from '../../functions/webhooks/adapters/signatures';
import type { ApiClient, ApiResponse, Caller } from './support/http';
import { sampleBody, sampleQuery, type JsonSchema } from './support/samples';
import { tenantItems, testServer } from './support/servers';
import { buildWorld, fillPath, type World } from './support/world';

/**
 * Bad input on every route with a body or a query, generated from the route table and its zod
 * schemas (fast-check, seeded): wrong types, missing and unknown fields, huge strings, deep
 * nesting, unicode edge cases (lone surrogates, NUL, RTL overrides, combining marks, zero-width
 * and non-characters), numbers past the safe-integer range or written as 1e400, negative money,
 * malformed JSON, forged cursors, bad Idempotency-Key and If-Match headers.
 *
 * The oracle is the route's own schema: whatever the schema refuses must be a 4xx
 * application/problem+json with status, title and detail (never a 5xx, never a stack trace), and
 * must store nothing (the business's items in the table and the caller's memberships are the same
 * afterwards). A second pass sends odd-but-maybe-valid unicode in every string field: never a
 * 5xx, and whatever was stored still reads back.
 *
 * FUZZ_SEED=<n> replays another seed; FUZZ_RUNS=<n> changes the number of generated cases;
 * FUZZ_STRICT=1 adds the cases of open findings (below).
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_128);
/**
 * FUZZ_STRICT=1 adds the cases of findings still open: path ids longer than DynamoDB's key limits
 * (500 on many routes), and days/instants outside the years 2000–2999 (a webhook order answers 500;
 * a plan version is accepted and then every nightly run fails). Once fixed, fold them into the
 * default run.
 */
const STRICT = process.env.FUZZ_STRICT === '1';
const RUNS = Number(process.env.FUZZ_RUNS ?? 10);

let api: ApiClient;
let close: () => Promise<void>;
let serverErrors: Record<string, unknown>[];
let w: World;
let before: { items: Record<string, unknown>[]; me: unknown };

const bodyRoutes = ROUTES.filter((r) => r.body);
const queryRoutes = ROUTES.filter((r) => r.query);

beforeAll(async () => {
  const server = await testServer();
  api = server.api;
  close = server.close;
  serverErrors = server.errors;
  w = await buildWorld(api, 'fuzz');
  before = { items: await tenantItems(w.tenantId), me: (await w.ctvUser.get('/v1/me')).body };
}, 60_000);
afterAll(async () => close?.());

// ------------------------------------------------------------------------------------------------
// sending a case as the route's rightful caller

function callerFor(route: Route<any, any>): Caller | null {
  if (route.auth !== 'jwt') return null;
  if (!route.roles?.length) return w.ctvUser; // createTenant, join, file an opportunity…
  const byRole: Record<Role, Caller> = { owner: w.owner, manager: w.manager, care_staff: w.care, seller: w.seller, collaborator: w.ctvUser };
  return byRole[route.roles[0]!];
}

async function send(route: Route<any, any>, raw: string | undefined, query = '', headers: Record<string, string> = {}): Promise<ApiResponse> {
  const caller = callerFor(route);
  const h: Record<string, string> = { ...headers };
  if (raw !== undefined) h['content-type'] = 'application/json';
  if (route.auth === 'webhook') h['x-ctv-signature'] = signCtv(raw ?? '', w.source.secret, Math.floor(Date.now() / 1000));
  return api.request(route.method, fillPath(route.path, w) + query, { ...(caller ? { token: caller.token } : {}), ...(raw !== undefined ? { body: raw } : {}), headers: h });
}

function expectRefused(route: Route<any, any>, what: string, res: ApiResponse) {
  const label = `${route.id} ${what.slice(0, 200)} → ${res.status} ${res.text.slice(0, 300)}`;
  expect(res.status, label).toBeGreaterThanOrEqual(400);
  expect(res.status, label).toBeLessThan(500);
  expectProblem(label, res);
}

function expectProblem(label: string, res: ApiResponse) {
  expect(res.headers.get('content-type') ?? '', label).toContain('application/problem+json');
  expect(res.body?.status, label).toBe(res.status);
  expect(typeof res.body?.title, label).toBe('string');
  expect(typeof res.body?.detail, label).toBe('string');
  expect(res.text, label).not.toMatch(/node_modules|\.ts:\d+|\bat \w+ \(|Exception|dynamodb/i);
}

/** What the server's JSON.parse + the route's schema make of a raw body: is it acceptable? */
function schemaAccepts(route: Route<any, any>, raw: string | undefined): boolean {
  if (raw === undefined || raw === '') return false;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return false;
  }
  return route.body!.safeParse(value).success;
}

// ------------------------------------------------------------------------------------------------
// generators

/** A number token that JSON.stringify cannot write (past the doubles, or exact big integers). */
const RAW = (token: string) => `@@RAW:${token}@@`;
const unraw = (json: string) => json.replace(/"@@RAW:([^@]+)@@"/g, '$1');

const nest = (depth: number, leaf: unknown = 1): unknown => {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
};

const UNICODE_EDGES = [
  '\uD800', // lone high surrogate
  'Hoa\uDC00', // lone low surrogate
  'a\u0000b', // NUL
  '\u202EHoa\u202C', // right-to-left override
  `a${'\u0301'.repeat(300)}`, // a pile of combining marks
  '\u200B\u200C\u200D', // zero-width only
  '\uFEFFHoa', // BOM
  '\uFFFE\uFFFF', // non-characters
  '👩‍👩‍👧‍👦', // a ZWJ emoji sequence
  'Nguyễn'.normalize('NFD'), // decomposed Vietnamese
  '０９１２３４５６７８', // full-width digits
  ' \t\r\n ', // only whitespace
  '\u0007\u001b[31m', // control characters
];

const badValue: fc.Arbitrary<unknown> = fc.oneof(
  // wrong types
  fc.constantFrom<unknown>(true, false, {}, [], 'text', 12, 1.5, null, [1, 2], { a: 1 }),
  // huge strings
  fc.constantFrom('x'.repeat(10_000), 'ễ'.repeat(3_000), '9'.repeat(400)),
  // deep nesting
  fc.integer({ min: 50, max: 2_000 }).map((d) => nest(d)),
  // unicode edge cases, alone or inside a plausible value
  fc.constantFrom(...UNICODE_EDGES),
  fc.constantFrom(...UNICODE_EDGES).map((u) => `Nguyễn ${u} Hoa`),
  // numbers: past the safe-integer range, beyond doubles, negative money, fractions
  fc.constantFrom<unknown>(
    2 ** 53,
    -(2 ** 53),
    2 ** 53 + 2,
    1e308,
    -1e308,
    Number.MAX_VALUE,
    -1,
    -1_000_000,
    -0.01,
    0.5,
    1e-7,
    RAW('9007199254740993'),
    RAW('1e400'),
    RAW('-1e400'),
    RAW('123456789012345678901234567890'),
  ),
  // strings that try to be something else
  fc.constantFrom('1000', "' OR 1=1 --", '{"$gt":""}', 'T#01KZZZZZZZZZZZZZZZZZZZZZZZ#CTV#x', '<script>alert(1)</script>', '../../etc/passwd', '%00', '2026-02-30', '2026-13-01T25:61:00+07:00'),
);

type Path = (string | number)[];

function pathsOf(value: unknown, prefix: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return prefix.length ? [prefix] : [];
  const out: Path[] = prefix.length ? [prefix] : [];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...pathsOf(v, [...prefix, i])));
  else for (const [k, v] of Object.entries(value)) out.push(...pathsOf(v, [...prefix, k]));
  return out;
}

function setAt(value: unknown, path: Path, next: unknown, remove = false): unknown {
  const copy = structuredClone(value) as any;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key];
  const last = path[path.length - 1]!;
  if (remove) {
    if (Array.isArray(node)) node.splice(Number(last), 1);
    else delete node[last];
  } else node[last] = next;
  return copy;
}

function topLevelProperties(route: Route<any, any>): string[] {
  try {
    const schema = z.toJSONSchema(route.body!, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
    return Object.keys(schema.properties ?? {});
  } catch {
    return [];
  }
}

/** Whole bodies that are wrong whatever the route. */
const WHOLE_BODIES: (string | undefined)[] = [
  undefined,
  '',
  'null',
  '0',
  '-1',
  '"x"',
  '[]',
  'true',
  '{',
  '{"a":',
  '{}{}',
  'NaN',
  "{'single': 'quotes'}",
  '\uFEFF{}',
  '\u0000',
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '['.repeat(20_000) + ']'.repeat(20_000),
  `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`,
  `"${'x'.repeat(300 * 1024)}"`,
];

function bodyCases(route: Route<any, any>, baseline: unknown): fc.Arbitrary<{ raw: string | undefined; note: string }> {
  const paths = pathsOf(baseline);
  const extraProps = topLevelProperties(route)
    .filter((p) => !(baseline && typeof baseline === 'object' && p in baseline))
    .map((p) => [p] as Path);
  const targets = [...paths, ...extraProps];
  const field = targets.length
    ? fc.tuple(fc.constantFrom(...targets), badValue).map(([path, v]) => ({ raw: unraw(JSON.stringify(setAt(baseline, path, v))), note: `${path.join('.')} = ${String(JSON.stringify(v)).slice(0, 60)}` }))
    : fc.constant({ raw: '[]', note: 'array' });
  const removed = paths.length
    ? fc.constantFrom(...paths).map((path) => ({ raw: JSON.stringify(setAt(baseline, path, undefined, true)), note: `without ${path.join('.')}` }))
    : fc.constant({ raw: '"x"', note: 'string' });
  const unknownKey = fc
    .tuple(fc.constantFrom('tenantId', 'pk', 'sk', 'role', 'roles', 'ownerUserId', 'createdBy', 'salary', '$where', 'constructor', ''), badValue)
    .map(([k, v]) => ({ raw: unraw(JSON.stringify({ ...(baseline as object), [k]: v })), note: `unknown ${k}` }));
  const whole = fc.constantFrom(...WHOLE_BODIES).map((raw) => ({ raw, note: `whole body ${String(raw).slice(0, 40)}` }));
  return fc.oneof({ arbitrary: field, weight: 5 }, { arbitrary: removed, weight: 1 }, { arbitrary: unknownKey, weight: 1 }, { arbitrary: whole, weight: 2 });
}

// ------------------------------------------------------------------------------------------------

describe('bad bodies: refused with 4xx problem+json, never 5xx', () => {
  it('routes with a body have valid samples to mutate', () => {
    const invalid = bodyRoutes.filter((r) => !sampleBody(r, w).valid).map((r) => r.id);
    // a new route whose generated sample does not pass its schema still gets every case below (they
    // are all invalid anyway), but single-field mutations of a valid body probe deeper: add it to
    // KNOWN_BODIES in support/samples.ts
    if (invalid.length) console.warn(`bad-input: no valid sample body for ${invalid.join(', ')}`);
    expect(invalid.length).toBeLessThan(bodyRoutes.length / 2);
  });

  describe.concurrent.each(bodyRoutes.map((r) => [`${r.method} ${r.path} (${r.id})`, r] as const))('%s', (_name, route) => {
    it('fixed cases and generated mutations', async () => {
      const baseline = sampleBody(route, w).value;
      // the shared parser refuses these before any handler runs: every one on the first route and on
      // routes that read their raw body themselves, a few everywhere (the generator mixes them in too)
      const whole = route === bodyRoutes[0] || route.rawBody ? WHOLE_BODIES : [undefined, '{', '[]', '"x"'];
      for (const raw of whole) {
        const res = await send(route, raw);
        expectRefused(route, `whole body ${String(raw).slice(0, 40)}`, res);
      }
      let skipped = 0;
      await fc.assert(
        fc.asyncProperty(bodyCases(route, baseline), async ({ raw, note }) => {
          if (schemaAccepts(route, raw)) {
            skipped++; // acceptable input: not this pass's business (it could store something)
            return;
          }
          expectRefused(route, note, await send(route, raw));
        }),
        { seed: SEED, numRuns: RUNS, endOnFailure: true },
      );
      expect(skipped).toBeLessThan(RUNS);
    });

    it('bad headers: Idempotency-Key, If-Match', async () => {
      const baseline = JSON.stringify(sampleBody(route, w).value);
      const cases: Record<string, string>[] = [];
      if (route.idempotent) cases.push({ 'idempotency-key': 'x'.repeat(200) }, { 'idempotency-key': 'a b/c' }, { 'idempotency-key': '' });
      // a route that takes a version (If-Match or `version`); other routes may ignore If-Match
      if (route.method === 'PATCH' || route.method === 'PUT' || topLevelProperties(route).includes('version')) {
        cases.push({ 'if-match': '"abc"' }, { 'if-match': '"0"' }, { 'if-match': '"-1"' }, { 'if-match': '"99999999999999999999"' }, { 'if-match': '"1.5"' }, { 'if-match': `"${'9'.repeat(500)}"` });
      }
      for (const headers of cases) {
        if (headers['idempotency-key'] === '') continue; // an empty header is no header
        expectRefused(route, JSON.stringify(headers), await send(route, baseline, '', headers));
      }
    });
  });
});

describe('bad queries: refused with 4xx problem+json, never 5xx', () => {
  const forgedCursor = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');
  const queryValue: fc.Arbitrary<string> = fc.oneof(
    fc.constantFrom('-1', '0', '201', '1e400', '9007199254740993', '1.5', 'abc', '', ' ', '１０', 'NaN', 'Infinity', '0x10', '+5', '5 ', '2026-13', '2026-W99', '2026-Q5', '9999-12-31', '0000-01-01', '2026-02-30', 'T#x', '%00'),
    fc.constantFrom('x'.repeat(3_000), ...UNICODE_EDGES.filter((u) => !/[\uD800-\uDFFF]/.test(u.replace(/\uD83D[\uDC00-\uDFFF]/g, '')))),
    fc.constantFrom(
      forgedCursor({ pk: 'T#01KZZZZZZZZZZZZZZZZZZZZZZZ', sk: 'CTV' }),
      forgedCursor({ gsi1pk: 'T#01KZZZZZZZZZZZZZZZZZZZZZZZ#CTVS', gsi1sk: 'x', pk: 'x', sk: 'x' }),
      forgedCursor([]),
      forgedCursor({ pk: { S: 'x' } }),
      forgedCursor({ pk: 'x'.repeat(2000) }),
      'bm9wZQ',
      '!!!',
    ),
  );

  describe.concurrent.each(queryRoutes.map((r) => [`${r.method} ${r.path} (${r.id})`, r] as const))('%s', (_name, route) => {
    it('generated bad parameters', async () => {
      const baseline = sampleQuery(route, w).value;
      const known = Object.keys((z.toJSONSchema(route.query!, { io: 'input', unrepresentable: 'any' }) as JsonSchema).properties ?? {});
      const names = [...new Set([...known, ...Object.keys(baseline)])];
      const body = route.body ? JSON.stringify(sampleBody(route, w).value) : undefined;
      const arb = fc.oneof(
        { arbitrary: fc.tuple(fc.constantFrom(...(names.length ? names : ['limit'])), queryValue).map(([k, v]) => ({ ...baseline, [k]: v })), weight: 4 },
        { arbitrary: fc.tuple(fc.constantFrom('colour', '__proto__', 'constructor', 'tenantId', 'LIMIT', 'limit[]'), queryValue).map(([k, v]) => ({ ...baseline, [k]: v })), weight: 1 },
      );
      const check = async (params: Record<string, string>, raw?: string) => {
        const qs = raw ?? new URLSearchParams(params).toString();
        // what the server sees: URLSearchParams, repeated names joined with a comma
        const seen: Record<string, string> = {};
        for (const [k, v] of new URLSearchParams(qs)) seen[k] = k in seen ? `${seen[k]},${v}` : v;
        const res = await send(route, body, qs ? `?${qs}` : '');
        if (route.query!.safeParse(seen).success) {
          expect(res.status, `${route.id} ?${qs.slice(0, 200)} → ${res.status} ${res.text.slice(0, 300)}`).toBeLessThan(500);
          if (res.status >= 400) expectProblem(`${route.id} ?${qs.slice(0, 200)}`, res);
        } else {
          expectRefused(route, `?${qs}`, res);
        }
      };
      // repeated names, raw invalid UTF-8 and a lone surrogate's bytes
      const baseQs = new URLSearchParams(baseline).toString();
      const first = names[0] ?? 'limit';
      for (const raw of [`${first}=1&${first}=2`, `${first}=%ED%A0%80`, `${first}=%FF%FE`, `${first}=%`, `${baseQs}&&&`]) await check({}, raw);
      await fc.assert(fc.asyncProperty(arb, (params) => check(params)), { seed: SEED, numRuns: Math.ceil(RUNS * 0.8), endOnFailure: true });
    });
  });
});

describe('odd path parameters: never 5xx; a refusal is problem+json', () => {
  const PATH_VALUES = ['%00', '%ED%A0%80', '%FF', 'a%23b', 'T%23x%23CTV', '%2F..%2F', '%20', '..', '.', 'x'.repeat(120), 'ễ', '%F0%9F%91%A9', '0', '-1', '1e400', '%22%27%3C%3E'];
  // ids past DynamoDB's key limits (2048 bytes partition, 1024 sort) answer 500 on many routes: an open finding
  const LONG_IDS = ['x'.repeat(1_100), 'x'.repeat(3_000)];
  const withParams = ROUTES.filter((r) => /\{\w+\}/.test(r.path));

  describe.concurrent.each(withParams.map((r) => [`${r.method} ${r.path} (${r.id})`, r] as const))('%s', (_name, route) => {
    it('generated odd ids', async () => {
      const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
      const body = route.body ? JSON.stringify(sampleBody(route, w).value) : undefined;
      const query = new URLSearchParams(sampleQuery(route, w).value).toString();
      const check = async (name: string, value: string) => {
        const path = fillPath(route.path, w, (n) => (n === name ? '__ODD__' : undefined)).replace('__ODD__', value);
        const caller = callerFor(route);
        const headers: Record<string, string> = {};
        if (route.auth === 'webhook') headers['x-ctv-signature'] = signCtv(body ?? '', w.source.secret, Math.floor(Date.now() / 1000));
        const res = await api.request(route.method, path + (query ? `?${query}` : ''), { ...(caller ? { token: caller.token } : {}), ...(body !== undefined ? { body } : {}), headers });
        // an odd id may name nothing and still be a fine answer (an empty list, zero earnings): never a 5xx
        const label = `${route.id} {${name}} = ${value.slice(0, 40)} → ${res.status} ${res.text.slice(0, 300)}`;
        expect(res.status, label).toBeLessThan(500);
        if (res.status >= 400) expectProblem(label, res);
      };
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...names), fc.constantFrom(...PATH_VALUES, ...(STRICT ? LONG_IDS : [])), check),
        { seed: SEED, numRuns: Math.ceil(RUNS * 0.6), endOnFailure: true },
      );
    });
  });
});

describe('afterwards: nothing was stored', () => {
  it("the business's items and the caller's memberships are unchanged, and the server logged no unexpected error", async () => {
    const after = { items: await tenantItems(w.tenantId), me: (await w.ctvUser.get('/v1/me')).body };
    expect(after.items.length).toBe(before.items.length);
    expect(after.items).toEqual(before.items);
    expect(after.me).toEqual(before.me);
    expect(serverErrors.map((e) => `${e.operation}: ${e.error} ${e.message}`)).toEqual([]);
  });
});

describe('odd but maybe valid text in every string field: never a 5xx, and what is stored reads back', () => {
  const stringPaths = (value: unknown) => pathsOf(value).filter((p) => typeof p.reduce<any>((node, k) => node?.[k], value) === 'string');

  // valid but extreme instants and days within the years periods support (2000–2999); FUZZ_STRICT=1 adds
  // years outside them, which ISO 8601 and the schemas allow (open findings: a webhook order answers
  // 500, a plan version is stored and then every nightly run of the business fails)
  const EXTREME_TIMES = [
    '2000-01-10',
    '2999-12-20',
    '2000-01-10T00:00:00+14:00',
    '2999-12-20T23:59:59-12:00',
    '2026-11-03T10:15:00.123456789-12:00',
    ...(STRICT ? ['0001-01-01', '9999-12-31', '1999-12-31T23:59:59+07:00', '3000-01-01T00:00:00Z', '9999-12-31T23:59:59+14:00'] : []),
  ];
  const isTime = (v: string) => /^\d{4}-\d{2}-\d{2}/.test(v);

  describe.concurrent.each(bodyRoutes.map((r) => [`${r.method} ${r.path} (${r.id})`, r] as const))('%s', (_name, route) => {
    it('unicode edge cases and extreme dates', async () => {
      const baseline = sampleBody(route, w).value;
      const targets = stringPaths(baseline);
      if (!targets.length) return;
      const at = (path: Path) => path.reduce<any>((node, k) => node?.[k], baseline) as string;
      const dates = targets.filter((p) => isTime(at(p)));
      for (const path of dates) {
        for (const v of EXTREME_TIMES) {
          const res = await send(route, JSON.stringify(setAt(sampleBody(route, w).value, path, v)));
          const label = `${route.id} ${path.join('.')} = ${v} → ${res.status} ${res.text.slice(0, 300)}`;
          expect(res.status, label).toBeLessThan(500);
          if (res.status >= 400) expectProblem(label, res);
        }
      }
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...targets), fc.constantFrom(...UNICODE_EDGES), async (path, edge) => {
          const original = path.reduce<any>((node, k) => node?.[k], baseline) as string;
          // keep the field's own shape where it has one (ids, phones): append or prepend the oddity
          for (const v of [edge, `${original}${edge}`]) {
            const raw = JSON.stringify(setAt(sampleBody(route, w).value, path, v));
            const res = await send(route, raw);
            const label = `${route.id} ${path.join('.')} = ${JSON.stringify(v).slice(0, 60)} → ${res.status} ${res.text.slice(0, 300)}`;
            expect(res.status, label).toBeLessThan(500);
            if (res.status >= 400) expectProblem(label, res);
          }
        }),
        { seed: SEED, numRuns: Math.max(3, Math.ceil(RUNS * 0.4)), endOnFailure: true },
      );
    });
  });

  it('every read of the business still answers without a 5xx', async () => {
    const reads = ROUTES.filter((r) => r.method === 'GET' && r.roles?.length);
    for (const route of reads) {
      const res = await send(route, undefined, new URLSearchParams(sampleQuery(route, w).value).toString().replace(/^(?=.)/, '?'));
      expect(res.status, `${route.id} → ${res.status} ${res.text.slice(0, 300)}`).toBeLessThan(500);
    }
    expect(serverErrors.map((e) => `${e.operation}: ${e.error} ${e.message}`)).toEqual([]);
  });
});
