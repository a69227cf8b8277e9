/**
 * KPI plans (DOMAIN.md "Care staff KPIs", API.md `kpi-plans` and `kpi-assignments`).
 *
 * A plan has a cycle, a distributed indicator (money: `revenue` or `revenue_above_target`) and
 * ordered groups: the `required` groups first (at least one), then the `over_kpi_award` groups.
 * Each group has conditions (indicator, comparator, target, weight in bp), an award rate in bp and
 * the slice of the distributed indicator it pays on (an amount; null = the rest, last group only).
 * A target is positive, except that a lower-is-better indicator may have a target of 0 (DOMAIN.md).
 * Weights of all the plan's conditions sum to 10000.
 */
import * as z from 'zod';
import type { FieldError } from '../errors';
import { invalid } from '../errors';
import { CYCLES, parsePeriod, type Cycle } from '../period';
import { isoDate, text } from '../text';
import { UserId } from '../entities/roster';
import { INDICATORS, LOWER_IS_BETTER, RATE_INDICATORS, type Indicator } from './indicators';

export const COMPARATORS = ['gt', 'gte', 'lt', 'lte', 'eq'] as const;
export type Comparator = (typeof COMPARATORS)[number];

export const GROUP_TYPES = ['required', 'over_kpi_award'] as const;
export type GroupType = (typeof GROUP_TYPES)[number];

export const DEFAULT_CAP_BP = 15_000;
export const WEIGHTS_TOTAL_BP = 10_000;
/** Largest target or slice: one trillion đồng is far beyond any care staff's period. */
const MAX_AMOUNT = 1_000_000_000_000_000;

export const KpiIndicator = z.enum(INDICATORS).meta({ id: 'KpiIndicator' });
export const KpiComparator = z.enum(COMPARATORS).meta({
  id: 'KpiComparator',
  description: 'the condition holds when `actual comparator target`: gt >, gte ≥, lt <, lte ≤, eq =',
});

export const KpiConditionInput = z.strictObject({
  indicator: KpiIndicator,
  comparator: KpiComparator,
  target: z.int().min(0).max(MAX_AMOUNT).meta({
    description:
      'VND for revenue, a count, or basis points for the rates (70% = 7000); positive, except that a lower-is-better indicator (cancel_rate) may have a target of 0',
  }),
  weightBp: z.int().min(0).max(WEIGHTS_TOTAL_BP).meta({ description: 'weight in the score; all weights of a plan sum to 10000' }),
});

export const KpiGroupInput = z.strictObject({
  type: z.enum(GROUP_TYPES),
  awardPercentBp: z.int().min(0).max(10_000).meta({ description: 'the rate paid on this group’s slice' }),
  sliceAmount: z.int().positive().max(MAX_AMOUNT).nullable().default(null).meta({
    description: 'VND of the distributed indicator this group pays on, taken after the slices before it; null = the rest (last group only)',
  }),
  conditions: z.array(KpiConditionInput).min(1).max(20),
});

const KpiPlanShape = z.strictObject({
  name: text(200),
  effectiveFrom: isoDate,
  cycle: z.enum(CYCLES),
  distributedIndicator: z.enum(['revenue', 'revenue_above_target']),
  capBp: z.int().min(10_000).max(100_000).default(DEFAULT_CAP_BP).meta({ description: 'cap of each achievement in bp (15000 = 1.5)' }),
  groups: z.array(KpiGroupInput).min(1).max(10),
});

export type KpiPlan = z.output<typeof KpiPlanShape>;
export type KpiCondition = KpiPlan['groups'][number]['conditions'][number];
export type KpiGroup = KpiPlan['groups'][number];

type Issue = { path: (string | number)[]; message: string };

function planIssues(plan: KpiPlan): Issue[] {
  const issues: Issue[] = [];
  const groups = plan.groups;
  if (groups.length === 0) return [{ path: ['groups'], message: 'a plan needs at least one group' }];
  if (groups[0]!.type !== 'required') {
    issues.push({ path: ['groups', 0, 'type'], message: 'the first group must be required' });
  }
  let weights = 0;
  let seenAward = false;
  groups.forEach((g, i) => {
    if (g.type === 'over_kpi_award') seenAward = true;
    else if (seenAward) issues.push({ path: ['groups', i, 'type'], message: 'required groups come before the over-KPI award groups' });
    if (g.sliceAmount === null && i !== groups.length - 1) {
      issues.push({ path: ['groups', i, 'sliceAmount'], message: 'only the last group may take the rest (a null slice)' });
    }
    if (g.sliceAmount !== null && !(Number.isSafeInteger(g.sliceAmount) && g.sliceAmount > 0)) {
      issues.push({ path: ['groups', i, 'sliceAmount'], message: 'a slice is a positive whole number of đồng' });
    }
    if (!Number.isSafeInteger(g.awardPercentBp) || g.awardPercentBp < 0 || g.awardPercentBp > 10_000) {
      issues.push({ path: ['groups', i, 'awardPercentBp'], message: 'an award rate is 0–10000 bp' });
    }
    if (g.conditions.length === 0) issues.push({ path: ['groups', i, 'conditions'], message: 'a group needs at least one condition' });
    g.conditions.forEach((c, j) => {
      const at = ['groups', i, 'conditions', j];
      if (!Number.isSafeInteger(c.target) || c.target < 0) {
        issues.push({ path: [...at, 'target'], message: 'a target is a whole number, positive (0 only for a lower-is-better indicator)' });
      } else if (c.target === 0 && !LOWER_IS_BETTER.has(c.indicator)) {
        issues.push({
          path: [...at, 'target'],
          message: `${c.indicator} is higher-is-better: its target is positive (only a lower-is-better indicator such as cancel_rate may have a target of 0)`,
        });
      } else if (RATE_INDICATORS.has(c.indicator) && c.target > 10_000) {
        issues.push({ path: [...at, 'target'], message: 'a rate target is in basis points, at most 10000 (100%)' });
      }
      if (!Number.isSafeInteger(c.weightBp) || c.weightBp < 0 || c.weightBp > WEIGHTS_TOTAL_BP) {
        issues.push({ path: [...at, 'weightBp'], message: 'a weight is 0–10000 bp' });
      } else {
        weights += c.weightBp;
      }
      if (LOWER_IS_BETTER.has(c.indicator) && (c.comparator === 'gt' || c.comparator === 'gte')) {
        issues.push({ path: [...at, 'comparator'], message: `${c.indicator} is lower-is-better: use lt, lte or eq` });
      } else if (!LOWER_IS_BETTER.has(c.indicator) && (c.comparator === 'lt' || c.comparator === 'lte')) {
        issues.push({ path: [...at, 'comparator'], message: `${c.indicator} is higher-is-better: use gt, gte or eq` });
      }
    });
  });
  if (weights !== WEIGHTS_TOTAL_BP) {
    issues.push({ path: ['groups'], message: `the weights of all conditions must sum to 10000 (100%); they sum to ${weights}` });
  }
  if (!Number.isSafeInteger(plan.capBp) || plan.capBp < 10_000) {
    issues.push({ path: ['capBp'], message: 'the cap is at least 10000 bp (1.0)' });
  }
  const usesAboveTarget =
    plan.distributedIndicator === 'revenue_above_target' ||
    groups.some((g) => g.conditions.some((c) => c.indicator === 'revenue_above_target'));
  if (usesAboveTarget && revenueTargetOf(plan) === null) {
    issues.push({
      path: [plan.distributedIndicator === 'revenue_above_target' ? 'distributedIndicator' : 'groups'],
      message: 'revenue above target needs a revenue condition in a required group (its target is the revenue target)',
    });
  }
  return issues;
}

/** The business rules of a well-shaped plan, as field errors (`groups.1.conditions.0.target`); empty when valid. */
export function validateKpiPlan(plan: KpiPlan): FieldError[] {
  return planIssues(plan).map((i) => ({ path: i.path.join('.'), message: i.message }));
}

/** The KPI plan as POSTed (API.md); parsing also checks the rules of `validateKpiPlan`, with field paths. */
export const KpiPlanInput = KpiPlanShape.check((payload) => {
  // the rules run when the shape is right (zod skips this otherwise); a field zod has already
  // reported (say a cap below its minimum) is not reported twice
  const reported = new Set(payload.issues.map((i) => i.path?.join('.') ?? ''));
  for (const issue of planIssues(payload.value)) {
    if (reported.has(issue.path.join('.'))) continue;
    payload.issues.push({ code: 'custom', path: issue.path, message: issue.message, input: payload.value });
  }
}).meta({ id: 'KpiPlan' });
export type KpiPlanInput = z.input<typeof KpiPlanInput>;

/** Parse and validate a plan, or throw a validation DomainError listing every problem. */
export function parseKpiPlan(input: unknown): KpiPlan {
  const result = KpiPlanInput.safeParse(input);
  if (result.success) return result.data;
  throw invalid(
    result.error.issues.map((i) => ({
      path: i.code === 'unrecognized_keys' ? [...i.path, ...i.keys].join('.') : i.path.join('.'),
      message: i.code === 'unrecognized_keys' ? 'unknown field' : i.message,
    })),
    'The KPI plan is not valid',
  );
}

/**
 * The plan's revenue target, used by `revenue_above_target`: the target of the first `revenue`
 * condition of the first required group that has one (the revenue the care staff must reach to
 * earn anything). Null when no required group has a revenue condition.
 */
export function revenueTargetOf(plan: Pick<KpiPlan, 'groups'>): number | null {
  for (const g of plan.groups) {
    if (g.type !== 'required') continue;
    const c = g.conditions.find((x) => x.indicator === 'revenue');
    if (c) return c.target;
  }
  return null;
}

/** The indicators a plan reads. */
export function indicatorsOf(plan: Pick<KpiPlan, 'groups' | 'distributedIndicator'>): Set<Indicator> {
  const out = new Set<Indicator>([plan.distributedIndicator]);
  for (const g of plan.groups) for (const c of g.conditions) out.add(c.indicator);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Assignments

const Id = z.string().min(1).max(64);

/**
 * `{ planId, staffGroupId, effectiveFrom }` or `{ planId, userId, effectiveFrom }`: exactly one of
 * staffGroupId and userId (one object with a check, so a mistake is reported on the field).
 */
export const KpiAssignmentInput = z
  .strictObject({
    planId: Id,
    staffGroupId: Id.optional().meta({ description: 'assign to every member of a staff group' }),
    userId: UserId.optional().meta({ description: 'assign to one care staff (overrides any group assignment)' }),
    effectiveFrom: isoDate,
  })
  .superRefine((a, ctx) => {
    if ((a.staffGroupId === undefined) === (a.userId === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [a.userId === undefined ? 'staffGroupId' : 'userId'],
        message: 'name exactly one of staffGroupId and userId',
      });
    }
  })
  .meta({ id: 'KpiAssignmentInput' });

export type KpiAssignment = (
  | { planId: string; staffGroupId: string; userId?: undefined }
  | { planId: string; userId: string; staffGroupId?: undefined }
) & {
  effectiveFrom: string;
  /** breaks ties between assignments with the same effectiveFrom (later wins); else list order */
  createdAt?: string;
};

/** The input as a domain assignment (after `KpiAssignmentInput` has checked it). */
export function toKpiAssignment(input: z.output<typeof KpiAssignmentInput>): KpiAssignment {
  return input.userId !== undefined
    ? { planId: input.planId, userId: input.userId, effectiveFrom: input.effectiveFrom }
    : { planId: input.planId, staffGroupId: input.staffGroupId!, effectiveFrom: input.effectiveFrom };
}

/**
 * The plan in force for a care staff on a local day (YYYY-MM-DD):
 * - an assignment is in force when its effectiveFrom and its plan's effectiveFrom are on or before
 *   the day and the plan exists;
 * - a person's own assignments override every group's, whatever the dates;
 * - among several in force (own, or of any of the person's groups), the latest effectiveFrom wins;
 *   on the same day, the later createdAt, then the later in the list.
 * Null when nothing is in force.
 */
export function resolvePlanFor<P extends { id: string; effectiveFrom: string }>(
  userId: string,
  groupIdsOfUser: readonly string[],
  assignments: readonly KpiAssignment[],
  plans: readonly P[],
  atDay: string,
): { plan: P; assignment: KpiAssignment } | null {
  const byId = new Map(plans.map((p) => [p.id, p]));
  const groups = new Set(groupIdsOfUser);
  const pick = (own: boolean) => {
    let best: { plan: P; assignment: KpiAssignment; index: number } | null = null;
    assignments.forEach((a, index) => {
      const mine = own ? a.userId === userId : a.staffGroupId !== undefined && groups.has(a.staffGroupId);
      if (!mine || a.effectiveFrom > atDay) return;
      const plan = byId.get(a.planId);
      if (!plan || plan.effectiveFrom > atDay) return;
      if (!best || later(a, index, best.assignment, best.index)) best = { plan, assignment: a, index };
    });
    return best as { plan: P; assignment: KpiAssignment } | null;
  };
  const found = pick(true) ?? pick(false);
  return found ? { plan: found.plan, assignment: found.assignment } : null;
}

function later(a: KpiAssignment, ai: number, b: KpiAssignment, bi: number): boolean {
  if (a.effectiveFrom !== b.effectiveFrom) return a.effectiveFrom > b.effectiveFrom;
  const ac = a.createdAt === undefined ? NaN : Date.parse(a.createdAt);
  const bc = b.createdAt === undefined ? NaN : Date.parse(b.createdAt);
  if (!Number.isNaN(ac) && !Number.isNaN(bc) && ac !== bc) return ac > bc;
  return ai > bi;
}

/**
 * The plan for a care staff's result in a period: the plan in force on the period's last local day
 * (the plan at the close), when its cycle is the period's cycle; null otherwise (no result).
 */
export function resolvePlanForPeriod<P extends { id: string; effectiveFrom: string; cycle: Cycle }>(
  userId: string,
  groupIdsOfUser: readonly string[],
  assignments: readonly KpiAssignment[],
  plans: readonly P[],
  periodId: string,
): { plan: P; assignment: KpiAssignment } | null {
  const ref = parsePeriod(periodId);
  if (!ref) throw new RangeError(`not a period: ${periodId}`);
  const found = resolvePlanFor(userId, groupIdsOfUser, assignments, plans, ref.lastDay);
  return found && found.plan.cycle === ref.cycle ? found : null;
}
