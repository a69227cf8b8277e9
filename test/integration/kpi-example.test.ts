import { describe, expect, it } from 'vitest';
import { apiPlan, kpiNetwork, oneLine, vn, type KpiNetwork } from './kpi-support';

/** Deliver order revisions a few at a time (each order's revisions stay in order). */
async function inBatches(jobs: (() => Promise<unknown>)[], width = 4) {
  for (let i = 0; i < jobs.length; i += width) await Promise.all(jobs.slice(i, i + width).map((j) => j()));
}

/**
 * DOMAIN.md's KPI example end to end: real signed order webhooks build a care staff's October, and
 * kpi-results reads API.md's plan against the maintained counters.
 */
async function october(
  k: KpiNetwork,
  careStaffUserId: string,
  shape: { approved: number; price: number; lastPrice: number; processing: number; void: number; septemberApproved: number },
) {
  const ctvs = await Promise.all([1, 2, 3, 4].map(() => k.addCtv({ careStaffUserId })));
  const ctv = (i: number) => ctvs[i % ctvs.length]!.id;
  const day = (i: number) => String(3 + (i % 25)).padStart(2, '0');
  const total = shape.septemberApproved + shape.approved;
  let n = 0;
  const price = () => (++n === total ? shape.lastPrice : shape.price);
  // created at the end of September, approved on 2 October: they count as October orders, not as created in October
  const september = Array.from({ length: shape.septemberApproved }, (_, i) => async () => {
    const p = price();
    await k.send(`${careStaffUserId}-S${i}`, 1, 'processing', vn('2026-09-29T15:00:00'), ctv(i), oneLine(p));
    await k.send(`${careStaffUserId}-S${i}`, 2, 'approved', vn('2026-10-02T09:00:00'), ctv(i), oneLine(p));
  });
  const approved = Array.from({ length: shape.approved }, (_, i) => {
    const p = price();
    return () => k.send(`${careStaffUserId}-A${i}`, 1, 'approved', vn(`2026-10-${day(i)}T10:00:00`), ctv(i), oneLine(p));
  });
  const processing = Array.from(
    { length: shape.processing },
    (_, i) => () => k.send(`${careStaffUserId}-P${i}`, 1, 'processing', vn('2026-10-20T10:00:00'), ctv(i), oneLine(1_000_000)),
  );
  const voided = Array.from(
    { length: shape.void },
    (_, i) => () => k.send(`${careStaffUserId}-V${i}`, 1, 'void', vn('2026-10-21T10:00:00'), ctv(i), oneLine(1_000_000)),
  );
  await inBatches([...september, ...approved, ...processing, ...voided]);
}

describe("DOMAIN.md's KPI example over HTTP", () => {
  it('revenue 330M, confirmation 75%, 140 orders → score 1.0897, award 3,600,000 đ', async () => {
    const k = await kpiNetwork();
    const planId = await k.plan(apiPlan());
    await k.assign({ planId, userId: k.ids.careA, effectiveFrom: '2026-10-01' });
    // 2 + 138 approved in October: 139 × 2,350,000 + 3,350,000 = 330,000,000 đ;
    // created in October: 138 approved + 40 processing + 6 void = 184, and 138 ÷ 184 = 75%
    await october(k, k.ids.careA, { septemberApproved: 2, approved: 138, price: 2_350_000, lastPrice: 3_350_000, processing: 40, void: 6 });

    const result = await k.resultOf(k.owner, '2026-10', k.ids.careA);
    expect(result.score).toBe(1.0897);
    expect(result.award).toBe(3_600_000);
    expect(result.conditions.map((c: any) => [c.indicator, c.actual, c.target, c.achievementBp, c.holds])).toEqual([
      ['revenue', 330_000_000, 300_000_000, 11_000, true],
      ['confirmation_rate', 7_500, 7_000, 10_714, true],
      ['orders', 140, 130, 10_769, true],
    ]);
    expect(result.groups.map((g: any) => [g.slice, g.award])).toEqual([
      [300_000_000, 3_000_000],
      [30_000_000, 600_000],
    ]);
    // 6 ÷ 184; the 4 CTVs were added on the suite clock (December): not in the stock at October's cut-off
    expect(result.indicators).toMatchObject({ cancel_rate: 326, active_collaborators: 4, total_collaborators: 0 });
    expect(result.counters).toMatchObject({ createdOrders: 184, createdApproved: 138, createdVoid: 6, approvedOrders: 140 });
    // the API.md fixed point: score a number with 4 decimals, award integer VND, rates in bp
    const raw = await k.careA.get(`${k.base}/kpi-results?period=2026-10`);
    expect(raw.status).toBe(200);
    expect(raw.body.items).toHaveLength(1);
    expect(raw.body.items[0]).toMatchObject({ userId: k.ids.careA, score: 1.0897, award: 3_600_000 });
  }, 300_000);

  it('with 120 orders the over-KPI group fails and the award is 3,000,000 đ', async () => {
    const k = await kpiNetwork();
    const planId = await k.plan(apiPlan());
    await k.assign({ planId, userId: k.ids.careA2, effectiveFrom: '2026-10-01' });
    // 120 × 2,750,000 = 330,000,000 đ; created 160, 120 approved: 75%
    await october(k, k.ids.careA2, {
      septemberApproved: 0,
      approved: 120,
      price: 2_750_000,
      lastPrice: 2_750_000,
      processing: 40,
      void: 0,
    });
    const result = await k.resultOf(k.owner, '2026-10', k.ids.careA2);
    expect(result.conditions.map((c: any) => [c.indicator, c.actual, c.holds])).toEqual([
      ['revenue', 330_000_000, true],
      ['confirmation_rate', 7_500, true],
      ['orders', 120, false],
    ]);
    // 0.6 × 1.1 + 0.2 × 1.0714 + 0.2 × (120 ÷ 130 = 0.9231) = 1.0589
    expect(result.score).toBe(1.0589);
    expect(result.award).toBe(3_000_000);
  }, 300_000);
});
