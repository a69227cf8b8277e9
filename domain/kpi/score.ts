/**
 * A care staff's KPI result for a period: conditions, score (the coefficient) and award.
 *
 * Exact integer arithmetic throughout (DOMAIN.md "Care staff KPIs"):
 * - achievement = actual ÷ target (target ÷ actual for lower-is-better indicators, where an actual
 *   of 0 counts as the cap; a lower-is-better target may be 0: an actual of 0 achieves the cap, any
 *   other 0), capped at capBp ÷ 10000, kept as an exact fraction;
 * - scoreBp = Σ weightBp × achievement, summed as one exact BigInt fraction and rounded once, half
 *   away from zero; score = scoreBp ÷ 10000, a number with 4 decimals (DOMAIN.md example: 10897 →
 *   1.0897). The achievements are NOT rounded before weighting;
 * - each condition's `achievementBp` is its capped achievement rounded half away from zero to bp,
 *   for display only (the score is not computed from it);
 * - award: nothing unless every required group holds; then, slices of the distributed indicator
 *   are taken in group order (each group's slice is min(sliceAmount, what is left); a null slice
 *   takes the rest) whether or not the group holds, and each holding group earns slice × rate,
 *   rounded half away from zero to the đồng; the award is the exact sum.
 */
import * as z from 'zod';
import { percentOf, sumVnd, BP_PER_UNIT, type BasisPoints, type Vnd } from '../money';
import { LOWER_IS_BETTER, type Indicator, type Indicators } from './indicators';
import { COMPARATORS, GROUP_TYPES, KpiIndicator, type Comparator, type GroupType, type KpiPlan } from './plan';

export function holds(actual: number, comparator: Comparator, target: number): boolean {
  switch (comparator) {
    case 'gt':
      return actual > target;
    case 'gte':
      return actual >= target;
    case 'lt':
      return actual < target;
    case 'lte':
      return actual <= target;
    case 'eq':
      return actual === target;
  }
}

/** An exact non-negative fraction: numerator ÷ denominator, denominator > 0. */
type Fraction = readonly [bigint, bigint];

const BP = BigInt(BP_PER_UNIT);

/** n ÷ d rounded half away from zero (d > 0), as the money helpers round. */
function roundHalfAway(n: bigint, d: bigint): bigint {
  const negative = n < 0n;
  const a = negative ? -n : n;
  let q = a / d;
  if (2n * (a % d) >= d) q += 1n;
  return negative ? -q : q;
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a < 0n ? -a : a;
}

function toSafeNumber(n: bigint, what: string): number {
  const v = Number(n);
  if (!Number.isSafeInteger(v)) throw new RangeError(`${what} is beyond the safe-integer range`);
  return v;
}

/**
 * min(achievement, cap) of a condition as an exact fraction (cap = capBp ÷ 10000):
 * actual ÷ target, or target ÷ actual for a lower-is-better indicator (an actual of 0 there counts
 * as the cap; with a target of 0, an actual of 0 achieves the cap and any other 0). A target of 0
 * is only meaningful for a lower-is-better indicator (the plan schema refuses it otherwise).
 */
function achievementFraction(indicator: Indicator, actual: number, target: number, capBp: BasisPoints): Fraction {
  if (!Number.isSafeInteger(actual)) throw new RangeError(`a KPI actual is a whole number, got ${actual}`);
  if (!Number.isSafeInteger(target) || target < 0) throw new RangeError(`a KPI target is a whole number ≥ 0, got ${target}`);
  const cap: Fraction = [BigInt(capBp), BP];
  let num: number;
  let den: number;
  if (LOWER_IS_BETTER.has(indicator)) {
    if (actual <= 0) return cap; // nothing cancelled: the cap (also with a target of 0)
    if (target === 0) return [0n, 1n]; // a target of 0 missed
    [num, den] = [target, actual];
  } else {
    if (target === 0) throw new RangeError(`a target for ${indicator} (higher-is-better) is positive`);
    if (actual <= 0) return [0n, 1n];
    [num, den] = [actual, target];
  }
  const n = BigInt(num);
  const d = BigInt(den);
  // n ÷ d > capBp ÷ 10000 ⇔ n × 10000 > capBp × d
  return n * BP > cap[0] * d ? cap : [n, d];
}

/** Achievement of a condition in bp, within 0..capBp: the exact capped achievement rounded half away from zero (for display). */
export function achievementBp(indicator: Indicator, actual: number, target: number, capBp: BasisPoints): BasisPoints {
  const [n, d] = achievementFraction(indicator, actual, target, capBp);
  return toSafeNumber(roundHalfAway(n * BP, d), 'an achievement');
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
  // Σ weightBp × achievement as one exact fraction sumN ÷ sumD (weights in bp: this is scoreBp unrounded)
  let sumN = 0n;
  let sumD = 1n;
  for (const g of plan.groups) {
    let all = true;
    for (const c of g.conditions) {
      const actual = indicators[c.indicator];
      const [n, d] = achievementFraction(c.indicator, actual, c.target, plan.capBp);
      const a = toSafeNumber(roundHalfAway(n * BP, d), 'an achievement');
      const ok = holds(actual, c.comparator, c.target);
      all &&= ok;
      // sumN/sumD + w·n/d over the least common denominator, kept reduced
      const common = (sumD / gcd(sumD, d)) * d;
      sumN = sumN * (common / sumD) + BigInt(c.weightBp) * n * (common / d);
      sumD = common;
      const k = gcd(sumN, sumD);
      if (k > 1n) [sumN, sumD] = [sumN / k, sumD / k];
      conditions.push({
        indicator: c.indicator,
        comparator: c.comparator,
        actual,
        target: c.target,
        achievementBp: a,
        weightBp: c.weightBp,
        holds: ok,
      });
    }
    groupHolds.push(all);
  }
  const scoreBp = toSafeNumber(roundHalfAway(sumN, sumD), 'a KPI score');
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
        achievementBp: z.int().meta({
          description:
            'the capped achievement in bp, rounded half away from zero for display; the score is computed from the exact achievements',
        }),
        weightBp: z.int(),
        holds: z.boolean(),
      }),
    ),
    groups: z.array(z.object({ type: z.enum(GROUP_TYPES), holds: z.boolean(), slice: z.int(), award: z.int() })),
  })
  .meta({ id: 'KpiResult' });
