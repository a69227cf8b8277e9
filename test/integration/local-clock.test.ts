import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addDays, localDay, startOfLocalDay } from '../../domain/period';
import { ROUTES } from '../../functions/routes';
import { signLocalToken } from '../../infra/local/jwt';
import { DEMO, demoTimeline } from '../../infra/local/seed';
import { startLocal, type RunningLocal } from '../../infra/local/start';
import { sendRequest, unique } from './support/http';

/**
 * The local server's clock (API.md, "The local server's clock") and the demo data it plays:
 * `npm start`'s own start function (infra/local/start.ts), on the run's DynamoDB Local with its own
 * table, with LOCAL_NOW set. LOCAL_NOW is the first local half hour of March 2027, so the month the
 * demo closes is a February of 28 days.
 */
const LOCAL_NOW = '2027-03-01T00:30:00+07:00';
const S = Date.parse(LOCAL_NOW);
const TZ = 'Asia/Ho_Chi_Minh';
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

let local: RunningLocal;
let startedAt: number; // machine clock, when the start began: the local clock cannot have run on longer
let secret: string;

const http = (method: string, path: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}) =>
  sendRequest(local.url, method, path, options);

beforeAll(async () => {
  secret = inject('jwtSecret');
  startedAt = Date.now();
  local = await startLocal({
    env: { LOCAL_NOW, PORT: '0', LOCAL_JWT_SECRET: secret, LOG_REQUESTS: '0' },
    ddbEndpoint: inject('ddbEndpoint'),
    tableName: unique('ctv-local-clock-'),
  });
}, 240_000);

afterAll(async () => {
  await local?.stop();
});

describe('the demo of npm start: a closed month with approved statements and a payout batch', () => {
  // the token the README tells a newcomer to use: `npm run token -- demo-owner` (signed with LOCAL_JWT_SECRET)
  const owner = () => signLocalToken(secret, DEMO.owner);

  it('is ready with its clock at LOCAL_NOW, and closed the month before it', async () => {
    expect(local.demo).not.toBeNull();
    const now = local.clock.now().getTime();
    expect(now).toBeGreaterThanOrEqual(S);
    expect(now - S).toBeLessThanOrEqual(Date.now() - startedAt);
    expect(local.demo!.closedMonth).toBe('2027-02');
    const token = await owner();
    const periods = await http('GET', `/v1/tenants/${local.demo!.tenantId}/periods`, { token });
    expect(periods.status).toBe(200);
    const february = periods.body.items.find((p: any) => p.id === '2027-02');
    expect(february?.state).toBe('closed');
    expect(periods.body.items.find((p: any) => p.id === '2027-03')?.state).toBe('open');
    // the demo starts in the month it closes: nothing before February
    expect(periods.body.items.map((p: any) => p.id).sort()).toEqual(['2027-02', '2027-03']);
  });

  it("has February's statements approved and batched, with the amounts worked by hand", async () => {
    // Plan: basic 10%, serum 12%, CREAM-50 8%; F1 referral 3% when the referrer sold 5 units of its own; holding 7 days.
    //   Bình  10 × 350,000 = 3,500,000 serum × 12% = 420,000   completed 5 Feb → payable 12 Feb
    //   Hoa    6 ×  90,000 =   540,000 mask  × 10% =  54,000   completed 6 Feb → payable 13 Feb
    //   Trang  2 ×  90,000 =   180,000 mask  × 10% =  18,000   completed 8 Feb → payable 15 Feb
    //   Hoa    1 × 420,000 =   420,000 cream ×  8% =  33,600   completed 27 Feb → payable 6 Mar: pending
    //   Hoa's referral on Bình (her 7 units ≥ 5): 3% × 3,500,000 = 105,000 (at the cut-off)
    // Statements: Hoa 54,000 + 105,000 = 159,000 (pending 33,600), Bình 420,000, Trang 18,000.
    const token = await owner();
    const base = `/v1/tenants/${local.demo!.tenantId}`;
    const list = await http('GET', `${base}/statements?period=2027-02`, { token });
    expect(list.status).toBe(200);
    const byName = Object.fromEntries(list.body.items.map((s: any) => [s.collaborator.name, s]));
    expect(Object.keys(byName).sort()).toEqual(['Lý Thu Trang', 'Nguyễn Thị Hoa', 'Trần Văn Bình']);
    expect(byName['Nguyễn Thị Hoa']).toMatchObject({ status: 'batched', total: 159_000, pendingTotal: 33_600, balance: 159_000 });
    expect(byName['Nguyễn Thị Hoa'].byKind).toMatchObject({ basic: 54_000, referral: 105_000 });
    expect(byName['Trần Văn Bình']).toMatchObject({ status: 'batched', total: 420_000, pendingTotal: 0, balance: 420_000 });
    // below the minimum payout (100,000): approved, left out of the batch, carried over at the next close
    expect(byName['Lý Thu Trang']).toMatchObject({ status: 'approved', total: 18_000, balance: 18_000 });
    for (const s of list.body.items) expect(s.approvedBy).toBe(DEMO.owner);

    const payouts = await http('GET', `${base}/payouts`, { token });
    expect(payouts.status).toBe(200);
    expect(payouts.body.items).toHaveLength(1);
    const batch = await http('GET', `${base}/payouts/${local.demo!.payoutBatchId}`, { token });
    expect(batch.status).toBe(200);
    // 159,000 + 420,000 = 579,000 for 2 transfers
    expect(batch.body).toMatchObject({ periodId: '2027-02', count: 2, total: 579_000 });
    // the batch total is the sum of the balances of the statements it holds
    const held = list.body.items.filter((s: any) => s.batchId === batch.body.id);
    expect(held.reduce((sum: number, s: any) => sum + s.balance, 0)).toBe(batch.body.total);
    const exported = await http('GET', `${base}/payouts/${batch.body.id}/export`, { token });
    expect(exported.status).toBe(200);
    expect(exported.text).toContain('Nguyễn Thị Hoa');
    expect(exported.text).toContain('Trần Văn Bình');
    expect(exported.text).not.toContain('Lý Thu Trang');
  });

  it("keeps Hoa's order completed on 27 February pending on her statement, and this month's data at LOCAL_NOW", async () => {
    const token = await owner();
    const base = `/v1/tenants/${local.demo!.tenantId}`;
    const hoa = (await http('GET', `${base}/statements?period=2027-02`, { token })).body.items.find(
      (s: any) => s.collaborator.name === 'Nguyễn Thị Hoa',
    );
    const detail = await http('GET', `${base}/statements/2027-02/${hoa.collaboratorId}`, { token });
    expect(detail.status).toBe(200);
    // 420,000 × 8% = 33,600, payable 27 Feb + 7 days = 6 Mar, after the cut-off (1 Mar)
    expect(detail.body.pending.map((l: any) => l.amount)).toEqual([33_600]);
    // Σ lines = total
    expect(detail.body.lines.reduce((sum: number, l: any) => sum + l.amount, 0)).toBe(159_000);
    // the parked delivery of this month came in at LOCAL_NOW (on the clock, not the machine's date)
    const parked = await http('GET', `${base}/webhook-deliveries?status=parked`, { token });
    expect(parked.status).toBe(200);
    expect(parked.body.items).toHaveLength(1);
    const receivedAt = Date.parse(parked.body.items[0].receivedAt);
    expect(receivedAt).toBeGreaterThanOrEqual(S);
    expect(receivedAt - S).toBeLessThanOrEqual(Date.now() - startedAt);
  });
});

describe('POST /local/clock', () => {
  it('moves the now of every handler and job: an order’s times, what a nightly run may close', async () => {
    const token = await signLocalToken(secret, DEMO.owner);
    const base = `/v1/tenants/${local.demo!.tenantId}`;
    const newOrder = () =>
      http('POST', `${base}/orders`, {
        token,
        body: {
          state: 'approved',
          customer: { phone: `093${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`, name: 'Khách lẻ' },
          lines: [{ lineId: '1', productId: 'MASK-10', unit: 'hộp', category: 'mask', quantity: 1, unitPrice: 90_000, discount: 0 }],
        },
      });
    const before = await newOrder();
    expect(before.status, JSON.stringify(before.body)).toBe(201);
    const approvedBefore = Date.parse(before.body.approvedAt);
    expect(approvedBefore).toBeGreaterThanOrEqual(S);
    expect(approvedBefore - S).toBeLessThanOrEqual(Date.now() - startedAt);
    // 2 April is in the future on the clock: March cannot be closed yet
    const early = await http('POST', `${base}/jobs/nightly`, { token, body: { asOf: '2027-04-02' } });
    expect(early.status).toBe(422);
    expect(early.body.errors.map((e: any) => e.path)).toEqual(['asOf']);

    const moved = await http('POST', '/local/clock', { body: { now: '2027-04-02T09:00:00+07:00' } });
    expect(moved.status).toBe(200);
    expect(moved.body).toEqual({ now: '2027-04-02T02:00:00.000Z' });
    const T = Date.parse('2027-04-02T09:00:00+07:00');
    const movedAt = Date.now();

    const after = await newOrder();
    expect(after.status).toBe(201);
    const approvedAfter = Date.parse(after.body.approvedAt);
    expect(approvedAfter).toBeGreaterThanOrEqual(T);
    expect(approvedAfter - T).toBeLessThanOrEqual(Date.now() - movedAt);
    expect(Date.parse(after.body.createdAt)).toBeGreaterThanOrEqual(T);

    // a run as of 2 April (its start in Viet Nam, 1 Apr 17:00 UTC) now closes March
    const run = await http('POST', `${base}/jobs/nightly`, { token, body: { asOf: '2027-04-02' } });
    expect(run.status).toBe(202);
    expect(run.body.asOf).toBe('2027-04-01T17:00:00.000Z');
    let job: any;
    for (let i = 0; i < 2400; i++) {
      job = (await http('GET', `${base}/jobs/${run.body.jobId}`, { token })).body;
      if (job.state !== 'running') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(job.state, JSON.stringify(job).slice(0, 400)).toBe('succeeded');
    const createdAt = Date.parse(job.createdAt);
    expect(createdAt).toBeGreaterThanOrEqual(T);
    expect(createdAt - T).toBeLessThanOrEqual(Date.now() - movedAt);
    const periods = (await http('GET', `${base}/periods`, { token })).body.items;
    expect(periods.find((p: any) => p.id === '2027-03')?.state).toBe('closed');
    expect(periods.find((p: any) => p.id === '2027-04')?.state).toBe('open');
  });

  it('answers bad input with a 400 naming the field, a move back with a 422 naming now', async () => {
    const clockBefore = local.clock.now().getTime();
    const realBefore = Date.now();
    const cases: [unknown, string[]][] = [
      [{}, ['now']],
      [{ now: 'tomorrow' }, ['now']],
      [{ now: '2027-05-01T09:00:00' }, ['now']], // no offset: which zone?
      [{ now: '2027-05-01' }, ['now']], // a day is not an instant
      [{ now: '2027-02-30T09:00:00+07:00' }, ['now']], // no such day
      [{ now: '3001-01-01T00:00:00Z' }, ['now']], // beyond the years periods are defined for
      [{ now: 1_800_000_000_000 }, ['now']],
      [{ now: '2027-05-01T09:00:00+07:00', speed: 2 }, ['speed']],
      ['[1,', ['body']],
      [undefined, ['body']],
    ];
    for (const [body, paths] of cases) {
      const res = await http('POST', '/local/clock', { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(
        res.body.errors.map((e: any) => e.path),
        JSON.stringify(body),
      ).toEqual(paths);
    }
    const back = await http('POST', '/local/clock', { body: { now: LOCAL_NOW } });
    expect(back.status).toBe(422);
    expect(back.body.errors.map((e: any) => e.path)).toEqual(['now']);
    // none of that moved it: it ran on at the pace of real time
    const ran = local.clock.now().getTime() - clockBefore;
    expect(ran).toBeGreaterThanOrEqual(0);
    expect(ran).toBeLessThanOrEqual(Date.now() - realBefore);
    const get = await http('GET', '/local/clock');
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
  });

  it('is the local server’s only: not in the route table, the OpenAPI document, CDK, or a server without a clock to move', async () => {
    expect(ROUTES.filter((r) => r.path.includes('/local'))).toEqual([]);
    const doc = await http('GET', '/v1/openapi.json');
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths).length).toBe(new Set(ROUTES.map((r) => r.path)).size);
    expect(Object.keys(doc.body.paths).filter((p) => p.includes('local'))).toEqual([]);
    // the suite's shared server runs on the suite clock, given no clock to move: the path is not there
    const shared = await sendRequest(inject('baseUrl'), 'POST', '/local/clock', { body: { now: '2030-01-01T00:00:00+07:00' } });
    expect(shared.status).toBe(404);
    // nothing that is deployed (functions/, domain/, infra/ but infra/local/) names the clock or LOCAL_NOW
    const deployed = [
      ...files(join(ROOT, 'functions')),
      ...files(join(ROOT, 'domain')),
      ...files(join(ROOT, 'infra')).filter((f) => !f.includes('/infra/local/')),
    ];
    expect(deployed.length).toBeGreaterThan(50);
    expect(deployed.filter((f) => /local\/clock|LOCAL_NOW/.test(readFileSync(f, 'utf8')))).toEqual([]);
  });
});

describe('LOCAL_NOW and the demo timeline', () => {
  it('refuses a LOCAL_NOW that is not an instant with offset, naming it, before starting anything', async () => {
    for (const value of ['2027-03-01 00:30', '2027-03-01', 'now', '2027-03-01T00:30:00']) {
      await expect(startLocal({ env: { LOCAL_NOW: value, PORT: '0' }, ddbEndpoint: 'http://127.0.0.1:1' })).rejects.toThrow(/^LOCAL_NOW=/);
    }
  });

  it('plays the closed month inside the month before LOCAL_NOW, whatever day and hour it is', () => {
    // every day of 2027 and 2028 (a leap year), at the first and the last local half hour
    for (let day = '2027-01-01'; day <= '2028-12-31'; day = addDays(day, 1)) {
      for (const time of [30, 23 * 60 + 30]) {
        const start = startOfLocalDay(day, TZ) + time * 60_000;
        const t = demoTimeline(start, TZ);
        const cutOff = startOfLocalDay(`${t.month}-01`, TZ); // the closed month ends where this one starts
        expect(t.month).toBe(day.slice(0, 7));
        expect(addDays(`${t.month}-01`, -1).slice(0, 7)).toBe(t.closedMonth);
        expect(localDay(t.begin, TZ)).toBe(`${t.closedMonth}-01`);
        for (const [d, h] of [
          [1, 8],
          [3, 9],
          [8, 17],
          [26, 11],
          [27, 14],
        ] as const)
          expect(localDay(t.at(d, h), TZ).slice(0, 7)).toBe(t.closedMonth);
        // completed on the 8th: payable (7 holding days) before the cut-off; on the 27th: after it
        expect(t.at(8, 17) + 7 * 86_400_000).toBeLessThan(cutOff);
        expect(t.at(27, 14) + 7 * 86_400_000).toBeGreaterThan(cutOff);
        expect(t.at(27, 14)).toBeLessThan(start);
        expect(t.today).toBe(day);
      }
    }
  });
});

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' || name === 'cdk.out' ? [] : files(path);
    return /\.(ts|json)$/.test(name) ? [path] : [];
  });
}
