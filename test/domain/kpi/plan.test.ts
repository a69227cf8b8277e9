import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DomainError } from '../../../domain/errors';
import {
  KpiAssignmentInput,
  KpiPlanInput,
  parseKpiPlan,
  resolvePlanFor,
  resolvePlanForPeriod,
  revenueTargetOf,
  toKpiAssignment,
  validateKpiPlan,
  type KpiAssignment,
} from '../../../domain/kpi/plan';
import { kpiPlanExample } from '../../fixtures/kpi-plan';

/** API.md's KPI plan, which is DOMAIN.md's worked example (see the fixture). */
const API_PLAN = kpiPlanExample();

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
type Plan = typeof API_PLAN;
const edit = (f: (p: Plan & Record<string, unknown>) => void) => {
  const p = clone(API_PLAN) as Plan & Record<string, unknown>;
  f(p);
  return p;
};
/** The field paths of the problems with an input. */
const problems = (input: unknown): string[] => {
  try {
    parseKpiPlan(input);
    return [];
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    expect((e as DomainError).kind).toBe('validation');
    return (e as DomainError).errors.map((x) => x.path);
  }
};

describe('KPI plan schema', () => {
  it("accepts API.md's plan as is", () => {
    const plan = parseKpiPlan(API_PLAN);
    expect(plan).toEqual(API_PLAN);
    expect(KpiPlanInput.safeParse(API_PLAN).success).toBe(true);
  });

  it('defaults capBp to 15000 and a missing slice to the rest', () => {
    const p = edit((x) => {
      delete (x as Record<string, unknown>).capBp;
      delete (x.groups[1] as Record<string, unknown>).sliceAmount;
    });
    const plan = parseKpiPlan(p);
    expect(plan.capBp).toBe(15000);
    expect(plan.groups[1]!.sliceAmount).toBeNull();
  });

  it('accepts every comparator, cycle and indicator name of API.md', () => {
    for (const cycle of ['week', 'month', 'quarter', 'year']) expect(problems({ ...API_PLAN, cycle })).toEqual([]);
    expect(problems(edit((x) => (x.groups[1]!.conditions[0]!.comparator = 'eq')))).toEqual([]);
    expect(problems(edit((x) => (x.groups[1]!.conditions[0]!.comparator = 'gt')))).toEqual([]);
    for (const indicator of [
      'revenue',
      'revenue_above_target',
      'orders',
      'confirmation_rate',
      'completion_rate',
      'total_collaborators',
      'new_collaborators',
      'active_collaborators',
    ]) {
      expect(problems(edit((x) => (x.groups[1]!.conditions[0]!.indicator = indicator))), indicator).toEqual([]);
    }
    const cancel = edit((x) => Object.assign(x.groups[1]!.conditions[0]!, { indicator: 'cancel_rate', comparator: 'lt', target: 500 }));
    expect(problems(cancel)).toEqual([]);
    expect(
      problems(edit((x) => Object.assign(x.groups[1]!.conditions[0]!, { indicator: 'cancel_rate', comparator: 'lte', target: 500 }))),
    ).toEqual([]);
  });

  it('rejects unknown names and fields', () => {
    expect(problems(edit((x) => (x.groups[0]!.conditions[0]!.comparator = 'ge')))).toEqual(['groups.0.conditions.0.comparator']);
    expect(problems(edit((x) => (x.groups[0]!.conditions[0]!.indicator = 'profit')))).toEqual(['groups.0.conditions.0.indicator']);
    expect(problems(edit((x) => (x.cycle = 'day')))).toEqual(['cycle']);
    expect(problems(edit((x) => (x.groups[0]!.type = 'bonus')))).toEqual(['groups.0.type']);
    expect(problems(edit((x) => (x.distributedIndicator = 'orders')))).toEqual(['distributedIndicator']);
    expect(problems(edit((x) => ((x.groups[0] as Record<string, unknown>).rate = 1)))).toEqual(['groups.0.rate']);
    expect(problems(edit((x) => (x.effectiveFrom = '2026-13-01')))).toEqual(['effectiveFrom']);
  });

  it('weights must sum to 10000', () => {
    expect(problems(edit((x) => (x.groups[1]!.conditions[0]!.weightBp = 1000)))).toEqual(['groups']);
    expect(problems(edit((x) => (x.groups[1]!.conditions[0]!.weightBp = 2001)))).toEqual(['groups']);
    expect(validateKpiPlan(parseKpiPlan(API_PLAN))).toEqual([]);
  });

  it('targets are positive whole numbers; rate targets at most 10000', () => {
    expect(problems(edit((x) => (x.groups[0]!.conditions[0]!.target = 0)))).toEqual(['groups.0.conditions.0.target']);
    expect(problems(edit((x) => (x.groups[0]!.conditions[0]!.target = -5)))).toEqual(['groups.0.conditions.0.target']);
    expect(problems(edit((x) => (x.groups[0]!.conditions[0]!.target = 1.5)))).toEqual(['groups.0.conditions.0.target']);
    expect(problems(edit((x) => (x.groups[0]!.conditions[1]!.target = 10001)))).toEqual(['groups.0.conditions.1.target']);
  });

  it('only the last slice may be open-ended; slices are positive', () => {
    expect(problems(edit((x) => ((x.groups[0] as { sliceAmount: number | null }).sliceAmount = null)))).toEqual(['groups.0.sliceAmount']);
    expect(problems(edit((x) => (x.groups[0]!.sliceAmount = 0)))).toEqual(['groups.0.sliceAmount']);
    expect(problems(edit((x) => ((x.groups[1] as { sliceAmount: number | null }).sliceAmount = 50_000_000)))).toEqual([]);
  });

  it('at least one required group, and required groups first', () => {
    expect(problems(edit((x) => (x.groups[0]!.type = 'over_kpi_award')))).toEqual(['groups.0.type']);
    expect(problems(edit((x) => (x.groups = [x.groups[1]!, x.groups[0]!] as never)))).toEqual([
      'groups.0.type',
      'groups.0.sliceAmount',
      'groups.1.type',
    ]);
    expect(problems(edit((x) => (x.groups = [] as never)))).toEqual(['groups']);
    expect(problems(edit((x) => (x.groups[0]!.conditions = [])))).toContain('groups.0.conditions');
  });

  it('the comparator must fit the direction of the indicator', () => {
    expect(
      problems(edit((x) => Object.assign(x.groups[1]!.conditions[0]!, { indicator: 'cancel_rate', comparator: 'gte', target: 500 }))),
    ).toEqual(['groups.1.conditions.0.comparator']);
    expect(problems(edit((x) => (x.groups[1]!.conditions[0]!.comparator = 'lte')))).toEqual(['groups.1.conditions.0.comparator']);
  });

  it('revenue above target needs a revenue target in a required group', () => {
    expect(revenueTargetOf(parseKpiPlan(API_PLAN))).toBe(300_000_000);
    expect(problems({ ...API_PLAN, distributedIndicator: 'revenue_above_target' })).toEqual([]);
    const noRevenue = edit((x) => {
      x.distributedIndicator = 'revenue_above_target';
      x.groups[0]!.conditions[0]!.indicator = 'orders';
      x.groups[0]!.conditions[0]!.target = 100;
    });
    expect(problems(noRevenue)).toEqual(['distributedIndicator']);
    // a revenue condition only in an over-KPI group is not the target
    const overOnly = edit((x) => {
      x.groups[0]!.conditions[0]!.indicator = 'orders';
      x.groups[0]!.conditions[0]!.target = 100;
      x.groups[1]!.conditions[0]!.indicator = 'revenue_above_target';
      x.groups[1]!.conditions.push({ indicator: 'revenue', comparator: 'gte', target: 5, weightBp: 0 });
    });
    expect(problems(overOnly)).toEqual(['groups']);
  });

  it('the cap is at least 1.0', () => {
    expect(problems({ ...API_PLAN, capBp: 9999 })).toEqual(['capBp']);
    expect(problems({ ...API_PLAN, capBp: 10000 })).toEqual([]);
  });
});

describe('KPI assignments', () => {
  it('takes a group or a person, exactly one', () => {
    expect(KpiAssignmentInput.parse({ planId: 'P1', staffGroupId: 'G1', effectiveFrom: '2026-10-01' })).toEqual({
      planId: 'P1',
      staffGroupId: 'G1',
      effectiveFrom: '2026-10-01',
    });
    expect(toKpiAssignment(KpiAssignmentInput.parse({ planId: 'P1', userId: 'u-1', effectiveFrom: '2026-10-01' }))).toEqual({
      planId: 'P1',
      userId: 'u-1',
      effectiveFrom: '2026-10-01',
    });
    const both = KpiAssignmentInput.safeParse({ planId: 'P1', staffGroupId: 'G1', userId: 'u-1', effectiveFrom: '2026-10-01' });
    expect(both.success).toBe(false);
    expect(both.error!.issues.map((i) => i.path.join('.'))).toEqual(['userId']);
    const neither = KpiAssignmentInput.safeParse({ planId: 'P1', effectiveFrom: '2026-10-01' });
    expect(neither.error!.issues.map((i) => i.path.join('.'))).toEqual(['staffGroupId']);
    expect(KpiAssignmentInput.safeParse({ planId: 'P1', userId: 'u-1' }).success).toBe(false);
  });

  const plans = [
    { id: 'A', effectiveFrom: '2026-01-01', cycle: 'month' as const },
    { id: 'B', effectiveFrom: '2026-01-01', cycle: 'month' as const },
    { id: 'C', effectiveFrom: '2026-01-01', cycle: 'quarter' as const },
    { id: 'LATE', effectiveFrom: '2026-12-01', cycle: 'month' as const },
  ];
  const planOf = (assignments: KpiAssignment[], day: string, groups = ['G1', 'G2']) =>
    resolvePlanFor('u1', groups, assignments, plans, day)?.plan.id ?? null;

  it("a person's own assignment overrides any group's, even a newer one", () => {
    const a: KpiAssignment[] = [
      { planId: 'A', userId: 'u1', effectiveFrom: '2026-02-01' },
      { planId: 'B', staffGroupId: 'G1', effectiveFrom: '2026-06-01' },
    ];
    expect(planOf(a, '2026-07-01')).toBe('A');
    expect(planOf(a, '2026-01-15')).toBeNull(); // nothing in force yet
    expect(planOf(a.slice(1), '2026-07-01')).toBe('B');
    // someone else's personal assignment does not apply
    expect(planOf([{ planId: 'A', userId: 'u2', effectiveFrom: '2026-02-01' }, a[1]!], '2026-07-01')).toBe('B');
  });

  it('before a personal assignment takes effect, the group plan applies', () => {
    const a: KpiAssignment[] = [
      { planId: 'A', userId: 'u1', effectiveFrom: '2026-08-01' },
      { planId: 'B', staffGroupId: 'G2', effectiveFrom: '2026-06-01' },
    ];
    expect(planOf(a, '2026-07-31')).toBe('B');
    expect(planOf(a, '2026-08-01')).toBe('A');
  });

  it('among several in force, the latest effectiveFrom wins; then createdAt; then list order', () => {
    const groups: KpiAssignment[] = [
      { planId: 'A', staffGroupId: 'G1', effectiveFrom: '2026-05-01' },
      { planId: 'B', staffGroupId: 'G2', effectiveFrom: '2026-03-01' },
      { planId: 'C', staffGroupId: 'G3', effectiveFrom: '2026-09-01' }, // not the user's group
    ];
    expect(planOf(groups, '2026-10-01')).toBe('A');
    expect(planOf(groups, '2026-04-01')).toBe('B');
    expect(planOf(groups, '2026-10-01', ['G2'])).toBe('B');
    const sameDay: KpiAssignment[] = [
      { planId: 'B', staffGroupId: 'G1', effectiveFrom: '2026-05-01', createdAt: '2026-04-20T10:00:00+07:00' },
      { planId: 'A', staffGroupId: 'G2', effectiveFrom: '2026-05-01', createdAt: '2026-04-20T04:00:00Z' }, // 11:00 +07: later
    ];
    expect(planOf(sameDay, '2026-05-01')).toBe('A');
    expect(
      planOf(
        [
          { planId: 'A', userId: 'u1', effectiveFrom: '2026-05-01' },
          { planId: 'B', userId: 'u1', effectiveFrom: '2026-05-01' },
        ],
        '2026-06-01',
      ),
    ).toBe('B');
    expect(
      planOf(
        [
          { planId: 'B', userId: 'u1', effectiveFrom: '2026-05-01' },
          { planId: 'A', userId: 'u1', effectiveFrom: '2026-05-01' },
        ],
        '2026-06-01',
      ),
    ).toBe('A');
  });

  it('skips assignments whose plan is unknown or not yet effective', () => {
    const a: KpiAssignment[] = [
      { planId: 'A', staffGroupId: 'G1', effectiveFrom: '2026-02-01' },
      { planId: 'LATE', userId: 'u1', effectiveFrom: '2026-03-01' },
      { planId: 'GONE', staffGroupId: 'G1', effectiveFrom: '2026-04-01' },
    ];
    expect(planOf(a, '2026-06-01')).toBe('A');
    expect(planOf(a, '2026-12-01')).toBe('LATE');
  });

  it('for a period: the plan in force on its last day, when the cycles match', () => {
    const a: KpiAssignment[] = [
      { planId: 'A', staffGroupId: 'G1', effectiveFrom: '2026-01-01' },
      { planId: 'B', staffGroupId: 'G1', effectiveFrom: '2026-10-31' },
      { planId: 'C', staffGroupId: 'G1', effectiveFrom: '2026-11-15' },
    ];
    expect(resolvePlanForPeriod('u1', ['G1'], a, plans, '2026-10')?.plan.id).toBe('B');
    expect(resolvePlanForPeriod('u1', ['G1'], a, plans, '2026-09')?.plan.id).toBe('A');
    expect(resolvePlanForPeriod('u1', ['G1'], a, plans, '2026-11')).toBeNull(); // C is quarterly
    expect(resolvePlanForPeriod('u1', ['G1'], a, plans, '2026-Q4')?.plan.id).toBe('C');
  });

  it('property: a person with their own plan is unaffected by any change to their groups’ assignments', () => {
    const day = fc.integer({ min: 1, max: 28 }).map((d) => `2026-06-${String(d).padStart(2, '0')}`);
    const planId = fc.constantFrom('A', 'B', 'C', 'LATE', 'GONE');
    const groupAssignment = fc.record({ planId, staffGroupId: fc.constantFrom('G1', 'G2', 'G3'), effectiveFrom: day });
    const ownAssignment = fc.record({ planId: fc.constantFrom('A', 'B', 'C'), userId: fc.constant('u1'), effectiveFrom: day });
    fc.assert(
      fc.property(
        fc.array(ownAssignment, { minLength: 1, maxLength: 3 }),
        fc.array(groupAssignment, { maxLength: 5 }),
        fc.array(groupAssignment, { maxLength: 5 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        (own, groupsBefore, groupsAfter, positions) => {
          const atDay = '2026-06-28'; // every own assignment is in force
          const mix = (groupPart: KpiAssignment[]) => {
            const out: KpiAssignment[] = [...own];
            groupPart.forEach((g, i) => out.splice((positions[i] ?? 0) % (out.length + 1), 0, g));
            return out;
          };
          const before = resolvePlanFor('u1', ['G1', 'G2'], mix(groupsBefore), plans, atDay);
          const after = resolvePlanFor('u1', ['G1', 'G2'], mix(groupsAfter), plans, atDay);
          expect(before?.assignment.userId).toBe('u1');
          expect(after?.plan.id).toBe(before?.plan.id);
          expect(after?.assignment).toBe(before?.assignment);
        },
      ),
    );
  });
});
