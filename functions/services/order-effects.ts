import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Deps } from '../http/deps';
import type { StoredOrder } from '../store/orders';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * Writes that must happen in the same transaction as an order change, beyond the order and its
 * ledger: the maintained aggregates that KPIs and reports read (counters per care staff and
 * period, …). `before` is null for a new order. Deterministic in (before, after), so a retried
 * change writes the same increments exactly once with the order.
 */
export async function orderSideEffects(
  _deps: Deps,
  _tenantId: string,
  _before: StoredOrder | null,
  _after: StoredOrder,
  _timeZone: string,
): Promise<TransactItem[]> {
  return [];
}
