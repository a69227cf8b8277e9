/**
 * Closed periods stay closed (issue 15, "Freeze at the close"): the close freezes each care staff's
 * KPI result and each manager's CSAT and OKR for the periods ending in the month, as of their
 * cut-off, and every reader of a closed period (kpi-results, okr-results, both reports, the period
 * view) reads what was frozen. After October closes, a second partial return in November, a CTV
 * moved to other care staff, a CTV blocked, a key result updated and a new plan version from
 * mid-October move nothing of October; a re-run of the close freezes the same results.
 *
 * The world, on the clock server (Asia/Ho_Chi_Minh), numbers by hand:
 *   manager M, care staff S1 and S2 on M's team, both in one staff group with the KPI plan below;
 *   CTVs c1, c2, c3 (S1) and c4 (S2), added and approved on 1 Oct; commission plan basic 10%.
 *   O1  c1  10 × 200,000 = 2,000,000  approved 5 Oct, completed 8 Oct; 2 units returned 20 Oct (R kept 1,600,000)
 *   O2  c2   1 × 500,000 =   500,000  approved 10 Oct
 *   O1 rated 5★ on 12 Oct by S1 → M's CSAT 1 of 1 = 100% (below the 10 ratings minimum: k 1.0, flagged)
 *   M's objective for 2026-10: one key result 0 → 10, current 5 → progress 5000 bp, OKR score 5000 bp.
 * October of S1: revenue 1,600,000 + 500,000 = 2,100,000; 2 orders (2 created, 2 approved, O1 completed);
 *   total CTVs 3 (c1, c2, c3 approved), new 3 (all approved 1 Oct), active 2 (c1, c2).
 * The KPI plan (cap 1.5): required group (first 2,000,000 at 1%): revenue ≥ 2,000,000 (w 0.5),
 *   total CTVs ≥ 3 (w 0.3); over-KPI group (the rest at 2%): new CTVs ≥ 2 (w 0.2).
 *   S1: 0.5 × 2.1/2 + 0.3 × 3/3 + 0.2 × min(3/2, 1.5) = 0.525 + 0.3 + 0.3 = 1.125;
 *       award 2,000,000 × 1% + 100,000 × 2% = 20,000 + 2,000 = 22,000.
 *   S2: revenue 0, total 1, new 1: 0.5 × 0 + 0.3 × 1/3 + 0.2 × 1/2 = 0.1 + 0.1 = 0.2; award 0 (required group fails).
 * Commission owed to M's team for October: c1 200,000 − 40,000 (2 units returned in October) + c2 50,000 = 210,000.
 */
import { describe, expect, it } from 'vitest';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../functions/store/keys';
import { freezeResults } from '../../functions/services/kpi-results';
import { fileClockServer, ok, oneLineOrder, phone, runNightly, uid, type ClockServer, type User } from './support/periods';

const s = fileClockServer();

const vn = (local: string) => `${local}+07:00`;

const KPI_PLAN = {
  name: 'KPI tháng',
  effectiveFrom: '2026-10-01',
  cycle: 'month',
  distributedIndicator: 'revenue',
  groups: [
    {
      type: 'required',
      awardPercentBp: 100,
      sliceAmount: 2_000_000,
      conditions: [
        { indicator: 'revenue', comparator: 'gte', target: 2_000_000, weightBp: 5000 },
        { indicator: 'total_collaborators', comparator: 'gte', target: 3, weightBp: 3000 },
      ],
    },
    {
      type: 'over_kpi_award',
      awardPercentBp: 200,
      sliceAmount: null,
      conditions: [{ indicator: 'new_collaborators', comparator: 'gte', target: 2, weightBp: 2000 }],
    },
  ],
};

async function world(server: ClockServer) {
  server.setNow(vn('2026-10-01T08:00:00'));
  const owner = await server.as(uid('owner-'));
  const tenant = (await ok(owner.post('/v1/tenants', { name: 'Mỹ phẩm Sen Vàng', pageId: uid('sen-') }), 201)).body;
  const base = `/v1/tenants/${tenant.id}`;
  const ids = { m: uid('m-'), s1: uid('s1-'), s2: uid('s2-') };
  await ok(owner.post(`${base}/managers`, { userId: ids.m, name: 'Lê Thị Mai' }));
  await ok(owner.post(`${base}/care-staff`, { userId: ids.s1, name: 'Phạm Văn Đức', managerUserId: ids.m }));
  await ok(owner.post(`${base}/care-staff`, { userId: ids.s2, name: 'Võ Thị Lan', managerUserId: ids.m }));
  const [m, s1] = await Promise.all([server.as(ids.m), server.as(ids.s1)]);
  await ok(owner.post(`${base}/commission-plans`, { effectiveFrom: '2026-10-01', basic: { default: { percentBp: 1000 } } }), 201);
  const plan = (await ok(owner.post(`${base}/kpi-plans`, KPI_PLAN), 201)).body;
  const group = (await ok(owner.post(`${base}/staff-groups`, { name: 'Chăm sóc' }))).body;
  for (const userId of [ids.s1, ids.s2]) await ok(owner.post(`${base}/staff-groups/${group.id}/members`, { userId }));
  await ok(owner.post(`${base}/kpi-assignments`, { planId: plan.id, staffGroupId: group.id, effectiveFrom: '2026-10-01' }), 201);
  const source = (await ok(owner.post(`${base}/webhook-sources`, { name: 'Website', kind: 'ctv' }), 201)).body;
  const addCtv = async (name: string, careStaffUserId: string) =>
    (await ok(owner.post(`${base}/collaborators`, { name, phone: phone(), careStaffUserId }), 201)).body;
  const c1 = await addCtv('Nguyễn Thị Hoa', ids.s1);
  const c2 = await addCtv('Trần Văn Bình', ids.s1);
  const c3 = await addCtv('Lê Thị Cúc', ids.s1);
  const c4 = await addCtv('Đỗ Thị Hằng', ids.s2);

  const send = async (
    externalId: string,
    revision: number,
    state: string,
    when: string,
    collaboratorId: string,
    line: { quantity: number; unitPrice: number; returned?: number },
  ) => {
    server.setNow(when);
    const event = oneLineOrder(externalId, collaboratorId, line, state, when, revision, line.returned ?? 0);
    const res = await ok(server.deliver(tenant.id, source, event));
    return res.body.orderId as string;
  };
  const o1 = uid('HD1-');
  const o2 = uid('HD2-');
  const o1Line = { quantity: 10, unitPrice: 200_000 };
  const o1Id = await send(o1, 1, 'approved', vn('2026-10-05T10:00:00'), c1.id, o1Line);
  await send(o1, 2, 'completed', vn('2026-10-08T10:00:00'), c1.id, o1Line);
  await send(o2, 1, 'approved', vn('2026-10-10T10:00:00'), c2.id, { quantity: 1, unitPrice: 500_000 });
  server.setNow(vn('2026-10-12T10:00:00'));
  await ok(s1.post(`${base}/orders/${o1Id}/feedback`, { stars: 5, ratedAt: vn('2026-10-12T10:00:00') }), 201);
  await send(o1, 3, 'returned', vn('2026-10-20T10:00:00'), c1.id, { ...o1Line, returned: 2 });
  server.setNow(vn('2026-10-21T10:00:00'));
  const objective = (
    await ok(
      owner.post(`${base}/okrs`, {
        managerUserId: ids.m,
        period: '2026-10',
        title: 'Mạng lưới vững',
        weightBp: 10_000,
        keyResults: [{ title: 'CTV được đào tạo', start: 0, target: 10, weightBp: 10_000 }],
      }),
      201,
    )
  ).body;
  await ok(m.patch(`${base}/okrs/${objective.id}/key-results/1`, { current: 5 }, { 'if-match': '"1"' }), 200);

  /** Change a CTV over the version just read (If-Match). */
  const change = async (ctvId: string, path: string, body: Record<string, unknown>) => {
    const current = (await ok(owner.get(`${base}/collaborators/${ctvId}`), 200)).body;
    return ok(owner.post(`${base}/collaborators/${ctvId}/${path}`, body, { 'if-match': `"${current.version}"` }), 200);
  };
  return { owner, m, s1, tenant, tenantId: tenant.id as string, base, ids, plan, objective, c1, c2, c3, c4, o1, o1Line, send, change };
}

/** Everything a reader shows of a period, as the owner sees it. */
async function readAll(owner: User, base: string, period: string) {
  const get = async (path: string) => (await ok(owner.get(`${base}/${path}`), 200)).body;
  const periodView = period.length === 7 ? await get(`periods/${period}`) : null;
  return {
    kpi: (await get(`kpi-results?period=${period}`)).items,
    okr: (await get(`okr-results?period=${period}`)).items,
    staff: (await get(`reports/staff?period=${period}`)).items,
    manager: (await get(`reports/manager?period=${period}`)).items,
    view: periodView && { kpi: periodView.kpi, okr: periodView.okr },
  };
}

const byUser = (items: any[]) => Object.fromEntries(items.map((i) => [i.userId, i]));

describe('results frozen at the close', () => {
  it("October's KPI, CSAT and OKR stay as the close froze them, whatever November does", async () => {
    const w = await world(s);

    // live, just before the close: the numbers worked by hand above
    s.setNow(vn('2026-11-01T01:00:00'));
    const live = await readAll(w.owner, w.base, '2026-10');
    const liveKpi = byUser(live.kpi);
    expect(liveKpi[w.ids.s1]).toMatchObject({ score: 1.125, scoreBp: 11_250, award: 22_000 });
    expect(liveKpi[w.ids.s1].indicators).toMatchObject({
      revenue: 2_100_000,
      orders: 2,
      total_collaborators: 3,
      new_collaborators: 3,
      active_collaborators: 2,
    });
    expect(liveKpi[w.ids.s2]).toMatchObject({ score: 0.2, scoreBp: 2_000, award: 0 });

    s.setNow(vn('2026-11-01T02:00:00'));
    await runNightly(s, w, '2026-11-01');
    const closed = await readAll(w.owner, w.base, '2026-10');
    // what the close froze is what the results were at the close
    expect(closed.kpi).toEqual(live.kpi);
    expect(closed.okr).toEqual(live.okr);
    expect(closed.staff).toEqual(live.staff);
    expect(closed.manager).toEqual(live.manager);

    const kpi = byUser(closed.kpi);
    expect(kpi[w.ids.s1].conditions.map((c: any) => [c.indicator, c.actual, c.target, c.achievementBp, c.holds])).toEqual([
      ['revenue', 2_100_000, 2_000_000, 10_500, true],
      ['total_collaborators', 3, 3, 10_000, true],
      ['new_collaborators', 3, 2, 15_000, true],
    ]);
    expect(kpi[w.ids.s1].groups.map((g: any) => [g.slice, g.award])).toEqual([
      [2_000_000, 20_000],
      [100_000, 2_000],
    ]);
    expect(kpi[w.ids.s1].plan).toMatchObject({ id: w.plan.id, version: 1 });
    expect(closed.okr).toEqual([
      expect.objectContaining({
        managerUserId: w.ids.m,
        period: '2026-10',
        scoreBp: 5_000,
        csat: { ratings: 1, positive: 1, percentBp: 10_000, coefficient: 1, flagged: true },
      }),
    ]);
    const staff = byUser(closed.staff);
    expect(staff[w.ids.s1]).toEqual({
      userId: w.ids.s1,
      name: 'Phạm Văn Đức',
      managerUserId: w.ids.m,
      revenue: 2_100_000,
      orders: 2,
      createdOrders: 2,
      completedOrders: 1,
      voidOrders: 0,
      confirmationRateBp: 10_000,
      completionRateBp: 5_000,
      cancelRateBp: 0,
      totalCollaborators: 3,
      newCollaborators: 3,
      activeCollaborators: 2,
    });
    expect(staff[w.ids.s2]).toMatchObject({ revenue: 0, orders: 0, totalCollaborators: 1, newCollaborators: 1, activeCollaborators: 0 });
    expect(closed.manager).toHaveLength(1);
    expect(closed.manager[0]).toMatchObject({
      managerUserId: w.ids.m,
      revenue: 2_100_000,
      orders: 2,
      commissionOwed: 210_000,
      network: { totalCollaborators: 4, newCollaborators: 4, activeCollaborators: 2 },
      csat: { ratings: 1, positive: 1, percentBp: 10_000 },
    });
    expect(closed.manager[0].careStaff.map((r: any) => [r.userId, r.kpi?.score, r.kpi?.award])).toEqual(
      [
        [w.ids.s1, 1.125, 22_000],
        [w.ids.s2, 0.2, 0],
      ].sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1)),
    );
    // the period view: the month's results as of its cut-off (1 Nov 00:00 in Viet Nam)
    expect(closed.view!.kpi.asOf).toBe('2026-10-31T17:00:00.000Z');
    expect(byUser(closed.view!.kpi.items)).toEqual(kpi);
    expect(closed.view!.okr.items).toEqual(closed.okr);

    // November: 3 more units of O1 come back, c1 moves to S2, c2 is blocked
    await w.send(w.o1, 4, 'returned', vn('2026-11-05T10:00:00'), w.c1.id, { ...w.o1Line, returned: 5 });
    s.setNow(vn('2026-11-06T10:00:00'));
    await w.change(w.c1.id, 'care-staff', { careStaffUserId: w.ids.s2 });
    s.setNow(vn('2026-11-07T10:00:00'));
    await w.change(w.c2.id, 'block', { reason: 'vi phạm chính sách' });
    s.setNow(vn('2026-11-10T10:00:00'));
    expect(await readAll(w.owner, w.base, '2026-10')).toEqual(closed);

    // … and they did happen: November (open, so as of now) and Q4 (open) see them.
    // S1 now has c3 only (c1 moved, c2 blocked): total 1; S2 has c4 and c1: total 2.
    const novemberStaff = byUser((await ok(w.owner.get(`${w.base}/reports/staff?period=2026-11`), 200)).body.items);
    expect([novemberStaff[w.ids.s1].totalCollaborators, novemberStaff[w.ids.s2].totalCollaborators]).toEqual([1, 2]);
    // Q4 revenue of S1: O1 kept 5 of 10 units = 1,000,000, plus O2 500,000 = 1,500,000 (the November return counts there)
    expect(byUser((await ok(w.owner.get(`${w.base}/reports/staff?period=2026-Q4`), 200)).body.items)[w.ids.s1].revenue).toBe(1_500_000);
    // week 44 (26 Oct – 1 Nov) is not closed yet (its Sunday is in November) and is read live, as of its cut-off
    // (2 Nov 00:00): S1 still had c1, c2 and c3 (total 3), S2 had c4 (total 1)
    const w44 = byUser((await ok(w.owner.get(`${w.base}/reports/staff?period=2026-W44`), 200)).body.items);
    expect([w44[w.ids.s1].totalCollaborators, w44[w.ids.s2].totalCollaborators]).toEqual([3, 1]);

    // a re-run of the close's results unit freezes nothing more
    const again = await freezeResults(s.deps, w.tenantId, '2026-10', ['2026-10'], { jobId: 'rerun' });
    expect(again).toEqual({ periods: [], written: 0 });
    // a close that stopped half-way (S1's result and the head not written yet) resumes after all
    // of November's changes, and freezes the same numbers: each return at its time, the stock at the cut-off
    await s.store.db.send(
      new DeleteCommand({ TableName: s.store.tableName, Key: keys.frozenResult(w.tenantId, '2026-10', 'STAFF', w.ids.s1) }),
    );
    await s.store.db.send(new DeleteCommand({ TableName: s.store.tableName, Key: keys.frozenResultsHead(w.tenantId, '2026-10') }));
    const resumed = await freezeResults(s.deps, w.tenantId, '2026-10', ['2026-10'], { jobId: 'resumed' });
    expect(resumed).toEqual({ periods: ['2026-10'], written: 1 });
    expect(await readAll(w.owner, w.base, '2026-10')).toEqual(closed);
    // a nightly run later changes nothing of October either
    s.setNow(vn('2026-11-10T12:00:00'));
    await runNightly(s, w, '2026-11-10', 'full');

    // a plan version in force from 20 October (revenue target 3,000,000) and an updated key result come after the close
    await ok(
      w.owner.post(`${w.base}/kpi-plans/${w.plan.id}/versions`, {
        ...KPI_PLAN,
        effectiveFrom: '2026-10-20',
        groups: [
          {
            ...KPI_PLAN.groups[0],
            conditions: [{ ...KPI_PLAN.groups[0]!.conditions[0], target: 3_000_000 }, KPI_PLAN.groups[0]!.conditions[1]],
          },
          KPI_PLAN.groups[1],
        ],
      }),
      201,
    );
    await ok(w.m.patch(`${w.base}/okrs/${w.objective.id}/key-results/1`, { current: 10 }, { 'if-match': '"2"' }), 200);
    expect(await readAll(w.owner, w.base, '2026-10')).toEqual(closed);

    // who sees what of a closed month: a manager their team as it was at the close, care staff themselves
    const mine = (await ok(w.s1.get(`${w.base}/kpi-results?period=2026-10`), 200)).body.items;
    expect(mine).toEqual([kpi[w.ids.s1]]);
    expect((await ok(w.s1.get(`${w.base}/kpi-results?period=2026-10&userId=${w.ids.s2}`), 200)).body.items).toEqual([]);
    expect((await ok(w.m.get(`${w.base}/kpi-results?period=2026-10`), 200)).body.items.map((i: any) => i.userId).sort()).toEqual(
      [w.ids.s1, w.ids.s2].sort(),
    );
    expect((await ok(w.m.get(`${w.base}/okr-results?period=2026-10`), 200)).body.items).toEqual(closed.okr);
    expect((await ok(w.m.get(`${w.base}/reports/manager?period=2026-10`), 200)).body.items).toEqual(closed.manager);
    const page = await ok(w.owner.get(`${w.base}/reports/staff?period=2026-10&limit=1`), 200);
    expect(page.body.items).toHaveLength(1);
    const rest = await ok(w.owner.get(`${w.base}/reports/staff?period=2026-10&limit=1&cursor=${page.body.nextCursor}`), 200);
    expect([...page.body.items, ...rest.body.items]).toEqual(closed.staff);
  }, 120_000);
});
