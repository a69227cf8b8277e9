import type { Zone } from '../../domain/period';
/**
 * What the nightly units read: a business's CTVs, one CTV's orders and ratings of some periods,
 * one beneficiary's ledger of a month. Only Queries and Gets on known partitions; no Scan.
 */
import type { Collaborator } from '../../domain/entities/collaborator';
import type { LedgerEntry } from '../../domain/commission/ledger';
import { volumeRecords, type RatingStats, type VolumeRecord } from '../../domain/commission/period';
import type { StoredPlanVersion } from '../../domain/commission/plan';
import { netRevenueOf, toPricedOrder } from '../../domain/orders/pricing';
import { orderAsOf } from '../../domain/orders/returns';
import { periodRange } from '../../domain/period';
import type { Store } from '../store/client';
import { readStarsCounters } from '../store/feedback';
import { keys } from '../store/keys';
import { ordersApprovedBetween, type StoredOrder } from '../store/orders';
import { batchGet, byIndexPartition, queryAll } from '../store/paging';

/**
 * Run `fn` over `items`, at most `limit` at a time, keeping the order of the results. After a
 * failure no new item starts; the ones in flight finish, then the first error is thrown (like a
 * process that dies: nothing half-started is left running behind the caller's back).
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  let failure: { error: unknown } | null = null;
  const worker = async () => {
    while (next < items.length && !failure) {
      const i = next++;
      try {
        out[i] = await fn(items[i]!, i);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure) throw (failure as { error: unknown }).error;
  return out;
}

/** Every CTV id of a business (GSI1 `T#t#CTVS`, ids only). */
export async function allCollaboratorIds(store: Store, tenantId: string): Promise<string[]> {
  const source = keys.collaboratorsAll(tenantId);
  const items = await queryAll<{ id: string }>(store, {
    ...byIndexPartition(source.index, source.pk),
    ProjectionExpression: '#id',
    ExpressionAttributeNames: { '#pk': `${source.index}pk`, '#id': 'id' },
  });
  return items.map((i) => i.id).sort();
}

export async function collaboratorsById(store: Store, tenantId: string, ids: readonly string[]): Promise<Map<string, Collaborator>> {
  const found = await batchGet<Collaborator>(store, ids.map((id) => keys.collaborator(tenantId, id)));
  return new Map(found.map((c) => [c.id, c]));
}

/**
 * A CTV's volume records of each period (DOMAIN.md: credited lines of orders approved in the
 * period, at their R and quantity kept at the period's cut-off). The orders are found by their
 * approval (store: the approval index), so an order created long before its approval counts; each
 * return counts only if recorded before the cut-off, at its own time (domain/orders/returns.ts),
 * so a close that runs late gives what a close at the cut-off gives.
 */
export async function volumesOf(
  store: Store,
  tenantId: string,
  collaboratorId: string,
  periods: readonly string[],
  timeZone: Zone,
  versions: readonly StoredPlanVersion[],
): Promise<Record<string, VolumeRecord[]>> {
  const out: Record<string, VolumeRecord[]> = {};
  if (periods.length === 0) return out;
  const ranges = periods.map((p) => periodRange(p, timeZone)!);
  const from = Math.min(...ranges.map((r) => r.start));
  const to = Math.max(...ranges.map((r) => r.end));
  const orders = (await ordersApprovedBetween(store, tenantId, collaboratorId, from, to)).filter((o) => o.attribution);
  periods.forEach((p, i) => {
    const cutoff = ranges[i]!.end;
    const priced = orders.map((o) => {
      const record = orderAsOf(o.record, o.returns, cutoff);
      return toPricedOrder(o.id, record, o.attribution!, netRevenueOf(record));
    });
    out[p] = volumeRecords(priced, p, timeZone, versions).sort((a, b) => a.approvedAt - b.approvedAt || (a.orderId < b.orderId ? -1 : 1));
  });
  return out;
}

/** A CTV's ratings of a period (the feedback counters), null when none. */
export async function ratingsOf(store: Store, tenantId: string, collaboratorId: string, periodId: string): Promise<RatingStats | null> {
  const r = await readStarsCounters(store, tenantId, collaboratorId, periodId);
  return r.ratings > 0 ? { count: r.ratings, starsSum: r.starsTotal } : null;
}

/** A beneficiary's ledger entries booked into a month (GSI1), in the order recorded. */
export async function ledgerOf(store: Store, tenantId: string, beneficiary: string, month: string): Promise<LedgerEntry[]> {
  const source = keys.ledgerOfBeneficiary(tenantId, beneficiary, month);
  const items = await queryAll<{ entries: LedgerEntry[] }>(store, byIndexPartition(source.index, source.pk));
  return items.flatMap((i) => i.entries);
}

/** When each order was delivered (completed, or returned without completion), for maturity. */
export async function deliveryTimes(store: Store, tenantId: string, orderIds: Iterable<string>): Promise<Map<string, string | null>> {
  const ids = [...new Set(orderIds)];
  const orders = await batchGet<StoredOrder>(store, ids.map((id) => keys.order(tenantId, id)), true);
  return new Map(orders.map((o) => [o.id, o.record.completedAt ?? o.record.returnedAt ?? null]));
}
