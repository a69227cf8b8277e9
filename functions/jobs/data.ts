import type { Zone } from '../../domain/period';
/**
 * What the nightly units compute from reads: one CTV's volume and ratings of some periods. Only
 * Queries and Gets on known partitions; no Scan. And `mapLimit`, the units' bounded parallelism.
 */
import { volumeRecords, type RatingStats, type VolumeRecord } from '../../domain/commission/period';
import type { StoredPlanVersion } from '../../domain/commission/plan';
import { netRevenueOf, toPricedOrder } from '../../domain/orders/pricing';
import { orderAsOf } from '../../domain/orders/returns';
import { periodRange } from '../../domain/period';
import type { Store } from '../store/client';
import { readStarsCounters } from '../store/feedback';
import { ordersApprovedBetween } from '../store/orders';

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
