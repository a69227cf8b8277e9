import type { Zone } from '../period';
/**
 * Customer satisfaction of a manager's team (DOMAIN.md, "Managers' OKRs and the customer-satisfaction
 * coefficient").
 *
 * CSAT of a manager in a period = share of 4–5★ among the ratings recorded in the period (by
 * `ratedAt`, in the business's time zone) on orders of the CTVs cared for by their team, in basis
 * points rounded half away from zero; then the business's step table gives the coefficient k.
 * Every recorded rating counts (an order rated twice counts twice); the manager is the one whose
 * team cared for the order's CTV when the rating was recorded, as the store puts it in the facts.
 *
 * Live results come from maintained counters (ratings, positive) per manager and period; a rating
 * recorded (or corrected, or removed) gives its increments with `csatDelta`.
 */
import * as z from 'zod';
import { ratioBp, type BasisPoints } from '../money';
import { periodIdAt, periodRange, type Cycle } from '../period';
import { DEFAULT_CSAT, type CsatSettings } from '../entities/tenant';
import { toEpochMs, type Instant } from '../kpi/indicators';

export type CsatTable = z.infer<typeof CsatSettings>;

export interface CsatCounters {
  ratings: number;
  /** ratings of 4 or 5 stars */
  positive: number;
}

export interface CsatResult extends CsatCounters {
  percentBp: BasisPoints;
  coefficient: number;
  /** fewer ratings than the minimum: the coefficient is the below-minimum one */
  flagged: boolean;
}

export const isPositiveRating = (stars: number) => stars >= 4;

/**
 * The CSAT and coefficient from the counters. A share of 0 ratings is 0 bp. Below `minRatings` the
 * coefficient is `belowMinimumCoefficient`, flagged; otherwise the step with the highest
 * `minPercentBp` at or below the share applies (whatever the order of the table), else
 * `fallbackCoefficient`.
 */
export function csatResult(counters: CsatCounters, settings: CsatTable = DEFAULT_CSAT): CsatResult {
  const { ratings, positive } = counters;
  if (!Number.isSafeInteger(ratings) || !Number.isSafeInteger(positive) || ratings < 0 || positive < 0 || positive > ratings) {
    throw new RangeError(`CSAT counters are inconsistent (${positive} of ${ratings})`);
  }
  const percentBp = ratings > 0 ? ratioBp(positive, ratings) : 0;
  if (ratings < settings.minRatings) {
    return { ratings, positive, percentBp, coefficient: settings.belowMinimumCoefficient, flagged: true };
  }
  let step: { minPercentBp: number; coefficient: number } | null = null;
  for (const s of settings.steps) if (percentBp >= s.minPercentBp && (!step || s.minPercentBp > step.minPercentBp)) step = s;
  return { ratings, positive, percentBp, coefficient: step ? step.coefficient : settings.fallbackCoefficient, flagged: false };
}

/** One recorded rating, as the CSAT engine needs it. */
export interface RatingFacts {
  ratingId: string;
  /** the manager whose team cared for the order's CTV; null: counts for nobody */
  managerUserId: string | null;
  stars: number;
  ratedAt: Instant;
}

export interface CsatCountersDelta {
  managerUserId: string;
  periodId: string;
  ratings: number;
  positive: number;
}

/**
 * The increments when a rating goes from `before` (null: recorded now) to `after` (null: removed),
 * in the periods of each cycle in `cycles`. Entries with no change are left out.
 */
export function csatDelta(
  before: RatingFacts | null,
  after: RatingFacts | null,
  timeZone: Zone,
  cycles: readonly Cycle[],
): CsatCountersDelta[] {
  const out = new Map<string, CsatCountersDelta>();
  const add = (r: RatingFacts | null, sign: 1 | -1) => {
    if (!r || r.managerUserId === null) return;
    const at = toEpochMs(r.ratedAt, 'ratedAt');
    for (const cycle of new Set(cycles)) {
      const periodId = periodIdAt(at, cycle, timeZone);
      const k = JSON.stringify([r.managerUserId, periodId]);
      const d = out.get(k) ?? { managerUserId: r.managerUserId, periodId, ratings: 0, positive: 0 };
      d.ratings += sign;
      if (isPositiveRating(r.stars)) d.positive += sign;
      out.set(k, d);
    }
  };
  add(before, -1);
  add(after, 1);
  return [...out.values()].filter((d) => d.ratings !== 0 || d.positive !== 0);
}

/** The counters of one manager in one period, counted from scratch. */
export function csatCountersFromRatings(
  ratings: Iterable<RatingFacts>,
  managerUserId: string,
  periodId: string,
  timeZone: Zone,
): CsatCounters {
  const range = periodRange(periodId, timeZone);
  if (!range) throw new RangeError(`not a period: ${periodId}`);
  const out: CsatCounters = { ratings: 0, positive: 0 };
  for (const r of ratings) {
    if (r.managerUserId !== managerUserId) continue;
    const at = toEpochMs(r.ratedAt, 'ratedAt');
    if (at < range.start || at >= range.end) continue;
    out.ratings++;
    if (isPositiveRating(r.stars)) out.positive++;
  }
  return out;
}

export const CsatResultView = z
  .object({
    ratings: z.int(),
    positive: z.int().meta({ description: 'ratings of 4–5★' }),
    percentBp: z.int().meta({ description: 'positive ÷ ratings in bp, rounded half away from zero; 0 with no ratings' }),
    coefficient: z.number().meta({ description: 'k from the business’s CSAT step table' }),
    flagged: z.boolean().meta({ description: 'fewer ratings than the minimum: k is the below-minimum coefficient' }),
  })
  .meta({ id: 'CsatResult' });
