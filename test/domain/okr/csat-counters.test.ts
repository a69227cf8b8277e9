import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csatCountersFromRatings, csatDelta, csatResult, type CsatCounters, type RatingFacts } from '../../../domain/okr/csat';
import { CYCLES } from '../../../domain/period';

const TZ = 'Asia/Ho_Chi_Minh';

/** The counters as the store keeps them: ADD of every delta, per (manager, period). */
function applyAll(ratings: readonly RatingFacts[]) {
  const counters = new Map<string, CsatCounters>();
  for (const r of ratings) {
    for (const d of csatDelta(null, r, TZ, CYCLES)) {
      const k = `${d.managerUserId}|${d.periodId}`;
      const c = counters.get(k) ?? { ratings: 0, positive: 0 };
      counters.set(k, { ratings: c.ratings + d.ratings, positive: c.positive + d.positive });
    }
  }
  return (manager: string, period: string) => counters.get(`${manager}|${period}`) ?? { ratings: 0, positive: 0 };
}

describe('CSAT through the maintained counters', () => {
  it('DOMAIN.md example: 200 ratings recorded one by one in October, 170 of them 4–5★ → 85% → k = 1.0', () => {
    const ratings: RatingFacts[] = Array.from({ length: 200 }, (_, i) => ({
      ratingId: `r${i}`,
      managerUserId: 'm1',
      // 170 of 4 or 5 stars, 30 of 1 to 3
      stars: i < 170 ? 4 + (i % 2) : 1 + (i % 3),
      ratedAt: `2026-10-${String(1 + (i % 31)).padStart(2, '0')}T12:00:00+07:00`,
    }));
    // one more for another manager, and one just after October's cut-off (1 Nov 00:00 in Ha Noi)
    ratings.push({ ratingId: 'x', managerUserId: 'm2', stars: 1, ratedAt: '2026-10-10T12:00:00+07:00' });
    ratings.push({ ratingId: 'y', managerUserId: 'm1', stars: 1, ratedAt: '2026-10-31T17:00:00Z' });
    const counters = applyAll(ratings);
    expect(counters('m1', '2026-10')).toEqual({ ratings: 200, positive: 170 });
    expect(csatResult(counters('m1', '2026-10'))).toEqual({
      ratings: 200,
      positive: 170,
      percentBp: 8500,
      coefficient: 1.0,
      flagged: false,
    });
    expect(counters('m1', '2026-11')).toEqual({ ratings: 1, positive: 0 });
    expect(counters('m1', '2026-Q4')).toEqual({ ratings: 201, positive: 170 });
    expect(counters('m2', '2026-10')).toEqual({ ratings: 1, positive: 0 });
  });

  it('property: the counters built by deltas equal a count from scratch, for every period of every cycle', () => {
    const rating = fc.record({
      managerUserId: fc.constantFrom('m1', 'm2', null),
      stars: fc.integer({ min: 1, max: 5 }),
      ratedAt: fc.integer({ min: Date.parse('2026-09-25T00:00:00Z'), max: Date.parse('2026-11-05T00:00:00Z') }),
    });
    fc.assert(
      fc.property(fc.array(rating, { maxLength: 40 }), (raw) => {
        const ratings: RatingFacts[] = raw.map((r, i) => ({ ...r, ratingId: `r${i}` }));
        const counters = applyAll(ratings);
        for (const manager of ['m1', 'm2']) {
          for (const period of ['2026-09', '2026-10', '2026-11', '2026-W40', '2026-W44', '2026-Q3', '2026-Q4', '2026']) {
            expect(counters(manager, period)).toEqual(csatCountersFromRatings(ratings, manager, period, TZ));
          }
        }
      }),
    );
  });
});
