import type { Zone } from '../../domain/period';
import { countersDelta, returnsAfterChange, returnsFromTotals, type OrderFacts, type ReturnFact } from '../../domain/kpi/indicators';
import { CYCLES } from '../../domain/period';
import type { Deps } from '../deps';
import { getOrderKpiReturns, kpiCounterWrites, orderKpiReturnsWrite } from '../store/kpi';
import type { StoredOrder } from '../store/orders';
import type { TransactItem } from '../store/transactions';

/**
 * The most writes the KPI counters of one order change can need: an order counts for one care
 * staff, in the period of its creation and of its approval of each of the 4 cycles (8 counters
 * items) plus its CTV's item in the 4 approval periods; a change that moves the order to another
 * care staff or CTV (possible until the credit is frozen at approval) touches both sides: 24.
 * (The order's dated returns are one more write, apart.)
 */
export const MAX_KPI_WRITES = 24;

/** R taken back by an order's returns: R before returns − R kept. */
const returnedOf = (order: StoredOrder) => order.revenue.totals.netRevenue - order.revenue.totals.keptNetRevenue;

/**
 * What the KPI engine needs of a stored order: its credited CTV and care staff, state times, R, and
 * its returns each at its own time (`returns`; without them, as an order returned before each
 * return was kept: all at the first return's time).
 */
export function orderFacts(order: StoredOrder, returns?: readonly ReturnFact[] | null): OrderFacts {
  const a = order.attribution;
  const collaboratorId = a?.collaboratorId ?? null;
  const { netRevenue, keptNetRevenue } = order.revenue.totals;
  return {
    orderId: order.id,
    careStaffUserId: collaboratorId ? (a?.careStaffUserId ?? null) : null,
    collaboratorId,
    createdAt: order.record.createdAt,
    approvedAt: order.record.approvedAt,
    completedAt: order.record.completedAt,
    voidedAt: order.record.voidedAt,
    netRevenue: keptNetRevenue,
    returns: returns ?? returnsFromTotals(netRevenue, keptNetRevenue, order.record.returnedAt),
  };
}

/**
 * Writes that must happen in the same transaction as an order change, beyond the order and its
 * ledger: the KPI counters per (care staff, period) of every cycle (week, month, quarter, year),
 * moved by the difference between what the order counted for before and after the change
 * (`countersDelta`), with ADD. `before` is null for a new order. Deterministic in (before, after):
 * a change retried after a concurrency conflict recomputes the same increments from what it read
 * again, and the transaction stores them exactly once with the order.
 *
 * CSAT counters do not move here: ratings move them (feedback is its own transaction), and a
 * rating stays with the manager the order named when it was rated.
 */
export async function orderSideEffects(
  deps: Deps,
  tenantId: string,
  before: StoredOrder | null,
  after: StoredOrder,
  timeZone: Zone,
): Promise<TransactItem[]> {
  // each return at its own time: the returns kept so far (read only when the order has any), and
  // one more when this change moved what its returns took back, dated at the revision recording it
  const returnedBefore = before ? returnedOf(before) : 0;
  const hadReturns = before !== null && (returnedBefore !== 0 || before.record.returnedAt !== null);
  const kept = hadReturns ? await getOrderKpiReturns(deps.store, tenantId, before.id) : null;
  const beforeReturns = before
    ? (kept ?? returnsFromTotals(before.revenue.totals.netRevenue, before.revenue.totals.keptNetRevenue, before.record.returnedAt))
    : [];
  const afterReturns = returnsAfterChange(beforeReturns, returnedBefore, returnedOf(after), after.record.occurredAt);
  const deltas = countersDelta(before ? orderFacts(before, beforeReturns) : null, orderFacts(after, afterReturns), timeZone, CYCLES);
  const writes = kpiCounterWrites(deps.store, tenantId, deltas, after.updatedAt);
  if (writes.length > MAX_KPI_WRITES)
    throw new Error(`an order change moved ${writes.length} KPI counters; at most ${MAX_KPI_WRITES} expected`);
  if (afterReturns.length !== beforeReturns.length || (kept === null && afterReturns.length > 0)) {
    writes.push(orderKpiReturnsWrite(deps.store, tenantId, after.id, afterReturns));
  }
  return writes;
}
