import type { PricedOrder } from '../commission/engine';
import type { Level } from '../entities/collaborator';
import type { AttributionDecision } from './attribution';
import { computeNetRevenue, type OrderNetRevenue } from './net-revenue';
import type { OrderRecord } from './order';

/**
 * The credit decision stored on an order. It is decided again on every revision until the order
 * first accrues (approved, completed or returned) and then frozen, with the CTV's level, care staff
 * and whether it is a repurchase as they were then: a CTV blocked later, or a binding made later,
 * does not rewrite the commission of an order already approved, and recomputing it changes nothing.
 */
export interface OrderAttribution extends AttributionDecision {
  frozen: boolean;
  collaboratorLevel: Level;
  isRepurchase: boolean;
  careStaffUserId: string | null;
  managerUserId: string | null;
}

export const ACCRUING: readonly OrderRecord['state'][] = ['approved', 'completed', 'returned'];
export const accrues = (order: Pick<OrderRecord, 'state'>) => ACCRUING.includes(order.state);

/** The order as the commission engine takes it: R per line, the frozen credit, the state times. */
export function toPricedOrder(orderId: string, order: OrderRecord, attribution: OrderAttribution, revenue: OrderNetRevenue): PricedOrder {
  const byId = new Map(revenue.lines.map((l) => [l.lineId, l] as const));
  return {
    orderId,
    revision: order.revision,
    state: order.state,
    ...(order.approvedAt ? { approvedAt: order.approvedAt } : {}),
    ...(order.completedAt ? { completedAt: order.completedAt } : {}),
    collaboratorId: attribution.collaboratorId,
    collaboratorLevel: attribution.collaboratorLevel,
    sellerId: order.sellerId,
    isRepurchase: attribution.isRepurchase,
    isSelfOrder: attribution.selfOrder,
    lines: order.lines.map((line) => {
      const r = byId.get(line.lineId)!;
      return {
        lineId: line.lineId,
        productId: line.productId,
        unit: line.unit,
        category: line.category,
        quantity: line.quantity,
        returnedQuantity: line.returnedQuantity,
        netRevenue: r.netRevenue,
        keptNetRevenue: r.keptNetRevenue,
        addOn: line.addOn,
      };
    }),
  };
}

export function netRevenueOf(order: Pick<OrderRecord, 'lines' | 'orderDiscount'>): OrderNetRevenue {
  return computeNetRevenue({ lines: order.lines, orderDiscount: order.orderDiscount });
}
