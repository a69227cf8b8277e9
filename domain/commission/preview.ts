import { ruleViolation } from '../errors';
import { addDays } from '../period';
import { priceOrder, priceOrderAt, type PricedOrder, type PricingFacts } from './engine';
import type { StoredPlanVersion } from './plan';

/** A preview covers at most this many days (its orders are priced twice, in one request). */
export const MAX_PREVIEW_DAYS = 92;

/** A preview's range of local days, `from` to `to` inclusive: in order, and at most MAX_PREVIEW_DAYS long (422 naming the field). */
export function checkPreviewRange(from: string, to: string): void {
  if (from > to) throw ruleViolation('`from` is after `to`', 'from');
  if (addDays(from, MAX_PREVIEW_DAYS) < to) throw ruleViolation(`A preview covers at most ${MAX_PREVIEW_DAYS} days`, 'to');
}

export interface PreviewRow {
  collaboratorId: string;
  current: number;
  draft: number;
  difference: number;
}

/**
 * What each CTV earns on `orders` under the plan versions in force (`current`: what the ledger
 * holds) and under `draft` as if it had been in force at each order's approval, by CTV id; the
 * totals are the sums of the rows. Only collaborator lines count (sellers are not previewed).
 */
export function comparePlans(
  orders: readonly PricedOrder[],
  versions: readonly StoredPlanVersion[],
  draft: StoredPlanVersion,
  facts: PricingFacts,
): { items: PreviewRow[]; totals: Omit<PreviewRow, 'collaboratorId'> } {
  const perCtv = new Map<string, { current: number; draft: number }>();
  const add = (id: string, which: 'current' | 'draft', amount: number) => {
    const row = perCtv.get(id) ?? { current: 0, draft: 0 };
    row[which] += amount;
    perCtv.set(id, row);
  };
  for (const order of orders) {
    for (const l of priceOrderAt(order, versions, facts).lines)
      if (l.beneficiary.type === 'collaborator') add(l.beneficiary.id, 'current', l.amount);
    for (const l of priceOrder(order, draft, facts)) if (l.beneficiary.type === 'collaborator') add(l.beneficiary.id, 'draft', l.amount);
  }
  const items = [...perCtv.entries()]
    .map(([collaboratorId, r]) => ({ collaboratorId, current: r.current, draft: r.draft, difference: r.draft - r.current }))
    .sort((a, b) => a.collaboratorId.localeCompare(b.collaboratorId));
  const totals = items.reduce(
    (t, r) => ({ current: t.current + r.current, draft: t.draft + r.draft, difference: t.difference + r.difference }),
    { current: 0, draft: 0, difference: 0 },
  );
  return { items, totals };
}
