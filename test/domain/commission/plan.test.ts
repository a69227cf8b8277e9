import { describe, expect, it } from 'vitest';
import { CommissionPlanVersionInput, meetsStars, planInForce, validatePlan, type CommissionPlan } from '../../../domain/commission/plan';

/** API.md's plan JSON, verbatim. */
const API_EXAMPLE = `{
  "effectiveFrom": "2026-10-01",
  "basic": {
    "default": { "percentBp": 1000 },
    "rules": [
      { "productId": "CREAM-50", "unit": "hũ", "percentBp": 800 },
      { "productId": "MASK-10", "fixedPerUnit": 15000 },
      { "category": "serum", "percentBp": 1200 }
    ]
  },
  "advanced": [ { "collaboratorId": "…", "productIds": ["VIP-1"], "percentBp": 1500, "mode": "replace" } ],
  "addOn": { "collaboratorPercentBp": 500, "sellerPercentBp": 300 },
  "repurchase": { "percentBp": 400, "bindingDays": 365, "maxRepurchases": null, "attribution": "binding" },
  "referral": { "level1Bp": 300, "level2Bp": 100, "months": null, "minOwnQuantity": 5, "minAverageStars": null },
  "awards": [ { "cycle": "month", "minQuantity": 20, "minAverageStars": 4.5, "mode": "marginal",
                "brackets": [ { "from": 0, "percentBp": 100 }, { "from": 10000000, "percentBp": 200 } ] } ]
}`;

const paths = (plan: unknown) => {
  const r = CommissionPlanVersionInput.safeParse(plan);
  return r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
};
const valid = (p: Partial<CommissionPlan>): CommissionPlan => ({
  effectiveFrom: '2026-10-01',
  basic: { default: { percentBp: 1000 } },
  ...p,
});

describe('plan schema', () => {
  it("accepts API.md's plan JSON as it is", () => {
    const json = JSON.parse(API_EXAMPLE);
    const r = CommissionPlanVersionInput.safeParse(json);
    expect(r.success).toBe(true);
    expect(r.data).toEqual(json);
    expect(validatePlan(r.data!)).toEqual([]);
  });

  it('needs only effectiveFrom and basic', () => {
    expect(CommissionPlanVersionInput.safeParse({ effectiveFrom: '2026-10-01', basic: {} }).success).toBe(true);
    expect(paths({ basic: {} })).toEqual(['effectiveFrom']);
    expect(paths({ effectiveFrom: '2026-10-01' })).toEqual(['basic']);
    expect(paths({ effectiveFrom: '2026-13-01', basic: {} })).toEqual(['effectiveFrom']);
  });

  it('rejects unknown fields (a typo must not silently pay the default)', () => {
    expect(paths({ effectiveFrom: '2026-10-01', basic: { default: { percent: 1000 } } })).toContain('basic.default');
    expect(paths({ effectiveFrom: '2026-10-01', basic: {}, bonus: 1 })).toEqual(['']);
  });

  it('accepts the optional extras', () => {
    const plan = valid({
      basic: {
        default: { percentBp: 1000, levels: { '3': { percentBp: 1200 } } },
        rules: [{ productId: 'MASK-10', fixedPerUnit: 15_000, levels: { '2': { fixedPerUnit: 20_000 } } }],
      },
      advanced: [{ collaboratorId: 'C', productIds: ['X'], fixedPerUnit: 5_000, mode: 'add' }],
      platformFeeBp: 500,
      selfOrder: { mode: 'rate', percentBp: 300 },
      boosts: [{ collaboratorIds: ['C'], from: '2026-11-01', to: '2026-11-11', percentBp: 200 }],
      awards: [
        { cycle: 'week', percentBp: 100 },
        { cycle: 'quarter', mode: 'retroactive', brackets: [{ from: 0, percentBp: 100 }] },
        { cycle: 'year', minQuantity: 100, percentBp: 50 },
      ],
      referral: { level1Bp: 300, cycle: 'quarter', months: 12 },
    });
    expect(paths(plan)).toEqual([]);
  });

  it('rejects out-of-range and non-integer rates at the edge', () => {
    expect(paths(valid({ platformFeeBp: -1 }))).toEqual(['platformFeeBp']);
    expect(paths(valid({ platformFeeBp: 10_001 }))).toEqual(['platformFeeBp']);
    expect(paths(valid({ addOn: { collaboratorPercentBp: 2.5 } }))).toEqual(['addOn.collaboratorPercentBp']);
    expect(paths(valid({ basic: { default: { fixedPerUnit: -5 } } }))).toEqual(['basic.default.fixedPerUnit']);
  });
});

describe('validatePlan', () => {
  const errorsOf = (p: Partial<CommissionPlan>) => validatePlan(valid(p));

  it('a rule has exactly one of percentBp / fixedPerUnit', () => {
    expect(errorsOf({ basic: { rules: [{ productId: 'P', percentBp: 100, fixedPerUnit: 5 }] } }).map((e) => e.path)).toEqual([
      'basic.rules.0',
    ]);
    expect(errorsOf({ basic: { rules: [{ productId: 'P' }] } }).map((e) => e.path)).toEqual(['basic.rules.0']);
    expect(errorsOf({ basic: { default: {} } }).map((e) => e.path)).toEqual(['basic.default']);
    expect(errorsOf({ basic: { default: { percentBp: 100, levels: { '2': {} } } } }).map((e) => e.path)).toEqual([
      'basic.default.levels.2',
    ]);
  });

  it('negative rates, built in code rather than parsed, are caught too', () => {
    const errors = errorsOf({
      basic: { default: { percentBp: -100 }, rules: [{ category: 'c', fixedPerUnit: -1 }] },
      addOn: { collaboratorPercentBp: -1, sellerPercentBp: 20_000 },
      boosts: [{ collaboratorIds: ['A'], from: '2026-10-01', to: '2026-10-02', percentBp: -3 }],
    });
    expect(errors.map((e) => e.path).sort()).toEqual(
      [
        'addOn.collaboratorPercentBp',
        'addOn.sellerPercentBp',
        'basic.default.percentBp',
        'basic.rules.0.fixedPerUnit',
        'boosts.0.percentBp',
      ].sort(),
    );
    expect(errors.find((e) => e.path === 'basic.default.percentBp')?.message).toMatch(/negative/);
  });

  it('overlapping scopes: two rules with the same scope', () => {
    const errors = errorsOf({
      basic: {
        rules: [
          { productId: 'CREAM-50', unit: 'hũ', percentBp: 800 },
          { productId: 'CREAM-50', percentBp: 900 }, // a different (less specific) scope: fine
          { category: 'serum', percentBp: 1200 },
          { productId: 'CREAM-50', unit: 'hũ', percentBp: 700 },
          { category: 'serum', fixedPerUnit: 1000 },
          { productId: 'CREAM-50', unit: 'tuýp', percentBp: 700 }, // another unit: fine
        ],
      },
    });
    expect(errors.map((e) => e.path)).toEqual(['basic.rules.3', 'basic.rules.4']);
    expect(errors[0]!.message).toMatch(/basic\.rules\.0/);
    expect(errors[1]!.message).toMatch(/basic\.rules\.2/);
  });

  it('a rule names a product (with optional unit) or a category', () => {
    expect(errorsOf({ basic: { rules: [{ productId: 'P', category: 'c', percentBp: 1 }] } }).map((e) => e.path)).toEqual(['basic.rules.0']);
    expect(errorsOf({ basic: { rules: [{ unit: 'hũ', percentBp: 1 }] } }).map((e) => e.path)).toEqual(['basic.rules.0']);
    expect(errorsOf({ basic: { rules: [{ percentBp: 1 }] } }).map((e) => e.path)).toEqual(['basic.rules.0']);
  });

  it('advanced rules may not overlap for one CTV and product', () => {
    const errors = errorsOf({
      advanced: [
        { collaboratorId: 'A', productIds: ['X', 'Y'], percentBp: 1500, mode: 'replace' },
        { collaboratorId: 'B', productIds: ['X'], percentBp: 1500, mode: 'replace' },
        { collaboratorId: 'A', productIds: ['Z', 'Y'], percentBp: 500, mode: 'add' },
        { collaboratorId: 'C', productIds: ['Q', 'Q'], percentBp: 500, mode: 'add' },
      ],
    });
    expect(errors.map((e) => e.path)).toEqual(['advanced.2.productIds.1', 'advanced.3.productIds.1']);
  });

  it('award brackets: first from 0, ascending, with a mode; or a flat rate, not both', () => {
    const award = (a: object) => errorsOf({ awards: [{ cycle: 'month', ...a }] }).map((e) => e.path);
    expect(award({ mode: 'marginal', brackets: [{ from: 100, percentBp: 100 }] })).toEqual(['awards.0.brackets.0.from']);
    expect(
      award({
        mode: 'marginal',
        brackets: [
          { from: 0, percentBp: 100 },
          { from: 500, percentBp: 200 },
          { from: 500, percentBp: 300 },
        ],
      }),
    ).toEqual(['awards.0.brackets.2.from']);
    expect(
      award({
        mode: 'retroactive',
        brackets: [
          { from: 0, percentBp: 100 },
          { from: 9, percentBp: 200 },
          { from: 5, percentBp: 300 },
        ],
      }),
    ).toEqual(['awards.0.brackets.2.from']);
    expect(award({ brackets: [{ from: 0, percentBp: 100 }] })).toEqual(['awards.0.mode']);
    expect(award({ percentBp: 100, brackets: [{ from: 0, percentBp: 100 }], mode: 'marginal' })).toEqual(['awards.0']);
    expect(award({})).toEqual(['awards.0']);
    expect(award({ percentBp: 100, mode: 'marginal' })).toEqual(['awards.0.mode']);
    expect(award({ percentBp: 100, minAverageStars: 4.555 })).toEqual(['awards.0.minAverageStars']);
    expect(award({ percentBp: 100, minQuantity: -1 })).toEqual(['awards.0.minQuantity']);
  });

  it('self-order and boosts', () => {
    expect(errorsOf({ selfOrder: { mode: 'rate' } }).map((e) => e.path)).toEqual(['selfOrder.percentBp']);
    expect(errorsOf({ selfOrder: { mode: 'not_credited', percentBp: 100 } }).map((e) => e.path)).toEqual(['selfOrder.percentBp']);
    expect(
      errorsOf({ boosts: [{ collaboratorIds: ['A'], from: '2026-11-02', to: '2026-11-01', percentBp: 100 }] }).map((e) => e.path),
    ).toEqual(['boosts.0.to']);
    expect(
      errorsOf({ boosts: [{ collaboratorIds: [], from: '2026-11-01', to: '2026-11-01', percentBp: 100 }] }).map((e) => e.path),
    ).toEqual(['boosts.0.collaboratorIds']);
  });

  it('the schema reports the same errors with their paths, all at once', () => {
    const r = CommissionPlanVersionInput.safeParse(
      valid({
        basic: {
          rules: [
            { productId: 'P', percentBp: 1 },
            { productId: 'P', percentBp: 2 },
          ],
        },
        awards: [{ cycle: 'month', mode: 'marginal', brackets: [{ from: 5, percentBp: 1 }] }],
      }),
    );
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join('.'))).toEqual(['basic.rules.1', 'awards.0.brackets.0.from']);
  });
});

describe('planInForce', () => {
  const v = (version: number, effectiveFrom: string) => ({
    planId: 'P',
    version,
    effectiveFrom,
    createdAt: '2026-01-01T00:00:00Z',
    basic: {},
  });
  const versions = [v(1, '2026-10-01'), v(2, '2026-11-01'), v(3, '2026-11-01'), v(4, '2027-01-01')];

  it('switches at local midnight of effectiveFrom in the business zone', () => {
    // 2026-11-01 00:00 in Ho Chi Minh City (+07) is 2026-10-31T17:00Z
    expect(planInForce(versions, '2026-10-31T16:59:59.999Z', 'Asia/Ho_Chi_Minh')?.version).toBe(1);
    expect(planInForce(versions, '2026-10-31T17:00:00Z', 'Asia/Ho_Chi_Minh')?.version).toBe(3);
    // the same instant in UTC is still October 31
    expect(planInForce(versions, '2026-10-31T17:00:00Z', 'UTC')?.version).toBe(1);
  });

  it('a later version with the same effectiveFrom supersedes; nothing before the first', () => {
    expect(planInForce([v(3, '2026-11-01'), v(2, '2026-11-01')], '2026-11-05T00:00:00+07:00', 'Asia/Ho_Chi_Minh')?.version).toBe(3);
    expect(planInForce(versions, '2026-09-30T23:59:59+07:00', 'Asia/Ho_Chi_Minh')).toBeNull();
    expect(planInForce(versions, Date.parse('2027-03-01T00:00:00Z'), 'Asia/Ho_Chi_Minh')?.version).toBe(4);
  });
});

describe('average stars in integers', () => {
  it('Σstars × 100 ≥ min × 100 × count; no ratings is not met', () => {
    expect(meetsStars(4.5, { count: 2, starsSum: 9 })).toBe(true); // exactly 4.5
    expect(meetsStars(4.5, { count: 3, starsSum: 13 })).toBe(false); // 4.33
    expect(meetsStars(4.6, { count: 5, starsSum: 23 })).toBe(true); // 4.6 (4.6 × 100 is 459.99… in floating point)
    expect(meetsStars(4.5, { count: 0, starsSum: 0 })).toBe(false);
    expect(meetsStars(4.5, undefined)).toBe(false);
    expect(meetsStars(null, undefined)).toBe(true);
  });
});
