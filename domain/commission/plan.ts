import type { Zone } from '../period';
/**
 * Commission plan versions (API.md "commission-plans"; DOMAIN.md "The six commission kinds",
 * "Period awards", "Plan options").
 *
 * The zod schema accepts exactly API.md's plan JSON (every part but `effectiveFrom` and `basic`
 * optional) plus these optional extras:
 *   - `basic.default.levels`, `basic.rules[].levels`: a rate per CTV level, `{ "2": { "percentBp": 1100 } }`
 *   - `platformFeeBp`: withheld from each of a CTV's commission lines, as its own negative line
 *   - `selfOrder`: `{ mode: "not_credited" }` or `{ mode: "rate", percentBp }`
 *   - `boosts`: `[{ collaboratorIds, from, to, percentBp }]`, local days, both inclusive
 *   - award `percentBp` (flat) as an alternative to `brackets`; award cycles week|month|quarter|year
 *   - `referral.cycle` (default month): the periods whose close pays the override
 *   - advanced rules may use `fixedPerUnit` instead of `percentBp`
 *   - `levels` (API.md): `{ promotion: [{ level, minQuantity, minAverageStars }], demotion }`, applied
 *     at a month's close by the version in force on its last day (promotion.ts)
 * Every business rule beyond the JSON shape lives in `validatePlan`, which the schema runs once
 * the shape is right, so the HTTP layer gets all field errors with their paths in one answer.
 */
import * as z from 'zod';
import type { FieldError } from '../errors';
import { DEFAULT_TIME_ZONE, startOfLocalDay, type Cycle } from '../period';
import { parseInstant } from './instant';
import { isoDate, isoDateTime, text } from '../text';
import type { Level } from '../entities/collaborator';

export const MAX_BP = 10_000;
/** A per-unit amount above a billion đồng is a typo, not a commission. */
export const MAX_FIXED_PER_UNIT = 1_000_000_000;
const MAX_VOLUME = 1_000_000_000_000_000; // 10^15 đồng, far above any period volume

const Bp = z.int().min(0).max(MAX_BP).meta({ description: 'basis points, 1% = 100' });
const FixedPerUnit = z.int().min(0).max(MAX_FIXED_PER_UNIT).meta({ description: 'VND per unit' });
const Id = z.string().trim().normalize('NFC').min(1).max(128);
const Stars = z.number().min(1).max(5).multipleOf(0.01).meta({ description: 'average stars, e.g. 4.5' });

const CycleEnum = z.enum(['week', 'month', 'quarter', 'year'] satisfies Cycle[]);

const rateFields = { percentBp: Bp.optional(), fixedPerUnit: FixedPerUnit.optional() };

/** Exactly one of `percentBp` (of R) or `fixedPerUnit` (× kept quantity). */
export const Rate = z.strictObject(rateFields).meta({ id: 'CommissionRate' });
export type Rate = z.infer<typeof Rate>;

export const LevelRates = z
  .strictObject({ '1': Rate.optional(), '2': Rate.optional(), '3': Rate.optional() })
  .meta({ id: 'CommissionLevelRates', description: 'a rate per CTV level (1 Bronze, 2 Silver, 3 Gold)' });
export type LevelRates = z.infer<typeof LevelRates>;

export const BasicDefault = z.strictObject({ ...rateFields, levels: LevelRates.optional() });
export const BasicRule = z
  .strictObject({
    productId: Id.optional(),
    unit: text(50).optional(),
    category: text(100).optional(),
    ...rateFields,
    levels: LevelRates.optional(),
  })
  .meta({ description: 'scope: productId + unit, productId, or category (most specific wins)' });
export type BasicRule = z.infer<typeof BasicRule>;

export const AdvancedRule = z.strictObject({
  collaboratorId: Id,
  productIds: z.array(Id).min(1).max(1000),
  ...rateFields,
  mode: z.enum(['replace', 'add']),
});
export type AdvancedRule = z.infer<typeof AdvancedRule>;

export const Bracket = z.strictObject({ from: z.int().min(0).max(MAX_VOLUME), percentBp: Bp });
export type Bracket = z.infer<typeof Bracket>;

export const Award = z.strictObject({
  cycle: CycleEnum,
  minQuantity: z.int().min(0).max(1_000_000_000).nullable().optional(),
  minAverageStars: Stars.nullable().optional(),
  mode: z.enum(['marginal', 'retroactive']).optional(),
  brackets: z.array(Bracket).min(1).max(50).optional(),
  percentBp: Bp.optional(),
});
export type Award = z.infer<typeof Award>;

/** A level's thresholds for the month's close (DOMAIN.md "Collaborators": levels). */
export const PromotionRule = z
  .strictObject({
    level: z.int().min(2).max(3).meta({ description: '2 Silver or 3 Gold (1 Bronze is where every CTV starts)' }),
    minQuantity: z.int().min(0).max(1_000_000_000).nullable().optional(),
    minAverageStars: Stars.nullable().optional(),
  })
  .meta({ id: 'CommissionPromotionRule' });
export type PromotionRule = z.infer<typeof PromotionRule>;

export const Levels = z
  .strictObject({
    promotion: z.array(PromotionRule).min(1).max(2),
    demotion: z.boolean().optional().meta({ description: 'default false: the close only moves CTVs up' }),
  })
  .meta({
    id: 'CommissionLevels',
    description:
      "at a month's close each approved CTV moves up to the highest level whose thresholds its month meets (with demotion, also down)",
  });
export type Levels = z.infer<typeof Levels>;

export const Boost = z.strictObject({
  collaboratorIds: z.array(Id).min(1).max(100_000),
  from: isoDate,
  to: isoDate,
  percentBp: Bp,
});
export type Boost = z.infer<typeof Boost>;

const planFields = {
  effectiveFrom: isoDate.meta({ description: 'local day (business time zone) from which this version is in force' }),
  basic: z.strictObject({
    default: BasicDefault.optional(),
    rules: z.array(BasicRule).max(5000).optional(),
  }),
  advanced: z.array(AdvancedRule).max(10_000).optional(),
  addOn: z.strictObject({ collaboratorPercentBp: Bp, sellerPercentBp: Bp.optional() }).optional(),
  repurchase: z
    .strictObject({
      percentBp: Bp,
      bindingDays: z.int().min(0).max(36_500).optional().meta({ description: 'default 365; 0 = lifetime' }),
      maxRepurchases: z.int().min(1).max(1_000_000).nullable().optional(),
      attribution: z.enum(['binding', 'last_touch']).optional(),
    })
    .optional(),
  referral: z
    .strictObject({
      level1Bp: Bp,
      level2Bp: Bp.nullable().optional(),
      months: z.int().min(1).max(1200).nullable().optional(),
      minOwnQuantity: z.int().min(0).max(1_000_000_000).nullable().optional(),
      minAverageStars: Stars.nullable().optional(),
      cycle: CycleEnum.optional(),
    })
    .optional(),
  awards: z.array(Award).max(20).optional(),
  platformFeeBp: Bp.optional(),
  selfOrder: z.strictObject({ mode: z.enum(['not_credited', 'rate']), percentBp: Bp.optional() }).optional(),
  boosts: z.array(Boost).max(1000).optional(),
  levels: Levels.optional(),
};

const PlanShape = z.strictObject(planFields);
export type CommissionPlan = z.infer<typeof PlanShape>;

/** The body of `POST /commission-plans`: the shape, then every rule of `validatePlan`. */
export const CommissionPlanVersionInput = PlanShape.check((ctx) => {
  if (ctx.issues.length > 0) return; // shape first; rules on a well-formed plan only
  for (const e of planIssues(ctx.value)) {
    ctx.issues.push({ code: 'custom', path: e.path, message: e.message, input: ctx.value });
  }
}).meta({ id: 'CommissionPlanVersionInput' });

/** A stored, immutable version: the plan plus who/what/when. */
export interface StoredPlanVersion extends CommissionPlan {
  planId: string;
  version: number;
  createdAt: string;
}

export const CommissionPlanVersionView = z
  .object({ ...planFields, planId: z.string(), version: z.int().min(1), createdAt: isoDateTime })
  .meta({ id: 'CommissionPlanVersion' });

// ---------------------------------------------------------------------------------------------
// Validation

type Path = (string | number)[];
interface Issue {
  path: Path;
  message: string;
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

function checkBp(issues: Issue[], v: unknown, path: Path, optional = true): void {
  if (v === undefined || v === null) {
    if (!optional) issues.push({ path, message: 'a rate in basis points is required' });
    return;
  }
  if (!isInt(v)) issues.push({ path, message: 'a rate is a whole number of basis points (1% = 100)' });
  else if (v < 0) issues.push({ path, message: 'a rate cannot be negative' });
  else if (v > MAX_BP) issues.push({ path, message: 'a rate cannot exceed 10000 bp (100%)' });
}

function checkCount(issues: Issue[], v: unknown, path: Path, min: number): void {
  if (v === undefined || v === null) return;
  if (!isInt(v)) issues.push({ path, message: 'must be a whole number' });
  else if (v < min) issues.push({ path, message: min === 0 ? 'cannot be negative' : `must be at least ${min}` });
}

function checkStars(issues: Issue[], v: unknown, path: Path): void {
  if (v === undefined || v === null) return;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 1 || v > 5) {
    issues.push({ path, message: 'average stars are between 1 and 5' });
  } else if (Math.abs(v * 100 - Math.round(v * 100)) > 1e-6) {
    issues.push({ path, message: 'average stars have at most two decimals' });
  }
}

/** A rate object: exactly one of percentBp / fixedPerUnit, neither negative. */
function checkRate(issues: Issue[], rate: Rate | undefined, path: Path): void {
  if (!rate) return;
  const hasPct = rate.percentBp !== undefined;
  const hasFixed = rate.fixedPerUnit !== undefined;
  if (hasPct === hasFixed) {
    issues.push({ path, message: 'give exactly one of percentBp or fixedPerUnit' });
  }
  if (hasPct) checkBp(issues, rate.percentBp, [...path, 'percentBp']);
  if (hasFixed) {
    const v = rate.fixedPerUnit;
    const p = [...path, 'fixedPerUnit'];
    if (!isInt(v)) issues.push({ path: p, message: 'a fixed amount is a whole number of đồng' });
    else if (v < 0) issues.push({ path: p, message: 'a fixed amount cannot be negative' });
    else if (v > MAX_FIXED_PER_UNIT) issues.push({ path: p, message: 'a fixed amount per unit is at most 1,000,000,000 đ' });
  }
}

function checkLevels(issues: Issue[], levels: LevelRates | undefined, path: Path): void {
  if (!levels) return;
  for (const key of Object.keys(levels)) {
    if (key !== '1' && key !== '2' && key !== '3') {
      issues.push({ path: [...path, key], message: 'levels are 1, 2 and 3' });
      continue;
    }
    checkRate(issues, levels[key], [...path, key]);
  }
}

export type BasicScope = 'product_unit' | 'product' | 'category';

/** The scope of a basic rule and its identity (two rules with one identity overlap). */
export function basicScopeOf(rule: BasicRule): { scope: BasicScope; id: string } | null {
  if (rule.productId !== undefined && rule.category !== undefined) return null;
  if (rule.productId !== undefined) {
    return rule.unit !== undefined
      ? { scope: 'product_unit', id: JSON.stringify([rule.productId, rule.unit]) }
      : { scope: 'product', id: JSON.stringify([rule.productId]) };
  }
  if (rule.category !== undefined && rule.unit === undefined) return { scope: 'category', id: JSON.stringify([rule.category]) };
  return null;
}

const dayPattern = /^\d{4}-\d{2}-\d{2}$/;

function planIssues(plan: CommissionPlan): Issue[] {
  const issues: Issue[] = [];
  if (typeof plan.effectiveFrom !== 'string' || !dayPattern.test(plan.effectiveFrom)) {
    issues.push({ path: ['effectiveFrom'], message: 'a local day, YYYY-MM-DD' });
  }

  // basic
  if (!plan.basic) issues.push({ path: ['basic'], message: 'the basic plan is required' });
  else {
    if (plan.basic.default) {
      checkRate(issues, plan.basic.default, ['basic', 'default']);
      checkLevels(issues, plan.basic.default.levels, ['basic', 'default', 'levels']);
    }
    const seen = new Map<string, number>();
    (plan.basic.rules ?? []).forEach((rule, i) => {
      const path = ['basic', 'rules', i];
      const scope = basicScopeOf(rule);
      if (!scope) {
        issues.push({
          path,
          message:
            rule.productId !== undefined && rule.category !== undefined
              ? 'a rule names a product (with an optional unit) or a category, not both'
              : rule.unit !== undefined
                ? 'a unit needs a productId'
                : 'a rule needs a productId or a category (use basic.default for everything else)',
        });
      } else {
        const key = `${scope.scope}:${scope.id}`;
        const first = seen.get(key);
        if (first !== undefined) {
          issues.push({ path, message: `overlaps basic.rules.${first}: two rules with the same scope` });
        } else seen.set(key, i);
      }
      checkRate(issues, rule, path);
      checkLevels(issues, rule.levels, [...path, 'levels']);
    });
  }

  // advanced
  const advancedSeen = new Map<string, number>();
  (plan.advanced ?? []).forEach((rule, i) => {
    const path = ['advanced', i];
    checkRate(issues, rule, path);
    if (!rule.collaboratorId) issues.push({ path: [...path, 'collaboratorId'], message: 'required' });
    if (!rule.productIds || rule.productIds.length === 0) {
      issues.push({ path: [...path, 'productIds'], message: 'name at least one product' });
    }
    (rule.productIds ?? []).forEach((productId, j) => {
      const key = JSON.stringify([rule.collaboratorId, productId]);
      const first = advancedSeen.get(key);
      if (first !== undefined) {
        issues.push({
          path: [...path, 'productIds', j],
          message: first === i ? 'listed twice' : `overlaps advanced.${first}: this CTV already has an advanced rate for this product`,
        });
      } else advancedSeen.set(key, i);
    });
  });

  if (plan.addOn) {
    checkBp(issues, plan.addOn.collaboratorPercentBp, ['addOn', 'collaboratorPercentBp'], false);
    checkBp(issues, plan.addOn.sellerPercentBp, ['addOn', 'sellerPercentBp']);
  }
  if (plan.repurchase) {
    checkBp(issues, plan.repurchase.percentBp, ['repurchase', 'percentBp'], false);
    checkCount(issues, plan.repurchase.bindingDays, ['repurchase', 'bindingDays'], 0);
    checkCount(issues, plan.repurchase.maxRepurchases, ['repurchase', 'maxRepurchases'], 1);
  }
  if (plan.referral) {
    const r = plan.referral;
    checkBp(issues, r.level1Bp, ['referral', 'level1Bp'], false);
    checkBp(issues, r.level2Bp, ['referral', 'level2Bp']);
    checkCount(issues, r.months, ['referral', 'months'], 1);
    checkCount(issues, r.minOwnQuantity, ['referral', 'minOwnQuantity'], 0);
    checkStars(issues, r.minAverageStars, ['referral', 'minAverageStars']);
  }

  (plan.awards ?? []).forEach((award, i) => {
    const path = ['awards', i];
    checkCount(issues, award.minQuantity, [...path, 'minQuantity'], 0);
    checkStars(issues, award.minAverageStars, [...path, 'minAverageStars']);
    const hasBrackets = award.brackets !== undefined;
    const hasFlat = award.percentBp !== undefined;
    if (hasBrackets === hasFlat) issues.push({ path, message: 'give exactly one of brackets or percentBp (a flat rate)' });
    if (hasFlat) {
      checkBp(issues, award.percentBp, [...path, 'percentBp']);
      if (!hasBrackets && award.mode !== undefined) issues.push({ path: [...path, 'mode'], message: 'mode applies to brackets only' });
    }
    if (hasBrackets) {
      if (award.mode === undefined) issues.push({ path: [...path, 'mode'], message: 'brackets need a mode: marginal or retroactive' });
      const brackets = award.brackets ?? [];
      if (brackets.length === 0) issues.push({ path: [...path, 'brackets'], message: 'give at least one bracket' });
      brackets.forEach((b, j) => {
        const bp = [...path, 'brackets', j];
        checkBp(issues, b.percentBp, [...bp, 'percentBp'], false);
        if (!isInt(b.from) || b.from < 0)
          issues.push({ path: [...bp, 'from'], message: 'a bracket starts at a whole, non-negative amount' });
        else if (j === 0 && b.from !== 0) issues.push({ path: [...bp, 'from'], message: 'the first bracket starts from 0' });
        else if (j > 0 && !(b.from > (brackets[j - 1]?.from ?? -1))) {
          issues.push({ path: [...bp, 'from'], message: 'brackets must be in ascending order of from' });
        }
      });
    }
  });

  checkBp(issues, plan.platformFeeBp, ['platformFeeBp']);

  if (plan.selfOrder) {
    if (plan.selfOrder.mode === 'rate') checkBp(issues, plan.selfOrder.percentBp, ['selfOrder', 'percentBp'], false);
    else if (plan.selfOrder.percentBp !== undefined) {
      issues.push({ path: ['selfOrder', 'percentBp'], message: 'a rate is only given with mode "rate"' });
    }
  }

  (plan.boosts ?? []).forEach((boost, i) => {
    const path = ['boosts', i];
    checkBp(issues, boost.percentBp, [...path, 'percentBp'], false);
    if (!boost.collaboratorIds || boost.collaboratorIds.length === 0) {
      issues.push({ path: [...path, 'collaboratorIds'], message: 'name at least one CTV' });
    }
    if (!dayPattern.test(boost.from ?? '')) issues.push({ path: [...path, 'from'], message: 'a local day, YYYY-MM-DD' });
    if (!dayPattern.test(boost.to ?? '')) issues.push({ path: [...path, 'to'], message: 'a local day, YYYY-MM-DD' });
    else if (boost.from > boost.to) issues.push({ path: [...path, 'to'], message: 'the boost ends before it starts' });
  });

  if (plan.levels) {
    const seen = new Map<number, number>();
    (plan.levels.promotion ?? []).forEach((rule, i) => {
      const path = ['levels', 'promotion', i];
      if (rule.level !== 2 && rule.level !== 3) {
        issues.push({ path: [...path, 'level'], message: 'a promotion names level 2 or 3 (level 1 is where every CTV starts)' });
      } else {
        const first = seen.get(rule.level);
        if (first !== undefined)
          issues.push({ path: [...path, 'level'], message: `level ${rule.level} is already given by levels.promotion.${first}` });
        else seen.set(rule.level, i);
      }
      checkCount(issues, rule.minQuantity, [...path, 'minQuantity'], 0);
      checkStars(issues, rule.minAverageStars, [...path, 'minAverageStars']);
      if ((rule.minQuantity ?? null) === null && (rule.minAverageStars ?? null) === null) {
        issues.push({ path, message: "give minQuantity or minAverageStars: a level without a threshold would be every CTV's" });
      }
    });
  }

  return issues;
}

/**
 * Every business rule a plan version must meet, as field errors with dotted paths
 * (`basic.rules.2.percentBp`). An empty list means the plan is valid.
 */
export function validatePlan(plan: CommissionPlan): FieldError[] {
  return planIssues(plan).map((i) => ({ path: i.path.join('.'), message: i.message }));
}

const dayStarts = new Map<string, number>();
/** startOfLocalDay, memoised (pure: the same day and zone always give the same instant). */
export function localDayStart(day: string, timeZone: Zone): number {
  const key = `${timeZone}|${day}`;
  let start = dayStarts.get(key);
  if (start === undefined) {
    if (dayStarts.size >= 100_000) dayStarts.clear();
    start = startOfLocalDay(day, timeZone);
    dayStarts.set(key, start);
  }
  return start;
}

/**
 * The version in force at an instant: the one with the latest `effectiveFrom` (local midnight in
 * the business's zone) at or before the instant; among versions with the same `effectiveFrom`, the
 * highest version number (a correction supersedes). Null when no version is in force yet.
 */
export function planInForce<P extends Pick<StoredPlanVersion, 'effectiveFrom' | 'version'>>(
  versions: readonly P[],
  at: string | number,
  timeZone: Zone = DEFAULT_TIME_ZONE,
): P | null {
  const instant = typeof at === 'number' ? at : parseInstant(at);
  if (!Number.isFinite(instant)) throw new RangeError(`not an instant: ${String(at)}`);
  let best: P | null = null;
  let bestStart = -Infinity;
  for (const v of versions) {
    const start = localDayStart(v.effectiveFrom, timeZone);
    if (start > instant) continue;
    if (start > bestStart || (start === bestStart && best !== null && v.version > best.version)) {
      best = v;
      bestStart = start;
    }
  }
  return best;
}

/** The rate of a basic rule (or default) for a CTV level: the level's rate when set. */
export function rateForLevel(rule: Rate & { levels?: LevelRates | undefined }, level: Level): { rate: Rate; level?: Level } {
  const levelRate = rule.levels?.[String(level) as '1' | '2' | '3'];
  return levelRate ? { rate: levelRate, level } : { rate: rule };
}

/** minAverageStars (e.g. 4.5) as hundredths of a star (450), for integer comparison. */
export function starsHundredths(stars: number): number {
  return Math.round(stars * 100);
}

/**
 * A star requirement: Σstars × 100 ≥ minimum(hundredths) × count, in integers. No ratings never
 * meets a requirement (DOMAIN.md); no requirement is always met.
 */
export function meetsStars(min: number | null | undefined, ratings: { count: number; starsSum: number } | undefined): boolean {
  if (min === null || min === undefined) return true;
  if (!ratings || ratings.count <= 0) return false;
  return ratings.starsSum * 100 >= starsHundredths(min) * ratings.count;
}
