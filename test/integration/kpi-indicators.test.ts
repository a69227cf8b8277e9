import { describe, expect, it } from 'vitest';
import { periodIdAt } from '../../domain/period';
import { uniquePhone } from './support/api';
import { SUITE_MONTH } from './support/clock';
import { deliver, orderEvent } from './support/orders';
import { kpiNetwork, oneLine, smallPlan, TZ, vn } from './kpi-support';

/**
 * Orders moving through approve, complete, return and void move the KPI counters of the care staff
 * of their CTV, and only theirs; the manager report adds up the right team. Numbers by hand.
 */
describe('KPI indicators maintained from order changes', () => {
  it('approve, complete, return and void move the right indicators of the right care staff and manager', async () => {
    const k = await kpiNetwork();
    const group = await k.groupWith('Nhóm chăm sóc', [k.ids.careA, k.ids.careB]);
    const planId = await k.plan(smallPlan());
    await k.assign({ planId, staffGroupId: group });
    const a1 = await k.addCtv({ careStaffUserId: k.ids.careA });
    const a2 = await k.addCtv({ careStaffUserId: k.ids.careA });
    const b1 = await k.addCtv({ careStaffUserId: k.ids.careB });

    const indicatorsOf = async (userId: string, period = '2026-10') => (await k.resultOf(k.owner, period, userId)).indicators;

    // before any order: nothing. The stock is counted as of October's cut-off, and the 2 CTVs were
    // added on the suite clock in December: none in October's total, none new there
    expect(await indicatorsOf(k.ids.careA)).toEqual({
      revenue: 0,
      revenue_above_target: 0,
      orders: 0,
      confirmation_rate: 0,
      completion_rate: 0,
      cancel_rate: 0,
      total_collaborators: 0,
      new_collaborators: 0,
      active_collaborators: 0,
    });

    // X1 created (processing): one order created, nothing approved
    await k.send('X1', 1, 'processing', vn('2026-10-05T10:00:00'), a1.id);
    expect(await indicatorsOf(k.ids.careA)).toMatchObject({ orders: 0, revenue: 0, confirmation_rate: 0, active_collaborators: 0 });
    expect((await k.resultOf(k.owner, '2026-10', k.ids.careA)).counters).toMatchObject({
      createdOrders: 1,
      createdApproved: 0,
      approvedOrders: 0,
    });

    // approved: 2 × 350,000 = 700,000 of revenue, 1 order, confirmation 1/1, one active CTV
    await k.send('X1', 2, 'approved', vn('2026-10-06T10:00:00'), a1.id);
    expect(await indicatorsOf(k.ids.careA)).toMatchObject({
      revenue: 700_000,
      orders: 1,
      confirmation_rate: 10_000,
      completion_rate: 0,
      cancel_rate: 0,
      active_collaborators: 1,
    });

    // completed: completion 1/1
    await k.send('X1', 3, 'completed', vn('2026-10-08T10:00:00'), a1.id);
    expect(await indicatorsOf(k.ids.careA)).toMatchObject({ revenue: 700_000, orders: 1, completion_rate: 10_000 });

    // one of the two units returned before the close: R kept 350,000; still one approved order
    await k.send('X1', 4, 'returned', vn('2026-10-09T10:00:00'), a1.id, oneLine(350_000, 2, 1));
    expect(await indicatorsOf(k.ids.careA)).toMatchObject({
      revenue: 350_000,
      orders: 1,
      completion_rate: 10_000,
      active_collaborators: 1,
    });

    // X2 of the second CTV approved: 2 orders, 2 active CTVs, revenue 350,000 + 700,000
    await k.send('X2', 1, 'approved', vn('2026-10-07T09:00:00'), a2.id);
    expect(await indicatorsOf(k.ids.careA)).toMatchObject({
      revenue: 1_050_000,
      orders: 2,
      active_collaborators: 2,
      confirmation_rate: 10_000,
    });
    // … then void: the approval is reversed; of the 2 orders created, 1 confirmed and 1 cancelled
    await k.send('X2', 2, 'void', vn('2026-10-08T09:00:00'), a2.id);
    const careA = await k.resultOf(k.owner, '2026-10', k.ids.careA);
    expect(careA.indicators).toEqual({
      revenue: 350_000,
      revenue_above_target: 0,
      orders: 1,
      confirmation_rate: 5_000,
      completion_rate: 10_000,
      cancel_rate: 5_000,
      total_collaborators: 0,
      new_collaborators: 0,
      active_collaborators: 1,
    });
    // score: revenue 3500 × 0.5 + confirmation 10000 × 0.2 + orders 5000 × 0.15 + cancel (2000 ÷ 5000 = 4000) × 0.15 = 5100 bp
    expect(careA).toMatchObject({
      score: 0.51,
      scoreBp: 5100,
      award: 0,
      plan: { id: planId, version: 1 },
      assignment: { staffGroupId: group },
    });

    // careB's order moves careB only
    await k.send('X3', 1, 'approved', vn('2026-10-10T09:00:00'), b1.id, oneLine(1_200_000));
    expect((await k.resultOf(k.owner, '2026-10', k.ids.careA)).indicators).toEqual(careA.indicators);
    const careB = await k.resultOf(k.owner, '2026-10', k.ids.careB);
    expect(careB.indicators).toMatchObject({
      revenue: 1_200_000,
      orders: 1,
      confirmation_rate: 10_000,
      cancel_rate: 0,
      active_collaborators: 1,
      total_collaborators: 0,
    });
    // revenue 12000 × 0.5 + confirmation (capped 15000) × 0.2 + orders 5000 × 0.15 + cancel 0 → cap 15000 × 0.15 = 12000 bp;
    // award: the required group holds → 1,000,000 × 1% = 10,000; the over-KPI group fails (1 order < 2)
    expect(careB).toMatchObject({ score: 1.2, scoreBp: 12_000, award: 10_000 });
    expect(careB.conditions.map((c: any) => [c.indicator, c.actual, c.holds])).toEqual([
      ['revenue', 1_200_000, true],
      ['confirmation_rate', 10_000, true],
      ['orders', 1, false],
      ['cancel_rate', 0, true],
    ]);

    // the staff report says the same; the week and quarter hold the same orders (all in ISO week 41);
    // the CTVs (added in December) are in the stock of the quarter and the year, still in progress, only
    for (const [period, total] of [
      ['2026-10', 0],
      ['2026-W41', 0],
      ['2026-Q4', 2],
      ['2026', 2],
    ] as const) {
      expect(await k.staffRowOf(period, k.ids.careA), period).toMatchObject({
        revenue: 350_000,
        orders: 1,
        createdOrders: 2,
        completedOrders: 1,
        voidOrders: 1,
        confirmationRateBp: 5_000,
        completionRateBp: 10_000,
        cancelRateBp: 5_000,
        activeCollaborators: 1,
        totalCollaborators: total,
      });
    }
    expect(await k.staffRowOf('2026-W42', k.ids.careA)).toMatchObject({ revenue: 0, orders: 0, createdOrders: 0 });
    // the CTVs were added on the suite clock (SUITE_START, December 2026): new there, not in November
    expect(await k.staffRowOf('2026-11', k.ids.careA)).toMatchObject({ revenue: 0, orders: 0, newCollaborators: 0, totalCollaborators: 0 });
    expect(await k.staffRowOf(SUITE_MONTH, k.ids.careA)).toMatchObject({
      revenue: 0,
      orders: 0,
      newCollaborators: 2,
      totalCollaborators: 2,
    });

    // the manager report adds up each team: m1 has careA (and careA2, with nothing), m2 has careB
    const report = await k.owner.get(`${k.base}/reports/manager?period=2026-10`);
    expect(report.status).toBe(200);
    const byManager = Object.fromEntries(report.body.items.map((r: any) => [r.managerUserId, r]));
    expect(byManager[k.ids.m1]).toMatchObject({
      revenue: 350_000,
      orders: 1,
      network: { totalCollaborators: 0, newCollaborators: 0, activeCollaborators: 1 },
    });
    expect(byManager[k.ids.m1].careStaff.map((s: any) => s.userId).sort()).toEqual([k.ids.careA, k.ids.careA2].sort());
    expect(byManager[k.ids.m2]).toMatchObject({
      revenue: 1_200_000,
      orders: 1,
      network: { totalCollaborators: 0, activeCollaborators: 1 },
    });
    const careBRow = byManager[k.ids.m2].careStaff[0];
    expect(careBRow.kpi).toMatchObject({ planId, score: 1.2, award: 10_000 });
    expect(byManager[k.ids.m1].careStaff.find((s: any) => s.userId === k.ids.careA2).kpi).toBeNull(); // careA2 has no plan
  });

  it('a return recorded after the close leaves the closed period and moves nothing later; an order approved next month counts there', async () => {
    const k = await kpiNetwork();
    const a1 = await k.addCtv({ careStaffUserId: k.ids.careA });
    // approved 31 Oct 23:30 in Ha Noi (16:30 UTC): October; returned on 3 November
    await k.send('L1', 1, 'approved', vn('2026-10-31T23:30:00'), a1.id, oneLine(500_000));
    await k.send('L1', 2, 'returned', vn('2026-11-03T09:00:00'), a1.id, oneLine(500_000, 1, 1));
    expect(await k.staffRowOf('2026-10', k.ids.careA)).toMatchObject({
      revenue: 500_000,
      orders: 1,
      completedOrders: 0,
      activeCollaborators: 1,
    });
    expect(await k.staffRowOf('2026-11', k.ids.careA)).toMatchObject({ revenue: 0, orders: 0 });
    // created on 30 October, approved just after midnight on 1 November: created in October, approved in November
    await k.send('L2', 1, 'processing', vn('2026-10-30T12:00:00'), a1.id, oneLine(800_000));
    await k.send('L2', 2, 'approved', vn('2026-11-01T00:10:00'), a1.id, oneLine(800_000));
    expect(await k.staffRowOf('2026-10', k.ids.careA)).toMatchObject({
      revenue: 500_000,
      orders: 1,
      createdOrders: 2,
      confirmationRateBp: 5_000,
    });
    expect(await k.staffRowOf('2026-11', k.ids.careA)).toMatchObject({
      revenue: 800_000,
      orders: 1,
      createdOrders: 0,
      activeCollaborators: 1,
    });
    // the order's week: 1 November 2026 is a Sunday, the last day of ISO week 44
    expect(await k.staffRowOf('2026-W44', k.ids.careA)).toMatchObject({ revenue: 1_300_000, orders: 2 });
  });

  it('a repeated or older revision moves nothing (the counters move exactly once with the order)', async () => {
    const k = await kpiNetwork();
    const a1 = await k.addCtv({ careStaffUserId: k.ids.careA });
    await k.send('R1', 2, 'approved', vn('2026-10-06T10:00:00'), a1.id);
    const again = await deliver(
      k.tenantId,
      k.source,
      orderEvent({
        externalId: 'R1',
        revision: 2,
        state: 'approved',
        occurredAt: vn('2026-10-06T10:00:00'),
        customer: { phone: uniquePhone() },
        lines: oneLine(350_000, 2),
        orderDiscount: 0,
        shippingFee: 0,
        attribution: { collaboratorId: a1.id },
      }),
    );
    expect(again.body.applied).toBe(false);
    expect(await k.staffRowOf('2026-10', k.ids.careA)).toMatchObject({ revenue: 700_000, orders: 1, createdOrders: 1 });
    // the older revision 1 arrives late: it moves the creation time back (to September) but approves nothing twice
    await deliver(
      k.tenantId,
      k.source,
      orderEvent({
        externalId: 'R1',
        revision: 1,
        state: 'processing',
        occurredAt: vn('2026-09-30T10:00:00'),
        customer: { phone: uniquePhone() },
        lines: oneLine(350_000, 2),
        orderDiscount: 0,
        shippingFee: 0,
        attribution: { collaboratorId: a1.id },
      }),
    );
    expect(await k.staffRowOf('2026-10', k.ids.careA)).toMatchObject({ revenue: 700_000, orders: 1, createdOrders: 0 });
    expect(await k.staffRowOf('2026-09', k.ids.careA)).toMatchObject({ revenue: 0, orders: 0, createdOrders: 1, confirmationRateBp: 0 });
  });

  it('orders entered and changed by hand by care staff move their counters in the periods of their times', async () => {
    const k = await kpiNetwork();
    const a1 = await k.addCtv({ careStaffUserId: k.ids.careA });
    const create = async (unitPrice: number) => {
      const res = await k.careA.post(`${k.base}/orders`, {
        customer: { phone: uniquePhone(), name: 'Khách' },
        lines: oneLine(unitPrice, 2),
        orderDiscount: 0,
        shippingFee: 0,
        attribution: { collaboratorId: a1.id },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body;
    };
    const act = async (orderId: string, body: unknown) => {
      const res = await k.careA.post(`${k.base}/orders/${orderId}/state`, body);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body;
    };
    const o1 = await create(400_000);
    const o2 = await create(300_000);
    await act(o1.id, { action: 'approve' });
    await act(o1.id, { action: 'complete' });
    await act(o2.id, { action: 'void' });
    const returned = await act(o1.id, { action: 'return', lines: [{ lineId: '1', quantity: 1 }] });
    // every time is "now" on the suite clock: the orders' times are in its month
    const month = SUITE_MONTH;
    expect(periodIdAt(Date.parse(returned.approvedAt), 'month', TZ)).toBe(month);
    expect(periodIdAt(Date.parse(o2.createdAt), 'month', TZ)).toBe(month);
    expect(await k.staffRowOf(month, k.ids.careA)).toMatchObject({
      revenue: 400_000, // 2 × 400,000 less the unit returned before the close
      orders: 1,
      createdOrders: 2,
      completedOrders: 1,
      voidOrders: 1,
      confirmationRateBp: 5_000,
      completionRateBp: 10_000,
      cancelRateBp: 5_000,
      activeCollaborators: 1,
    });
    expect(await k.staffRowOf(month, k.ids.careB)).toMatchObject({ revenue: 0, orders: 0, createdOrders: 0 });
  });
});
