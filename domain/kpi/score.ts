/**
 * A care staff's KPI result for a period: conditions, score (the coefficient) and award.
 *
 * Integer arithmetic throughout:
 * - achievement (bp) = actual × 10000 ÷ target, rounded half away from zero (target × 10000 ÷
 *   actual for lower-is-better indicators; an actual of 0 there counts as the cap), then within
 *   0..capBp;
 * - scoreBp = Σ weightBp × achievementBp ÷ 10000, summed exactly and rounded once, half away from
 *   zero; score = scoreBp ÷ 10000, a number with 4 decimals (DOMAIN.md example: 10897 → 1.0897);
 * - award: nothing unless every required group holds; then, slices of the distributed indicator
 *   are taken in group order (each group's slice is min(sliceAmount, what is left); a null slice
 *   takes the rest) whether or not the group holds, and each holding group earns slice × rate,
 *   rounded half away from zero to the đồng; the award is the exact sum.
 */
import * as z from 'zod';
import { mulDivRound, percentOf, sumVnd, BP_PER_UNIT, type BasisPoints, type Vnd } from '../money';
import { LOWER_IS_BETTER, type Indicator, type Indicators } from './indicators';
import { COMPARATORS, GROUP_TYPES, KpiIndicator, type Comparator, type GroupType, type KpiPlan } from './plan';

export function holds(actual: number, comparator: Comparator, target: number): boolean {
  switch (comparator) {
    case 'gt': return actual > target;
    case 'gte': return actual >= target;
    case 'lt': return actual < target;
    case 'lte': return actual <= target;
    case 'eq': return actual === target;
  }
}

/** Achievement of a condition in bp, within 0..capBp. */
export function achievementBp(indicator: Indicator, actual: number, target: number, capBp: BasisPoints): BasisPoints {
  if (target <= 0) throw new RangeError('a KPI target is positive');
  const [num, den] = LOWER_IS_BETTER.has(indicator) ? [target, actual] : [actual, target];
  if (den <= 0) return capBp; // lower-is-better with an actual of 0
  if (num <= 0) return 0;
  // far above the cap: capped without forming a product beyond the safe-integer range
  if (num / den > capBp / BP_PER_UNIT + 1) return capBp;
  return Math.min(mulDivRound(num, BP_PER_UNIT, den), capBp);
}

export interface KpiConditionResult {
  indicator: Indicator;
  comparator: Comparator;
  actual: number;
  target: number;
  achievementBp: BasisPoints;
  weightBp: BasisPoints;
  holds: boolean;
}

export interface KpiGroupResult {
  type: GroupType;
  holds: boolean;
  /** the part of the distributed indicator that falls in this group's slice */
  slice: Vnd;
  award: Vnd;
}

export interface KpiResult {
  userId: string;
  /** scoreBp ÷ 10000, 4 decimals: the care staff's coefficient */
  score: number;
  scoreBp: BasisPoints;
  award: Vnd;
  conditions: KpiConditionResult[];
  groups: KpiGroupResult[];
}

/** The result of a plan on a care staff's indicators (`indicatorsFromCounters` with `revenueTargetOf(plan)`). */
export function scoreKpi(userId: string, plan: KpiPlan, indicators: Indicators): KpiResult {
  const conditions: KpiConditionResult[] = [];
  const groupHolds: boolean[] = [];
  let weighted = 0; // Σ weightBp × achievementBp, exact (≤ 10000 × 100000 summed: far below 2^53)
  for (const g of plan.groups) {
    let all = true;
    for (const c of g.conditions) {
      const actual = indicators[c.indicator];
      const a = achievementBp(c.indicator, actual, c.target, plan.capBp);
      const ok = holds(actual, c.comparator, c.target);
      all &&= ok;
      weighted += c.weightBp * a;
      conditions.push({ indicator: c.indicator, comparator: c.comparator, actual, target: c.target, achievementBp: a, weightBp: c.weightBp, holds: ok });
    }
    groupHolds.push(all);
  }
  const scoreBp = mulDivRound(weighted, 1, BP_PER_UNIT);
  const requiredHold = plan.groups.every((g, i) => g.type !== 'required' || groupHolds[i]);
  let left = Math.max(0, indicators[plan.distributedIndicator]);
  const groups = plan.groups.map((g, i): KpiGroupResult => {
    const slice = g.sliceAmount === null ? left : Math.min(g.sliceAmount, left);
    left -= slice;
    const paid = requiredHold && groupHolds[i]!;
    return { type: g.type, holds: groupHolds[i]!, slice, award: paid ? percentOf(slice, g.awardPercentBp) : 0 };
  });
  return {
    userId,
    score: scoreBp / BP_PER_UNIT,
    scoreBp,
    award: sumVnd(groups.map((g) => g.award)),
    conditions,
    groups,
  };
}

/** The result as the API shows it (`kpi-results` items). */
export const KpiResultView = z
  .object({
    userId: z.string(),
    score: z.number().meta({ description: 'the coefficient, 4 decimals (scoreBp ÷ 10000)', example: 1.0897 }),
    scoreBp: z.int(),
    award: z.int().meta({ description: 'VND' }),
    conditions: z.array(
      z.object({
        indicator: KpiIndicator,
        comparator: z.enum(COMPARATORS),
        actual: z.number().meta({ description: 'VND, a count, or basis points for the rates' }),
        target: z.number(),
        achievementBp: z.int(),
        weightBp: z.int(),
        holds: z.boolean(),
      }),
    ),
    groups: z.array(z.object({ type: z.enum(GROUP_TYPES), holds: z.boolean(), slice: z.int(), award: z.int() })),
  })
  .meta({ id: 'KpiResult' });
