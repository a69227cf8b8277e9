import { describe, expect, it } from 'vitest';
import { kpiNetwork, oneLine, smallPlan, vn } from './kpi-support';

describe('BC Quản lý and BC Nhân viên', () => {
  it("the manager report: each team's care staff with KPI progress, the network, revenue, commission owed and CSAT", async () => {
    const k = await kpiNetwork();
    await k.ok(k.owner.post(`${k.base}/commission-plans`, { effectiveFrom: '2026-01-01', basic: { default: { percentBp: 1000 } } }));
    const planId = await k.plan(smallPlan());
    await k.assign({ planId, userId: k.ids.careA });
    const a1 = await k.addCtv({ careStaffUserId: k.ids.careA });
    const a2 = await k.addCtv({ careStaffUserId: k.ids.careA2 });
    const b1 = await k.addCtv({ careStaffUserId: k.ids.careB });
    await k.addCtv({ careStaffUserId: k.ids.careB }); // no orders
    // October: careA 1,000,000 + careA2 2,000,000 for m1; careB 3,000,000 for m2; commission 10%
    const o1 = await k.send('M1', 1, 'approved', vn('2026-10-03T10:00:00'), a1.id, oneLine(1_000_000));
    await k.send('M2', 1, 'approved', vn('2026-10-06T10:00:00'), a2.id, oneLine(2_000_000));
    await k.send('M3', 1, 'approved', vn('2026-10-05T10:00:00'), b1.id, oneLine(3_000_000));
    await k.send('M4', 1, 'processing', vn('2026-10-06T10:00:00'), b1.id, oneLine(9_000_000));
    await k.ok(k.careA.post(`${k.base}/orders/${o1}/feedback`, { stars: 5, ratedAt: vn('2026-10-10T10:00:00') }));

    const res = await k.owner.get(`${k.base}/reports/manager?period=2026-10`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const byManager = Object.fromEntries(res.body.items.map((r: any) => [r.managerUserId, r]));
    expect(byManager[k.ids.m1]).toMatchObject({
      name: 'Lê Thị Mai',
      period: '2026-10',
      revenue: 3_000_000,
      orders: 2,
      commissionOwed: 300_000,
      // the CTVs were added on the suite clock (December): not in October's stock, counted at its cut-off
      network: { totalCollaborators: 0, newCollaborators: 0, activeCollaborators: 2 },
      csat: { ratings: 1, positive: 1, percentBp: 10_000 },
    });
    expect(byManager[k.ids.m2]).toMatchObject({
      revenue: 3_000_000,
      orders: 1,
      commissionOwed: 300_000,
      network: { totalCollaborators: 0, activeCollaborators: 1 },
      csat: { ratings: 0 },
    });
    const careA = byManager[k.ids.m1].careStaff.find((s: any) => s.userId === k.ids.careA);
    // revenue 1,000,000 of 1,000,000 (1.0 × 0.5), confirmation 100% (capped 1.5 × 0.2), orders 1 of 2 (0.5 × 0.15), no cancels (cap 1.5 × 0.15) = 1.1
    expect(careA).toMatchObject({
      name: 'Phạm Văn Đức',
      revenue: 1_000_000,
      orders: 1,
      kpi: { planId, scoreBp: 11_000, score: 1.1, award: 10_000 },
    });
    expect(byManager[k.ids.m1].careStaff.find((s: any) => s.userId === k.ids.careA2)).toMatchObject({ revenue: 2_000_000, kpi: null });
    expect(byManager[k.ids.m2].careStaff[0]).toMatchObject({ userId: k.ids.careB, createdOrders: 2, confirmationRateBp: 5_000 });

    // a quarter sums its months; a week (W40: 28 Sep–4 Oct, M1 only) has no commission figure (earnings are kept by month); November is empty
    expect((await k.owner.get(`${k.base}/reports/manager?period=2026-Q4&managerUserId=${k.ids.m1}`)).body.items[0]).toMatchObject({
      revenue: 3_000_000,
      commissionOwed: 300_000,
    });
    expect((await k.owner.get(`${k.base}/reports/manager?period=2026-W40&managerUserId=${k.ids.m1}`)).body.items[0]).toMatchObject({
      revenue: 1_000_000,
      commissionOwed: null,
    });
    expect((await k.owner.get(`${k.base}/reports/manager?period=2026-11&managerUserId=${k.ids.m1}`)).body.items[0]).toMatchObject({
      revenue: 0,
      commissionOwed: 0,
    });

    // a manager reads their own report only; care staff none
    const own = await k.m1.get(`${k.base}/reports/manager?period=2026-10`);
    expect(own.body.items.map((r: any) => r.managerUserId)).toEqual([k.ids.m1]);
    expect((await k.m1.get(`${k.base}/reports/manager?period=2026-10&managerUserId=${k.ids.m2}`)).body.items).toEqual([]);
    expect((await k.careA.get(`${k.base}/reports/manager?period=2026-10`)).status).toBe(403);
    expect((await k.stranger.get(`${k.base}/reports/manager?period=2026-10`)).status).toBe(404);
  });

  it('the staff report: per care staff revenue, orders, CTVs and rates; the owner sees all, a manager the team, care staff themselves', async () => {
    const k = await kpiNetwork();
    const a1 = await k.addCtv({ careStaffUserId: k.ids.careA });
    const b1 = await k.addCtv({ careStaffUserId: k.ids.careB });
    await k.send('S1', 1, 'approved', vn('2026-10-03T10:00:00'), a1.id, oneLine(1_000_000));
    await k.send('S1', 2, 'completed', vn('2026-10-04T10:00:00'), a1.id, oneLine(1_000_000));
    await k.send('S2', 1, 'approved', vn('2026-10-03T10:00:00'), a1.id, oneLine(500_000));
    await k.send('S3', 1, 'void', vn('2026-10-03T10:00:00'), a1.id, oneLine(500_000));
    await k.send('S4', 1, 'approved', vn('2026-10-03T10:00:00'), b1.id, oneLine(700_000));
    const rows = async (user: typeof k.owner, query = '') => {
      const res = await user.get(`${k.base}/reports/staff?period=2026-10${query}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return Object.fromEntries(res.body.items.map((r: any) => [r.userId, r]));
    };
    const all = await rows(k.owner);
    expect(Object.keys(all).sort()).toEqual([k.ids.careA, k.ids.careA2, k.ids.careB].sort());
    // careA: 3 created, 2 approved (1 completed), 1 void: confirmation 6667, completion 5000, cancel 3333
    expect(all[k.ids.careA]).toEqual({
      userId: k.ids.careA,
      name: 'Phạm Văn Đức',
      managerUserId: k.ids.m1,
      revenue: 1_500_000,
      orders: 2,
      createdOrders: 3,
      completedOrders: 1,
      voidOrders: 1,
      confirmationRateBp: 6_667,
      completionRateBp: 5_000,
      cancelRateBp: 3_333,
      totalCollaborators: 0,
      newCollaborators: 0,
      activeCollaborators: 1, // the CTV came in December: not in October's stock
    });
    expect(all[k.ids.careB]).toMatchObject({ revenue: 700_000, orders: 1, confirmationRateBp: 10_000, managerUserId: k.ids.m2 });
    expect(all[k.ids.careA2]).toMatchObject({ revenue: 0, orders: 0, totalCollaborators: 0 });

    expect(Object.keys(await rows(k.m1)).sort()).toEqual([k.ids.careA, k.ids.careA2].sort());
    expect(Object.keys(await rows(k.m2))).toEqual([k.ids.careB]);
    expect(Object.keys(await rows(k.careA))).toEqual([k.ids.careA]);
    expect(Object.keys(await rows(k.careA, `&userId=${k.ids.careB}`))).toEqual([]);
    expect((await rows(k.m1, `&userId=${k.ids.careA}`))[k.ids.careA].revenue).toBe(1_500_000);
    expect((await k.seller.get(`${k.base}/reports/staff?period=2026-10`)).status).toBe(403);
    const ctv = await k.ctvWithAccount(k.ids.careA);
    expect((await ctv.user.get(`${k.base}/reports/staff?period=2026-10`)).status).toBe(403);

    const first = await k.owner.get(`${k.base}/reports/staff?period=2026-10&limit=2`);
    expect(first.body.items).toHaveLength(2);
    const rest = await k.owner.get(`${k.base}/reports/staff?period=2026-10&limit=2&cursor=${first.body.nextCursor}`);
    expect(rest.body.items).toHaveLength(1);
    expect((await k.owner.get(`${k.base}/reports/staff`)).status).toBe(400);
  });
});
