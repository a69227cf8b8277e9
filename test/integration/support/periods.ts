/**
 * A local server with a clock the test moves (the nightly run closes months that have ended, so
 * the tests live in October–December 2026 whatever the real date), on the run's DynamoDB Local,
 * and the October world the period tests share: a plan, three CTVs with bank details (B referred
 * by A), and orders whose commission is computed by hand below.
 */
import { afterAll, beforeAll, expect, inject } from 'vitest';
import { makeDeps, type Deps } from '../../../functions/deps';
import { createStore } from '../../../functions/store/client';
import { signCtv } from '../../../functions/webhooks/adapters/signatures';
import { signLocalToken } from '../../../infra/local/jwt';
import { startLocalServer } from '../../../infra/local/server';
import { sendRequest, unique, type ApiResponse } from './http';

export type Res<T = any> = ApiResponse<T>;

export const uid = unique;
export const at = (local: string) => Date.parse(local);

let phoneSeq = Math.floor(Math.random() * 1e6) * 50;
export const phone = () => `090${String(++phoneSeq % 10_000_000).padStart(7, '0')}`;

export async function clockServer(start: string) {
  let now = at(start);
  const errors: Record<string, unknown>[] = [];
  /** the business metrics the server emitted (infra/metrics.ts names), in order */
  const metrics: string[] = [];
  const store = createStore({ tableName: inject('tableName'), endpoint: inject('ddbEndpoint') });
  const deps: Deps = makeDeps({
    store,
    now: () => new Date(now),
    metric: (name) => void metrics.push(name),
    log: (entry) => {
      if (entry.level === 'error') errors.push(entry);
    },
  });
  const server = await startLocalServer({ deps, jwtSecret: inject('jwtSecret'), publicRateLimit: false });

  const request = (method: string, path: string, token?: string, body?: unknown, headers: Record<string, string> = {}): Promise<Res> =>
    sendRequest(server.url, method, path, { ...(token ? { token } : {}), body, headers });

  async function as(sub: string, email?: string) {
    const token = await signLocalToken(inject('jwtSecret'), sub, email ? { email } : {});
    const call = (method: string) => (path: string, body?: unknown, headers?: Record<string, string>) =>
      request(method, path, token, body, headers);
    return { sub, token, get: call('GET'), post: call('POST'), patch: call('PATCH'), delete: call('DELETE') };
  }

  return {
    deps,
    store,
    errors,
    metrics,
    request,
    as,
    now: () => now,
    setNow(local: string) {
      now = at(local);
    },
    /** deliver an order event signed as the order system would, at the server's time */
    deliver(tenantId: string, source: { id: string; secret: string }, event: unknown) {
      const raw = JSON.stringify(event);
      return request('POST', `/v1/webhooks/${tenantId}/${source.id}/orders`, undefined, raw, {
        'x-ctv-signature': signCtv(raw, source.secret, Math.floor(now / 1000)),
      });
    },
    async close() {
      await server.close();
    },
  };
}
export type ClockServer = Awaited<ReturnType<typeof clockServer>>;

/**
 * The test file's clock server, started before its tests (on 1 Oct 2026, 08:00 in Viet Nam) and
 * closed after them. Call it at the top of the file; the answer stands for the server once it is
 * up, so use it inside tests and hooks only.
 */
export function fileClockServer(start = '2026-10-01T08:00:00+07:00'): ClockServer {
  let server: ClockServer | undefined;
  beforeAll(async () => {
    server = await clockServer(start);
  });
  afterAll(async () => {
    await server?.close();
  });
  return new Proxy({} as ClockServer, {
    get(_target, key) {
      if (!server) throw new Error('the clock server starts in beforeAll: use it inside a test');
      return Reflect.get(server, key);
    },
  });
}

export type User = Awaited<ReturnType<ClockServer['as']>>;

export const ok = async <T extends Res>(p: Promise<T>, status?: number): Promise<T> => {
  const res = await p;
  if (status !== undefined) expect(res.status, JSON.stringify(res.body)).toBe(status);
  else expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  return res;
};

/** The plan of the October world: basic 10%; monthly award 2% from 20 units; F1 referral 3%. */
export const OCTOBER_PLAN = {
  effectiveFrom: '2026-10-01',
  basic: { default: { percentBp: 1000 } },
  referral: { level1Bp: 300 },
  awards: [{ cycle: 'month', minQuantity: 20, percentBp: 200 }],
};

export const NAMES = { a: 'Nguyễn Thị Hoa', b: 'Trần Văn Bình', c: 'Lê Thị Cúc' } as const;

const customers = new Map<string, string>();
/** A one-line order event of `collaboratorId`'s; each order keeps its first customer's phone. */
export function oneLineOrder(
  externalId: string,
  collaboratorId: string,
  line: { quantity: number; unitPrice: number },
  state: string,
  occurredAt: string,
  revision: number,
  returnedQuantity = 0,
) {
  if (!customers.has(externalId)) customers.set(externalId, phone());
  return {
    externalId,
    revision,
    state,
    occurredAt,
    customer: { phone: customers.get(externalId)!, name: 'Khách lẻ' },
    lines: [
      {
        lineId: '1',
        productId: 'SERUM-30',
        unit: 'chai',
        category: 'serum',
        quantity: line.quantity,
        unitPrice: line.unitPrice,
        discount: 0,
        addOn: false,
        returnedQuantity,
      },
    ],
    orderDiscount: 0,
    shippingFee: 30000,
    attribution: { collaboratorId, refId: null, couponCode: null, opportunityId: null },
    sellerId: null,
  };
}

/**
 * The October world, built on the server's clock (which it moves):
 *   O1  B  30 × 500,000 = 15,000,000  approved 5 Oct, completed 10 Oct → basic 1,500,000, payable 17 Oct
 *   O2  A   2 × 350,000 =    700,000  approved 20 Oct, completed 22 Oct → basic 70,000, payable 29 Oct
 *   O3  C   1 × 500,000 =    500,000  approved 28 Oct, completed 30 Oct → basic 50,000, payable 6 Nov
 *   O4  C   1 × 400,000 =    400,000  approved and completed 3 Oct → basic 40,000, payable 10 Oct
 *   O5  A  25 × 100,000 =  2,500,000  approved 1 Nov 01:00 (not completed) → basic 250,000, pending
 * Closing October: B's award 2% × 15,000,000 = 300,000 (30 units ≥ 20); A's referral on B
 * 3% × 15,000,000 = 450,000; A (2 units) and C (2 units) get no award.
 */
export async function octoberWorld(s: ClockServer) {
  s.setNow('2026-10-01T08:00:00+07:00');
  const owner = await s.as(uid('owner-'));
  const tenant = (await ok(owner.post('/v1/tenants', { name: 'Mỹ phẩm Sen Vàng', pageId: uid('sen-') }), 201)).body;
  const base = `/v1/tenants/${tenant.id}`;
  await ok(owner.post(`${base}/commission-plans`, OCTOBER_PLAN), 201);
  const source = (await ok(owner.post(`${base}/webhook-sources`, { name: 'Website', kind: 'ctv' }), 201)).body;
  const addCtv = async (name: string, extra: Record<string, unknown>) =>
    (await ok(owner.post(`${base}/collaborators`, { name, phone: phone(), ...extra }), 201)).body;
  const aSub = uid('ctv-a-');
  const aEmail = `${aSub}@example.vn`;
  const a = await addCtv(NAMES.a, {
    email: aEmail,
    bank: { bankName: 'Vietcombank', accountNumber: '0011001234567', accountName: 'NGUYEN THI HOA' },
  });
  const b = await addCtv(NAMES.b, {
    referrerRefId: a.refId,
    bank: { bankName: 'Techcombank', accountNumber: '19034567890123', accountName: 'TRAN VAN BINH' },
  });
  const c = await addCtv(NAMES.c, { bank: { bankName: 'BIDV', accountNumber: '0123456789', accountName: 'LE THI CUC' } });

  const send = async (when: string, event: ReturnType<typeof oneLineOrder>) => {
    s.setNow(when);
    await ok(s.deliver(tenant.id, source, event));
  };
  const ex = uid('HD');
  const o = (n: number) => `${ex}-${n}`;
  await send(
    '2026-10-03T09:00:00+07:00',
    oneLineOrder(o(4), c.id, { quantity: 1, unitPrice: 400_000 }, 'completed', '2026-10-03T09:00:00+07:00', 1),
  );
  await send(
    '2026-10-05T10:00:00+07:00',
    oneLineOrder(o(1), b.id, { quantity: 30, unitPrice: 500_000 }, 'approved', '2026-10-05T10:00:00+07:00', 1),
  );
  await send(
    '2026-10-10T10:00:00+07:00',
    oneLineOrder(o(1), b.id, { quantity: 30, unitPrice: 500_000 }, 'completed', '2026-10-10T10:00:00+07:00', 2),
  );
  await send(
    '2026-10-20T10:00:00+07:00',
    oneLineOrder(o(2), a.id, { quantity: 2, unitPrice: 350_000 }, 'approved', '2026-10-20T10:00:00+07:00', 1),
  );
  await send(
    '2026-10-22T10:00:00+07:00',
    oneLineOrder(o(2), a.id, { quantity: 2, unitPrice: 350_000 }, 'completed', '2026-10-22T10:00:00+07:00', 2),
  );
  await send(
    '2026-10-28T10:00:00+07:00',
    oneLineOrder(o(3), c.id, { quantity: 1, unitPrice: 500_000 }, 'approved', '2026-10-28T10:00:00+07:00', 1),
  );
  await send(
    '2026-10-30T10:00:00+07:00',
    oneLineOrder(o(3), c.id, { quantity: 1, unitPrice: 500_000 }, 'completed', '2026-10-30T10:00:00+07:00', 2),
  );
  await send(
    '2026-11-01T01:00:00+07:00',
    oneLineOrder(o(5), a.id, { quantity: 25, unitPrice: 100_000 }, 'approved', '2026-11-01T01:00:00+07:00', 1),
  );

  /** B returns all of O1 (after October is settled): a clawback of 1,500,000 in the open month */
  const returnO1 = (when: string) => send(when, oneLineOrder(o(1), b.id, { quantity: 30, unitPrice: 500_000 }, 'returned', when, 3, 30));
  /** A signs in with the email on her record and joins the page: her own views (`…/me/…`) */
  const signInA = async () => {
    const user = await s.as(aSub, aEmail);
    const joined = await ok(user.post(`/v1/pages/${tenant.pageId}/join`, { name: NAMES.a, phone: a.phone }));
    expect(['linked', 'already_joined']).toContain(joined.body.outcome);
    return user;
  };
  return { owner, tenant, tenantId: tenant.id as string, base, source, a, b, c, ctvs: { a, b, c }, returnO1, signInA };
}
export type OctoberWorld = Awaited<ReturnType<typeof octoberWorld>>;

/**
 * Start a nightly run over HTTP and wait for it to succeed (in-process on the test server): a run
 * that fails fails the test here, with its error (tests of a failing run use waitForJob).
 */
export async function runNightly(s: ClockServer, w: { owner: User; base: string }, asOf: string, mode?: 'full') {
  const started = await ok(w.owner.post(`${w.base}/jobs/nightly`, { asOf, ...(mode ? { mode } : {}) }), 202);
  const job = await waitForJob(s, w, started.body.jobId);
  expect(job.state, JSON.stringify(job).slice(0, 500)).toBe('succeeded');
  return job;
}

/** Wait until a job ends, succeeded or failed (a job that never ends fails the test). */
export async function waitForJob(_s: ClockServer, w: { owner: User; base: string }, jobId: string) {
  for (let i = 0; i < 600; i++) {
    const res = await ok(w.owner.get(`${w.base}/jobs/${jobId}`), 200);
    if (res.body.state === 'succeeded' || res.body.state === 'failed') return res.body;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`job ${jobId} did not finish`);
}

/** Every statement of a month with its lines, by CTV name (for comparing two businesses). */
export async function statementsByName(w: OctoberWorld, month: string) {
  const list = await ok(w.owner.get(`${w.base}/statements?period=${month}&limit=200`), 200);
  const out: Record<string, any> = {};
  for (const s of list.body.items) {
    const detail = (await ok(w.owner.get(`${w.base}/statements/${month}/${s.collaboratorId}`), 200)).body;
    out[s.collaborator.name] = detail;
  }
  return out;
}

/** What must be equal between two runs or two businesses: amounts and structure, not ids or times. */
export function comparableStatement(d: any) {
  return {
    status: d.status,
    byKind: d.byKind,
    total: d.total,
    pendingTotal: d.pendingTotal,
    broughtForward: d.broughtForward,
    balance: d.balance,
    lines: d.lines
      .map((l: any) => ({ kind: l.kind, amount: l.amount, rule: l.trace.rule, base: l.trace.base }))
      .sort((x: any, y: any) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : 1)),
    pending: d.pending.map((l: any) => ({ kind: l.kind, amount: l.amount })),
  };
}

export async function snapshotsByName(w: OctoberWorld, month: string) {
  const list = await ok(w.owner.get(`${w.base}/periods/${month}/snapshots?limit=200`), 200);
  const out: Record<string, any> = {};
  for (const s of list.body.items) out[s.name] = s;
  return out;
}

export function comparableSnapshot(s: any) {
  const { collaboratorId: _c, refId: _r, careStaffUserId: _cs, managerUserId: _m, ...rest } = s;
  return {
    ...rest,
    projected: { total: s.projected.total, lines: s.projected.lines.map((l: any) => ({ kind: l.kind, amount: l.amount })) },
  };
}
