import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_CSAT } from '../../../domain/entities/tenant';
import { csatCountersFromRatings, csatDelta, csatResult, type RatingFacts } from '../../../domain/okr/csat';
import { periodIdAt, type Cycle } from '../../../domain/period';

const TZ = 'Asia/Ho_Chi_Minh';

describe('CSAT coefficient', () => {
  it('DOMAIN.md example: 170 of 200 ratings at 4–5★ → 85% → k = 1.0', () => {
    expect(csatResult({ ratings: 200, positive: 170 })).toEqual({
      ratings: 200,
      positive: 170,
      percentBp: 8500,
      coefficient: 1.0,
      flagged: false,
    });
  });

  it('default steps: ≥ 90% → 1.2, ≥ 80% → 1.0, ≥ 70% → 0.8, else 0.5', () => {
    const k = (positive: number, ratings: number) => csatResult({ ratings, positive }).coefficient;
    expect(k(10, 10)).toBe(1.2);
    expect(k(9, 10)).toBe(1.2); // exactly 90%
    expect(k(89, 100)).toBe(1.0);
    expect(k(8, 10)).toBe(1.0);
    expect(k(79, 100)).toBe(0.8);
    expect(k(7, 10)).toBe(0.8);
    expect(k(69, 100)).toBe(0.5);
    expect(k(0, 10)).toBe(0.5);
  });

  it('rounds the share half away from zero before the steps apply', () => {
    // 17999 / 20000 = 89.995% → 8999.5 bp → 9000 bp → 1.2
    expect(csatResult({ ratings: 20000, positive: 17999 })).toMatchObject({ percentBp: 9000, coefficient: 1.2 });
    // 17998 / 20000 = 89.99% → 8999 bp → 1.0
    expect(csatResult({ ratings: 20000, positive: 17998 })).toMatchObject({ percentBp: 8999, coefficient: 1.0 });
    expect(csatResult({ ratings: 3, positive: 2 }, { ...DEFAULT_CSAT, minRatings: 0 }).percentBp).toBe(6667);
  });

  it('fewer than the minimum number of ratings → 1.0 and flagged', () => {
    expect(csatResult({ ratings: 9, positive: 0 })).toEqual({ ratings: 9, positive: 0, percentBp: 0, coefficient: 1.0, flagged: true });
    expect(csatResult({ ratings: 9, positive: 9 })).toEqual({ ratings: 9, positive: 9, percentBp: 10000, coefficient: 1.0, flagged: true });
    expect(csatResult({ ratings: 0, positive: 0 })).toMatchObject({ coefficient: 1.0, flagged: true, percentBp: 0 });
    expect(csatResult({ ratings: 10, positive: 0 })).toMatchObject({ coefficient: 0.5, flagged: false });
  });

  it("uses the business's step table, whatever its order", () => {
    const settings = {
      steps: [
        { minPercentBp: 6000, coefficient: 0.9 },
        { minPercentBp: 9500, coefficient: 1.5 },
        { minPercentBp: 8000, coefficient: 1.1 },
      ],
      fallbackCoefficient: 0.3,
      minRatings: 3,
      belowMinimumCoefficient: 0.7,
    };
    expect(csatResult({ ratings: 20, positive: 19 }, settings).coefficient).toBe(1.5);
    expect(csatResult({ ratings: 20, positive: 18 }, settings).coefficient).toBe(1.1);
    expect(csatResult({ ratings: 20, positive: 12 }, settings).coefficient).toBe(0.9);
    expect(csatResult({ ratings: 20, positive: 11 }, settings).coefficient).toBe(0.3);
    expect(csatResult({ ratings: 2, positive: 2 }, settings)).toMatchObject({ coefficient: 0.7, flagged: true });
  });

  it('rejects inconsistent counters', () => {
    expect(() => csatResult({ ratings: 5, positive: 6 })).toThrow(RangeError);
    expect(() => csatResult({ ratings: -1, positive: 0 })).toThrow(RangeError);
  });
});

describe('CSAT counters', () => {
  const rating = (r: Partial<RatingFacts>): RatingFacts => ({
    ratingId: 'r',
    managerUserId: 'm1',
    stars: 5,
    ratedAt: '2026-11-03T10:00:00+07:00',
    ...r,
  });

  it('a rating recorded adds to its period of each cycle; 4 and 5 stars are positive', () => {
    expect(csatDelta(null, rating({ stars: 4 }), TZ, ['month'])).toEqual([
      { managerUserId: 'm1', periodId: '2026-11', ratings: 1, positive: 1 },
    ]);
    expect(csatDelta(null, rating({ stars: 3 }), TZ, ['month', 'week'])).toEqual([
      { managerUserId: 'm1', periodId: '2026-11', ratings: 1, positive: 0 },
      { managerUserId: 'm1', periodId: '2026-W45', ratings: 1, positive: 0 },
    ]);
    expect(csatDelta(null, rating({ managerUserId: null }), TZ, ['month'])).toEqual([]);
  });

  it('a corrected rating moves only what changed', () => {
    expect(csatDelta(rating({ stars: 5 }), rating({ stars: 2 }), TZ, ['month'])).toEqual([
      { managerUserId: 'm1', periodId: '2026-11', ratings: 0, positive: -1 },
    ]);
    expect(csatDelta(rating({ stars: 5 }), rating({ stars: 4 }), TZ, ['month'])).toEqual([]);
    // 23:30 on 31 October in Vietnam is October; 00:30 on 1 November is November
    expect(csatDelta(rating({ ratedAt: '2026-10-31T23:30:00+07:00' }), rating({ ratedAt: '2026-10-31T17:30:00Z' }), TZ, ['month'])).toEqual(
      [
        { managerUserId: 'm1', periodId: '2026-10', ratings: -1, positive: -1 },
        { managerUserId: 'm1', periodId: '2026-11', ratings: 1, positive: 1 },
      ],
    );
  });

  it('counts from scratch the ratings recorded in the period, by manager', () => {
    const ratings = [
      rating({ ratingId: 'a', stars: 5 }),
      rating({ ratingId: 'b', stars: 4 }),
      rating({ ratingId: 'c', stars: 1 }),
      rating({ ratingId: 'd', stars: 5, managerUserId: 'm2' }),
      rating({ ratingId: 'e', stars: 5, ratedAt: '2026-12-01T00:00:00+07:00' }),
      rating({ ratingId: 'f', stars: 2, ratedAt: '2026-11-30T23:59:59+07:00' }),
    ];
    expect(csatCountersFromRatings(ratings, 'm1', '2026-11', TZ)).toEqual({ ratings: 4, positive: 2 });
  });

  it('property: applying the deltas equals counting the final ratings from scratch', () => {
    const start = Date.parse('2026-09-25T00:00:00+07:00');
    const span = 50 * 86_400_000;
    const ratingArb = (ratingId: string) =>
      fc.record({
        ratingId: fc.constant(ratingId),
        managerUserId: fc.constantFrom('m1', 'm2', null),
        stars: fc.integer({ min: 1, max: 5 }),
        ratedAt: fc.integer({ min: start, max: start + span }),
      });
    const periodsOf = Object.fromEntries(
      (['week', 'month', 'quarter', 'year'] as const).map((c) => {
        const ids = new Set<string>();
        for (let t = start - 86_400_000; t <= start + span + 86_400_000; t += 86_400_000) ids.add(periodIdAt(t, c, TZ));
        return [c, [...ids]];
      }),
    ) as Record<Cycle, string[]>;
    const changeArb = fc
      .constantFrom('r1', 'r2', 'r3', 'r4')
      .chain((id) => fc.option(ratingArb(id), { freq: 6 }).map((after) => ({ id, after })));
    fc.assert(
      fc.property(
        fc.array(changeArb, { maxLength: 30 }),
        fc.subarray<Cycle>(['week', 'month', 'quarter', 'year'], { minLength: 1 }),
        (changes, cycles) => {
          const kept = new Map<string, { ratings: number; positive: number }>();
          const current = new Map<string, RatingFacts>();
          for (const { id, after } of changes) {
            for (const d of csatDelta(current.get(id) ?? null, after, TZ, cycles)) {
              const k = `${d.managerUserId} ${d.periodId}`;
              const c = kept.get(k) ?? { ratings: 0, positive: 0 };
              kept.set(k, { ratings: c.ratings + d.ratings, positive: c.positive + d.positive });
            }
            if (after) current.set(id, after);
            else current.delete(id);
          }
          const periods = cycles.flatMap((c) => periodsOf[c]);
          for (const m of ['m1', 'm2']) {
            for (const p of periods) {
              expect(kept.get(`${m} ${p}`) ?? { ratings: 0, positive: 0 }).toEqual(csatCountersFromRatings(current.values(), m, p, TZ));
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  }, 60_000);
});
