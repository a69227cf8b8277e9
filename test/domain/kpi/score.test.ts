import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { INDICATORS, type Indicator, type Indicators } from '../../../domain/kpi/indicators';
import { parseKpiPlan, type Comparator, type KpiPlan } from '../../../domain/kpi/plan';
import { achievementBp, holds, scoreKpi } from '../../../domain/kpi/score';
import { kpiPlanExample } from '../../fixtures/kpi-plan';
import { conditionHolds, modelKpi } from './score-model';

/** API.md's KPI plan, which is DOMAIN.md's example (see the fixture). */
const API_PLAN = kpiPlanExample();

const zero: Indicators = Object.fromEntries(INDICATORS.map((i) => [i, 0])) as Indicators;
const ind = (values: Partial<Indicators>): Indicators => ({ ...zero, ...values });

/** A monthly plan on revenue with these groups (parsed as the API would). */
const monthPlan = (groups: unknown[], distributedIndicator = 'revenue') =>
  parseKpiPlan({ name: 'p', effectiveFrom: '2026-10-01', cycle: 'month', distributedIndicator, groups });
/** A required group paying 1% of an open slice. */
const required = (conditions: unknown[]) => ({ type: 'required', awardPercentBp: 100, sliceAmount: null, conditions });

describe('KPI score and award: DOMAIN.md example', () => {
  const plan = parseKpiPlan(API_PLAN);

  it('revenue 330M, confirmation 75%, 140 orders → score 1.0897, award 3,600,000 đ', () => {
    const r = scoreKpi('staff-1', plan, ind({ revenue: 330_000_000, confirmation_rate: 7500, orders: 140 }));
    // 330/300 = 1.1; 75/70 = 1.071428… → 10714 bp; 140/130 = 1.076923… → 10769 bp
    expect(r.conditions.map((c) => c.achievementBp)).toEqual([11000, 10714, 10769]);
    expect(r.conditions.every((c) => c.holds)).toBe(true);
    // (6000×11000 + 2000×10714 + 2000×10769) ÷ 10000 = 10896.6 → 10897
    expect(r.scoreBp).toBe(10897);
    expect(r.score).toBe(1.0897);
    expect(r.score.toFixed(4)).toBe('1.0897');
    // 300M × 1% + 30M × 2%
    expect(r.groups).toEqual([
      { type: 'required', holds: true, slice: 300_000_000, award: 3_000_000 },
      { type: 'over_kpi_award', holds: true, slice: 30_000_000, award: 600_000 },
    ]);
    expect(r.award).toBe(3_600_000);
    expect(r.userId).toBe('staff-1');
    expect(r.conditions[1]).toEqual({
      indicator: 'confirmation_rate',
      comparator: 'gte',
      actual: 7500,
      target: 7000,
      achievementBp: 10714,
      weightBp: 2000,
      holds: true,
    });
  });

  it('with 120 orders the over-KPI group fails and the award is 3,000,000 đ', () => {
    const r = scoreKpi('staff-1', plan, ind({ revenue: 330_000_000, confirmation_rate: 7500, orders: 120 }));
    expect(r.conditions[2]).toMatchObject({ actual: 120, achievementBp: 9231, holds: false }); // 120/130 = 0.923076…
    // (66,000,000 + 21,428,000 + 18,462,000) ÷ 10000 = 10589
    expect(r.scoreBp).toBe(10589);
    expect(r.groups[1]).toEqual({ type: 'over_kpi_award', holds: false, slice: 30_000_000, award: 0 });
    expect(r.award).toBe(3_000_000);
  });

  it('pays nothing when a required condition fails, even if the over-KPI group holds', () => {
    const r = scoreKpi('s', plan, ind({ revenue: 330_000_000, confirmation_rate: 6999, orders: 200 }));
    expect(r.groups.map((g) => g.holds)).toEqual([false, true]);
    expect(r.award).toBe(0);
    expect(r.groups.map((g) => g.award)).toEqual([0, 0]);
    expect(r.scoreBp).toBeGreaterThan(0); // the coefficient is still computed
  });

  it('below the revenue target: the required group fails; slices are still reported', () => {
    const r = scoreKpi('s', plan, ind({ revenue: 250_000_000, confirmation_rate: 8000, orders: 140 }));
    expect(r.groups.map((g) => g.slice)).toEqual([250_000_000, 0]);
    expect(r.award).toBe(0);
  });

  it('caps each achievement at capBp', () => {
    const r = scoreKpi('s', plan, ind({ revenue: 900_000_000, confirmation_rate: 10000, orders: 1000 }));
    expect(r.conditions.map((c) => c.achievementBp)).toEqual([15000, 14286, 15000]); // 100/70 = 1.428571…
    // (6000×15000 + 2000×14286 + 2000×15000) ÷ 10000 = 14857.2 → 14857
    expect(r.scoreBp).toBe(14857);
    const capped = parseKpiPlan({ ...API_PLAN, capBp: 12000 });
    expect(scoreKpi('s', capped, ind({ revenue: 900_000_000, confirmation_rate: 10000, orders: 1000 })).scoreBp).toBe(12000);
  });
});

describe('score rounding', () => {
  it('sums the weighted achievements exactly and rounds once', () => {
    const plan = monthPlan([
      required([
        { indicator: 'orders', comparator: 'gte', target: 10000, weightBp: 5000 },
        { indicator: 'active_collaborators', comparator: 'gte', target: 10000, weightBp: 5000 },
      ]),
    ]);
    // each term is 5000 × 10001 ÷ 10000 = 5000.5; rounding each would give 10002, the sum is 10001
    const r = scoreKpi('s', plan, ind({ orders: 10001, active_collaborators: 10001 }));
    expect(r.conditions.map((c) => c.achievementBp)).toEqual([10001, 10001]);
    expect(r.scoreBp).toBe(10001);
    expect(r.score).toBe(1.0001);
  });

  it('does not round the achievements before weighting them (DOMAIN.md: achievements are not rounded first)', () => {
    const plan = monthPlan([
      required([
        { indicator: 'orders', comparator: 'gte', target: 100_000, weightBp: 5000 },
        { indicator: 'active_collaborators', comparator: 'gte', target: 100, weightBp: 5000 },
      ]),
    ]);
    // orders 100,006 ÷ 100,000 = 1.00006; active CTVs 100 ÷ 100 = 1
    // score = 0.5 × 1.00006 + 0.5 × 1 = 1.00003 → 1.0000 (10000 bp).
    // Rounding 1.00006 to 1.0001 first would give 0.5 × 1.0001 + 0.5 × 1 = 1.00005 → 1.0001.
    const r = scoreKpi('s', plan, ind({ orders: 100_006, active_collaborators: 100 }));
    expect(r.scoreBp).toBe(10000);
    expect(r.score).toBe(1);
  });
});

describe('conditions', () => {
  it('each comparator reads `actual comparator target`', () => {
    const table: [number, Comparator, number, boolean][] = [
      [6, 'gt', 5, true],
      [5, 'gt', 5, false],
      [5, 'gte', 5, true],
      [4, 'gte', 5, false],
      [4, 'lt', 5, true],
      [5, 'lt', 5, false],
      [5, 'lte', 5, true],
      [6, 'lte', 5, false],
      [5, 'eq', 5, true],
      [6, 'eq', 5, false],
      [4, 'eq', 5, false],
    ];
    for (const [actual, comparator, target, expected] of table) {
      expect(holds(actual, comparator, target), `${actual} ${comparator} ${target}`).toBe(expected);
    }
  });

  it('each comparator decides the group through the plan', () => {
    const planWith = (indicator: Indicator, comparator: Comparator, target: number) =>
      monthPlan([
        { type: 'required', awardPercentBp: 100, sliceAmount: null, conditions: [{ indicator, comparator, target, weightBp: 10000 }] },
      ]);
    const award = (p: KpiPlan, values: Partial<Indicators>) => scoreKpi('s', p, ind({ revenue: 1_000_000, ...values })).award;
    expect(award(planWith('orders', 'gt', 10), { orders: 10 })).toBe(0);
    expect(award(planWith('orders', 'gt', 10), { orders: 11 })).toBe(10_000);
    expect(award(planWith('orders', 'gte', 10), { orders: 10 })).toBe(10_000);
    expect(award(planWith('orders', 'eq', 10), { orders: 10 })).toBe(10_000);
    expect(award(planWith('orders', 'eq', 10), { orders: 11 })).toBe(0);
    expect(award(planWith('cancel_rate', 'lt', 500), { cancel_rate: 500 })).toBe(0);
    expect(award(planWith('cancel_rate', 'lt', 500), { cancel_rate: 499 })).toBe(10_000);
    expect(award(planWith('cancel_rate', 'lte', 500), { cancel_rate: 500 })).toBe(10_000);
    expect(award(planWith('cancel_rate', 'lte', 500), { cancel_rate: 501 })).toBe(0);
  });

  it('lower-is-better: achievement is target ÷ actual, and an actual of 0 counts as the cap', () => {
    expect(achievementBp('cancel_rate', 400, 500, 15000)).toBe(12500);
    expect(achievementBp('cancel_rate', 1000, 500, 15000)).toBe(5000);
    expect(achievementBp('cancel_rate', 300, 500, 15000)).toBe(15000); // 1.666… capped
    expect(achievementBp('cancel_rate', 0, 500, 15000)).toBe(15000);
    expect(achievementBp('cancel_rate', 0, 500, 20000)).toBe(20000);
    expect(achievementBp('cancel_rate', 600, 500, 15000)).toBe(8333); // 0.83333…
    // higher-is-better with nothing done is 0, not the cap
    expect(achievementBp('orders', 0, 500, 15000)).toBe(0);
    expect(achievementBp('orders', 3, 2, 15000)).toBe(15000);
    expect(achievementBp('orders', 1, 3, 15000)).toBe(3333);
    expect(achievementBp('orders', 2, 3, 15000)).toBe(6667);
  });

  it('a lower-is-better condition in a plan scores and pays', () => {
    const plan = monthPlan([
      required([
        { indicator: 'revenue', comparator: 'gte', target: 100_000_000, weightBp: 5000 },
        { indicator: 'cancel_rate', comparator: 'lte', target: 500, weightBp: 5000 },
      ]),
    ]);
    const r = scoreKpi('s', plan, ind({ revenue: 100_000_000, cancel_rate: 400 }));
    // (5000×10000 + 5000×12500) ÷ 10000 = 11250
    expect(r.scoreBp).toBe(11250);
    expect(r.award).toBe(1_000_000);
    const none = scoreKpi('s', plan, ind({ revenue: 100_000_000, cancel_rate: 0 }));
    expect(none.scoreBp).toBe(12500); // (5000×10000 + 5000×15000) ÷ 10000
  });

  it('a lower-is-better condition may have a target of 0: an actual of 0 achieves the cap, any other 0 (DOMAIN.md)', () => {
    const plan = monthPlan([
      required([
        { indicator: 'revenue', comparator: 'gte', target: 100_000_000, weightBp: 5000 },
        { indicator: 'cancel_rate', comparator: 'lte', target: 0, weightBp: 5000 },
      ]),
    ]);
    // nothing cancelled: 0.5 × 1 + 0.5 × 1.5 (the cap) = 1.25; 0 ≤ 0 holds → 1% × 100,000,000 = 1,000,000 đ
    const clean = scoreKpi('s', plan, ind({ revenue: 100_000_000, cancel_rate: 0 }));
    expect(clean.scoreBp).toBe(12500);
    expect(clean.award).toBe(1_000_000);
    // 1% cancelled: 0.5 × 1 + 0.5 × 0 = 0.5; 100 ≤ 0 fails → no award
    const some = scoreKpi('s', plan, ind({ revenue: 100_000_000, cancel_rate: 100 }));
    expect(some.scoreBp).toBe(5000);
    expect(some.award).toBe(0);
  });
});

describe('award slices', () => {
  it('takes slices in group order; a failing group keeps its slice; the null slice takes the rest', () => {
    const plan = monthPlan([
      {
        type: 'required',
        awardPercentBp: 100,
        sliceAmount: 200_000_000,
        conditions: [{ indicator: 'revenue', comparator: 'gte', target: 200_000_000, weightBp: 5000 }],
      },
      {
        type: 'over_kpi_award',
        awardPercentBp: 200,
        sliceAmount: 100_000_000,
        conditions: [{ indicator: 'orders', comparator: 'gte', target: 100, weightBp: 2500 }],
      },
      {
        type: 'over_kpi_award',
        awardPercentBp: 300,
        sliceAmount: null,
        conditions: [{ indicator: 'active_collaborators', comparator: 'gte', target: 10, weightBp: 2500 }],
      },
    ]);
    const r = scoreKpi('s', plan, ind({ revenue: 500_000_000, orders: 99, active_collaborators: 12 }));
    expect(r.groups.map((g) => [g.slice, g.holds, g.award])).toEqual([
      [200_000_000, true, 2_000_000],
      [100_000_000, false, 0],
      [200_000_000, true, 6_000_000],
    ]);
    expect(r.award).toBe(8_000_000);
  });

  it('a revenue beyond every fixed slice is not paid', () => {
    const plan = monthPlan([
      {
        type: 'required',
        awardPercentBp: 100,
        sliceAmount: 100_000_000,
        conditions: [{ indicator: 'orders', comparator: 'gte', target: 1, weightBp: 10000 }],
      },
    ]);
    const r = scoreKpi('s', plan, ind({ revenue: 150_000_000, orders: 1 }));
    expect(r.groups[0]!.slice).toBe(100_000_000);
    expect(r.award).toBe(1_000_000);
  });

  it('rounds each group award half away from zero to the đồng', () => {
    const plan = monthPlan([
      {
        type: 'required',
        awardPercentBp: 150,
        sliceAmount: null,
        conditions: [{ indicator: 'orders', comparator: 'gte', target: 1, weightBp: 10000 }],
      },
    ]);
    expect(scoreKpi('s', plan, ind({ revenue: 333_333, orders: 1 })).award).toBe(5_000); // 4,999.995
    expect(scoreKpi('s', plan, ind({ revenue: 333_300, orders: 1 })).award).toBe(5_000); // exactly 4,999.5: half away from zero
    expect(scoreKpi('s', plan, ind({ revenue: 333_290, orders: 1 })).award).toBe(4_999); // 4,999.35
  });

  it('pays on revenue above target when that is the distributed indicator', () => {
    const plan = monthPlan(
      [
        {
          type: 'required',
          awardPercentBp: 500,
          sliceAmount: null,
          conditions: [{ indicator: 'revenue', comparator: 'gte', target: 300_000_000, weightBp: 10000 }],
        },
      ],
      'revenue_above_target',
    );
    const r = scoreKpi('s', plan, ind({ revenue: 330_000_000, revenue_above_target: 30_000_000 }));
    expect(r.award).toBe(1_500_000);
    expect(r.score).toBe(1.1);
  });
});

// ---- properties ----------------------------------------------------------------------------

// revenue_above_target needs a revenue condition in a required group (plan validation): left out here
const indicatorArb = fc.constantFrom(...INDICATORS.filter((i) => i !== 'revenue_above_target'));
const conditionArb = indicatorArb.chain((indicator) =>
  fc.record({
    indicator: fc.constant(indicator),
    comparator:
      indicator === 'cancel_rate' ? fc.constantFrom<Comparator>('lt', 'lte', 'eq') : fc.constantFrom<Comparator>('gt', 'gte', 'eq'),
    target: indicator.endsWith('_rate') ? fc.integer({ min: 1, max: 10000 }) : fc.integer({ min: 1, max: 1_000_000_000 }),
  }),
);

/** Valid plans: required groups first, weights summing to 10000, only the last slice open. */
const planArb: fc.Arbitrary<KpiPlan> = fc
  .record({
    required: fc.integer({ min: 1, max: 3 }),
    award: fc.integer({ min: 0, max: 2 }),
    capBp: fc.integer({ min: 10000, max: 30000 }),
    lastOpen: fc.boolean(),
  })
  .chain(({ required, award, capBp, lastOpen }) => {
    const n = required + award;
    return fc
      .record({
        conditions: fc.array(fc.array(conditionArb, { minLength: 1, maxLength: 3 }), { minLength: n, maxLength: n }),
        rates: fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: n, maxLength: n }),
        slices: fc.array(fc.integer({ min: 1, max: 500_000_000 }), { minLength: n, maxLength: n }),
      })
      .chain(({ conditions, rates, slices }) => {
        const count = conditions.flat().length;
        // weights: `count` non-negative integers summing to 10000
        return fc.array(fc.integer({ min: 0, max: 10000 }), { minLength: count - 1, maxLength: count - 1 }).map((cuts) => {
          const points = [0, ...cuts.sort((a, b) => a - b), 10000];
          const weights = points.slice(1).map((p, i) => p - points[i]!);
          let w = 0;
          const plan = {
            name: 'p',
            effectiveFrom: '2026-10-01',
            cycle: 'month',
            distributedIndicator: 'revenue',
            capBp,
            groups: conditions.map((cs, i) => ({
              type: i < required ? 'required' : 'over_kpi_award',
              awardPercentBp: rates[i]!,
              sliceAmount: lastOpen && i === n - 1 ? null : slices[i]!,
              conditions: cs.map((c) => ({ ...c, weightBp: weights[w++]! })),
            })),
          };
          return parseKpiPlan(plan);
        });
      });
  });

const indicatorsArb: fc.Arbitrary<Indicators> = fc.record(
  Object.fromEntries(
    INDICATORS.map((i) => [i, i.endsWith('_rate') ? fc.integer({ min: 0, max: 10000 }) : fc.integer({ min: 0, max: 2_000_000_000 })]),
  ) as Record<Indicator, fc.Arbitrary<number>>,
);

/** A plan with indicators that often sit on (or next to) its targets, where the comparators decide. */
const planAndValuesArb: fc.Arbitrary<[KpiPlan, Indicators]> = planArb.chain((plan) => {
  const targets = new Map<Indicator, number[]>();
  for (const g of plan.groups) for (const c of g.conditions) targets.set(c.indicator, [...(targets.get(c.indicator) ?? []), c.target]);
  const valueArb = (i: Indicator): fc.Arbitrary<number> => {
    const max = i.endsWith('_rate') ? 10000 : 2_000_000_000;
    const free = fc.integer({ min: 0, max });
    const near = targets.get(i);
    if (!near) return free;
    return fc.oneof(
      free,
      fc.tuple(fc.constantFrom(...near), fc.constantFrom(-1, 0, 1)).map(([t, d]) => Math.min(max, Math.max(0, t + d))),
    );
  };
  return fc
    .record(Object.fromEntries(INDICATORS.map((i) => [i, valueArb(i)])) as Record<Indicator, fc.Arbitrary<number>>)
    .map((values) => [plan, values] as [KpiPlan, Indicators]);
});

describe('KPI properties', () => {
  it('the reference model reproduces DOMAIN.md’s worked example (so it can be trusted as an oracle)', () => {
    const plan = parseKpiPlan(API_PLAN);
    const m = modelKpi(plan, ind({ revenue: 330_000_000, confirmation_rate: 7500, orders: 140 }));
    // 0.6 × 1.1 + 0.2 × 75/70 + 0.2 × 140/130 = 1.08967… → 1.0897; 300M × 1% + 30M × 2%
    expect(m.scoreBp).toBe(10897);
    expect(m.achievementsBp).toEqual([11000, 10714, 10769]);
    expect(m.groups).toEqual([
      { holds: true, slice: 300_000_000, award: 3_000_000 },
      { holds: true, slice: 30_000_000, award: 600_000 },
    ]);
    expect(m.award).toBe(3_600_000);
    // with 120 orders the over-KPI group fails: 3,000,000 đ
    expect(modelKpi(plan, ind({ revenue: 330_000_000, confirmation_rate: 7500, orders: 120 })).award).toBe(3_000_000);
    // a required condition failing pays nothing
    expect(modelKpi(plan, ind({ revenue: 330_000_000, confirmation_rate: 6999, orders: 200 })).award).toBe(0);
    // DOMAIN.md's target of 0 on a lower-is-better indicator: an actual of 0 is the cap, any other 0
    const zeroTarget = {
      capBp: 15000,
      distributedIndicator: 'revenue',
      groups: [
        {
          type: 'required' as const,
          awardPercentBp: 100,
          sliceAmount: null,
          conditions: [{ indicator: 'cancel_rate', comparator: 'lte' as const, target: 0, weightBp: 10000 }],
        },
      ],
    };
    expect(modelKpi(zeroTarget, ind({ revenue: 1_000_000, cancel_rate: 0 }))).toMatchObject({ scoreBp: 15000, award: 10_000 });
    expect(modelKpi(zeroTarget, ind({ revenue: 1_000_000, cancel_rate: 1 }))).toMatchObject({ scoreBp: 0, award: 0 });
  });

  it('the score never exceeds the cap (Σ weights × cap) and is never negative', () => {
    fc.assert(
      fc.property(planArb, indicatorsArb, (plan, values) => {
        const r = scoreKpi('s', plan, values);
        expect(r.scoreBp).toBeLessThanOrEqual(plan.capBp);
        expect(r.scoreBp).toBeGreaterThanOrEqual(0);
        for (const c of r.conditions) expect(c.achievementBp).toBeLessThanOrEqual(plan.capBp);
        expect(r.score).toBe(r.scoreBp / 10000);
      }),
      { numRuns: 300 },
    );
  }, 30_000);

  it('every condition at its cap gives exactly the cap', () => {
    fc.assert(
      fc.property(planArb, (plan) => {
        const huge = Object.fromEntries(INDICATORS.map((i) => [i, i === 'cancel_rate' ? 0 : 10_000_000_000_000])) as Indicators;
        expect(scoreKpi('s', plan, huge).scoreBp).toBe(plan.capBp);
      }),
    );
  });

  it('the award is the reference model’s: nothing when a required condition fails, else each holding group’s slice × rate', () => {
    let paid = 0;
    let unpaid = 0;
    fc.assert(
      fc.property(planAndValuesArb, ([plan, values]) => {
        const r = scoreKpi('s', plan, values);
        if (r.award > 0) paid++;
        else unpaid++;
        const m = modelKpi(plan, values);
        expect(r.conditions.map((c) => c.holds)).toEqual(m.conditionsHold);
        expect(r.groups.map((g) => ({ holds: g.holds, slice: g.slice, award: g.award }))).toEqual(m.groups);
        expect(r.award).toBe(m.award);
        // invariants the model does not need to be trusted for
        const requiredFails = plan.groups.some(
          (g) => g.type === 'required' && g.conditions.some((c) => !conditionHolds(values[c.indicator], c.comparator, c.target)),
        );
        if (requiredFails) expect(r.award).toBe(0);
        expect(r.award).toBe(r.groups.reduce((s, g) => s + g.award, 0));
        for (const g of r.groups) if (!g.holds) expect(g.award).toBe(0);
      }),
      { numRuns: 300 },
    );
    // both paths were exercised (a generator that never pays would check nothing of the award)
    expect(paid).toBeGreaterThan(10);
    expect(unpaid).toBeGreaterThan(10);
  }, 30_000);

  it('the score is the reference model’s: Σ weight × capped achievement, exact, rounded once', () => {
    fc.assert(
      fc.property(fc.oneof(planAndValuesArb, fc.tuple(planArb, indicatorsArb)), ([plan, values]) => {
        const r = scoreKpi('s', plan, values);
        const m = modelKpi(plan, values);
        expect(r.conditions.map((c) => c.achievementBp)).toEqual(m.achievementsBp);
        expect(r.scoreBp).toBe(m.scoreBp);
      }),
      { numRuns: 300 },
    );
  }, 30_000);

  it('slices split the distributed indicator in order and never exceed it', () => {
    fc.assert(
      fc.property(planArb, indicatorsArb, (plan, values) => {
        const r = scoreKpi('s', plan, values);
        const capacity = plan.groups.some((g) => g.sliceAmount === null) ? Infinity : plan.groups.reduce((s, g) => s + g.sliceAmount!, 0);
        expect(r.groups.reduce((s, g) => s + g.slice, 0)).toBe(Math.min(values.revenue, capacity));
      }),
    );
  });
});
