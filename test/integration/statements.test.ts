/**
 * Statements after October's close, over HTTP: who sees which, a CTV's own view (orders, ledger
 * with traces, statements, snapshot), disputes (the CTV opens one on a line; the owner resolves it
 * with an adjustment booked into the open month, or rejects it with a reason), and approval
 * blocked while a dispute is open.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEDGER_KINDS } from '../../domain/commission/lines';
import { ifMatch } from './support/network';
import {
  clockServer,
  NAMES,
  octoberWorld,
  ok,
  runNightly,
  statementsByName,
  uid,
  type ClockServer,
  type OctoberWorld,
} from './support/periods';

let s: ClockServer;
let w: OctoberWorld;
beforeAll(async () => {
  s = await clockServer('2026-10-01T08:00:00+07:00');
  w = await octoberWorld(s);
  s.setNow('2026-11-01T02:00:00+07:00');
  const job = await runNightly(s, w, '2026-11-01');
  if (job.state !== 'succeeded') throw new Error(JSON.stringify(job));
});
afterAll(async () => {
  await s?.close();
});

describe('a CTV’s own view', () => {
  it('shows A her orders, her ledger lines with traces, her statements and her November snapshot', async () => {
    const a = await w.signInA();
    const orders = await ok(a.get(`${w.base}/me/orders?from=2026-10-01&to=2026-11-01`), 200);
    expect(orders.body.items.map((o: any) => o.netRevenue).sort()).toEqual([2_500_000, 700_000].sort());

    const ledger = await ok(a.get(`${w.base}/me/ledger?period=2026-10`), 200);
    expect(ledger.body.earnings).toMatchObject({ period: '2026-10', closed: true, total: 520_000 });
    expect(ledger.body.items.map((e: any) => [e.kind, e.amount]).sort()).toEqual(
      [
        ['basic', 70_000],
        ['referral', 450_000],
      ].sort(),
    );
    const referral = ledger.body.items.find((e: any) => e.kind === 'referral');
    expect(referral.trace).toMatchObject({ rule: 'referral.f1', base: 15_000_000, rateBp: 300, refereeId: w.b.id });

    const statements = await ok(a.get(`${w.base}/me/statements`), 200);
    expect(statements.body.items).toHaveLength(1);
    expect(statements.body.items[0]).toMatchObject({
      periodId: '2026-10',
      total: 520_000,
      status: 'draft',
      collaborator: { name: NAMES.a },
    });
    const statement = await ok(a.get(`${w.base}/me/statements/2026-10`), 200);
    expect(statement.body.lines).toHaveLength(2);
    expect(statement.body.lines.reduce((sum: number, l: any) => sum + l.amount, 0)).toBe(statement.body.total);
    expect((await a.get(`${w.base}/me/statements/2026-09`)).status).toBe(404);

    const snapshot = await ok(a.get(`${w.base}/me/snapshot?period=2026-11`), 200);
    expect(snapshot.body).toMatchObject({ earnings: { total: 250_000 }, projected: { total: 50_000 } });
  });

  it('keeps A out of the others’ statements and the staff lists', async () => {
    const a = await w.signInA();
    expect((await a.get(`${w.base}/statements/2026-10/${w.a.id}`)).status).toBe(200);
    expect((await a.get(`${w.base}/statements/2026-10/${w.b.id}`)).status).toBe(404);
    expect((await a.get(`${w.base}/statements?period=2026-10`)).status).toBe(403);
    expect((await a.get(`${w.base}/periods/2026-11/snapshots/${w.b.id}`)).status).toBe(404);
    expect((await a.get(`${w.base}/periods/2026-11/snapshots/${w.a.id}`)).status).toBe(200);
    expect((await a.post(`${w.base}/statements/2026-10/${w.a.id}/approve`, undefined, ifMatch(1))).status).toBe(403);
    const stranger = await s.as(uid('stranger-'));
    expect((await stranger.get(`${w.base}/me/statements`)).status).toBe(404);
  });
});

describe('disputes', () => {
  it('A disputes a line; approval waits; the owner adjusts (+120,000 into November) and the statement itself never changes', async () => {
    const a = await w.signInA();
    const before = (await ok(a.get(`${w.base}/me/statements/2026-10`), 200)).body;
    const basic = before.lines.find((l: any) => l.kind === 'basic');

    expect((await a.post(`${w.base}/me/statements/2026-10/disputes`, { entryId: 'nope', message: 'Sai' })).status).toBe(422);
    const opened = await ok(
      a.post(`${w.base}/me/statements/2026-10/disputes`, { entryId: basic.entryId, message: 'Đơn này tôi bán 3 chai, không phải 2' }),
      201,
    );
    expect(opened.body).toMatchObject({ status: 'open', entryId: basic.entryId, line: { kind: 'basic', amount: 70_000 } });
    expect((await a.post(`${w.base}/me/statements/2026-10/disputes`, { entryId: basic.entryId, message: 'lần nữa' })).status).toBe(409);

    const open = await ok(w.owner.get(`${w.base}/disputes`), 200);
    expect(open.body.items.map((d: any) => d.id)).toContain(opened.body.id);
    const statement = (await ok(w.owner.get(`${w.base}/statements/2026-10/${w.a.id}`), 200)).body;
    expect(statement.openDisputes).toBe(1);
    const blocked = await w.owner.post(`${w.base}/statements/2026-10/${w.a.id}/approve`, undefined, ifMatch(statement.version));
    expect(blocked.status).toBe(422);

    s.setNow('2026-11-03T09:00:00+07:00');
    const path = `${w.base}/statements/2026-10/${w.a.id}/disputes/${opened.body.id}/resolve`;
    expect((await w.owner.post(path, { outcome: 'adjusted', amount: 0, reason: 'x' })).status).toBe(400);
    expect((await w.owner.post(path, { outcome: 'adjusted', amount: 120_000, reason: 'Thiếu 1 chai' }, ifMatch(7))).status).toBe(412);
    const resolved = await ok(w.owner.post(path, { outcome: 'adjusted', amount: 120_000, reason: 'Thiếu 1 chai' }, ifMatch(1)), 200);
    expect(resolved.body).toMatchObject({ status: 'adjusted', resolution: { outcome: 'adjusted', amount: 120_000, bookedIn: '2026-11' } });
    // a retry books nothing twice
    expect((await w.owner.post(path, { outcome: 'adjusted', amount: 120_000, reason: 'Thiếu 1 chai' }, ifMatch(1))).status).toBe(412);

    // the adjustment is in November's ledger (once), not in the frozen October statement
    const nov = await ok(a.get(`${w.base}/me/ledger?period=2026-11`), 200);
    const adjustments = nov.body.items.filter((e: any) => e.kind === 'adjustment');
    expect(adjustments.map((e: any) => e.amount)).toEqual([120_000]);
    expect(adjustments[0].trace.reason).toContain('Thiếu 1 chai');
    expect(nov.body.earnings.byKind).toMatchObject({ basic: 250_000, adjustment: 120_000 });
    const after = (await ok(w.owner.get(`${w.base}/statements/2026-10/${w.a.id}`), 200)).body;
    expect(after.total).toBe(before.total);
    expect(after.lines).toEqual(before.lines);
    expect(after.openDisputes).toBe(0);
    expect(after.disputes[0]).toMatchObject({ status: 'adjusted' });

    const approved = await ok(w.owner.post(`${w.base}/statements/2026-10/${w.a.id}/approve`, undefined, ifMatch(after.version)), 200);
    expect(approved.body.status).toBe('approved');
  });

  it('a rejection needs a written reason and books nothing', async () => {
    const a = await w.signInA();
    const st = (await ok(a.get(`${w.base}/me/statements/2026-10`), 200)).body;
    const referral = st.lines.find((l: any) => l.kind === 'referral');
    const opened = await ok(
      a.post(`${w.base}/me/statements/2026-10/disputes`, { entryId: referral.entryId, message: 'Thiếu hoa hồng giới thiệu' }),
      201,
    );
    const path = `${w.base}/statements/2026-10/${w.a.id}/disputes/${opened.body.id}/resolve`;
    expect((await w.owner.post(path, { outcome: 'rejected' }, ifMatch(1))).status).toBe(400);
    const before = (await ok(a.get(`${w.base}/me/ledger?period=2026-11`), 200)).body.earnings.total;
    const rejected = await ok(w.owner.post(path, { outcome: 'rejected', reason: 'Đã tính đúng 3% doanh số của F1' }, ifMatch(1)), 200);
    expect(rejected.body).toMatchObject({
      status: 'rejected',
      resolution: { outcome: 'rejected', reason: 'Đã tính đúng 3% doanh số của F1' },
    });
    expect((await ok(a.get(`${w.base}/me/ledger?period=2026-11`), 200)).body.earnings.total).toBe(before);
    const mine = await ok(a.get(`${w.base}/me/disputes`), 200);
    expect(mine.body.items.map((d: any) => d.status).sort()).toEqual(['adjusted', 'rejected']);
  });
});

describe('statement lists', () => {
  /**
   * October, hand-worked from the world in support/periods.ts (basic 10%, award 2% from 20 units,
   * F1 referral 3%, holding period 7 days, October's cut-off 1 Nov 00:00 in Viet Nam):
   *   A  O2 basic 2 × 350,000 × 10% = 70,000, payable 22 Oct 10:00 + 7 days = 29 Oct 10:00 (03:00 UTC)
   *      referral 3% × B's 15,000,000 = 450,000, at the close            → total 520,000
   *   B  O1 basic 30 × 500,000 × 10% = 1,500,000, payable 10 Oct + 7 days = 17 Oct 10:00 (03:00 UTC)
   *      award 2% × 15,000,000 = 300,000 (30 units ≥ 20), at the close    → total 1,800,000
   *   C  O4 basic 400,000 × 10% = 40,000, payable 3 Oct 09:00 + 7 days = 10 Oct 09:00 (02:00 UTC)
   *      → total 40,000; O3's basic 50,000 becomes payable 6 Nov: pending, carried to November
   * (A's O5 was approved on 1 Nov: it is November's, not October's.)
   */
  const cutoff = Date.parse('2026-11-01T00:00:00+07:00');
  const byKind = (amounts: Record<string, number>) => ({ ...Object.fromEntries(LEDGER_KINDS.map((k) => [k, 0])), ...amounts });
  const october = () => ({
    [w.a.id]: {
      total: 520_000,
      byKind: byKind({ basic: 70_000, referral: 450_000 }),
      pendingTotal: 0,
      lines: [
        { kind: 'basic', amount: 70_000, payableFrom: '2026-10-29T03:00:00.000Z', trace: { base: 700_000, rateBp: 1000 } },
        { kind: 'referral', amount: 450_000, trace: { rule: 'referral.f1', base: 15_000_000, rateBp: 300 } },
      ],
      pending: [],
    },
    [w.b.id]: {
      total: 1_800_000,
      byKind: byKind({ basic: 1_500_000, award: 300_000 }),
      pendingTotal: 0,
      lines: [
        { kind: 'award', amount: 300_000, trace: { rule: 'award.flat', base: 15_000_000, rateBp: 200 } },
        { kind: 'basic', amount: 1_500_000, payableFrom: '2026-10-17T03:00:00.000Z', trace: { base: 15_000_000, rateBp: 1000 } },
      ],
      pending: [],
    },
    [w.c.id]: {
      total: 40_000,
      byKind: byKind({ basic: 40_000 }),
      pendingTotal: 50_000,
      lines: [{ kind: 'basic', amount: 40_000, payableFrom: '2026-10-10T02:00:00.000Z', trace: { base: 400_000, rateBp: 1000 } }],
      pending: [{ kind: 'basic', amount: 50_000, trace: { base: 500_000, rateBp: 1000 } }],
    },
  });
  const byKindThenAmount = (x: any, y: any) => (x.kind === y.kind ? x.amount - y.amount : x.kind < y.kind ? -1 : 1);

  it('lists October for the owner with what each statement settles, and filters by status', async () => {
    const want = october();
    const all = await ok(w.owner.get(`${w.base}/statements?period=2026-10`), 200);
    expect(all.body.items.map((x: any) => x.collaboratorId).sort()).toEqual([w.a.id, w.b.id, w.c.id].sort());
    for (const x of all.body.items) {
      const e = want[x.collaboratorId]!;
      expect(x, x.collaborator.name).toMatchObject({
        periodId: '2026-10',
        total: e.total,
        byKind: e.byKind,
        lineCount: e.lines.length,
        pendingTotal: e.pendingTotal,
        pendingCount: e.pending.length,
        broughtForward: 0,
        balance: e.total,
      });
    }
    expect(all.body.items.reduce((sum: number, x: any) => sum + x.total, 0)).toBe(2_360_000); // 520,000 + 1,800,000 + 40,000

    // the statuses split the list: B and C stay drafts here; A is a draft, or approved once her dispute is settled
    const status = Object.fromEntries(all.body.items.map((x: any) => [x.collaboratorId, x.status]));
    expect(status[w.b.id]).toBe('draft');
    expect(status[w.c.id]).toBe('draft');
    expect(['draft', 'approved']).toContain(status[w.a.id]);
    for (const filter of ['draft', 'approved', 'paid']) {
      const listed = await ok(w.owner.get(`${w.base}/statements?period=2026-10&status=${filter}`), 200);
      const ids = Object.keys(status)
        .filter((id) => status[id] === filter)
        .sort();
      expect(listed.body.items.map((x: any) => x.collaboratorId).sort(), filter).toEqual(ids);
    }
    expect((await w.owner.get(`${w.base}/statements?period=Oct`)).status).toBe(400);
  });

  it('each statement settles exactly its payable lines by the cut-off, and keeps the rest pending', async () => {
    const want = october();
    const st = await statementsByName(w, '2026-10');
    expect(Object.keys(st).sort()).toEqual([NAMES.a, NAMES.b, NAMES.c].sort());
    for (const d of Object.values(st)) {
      const e = want[d.collaboratorId]!;
      const name = d.collaborator.name;
      expect(d, name).toMatchObject({ total: e.total, byKind: e.byKind, pendingTotal: e.pendingTotal });
      const lines = [...d.lines].sort(byKindThenAmount);
      expect(lines, name).toMatchObject(e.lines);
      expect(lines, name).toHaveLength(e.lines.length);
      for (const l of d.lines) {
        expect(l.periodId, name).toBe('2026-10');
        expect(Date.parse(l.payableFrom), `${name} ${l.kind}: payable by the cut-off`).toBeLessThan(cutoff);
      }
      expect([...d.pending].sort(byKindThenAmount), name).toMatchObject(e.pending);
      expect(d.pending, name).toHaveLength(e.pending.length);
    }
  });

  it('lets care staff see only their CTVs’ statements', async () => {
    const staffId = uid('care-');
    await ok(w.owner.post(`${w.base}/care-staff`, { userId: staffId, name: 'Phạm Văn Đức' }), 201);
    const care = await s.as(staffId);
    const mine = await ok(care.get(`${w.base}/statements?period=2026-10`), 200);
    expect(mine.body.items).toEqual([]); // October's statements name no care staff of theirs
    expect((await care.get(`${w.base}/statements/2026-10/${w.b.id}`)).status).toBe(404);
    // while the owner reads the same statement
    expect((await ok(w.owner.get(`${w.base}/statements/2026-10/${w.b.id}`), 200)).body.total).toBe(1_800_000);
  });
});
