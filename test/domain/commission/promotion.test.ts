/**
 * Levels at a month's close (domain/commission/promotion.ts) and the plan's `levels` (API.md):
 * the highest level whose thresholds the month meets, up only unless the plan demotes, and the
 * plan's validation naming the field.
 */
import { describe, expect, it } from 'vitest';
import { CommissionPlanVersionInput, validatePlan, type CommissionPlan, type Levels } from '../../../domain/commission/plan';
import { decideLevel, levelMet, type LevelFacts } from '../../../domain/commission/promotion';

/** Silver from 10 units; Gold from 30 units and 4.5★ on average. */
const LEVELS: Levels = {
  promotion: [
    { level: 2, minQuantity: 10, minAverageStars: null },
    { level: 3, minQuantity: 30, minAverageStars: 4.5 },
  ],
  demotion: false,
};
const facts = (f: Partial<LevelFacts>): LevelFacts => ({ level: 1, canEarn: true, quantity: 0, ratings: null, ...f });

describe('levelMet: the highest level whose thresholds the month meets', () => {
  it('is 1 below every threshold, 2 from 10 units, 3 from 30 units with 4.5★', () => {
    expect(levelMet(LEVELS, { quantity: 9, ratings: null })).toBe(1);
    expect(levelMet(LEVELS, { quantity: 10, ratings: null })).toBe(2); // 10 ≥ 10 (inclusive)
    // 30 units but no ratings: a star threshold is not met without ratings
    expect(levelMet(LEVELS, { quantity: 30, ratings: null })).toBe(2);
    // 4 ratings, 18 stars: 18 / 4 = 4.5 ≥ 4.5
    expect(levelMet(LEVELS, { quantity: 30, ratings: { count: 4, starsSum: 18 } })).toBe(3);
    // 4 ratings, 17 stars: 4.25 < 4.5
    expect(levelMet(LEVELS, { quantity: 45, ratings: { count: 4, starsSum: 17 } })).toBe(2);
  });

  it('does not need the rules in order, and a level may be reached directly (1 → 3)', () => {
    const reversed: Levels = { promotion: [...LEVELS.promotion].reverse() };
    expect(levelMet(reversed, { quantity: 30, ratings: { count: 2, starsSum: 10 } })).toBe(3);
    expect(decideLevel(reversed, facts({ level: 1, quantity: 30, ratings: { count: 2, starsSum: 10 } }))).toEqual({
      from: 1,
      to: 3,
      move: 'promotion',
      met: 3,
    });
  });
});

describe('decideLevel', () => {
  it('moves up only, without demotion: a CTV above what the month meets stays', () => {
    expect(decideLevel(LEVELS, facts({ level: 1, quantity: 12 }))).toEqual({ from: 1, to: 2, move: 'promotion', met: 2 });
    expect(decideLevel(LEVELS, facts({ level: 2, quantity: 12 }))).toEqual({ from: 2, to: 2, move: null, met: 2 });
    expect(decideLevel(LEVELS, facts({ level: 3, quantity: 0 }))).toEqual({ from: 3, to: 3, move: null, met: 1 });
  });

  it('with demotion: true, also down to what the month meets (level 1 when nothing is met)', () => {
    const demoting: Levels = { ...LEVELS, demotion: true };
    expect(decideLevel(demoting, facts({ level: 3, quantity: 12 }))).toEqual({ from: 3, to: 2, move: 'demotion', met: 2 });
    expect(decideLevel(demoting, facts({ level: 2, quantity: 3 }))).toEqual({ from: 2, to: 1, move: 'demotion', met: 1 });
    expect(decideLevel(demoting, facts({ level: 1, quantity: 40, ratings: { count: 1, starsSum: 5 } }))).toEqual({
      from: 1,
      to: 3,
      move: 'promotion',
      met: 3,
    });
  });

  it('moves nobody without levels in the plan, nor a CTV that is not approved at the close', () => {
    expect(decideLevel(undefined, facts({ level: 1, quantity: 100 }))).toMatchObject({ to: 1, move: null });
    expect(decideLevel(LEVELS, facts({ level: 1, canEarn: false, quantity: 100 }))).toMatchObject({ to: 1, move: null });
    expect(decideLevel({ ...LEVELS, demotion: true }, facts({ level: 3, canEarn: false }))).toMatchObject({ to: 3, move: null });
  });
});

describe("the plan's levels", () => {
  const plan = (levels: unknown) => ({ effectiveFrom: '2026-10-01', basic: { default: { percentBp: 1000 } }, levels });
  const paths = (levels: unknown) => {
    const r = CommissionPlanVersionInput.safeParse(plan(levels));
    return r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
  };

  it("accepts API.md's example and keeps it as given", () => {
    const json = { promotion: [{ level: 2, minQuantity: 10, minAverageStars: null }], demotion: false };
    const r = CommissionPlanVersionInput.safeParse(plan(json));
    expect(r.success).toBe(true);
    expect(r.data!.levels).toEqual(json);
    expect(validatePlan(r.data! as CommissionPlan)).toEqual([]);
    expect(paths(LEVELS)).toEqual([]);
    expect(paths({ promotion: [{ level: 3, minAverageStars: 4.8 }] })).toEqual([]); // demotion defaults to false
  });

  it('names the field of each mistake', () => {
    expect(paths({ promotion: [{ level: 1, minQuantity: 5 }] })).toEqual(['levels.promotion.0.level']);
    expect(paths({ promotion: [{ level: 4, minQuantity: 5 }] })).toEqual(['levels.promotion.0.level']);
    expect(paths({ promotion: [{ level: 2, minQuantity: -1 }] })).toEqual(['levels.promotion.0.minQuantity']);
    expect(paths({ promotion: [{ level: 2, minQuantity: 2.5 }] })).toEqual(['levels.promotion.0.minQuantity']);
    expect(paths({ promotion: [{ level: 2, minAverageStars: 6 }] })).toEqual(['levels.promotion.0.minAverageStars']);
    expect(paths({ promotion: [{ level: 2, minAverageStars: 4.555 }] })).toEqual(['levels.promotion.0.minAverageStars']);
    expect(paths({ promotion: [{ level: 2, minQuantity: 5, bonus: 1 }] })).toEqual(['levels.promotion.0']);
    expect(paths({ promotion: [] })).toEqual(['levels.promotion']);
    expect(paths({ demotion: true })).toEqual(['levels.promotion']);
    expect(paths({ promotion: [{ level: 2, minQuantity: 5 }], demotion: 'yes' })).toEqual(['levels.demotion']);
    // a level without any threshold would be every CTV's; a level given twice is ambiguous
    expect(paths({ promotion: [{ level: 2, minQuantity: null }] })).toEqual(['levels.promotion.0']);
    expect(
      paths({
        promotion: [
          { level: 2, minQuantity: 5 },
          { level: 2, minQuantity: 8 },
        ],
      }),
    ).toEqual(['levels.promotion.1.level']);
  });
});
