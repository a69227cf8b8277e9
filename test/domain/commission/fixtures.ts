import type { PricedOrder, PricedOrderLine } from '../../../domain/commission/engine';
import type { CommissionPlan, StoredPlanVersion } from '../../../domain/commission/plan';
import type { CommissionLine } from '../../../domain/commission/lines';
import type { DiffContext } from '../../../domain/commission/ledger';

export const TZ = 'Asia/Ho_Chi_Minh';

export function plan(
  p: Partial<CommissionPlan> = {},
  meta: Partial<Pick<StoredPlanVersion, 'planId' | 'version' | 'createdAt'>> = {},
): StoredPlanVersion {
  return {
    planId: 'PLAN1',
    version: 1,
    createdAt: '2026-09-20T09:00:00+07:00',
    effectiveFrom: '2026-10-01',
    basic: { default: { percentBp: 1000 } },
    ...meta,
    ...p,
  };
}

/** A line whose kept R is the full R unless said otherwise. */
export function line(p: Partial<PricedOrderLine> & { netRevenue?: number } = {}): PricedOrderLine {
  const netRevenue = p.netRevenue ?? 1_000_000;
  return {
    lineId: '1',
    productId: 'P',
    unit: 'cái',
    category: 'other',
    quantity: 1,
    returnedQuantity: 0,
    keptNetRevenue: netRevenue,
    addOn: false,
    ...p,
    netRevenue,
  };
}

export function order(p: Partial<PricedOrder> = {}): PricedOrder {
  return {
    orderId: 'O1',
    revision: 1,
    state: 'approved',
    approvedAt: '2026-10-10T10:00:00+07:00',
    collaboratorId: 'CTV-A',
    collaboratorLevel: 1,
    sellerId: null,
    isRepurchase: false,
    isSelfOrder: false,
    lines: [line()],
    ...p,
  };
}

export const facts = { timeZone: TZ };

export const ctx = (p: Partial<DiffContext> = {}): DiffContext => ({
  recordedAt: '2026-10-10T10:00:00+07:00',
  periodId: '2026-10',
  openPeriodId: '2026-10',
  ...p,
});

/** Amount of the one line with this kind (and beneficiary type); fails when there is not exactly one. */
export function only(lines: readonly CommissionLine[], pred: (l: CommissionLine) => boolean): CommissionLine {
  const found = lines.filter(pred);
  if (found.length !== 1) throw new Error(`expected one line, found ${found.length}: ${JSON.stringify(found.map((l) => l.key))}`);
  return found[0]!;
}

export const sum = (xs: readonly { amount: number }[]) => xs.reduce((s, x) => s + x.amount, 0);
