/**
 * A reference model of a care staff's KPI score and award, written from DOMAIN.md ("Care staff
 * KPIs") alone, to check `domain/kpi/score.ts` against. It imports nothing from the domain and
 * computes in exact BigInt rationals:
 *
 * - a condition holds when `actual comparator target` is true; a group holds when all its
 *   conditions hold;
 * - achievement = actual ÷ target (target ÷ actual for the lower-is-better cancel rate, where an
 *   actual of 0 counts as the cap; with a target of 0 there, an actual of 0 achieves the cap and
 *   any other 0), capped at cap;
 * - score = Σ weightᵢ × min(achievementᵢ, cap), weights as fractions of 10000 bp, computed exactly
 *   and rounded ONCE, half away from zero, to 4 decimals (scoreBp); achievements are not rounded
 *   first;
 * - award: nothing unless every required group holds; then the slices of the distributed indicator
 *   are taken in group order (a fixed slice takes at most its amount of what is left, the open slice
 *   the rest) and each holding group pays its slice × its rate, rounded half away from zero to the
 *   đồng (each group's award is one amount); the award is the exact sum.
 */

export type ModelComparator = 'gt' | 'gte' | 'lt' | 'lte' | 'eq';

export interface ModelCondition {
  indicator: string;
  comparator: ModelComparator;
  target: number;
  weightBp: number;
}

export interface ModelGroup {
  type: 'required' | 'over_kpi_award';
  awardPercentBp: number;
  sliceAmount: number | null;
  conditions: readonly ModelCondition[];
}

export interface ModelPlan {
  capBp: number;
  distributedIndicator: string;
  groups: readonly ModelGroup[];
}

export interface ModelResult {
  /** the exact score × 10000 rounded once, half away from zero */
  scoreBp: number;
  /** each condition's achievement in bp (min(achievement, cap) × 10000, rounded half away from zero) */
  achievementsBp: number[];
  conditionsHold: boolean[];
  groups: { holds: boolean; slice: number; award: number }[];
  award: number;
}

const LOWER_IS_BETTER = new Set(['cancel_rate']);

/** n ÷ d rounded half away from zero; d > 0. */
export function roundHalfAway(n: bigint, d: bigint): bigint {
  if (d <= 0n) throw new RangeError('positive divisor');
  const neg = n < 0n;
  const a = neg ? -n : n;
  let q = a / d;
  if (2n * (a % d) >= d) q += 1n;
  return neg ? -q : q;
}

export function conditionHolds(actual: number, comparator: ModelComparator, target: number): boolean {
  if (comparator === 'gt') return actual > target;
  if (comparator === 'gte') return actual >= target;
  if (comparator === 'lt') return actual < target;
  if (comparator === 'lte') return actual <= target;
  return actual === target;
}

/** min(achievement, cap) as an exact fraction [numerator, denominator], denominator > 0. */
function achievement(indicator: string, actual: number, target: number, capBp: number): [bigint, bigint] {
  const cap: [bigint, bigint] = [BigInt(capBp), 10_000n];
  let num: bigint;
  let den: bigint;
  if (LOWER_IS_BETTER.has(indicator)) {
    if (actual === 0) return cap; // nothing cancelled: the cap (also with a target of 0)
    if (target === 0) return [0n, 1n];
    num = BigInt(target);
    den = BigInt(actual);
  } else {
    num = BigInt(actual);
    den = BigInt(target);
  }
  // num/den > capBp/10000 ⇔ num × 10000 > capBp × den
  return num * 10_000n > cap[0] * den ? cap : [num, den];
}

export function modelKpi(plan: ModelPlan, values: Readonly<Record<string, number>>): ModelResult {
  // Σ weightBp × achievement as one fraction sumN / sumD (weights in bp: this is the score × 10000)
  let sumN = 0n;
  let sumD = 1n;
  const achievementsBp: number[] = [];
  const conditionsHold: boolean[] = [];
  const groupHolds: boolean[] = [];
  for (const g of plan.groups) {
    let all = true;
    for (const c of g.conditions) {
      const actual = values[c.indicator]!;
      const [n, d] = achievement(c.indicator, actual, c.target, plan.capBp);
      sumN = sumN * d + BigInt(c.weightBp) * n * sumD;
      sumD = sumD * d;
      achievementsBp.push(Number(roundHalfAway(n * 10_000n, d)));
      const ok = conditionHolds(actual, c.comparator, c.target);
      conditionsHold.push(ok);
      all = all && ok;
    }
    groupHolds.push(all);
  }
  const scoreBp = Number(roundHalfAway(sumN, sumD));

  const requiredHold = plan.groups.every((g, i) => g.type !== 'required' || groupHolds[i]);
  let left = BigInt(Math.max(0, values[plan.distributedIndicator]!));
  let award = 0n;
  const groups = plan.groups.map((g, i) => {
    const slice = g.sliceAmount === null || BigInt(g.sliceAmount) > left ? left : BigInt(g.sliceAmount);
    left -= slice;
    const pay = requiredHold && groupHolds[i]! ? roundHalfAway(slice * BigInt(g.awardPercentBp), 10_000n) : 0n;
    award += pay;
    return { holds: groupHolds[i]!, slice: Number(slice), award: Number(pay) };
  });
  return { scoreBp, achievementsBp, conditionsHold, groups, award: Number(award) };
}
