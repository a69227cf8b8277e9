/**
 * Levels at a month's close (issue 15; API.md `levels.promotion`; DOMAIN.md "Collaborators"), over
 * HTTP on the clock server: each approved CTV moves up to the highest level whose thresholds its
 * month meets (its volume kept at the cut-off, its month's ratings), recorded in its level history
 * and the audit log; the next month prices at the new level; `demotion: true` also moves down; a
 * re-run of the close, or a new run after a crash half-way, moves nobody twice.
 */
import { describe, expect, it } from 'vitest';
import { createNightlyJob, runJobInProcess } from '../../functions/jobs/nightly';
import { fileClockServer, ok, phone, runNightly, uid, type ClockServer } from './support/periods';

const s = fileClockServer();

/** Basic 10% (level 2: 12%, level 3: 15%); Silver from 10 units, Gold from 30 units and 4.5★. */
const PLAN = {
  effectiveFrom: '2026-10-01',
  basic: { default: { percentBp: 1000, levels: { '2': { percentBp: 1200 }, '3': { percentBp: 1500 } } } },
  levels: {
    promotion: [
      { level: 2, minQuantity: 10, minAverageStars: null },
      { level: 3, minQuantity: 30, minAverageStars: 4.5 },
    ],
    demotion: false,
  },
};

async function business(server: ClockServer) {
  server.setNow('2026-10-01T08:00:00+07:00');
  const owner = await server.as(uid('owner-'));
  const tenant = (await ok(owner.post('/v1/tenants', { name: 'Trà Thái Nguyên Xanh', pageId: uid('tra-') }), 201)).body;
  const base = `/v1/tenants/${tenant.id}`;
  await ok(owner.post(`${base}/commission-plans`, PLAN), 201);
  const source = (await ok(owner.post(`${base}/webhook-sources`, { name: 'Website', kind: 'ctv' }), 201)).body;
  const addCtv = async (name: string, extra: Record<string, unknown> = {}) =>
    (await ok(owner.post(`${base}/collaborators`, { name, phone: phone(), ...extra }), 201)).body;
  /** one line of tea at 100,000 a box, for a CTV, in a state, at a time (the server's clock moves there) */
  const send = async (
    externalId: string,
    ctvId: string,
    quantity: number,
    revision: number,
    state: string,
    when: string,
    returnedQuantity = 0,
  ) => {
    server.setNow(when);
    const event = {
      externalId,
      revision,
      state,
      occurredAt: when,
      customer: { phone: phone(), name: 'Khách lẻ' },
      lines: [
        {
          lineId: '1',
          productId: 'TRA-100',
          unit: 'hộp',
          category: 'tra',
          quantity,
          unitPrice: 100_000,
          discount: 0,
          addOn: false,
          returnedQuantity,
        },
      ],
      orderDiscount: 0,
      shippingFee: 0,
      attribution: { collaboratorId: ctvId, refId: null, couponCode: null, opportunityId: null },
      sellerId: null,
    };
    const body = (await ok(server.deliver(tenant.id, source, event))).body;
    return (body.orderId ?? body.orders[0].orderId) as string;
  };
  const ctv = async (id: string) => (await ok(owner.get(`${base}/collaborators/${id}`), 200)).body;
  const audit = async (action: string) => (await ok(owner.get(`${base}/audit?action=${action}&limit=100`), 200)).body.items;
  return { owner, tenantId: tenant.id as string, base, addCtv, send, ctv, audit };
}
type Business = Awaited<ReturnType<typeof business>>;

/**
 * October: B sells 12 boxes (3 come back at 00:30 on 1 Nov, after the cut-off); C sells 35 with one
 * 5★ rating; D sells 3; E was set to Gold by hand and sells nothing; P sells 15 but is paused on 30 Oct.
 */
async function october(w: Business) {
  const b = await w.addCtv('Hoàng Văn Bách');
  const c = await w.addCtv('Ngô Thị Châu');
  const d = await w.addCtv('Vũ Đức Dũng');
  const e = await w.addCtv('Bùi Thị Én', { level: 3 });
  const p = await w.addCtv('Đinh Văn Phúc');
  const ob = await w.send(uid('B'), b.id, 12, 1, 'approved', '2026-10-10T10:00:00+07:00');
  const oc = await w.send(uid('C'), c.id, 35, 1, 'approved', '2026-10-12T10:00:00+07:00');
  await w.send(uid('D'), d.id, 3, 1, 'approved', '2026-10-14T10:00:00+07:00');
  await w.send(uid('P'), p.id, 15, 1, 'approved', '2026-10-15T10:00:00+07:00');
  s.setNow('2026-10-20T10:00:00+07:00');
  await ok(w.owner.post(`${w.base}/orders/${oc}/feedback`, { stars: 5 }), 201);
  s.setNow('2026-10-30T10:00:00+07:00');
  await ok(w.owner.post(`${w.base}/collaborators/${p.id}/pause`, { version: p.version }), 200);
  return { b, c, d, e, p, ob };
}

describe('levels at the close', () => {
  it('promotes from the month kept at the cut-off, records it, prices the next month at the new level; demotion moves down', async () => {
    const w = await business(s);
    const { b, c, d, e, p, ob } = await october(w);
    // B's 3 boxes come back after the cut-off, before the close: October still has 12 of them
    const tail = (await ok(w.owner.get(`${w.base}/orders/${ob}`), 200)).body;
    expect(tail.state).toBe('approved');
    await w.send(tail.externalId, b.id, 12, 2, 'returned', '2026-11-01T00:30:00+07:00', 3);

    s.setNow('2026-11-01T01:00:00+07:00');
    await runNightly(s, w, '2026-11-01');
    // B: 12 ≥ 10 → 2; C: 35 ≥ 30 and 5★ ≥ 4.5 → 3 (directly); D: 3 < 10 → 1;
    // E: meets nothing, but without demotion stays 3; P: 15 ≥ 10 but paused at the close → 1
    const levels = async () =>
      Object.fromEntries(await Promise.all(Object.entries({ b, c, d, e, p }).map(async ([k, v]) => [k, (await w.ctv(v.id)).level])));
    expect(await levels()).toEqual({ b: 2, c: 3, d: 1, e: 3, p: 1 });
    const hb = (await w.ctv(b.id)).levelHistory;
    expect(hb).toEqual([{ level: 2, from: 1, reason: 'promotion', periodId: '2026-10', by: w.owner.sub, at: '2026-10-31T18:00:00.000Z' }]);
    expect((await w.ctv(c.id)).levelHistory).toMatchObject([{ level: 3, from: 1, reason: 'promotion', periodId: '2026-10' }]);
    expect((await w.ctv(d.id)).levelHistory).toBeUndefined();
    expect((await w.ctv(e.id)).levelHistory).toBeUndefined();
    const promoted = await w.audit('promoteCollaborator');
    expect(promoted.map((a: any) => [a.target.collaboratorId, a.before, a.after, a.actor, a.target.periodId]).sort()).toEqual(
      [
        [b.id, { level: 1 }, { level: 2 }, w.owner.sub, '2026-10'],
        [c.id, { level: 1 }, { level: 3 }, w.owner.sub, '2026-10'],
      ].sort(),
    );

    // November prices at the new levels (orders approved after the close):
    // B 5 × 100,000 = 500,000 at 12% = 60,000; C 12 × 100,000 = 1,200,000 at 15% = 180,000;
    // D 1 × 100,000 = 100,000 at 10% = 10,000
    await w.send(uid('B'), b.id, 5, 1, 'approved', '2026-11-03T10:00:00+07:00');
    await w.send(uid('C'), c.id, 12, 1, 'approved', '2026-11-03T11:00:00+07:00');
    await w.send(uid('D'), d.id, 1, 1, 'approved', '2026-11-03T12:00:00+07:00');
    const basic = async (id: string, period: string) =>
      (await ok(w.owner.get(`${w.base}/collaborators/${id}/earnings?period=${period}`), 200)).body.byKind.basic;
    expect(await basic(b.id, '2026-11')).toBe(60_000);
    expect(await basic(c.id, '2026-11')).toBe(180_000);
    expect(await basic(d.id, '2026-11')).toBe(10_000);

    // a second run changes nothing more
    s.setNow('2026-11-04T01:00:00+07:00');
    await runNightly(s, w, '2026-11-04', 'full');
    expect(await levels()).toEqual({ b: 2, c: 3, d: 1, e: 3, p: 1 });
    expect((await w.ctv(b.id)).levelHistory).toEqual(hb);
    expect(await w.audit('promoteCollaborator')).toHaveLength(2);

    // from November the plan also demotes. November: B 5 → 1; C 12 → 2; D 1 → stays 1; E 0 → 1
    await ok(
      w.owner.post(`${w.base}/commission-plans`, { ...PLAN, effectiveFrom: '2026-11-01', levels: { ...PLAN.levels, demotion: true } }),
      201,
    );
    s.setNow('2026-12-01T01:00:00+07:00');
    await runNightly(s, w, '2026-12-01');
    expect(await levels()).toEqual({ b: 1, c: 2, d: 1, e: 1, p: 1 });
    expect((await w.ctv(c.id)).levelHistory).toMatchObject([
      { level: 3, from: 1, reason: 'promotion', periodId: '2026-10' },
      { level: 2, from: 3, reason: 'demotion', periodId: '2026-11' },
    ]);
    expect((await w.ctv(e.id)).levelHistory).toMatchObject([{ level: 1, from: 3, reason: 'demotion', periodId: '2026-11' }]);
    const demoted = await w.audit('demoteCollaborator');
    expect(demoted.map((a: any) => [a.target.collaboratorId, a.before.level, a.after.level]).sort()).toEqual(
      [
        [b.id, 2, 1],
        [c.id, 3, 2],
        [e.id, 3, 1],
      ].sort(),
    );

    // a level set by hand is in the history too
    const dNow = await w.ctv(d.id);
    await ok(w.owner.patch(`${w.base}/collaborators/${d.id}`, { level: 2, version: dNow.version }), 200);
    expect((await w.ctv(d.id)).levelHistory).toMatchObject([{ level: 2, from: 1, reason: 'manual', by: w.owner.sub }]);
  });

  it('a crash after a CTV was moved, then a new run: each move once, in the history and the audit log', async () => {
    const w = await business(s);
    const { b, c } = await october(w);
    s.setNow('2026-11-01T01:00:00+07:00');
    // the first CTV moved, then the unit dies before its audit entry is written
    const { job } = await createNightlyJob(s.deps, w.tenantId, { asOf: '2026-11-01', requestedBy: w.owner.sub });
    const failed = await runJobInProcess(s.deps, w.tenantId, job.id, {
      concurrency: 1,
      fault: (point) => {
        if (point === 'promote') throw new Error('injected crash at promote');
      },
    });
    expect(failed.state).toBe('failed');
    const moved = [await w.ctv(b.id), await w.ctv(c.id)].filter((x) => x.levelHistory);
    expect(moved).toHaveLength(1);
    expect(await w.audit('promoteCollaborator')).toHaveLength(0);

    s.setNow('2026-11-01T01:30:00+07:00');
    await runNightly(s, w, '2026-11-01');
    expect((await w.ctv(b.id)).level).toBe(2);
    expect((await w.ctv(c.id)).level).toBe(3);
    expect((await w.ctv(b.id)).levelHistory).toHaveLength(1);
    expect((await w.ctv(c.id)).levelHistory).toHaveLength(1);
    // the audit entry the crash lost is written by the new run, keyed by the history entry: once
    const promoted = await w.audit('promoteCollaborator');
    expect(promoted.map((a: any) => a.target.collaboratorId).sort()).toEqual([b.id, c.id].sort());
    expect(promoted.find((a: any) => a.target.collaboratorId === moved[0].id).at).toBe(moved[0].levelHistory[0].at);
  });

  it('refuses a plan whose levels are wrong, naming the field (400)', async () => {
    const w = await business(s);
    const bad = async (levels: unknown) => {
      const res = await w.owner.post(`${w.base}/commission-plans`, { ...PLAN, effectiveFrom: '2026-11-01', levels });
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      return res.body.errors.map((e: any) => e.path);
    };
    expect(await bad({ promotion: [{ level: 5, minQuantity: 10 }] })).toEqual(['levels.promotion.0.level']);
    expect(await bad({ promotion: [{ level: 2, minQuantity: -1 }] })).toEqual(['levels.promotion.0.minQuantity']);
    expect(await bad({ promotion: [{ level: 2 }] })).toEqual(['levels.promotion.0']);
    expect(await bad({ promotion: [{ level: 2, minQuantity: 5 }], demotion: 'sometimes' })).toEqual(['levels.demotion']);
    expect(await bad({ demotion: true })).toEqual(['levels.promotion']);
  });
});
