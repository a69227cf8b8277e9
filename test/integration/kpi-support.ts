import { expect } from 'vitest';
import { kpiPlanExample } from '../fixtures/kpi-plan';
import { uniquePhone, type User } from './support/api';
import { network } from './support/network';
import { deliver, newSource, orderEvent } from './support/orders';

/** Helpers for the KPI, OKR, feedback and report tests (not a test file itself). */

export const TZ = 'Asia/Ho_Chi_Minh';
/** a local time in Viet Nam as ISO 8601 with its offset */
export const vn = (local: string) => `${local}+07:00`;

/** API.md's KPI plan (DOMAIN.md's example, see the fixture), with overrides. */
export function apiPlan(overrides: Record<string, unknown> = {}) {
  return { ...kpiPlanExample(), ...overrides };
}

/** A small plan whose numbers are easy to reach by hand: revenue ≥ 1,000,000 and confirmation ≥ 50%, then orders ≥ 2. */
export function smallPlan(overrides: Record<string, unknown> = {}) {
  return {
    name: 'KPI nhỏ',
    effectiveFrom: '2026-01-01',
    cycle: 'month',
    distributedIndicator: 'revenue',
    groups: [
      {
        type: 'required',
        awardPercentBp: 100,
        sliceAmount: 1_000_000,
        conditions: [
          { indicator: 'revenue', comparator: 'gte', target: 1_000_000, weightBp: 5000 },
          { indicator: 'confirmation_rate', comparator: 'gte', target: 5000, weightBp: 2000 },
        ],
      },
      {
        type: 'over_kpi_award',
        awardPercentBp: 200,
        sliceAmount: null,
        conditions: [
          { indicator: 'orders', comparator: 'gte', target: 2, weightBp: 1500 },
          { indicator: 'cancel_rate', comparator: 'lte', target: 2000, weightBp: 1500 },
        ],
      },
    ],
    ...overrides,
  };
}

export const oneLine = (unitPrice: number, quantity = 1, returnedQuantity = 0) => [
  { lineId: '1', productId: 'SERUM-30', unit: 'chai', category: 'serum', quantity, unitPrice, discount: 0, addOn: false, returnedQuantity },
];

/** A network (two teams, see support/network.ts) with a webhook source and helpers to send order revisions. */
export async function kpiNetwork() {
  const n = await network();
  const source = await newSource(n.owner, n.base);
  const phones = new Map<string, string>();

  /**
   * Deliver one revision of an order credited (by its explicit CTV id) to `collaboratorId`. Each
   * order has its own customer, so no binding credits another CTV.
   */
  const send = async (
    externalId: string,
    revision: number,
    state: string,
    occurredAt: string,
    collaboratorId: string,
    lines: unknown[] = oneLine(350_000, 2),
  ): Promise<string> => {
    if (!phones.has(externalId)) phones.set(externalId, uniquePhone());
    const event = orderEvent({
      externalId,
      revision,
      state,
      occurredAt,
      customer: { phone: phones.get(externalId), name: 'Khách hàng' },
      lines,
      orderDiscount: 0,
      shippingFee: 0,
      attribution: { collaboratorId, refId: null, couponCode: null, opportunityId: null },
    });
    const res = await deliver(n.tenantId, source, event);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.applied).toBe(true);
    return res.body.orderId as string;
  };

  const groupWith = async (name: string, members: string[]) => {
    const group = await n.ok(n.owner.post(`${n.base}/staff-groups`, { name }));
    for (const userId of members) await n.ok(n.owner.post(`${n.base}/staff-groups/${group.id}/members`, { userId }));
    return group.id as string;
  };

  const plan = async (body: unknown) => (await n.ok(n.owner.post(`${n.base}/kpi-plans`, body))).id as string;
  const assign = async (body: Record<string, unknown>) =>
    n.ok(n.owner.post(`${n.base}/kpi-assignments`, { effectiveFrom: '2026-01-01', ...body }));

  /** The KPI result of one care staff as `user` sees it (undefined when not in the answer). */
  const resultOf = async (user: User, period: string, userId: string) => {
    const res = await user.get(`${n.base}/kpi-results?period=${period}&userId=${userId}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.items.find((i: any) => i.userId === userId);
  };

  /** The BC Nhân viên row of one care staff (as the owner sees it). */
  const staffRowOf = async (period: string, userId: string) => {
    const res = await n.owner.get(`${n.base}/reports/staff?period=${period}&userId=${userId}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.items[0];
  };

  return { ...n, source, send, groupWith, plan, assign, resultOf, staffRowOf };
}
export type KpiNetwork = Awaited<ReturnType<typeof kpiNetwork>>;
