import { maturity, type LedgerEntry } from '../../domain/commission/ledger';
import { sumVnd } from '../../domain/money';
import type { StoredOrder } from '../store/orders';

/** The order as clients see it (API.md fixed point): R per line after returns, the credit and its reason, the commission lines. */
export function orderView(order: StoredOrder, ledger: readonly LedgerEntry[], holdingDays: number, asOf: string) {
  const { record, attribution, revenue } = order;
  const r = new Map(revenue.lines.map((l) => [l.lineId, l] as const));
  const completedAt = record.completedAt ?? record.returnedAt;
  return {
    id: order.id,
    externalId: record.externalId,
    sourceId: record.sourceId,
    revision: record.revision,
    state: record.state,
    occurredAt: record.occurredAt,
    createdAt: record.createdAt,
    approvedAt: record.approvedAt,
    completedAt: record.completedAt,
    returnedAt: record.returnedAt,
    voidedAt: record.voidedAt,
    customer: record.customer,
    lines: record.lines.map((line) => {
      const rev = r.get(line.lineId)!;
      return {
        ...line,
        grossValue: rev.grossValue,
        orderDiscountShare: rev.orderDiscountShare,
        netRevenue: rev.keptNetRevenue,
        netRevenueBeforeReturns: rev.netRevenue,
      };
    }),
    orderDiscount: record.orderDiscount,
    shippingFee: record.shippingFee,
    netRevenue: revenue.totals.keptNetRevenue,
    sellerId: record.sellerId,
    attribution: {
      collaboratorId: attribution?.collaboratorId ?? null,
      rule: attribution?.rule ?? null,
      reason: attribution?.reason ?? 'no_hint',
      selfOrder: attribution?.selfOrder ?? false,
      isRepurchase: attribution?.isRepurchase ?? false,
      careStaffUserId: attribution?.careStaffUserId ?? null,
    },
    plan: order.plan,
    commissionLines: ledger.map((e) => {
      const m = maturity(e, completedAt, holdingDays, asOf);
      return {
        entryId: e.entryId,
        kind: e.kind,
        lineKind: e.lineKind,
        beneficiary: e.beneficiary,
        amount: e.amount,
        state: m.state,
        payableFrom: m.payableFrom === null ? null : new Date(m.payableFrom).toISOString(),
        periodId: e.periodId,
        reason: e.reason,
        recordedAt: e.recordedAt,
        trace: e.trace,
      };
    }),
    commissionTotal: sumVnd(ledger.filter((e) => e.beneficiary.type === 'collaborator').map((e) => e.amount)),
  };
}
