import { describe, expect, it } from 'vitest';
import {
  addMonthsToDay,
  awardAmount,
  awardLines,
  periodLines,
  planForPeriod,
  ratingStats,
  referralLines,
  volumeRecords,
  type PeriodInput,
  type PeriodMember,
  type VolumeRecord,
} from '../../../domain/commission/period';
import type { Award } from '../../../domain/commission/plan';
import { line, order, plan, TZ } from './fixtures';

const brackets = [
  { from: 0, percentBp: 100 },
  { from: 10_000_000, percentBp: 200 },
  { from: 20_000_000, percentBp: 300 },
];
const marginal: Award = { cycle: 'month', mode: 'marginal', brackets };
const retroactive: Award = { cycle: 'month', mode: 'retroactive', brackets };

describe('award brackets, worked by hand', () => {
  it('marginal: each slice at its own rate', () => {
    // 10M × 1% + 5M × 2%
    expect(awardAmount(15_000_000, marginal).amount).toBe(200_000);
    // 10M × 1% + 10M × 2% + 5M × 3%
    expect(awardAmount(25_000_000, marginal)).toEqual({
      amount: 450_000,
      tier: 3,
      slices: [
        { from: 0, upTo: 10_000_000, percentBp: 100 },
        { from: 10_000_000, upTo: 20_000_000, percentBp: 200 },
        { from: 20_000_000, upTo: 25_000_000, percentBp: 300 },
      ],
    });
    expect(awardAmount(9_999_999, marginal).amount).toBe(100_000); // 99,999.99 → 100,000
  });

  it('retroactive: the whole volume at the highest bracket reached (from inclusive)', () => {
    expect(awardAmount(15_000_000, retroactive)).toEqual({ amount: 300_000, tier: 2, rateBp: 200 });
    expect(awardAmount(25_000_000, retroactive).amount).toBe(750_000);
    expect(awardAmount(9_999_999, retroactive)).toEqual({ amount: 100_000, tier: 1, rateBp: 100 });
    expect(awardAmount(10_000_000, retroactive)).toEqual({ amount: 200_000, tier: 2, rateBp: 200 });
  });

  it('a marginal award is rounded once, not per slice', () => {
    // 100 × 0.5% = 0.5 and 50 × 1% = 0.5: once → 1 (per slice it would be 2)
    const a: Award = {
      cycle: 'month',
      mode: 'marginal',
      brackets: [
        { from: 0, percentBp: 50 },
        { from: 100, percentBp: 100 },
      ],
    };
    expect(awardAmount(150, a).amount).toBe(1);
  });

  it('a flat rate', () => {
    expect(awardAmount(15_000_000, { percentBp: 200 })).toEqual({ amount: 300_000, tier: null, rateBp: 200 });
  });
});

const member = (id: string, p: Partial<PeriodMember> = {}): PeriodMember => ({
  id,
  referrerId: null,
  approvedAt: '2026-01-01T00:00:00+07:00',
  canEarn: true,
  ...p,
});
const vol = (
  collaboratorId: string,
  revenue: number,
  quantity: number,
  approvedAt = '2026-10-05T10:00:00+07:00',
  orderId = `${collaboratorId}-${approvedAt}`,
): VolumeRecord => ({
  collaboratorId,
  orderId,
  approvedAt: Date.parse(approvedAt),
  revenue,
  quantity,
});

describe('awardLines', () => {
  const award: Award = { cycle: 'month', minQuantity: 20, minAverageStars: 4.5, percentBp: 200 };
  const input = (p: Partial<PeriodInput> = {}): PeriodInput => ({
    periodId: '2026-10',
    timeZone: TZ,
    plan: plan({ awards: [award] }),
    volumes: [vol('A', 10_000_000, 18), vol('A', 5_000_000, 12, '2026-10-20T10:00:00+07:00')],
    ratings: new Map([['A', { count: 5, starsSum: 23 }]]),
    members: [member('A')],
    ...p,
  });
  const amounts = (p: Partial<PeriodInput> = {}) => awardLines(input(p)).map((l) => l.amount);

  it('sums the volume of the period and pays when both gates are met', () => {
    const [l] = awardLines(input());
    expect(l!.amount).toBe(300_000);
    expect(l!.key).toBe('p:2026-10|award.0|collaborator:A');
    expect(l!.trace).toMatchObject({
      rule: 'award.flat',
      ruleRef: 'awards.0',
      base: 15_000_000,
      quantity: 30,
      rateBp: 200,
      ratings: { count: 5, starsSum: 23 },
    });
  });
  it('quantity below the KPI: nothing', () => {
    expect(amounts({ volumes: [vol('A', 15_000_000, 19)] })).toEqual([]);
    expect(amounts({ volumes: [vol('A', 15_000_000, 20)] })).toEqual([300_000]);
  });
  it('stars below the requirement, or no ratings at all: nothing', () => {
    expect(amounts({ ratings: new Map([['A', { count: 3, starsSum: 13 }]]) })).toEqual([]); // 4.33★
    expect(amounts({ ratings: new Map([['A', { count: 2, starsSum: 9 }]]) })).toEqual([300_000]); // exactly 4.5★
    expect(amounts({ ratings: new Map() })).toEqual([]);
  });
  it('no star requirement: ratings do not matter', () => {
    expect(amounts({ plan: plan({ awards: [{ cycle: 'month', minQuantity: 20, percentBp: 200 }] }), ratings: new Map() })).toEqual([
      300_000,
    ]);
  });
  it('only CTVs who may earn, and only awards of the period’s cycle', () => {
    expect(amounts({ members: [member('A', { canEarn: false })] })).toEqual([]);
    expect(amounts({ members: [] })).toEqual([]);
    expect(amounts({ plan: plan({ awards: [{ ...award, cycle: 'quarter' }] }) })).toEqual([]);
    expect(amounts({ periodId: '2026-Q4', plan: plan({ awards: [{ ...award, cycle: 'quarter' }] }) })).toEqual([300_000]);
  });
  it('brackets through the same function, with the platform fee as its own line', () => {
    const lines = awardLines(input({ plan: plan({ platformFeeBp: 1000, awards: [{ ...marginal }, { ...retroactive }] }) }));
    expect(lines.map((l) => [l.key, l.amount])).toEqual([
      ['p:2026-10|award.0|collaborator:A', 200_000],
      ['p:2026-10|platformFee.award.0|collaborator:A', -20_000],
      ['p:2026-10|award.1|collaborator:A', 300_000],
      ['p:2026-10|platformFee.award.1|collaborator:A', -30_000],
    ]);
  });
});

describe('referralLines', () => {
  const base = (p: Partial<PeriodInput> = {}): PeriodInput => ({
    periodId: '2026-10',
    timeZone: TZ,
    plan: plan({ referral: { level1Bp: 300, level2Bp: 100 } }),
    volumes: [vol('A', 1_000_000, 6), vol('B', 20_000_000, 40), vol('C', 5_000_000, 10), vol('D', 3_000_000, 5)],
    ratings: new Map(),
    members: [member('A'), member('B', { referrerId: 'A' }), member('C', { referrerId: 'B' }), member('D', { referrerId: 'C' })],
    ...p,
  });
  const rows = (p: Partial<PeriodInput> = {}) =>
    referralLines(base(p)).map((l) => [l.beneficiary.id, l.trace.refereeId, l.trace.tier, l.amount]);

  it('F1 at level1Bp and F2 at level2Bp, one line per referee; F3 earns nothing', () => {
    expect(rows()).toEqual([
      ['A', 'B', 1, 600_000],
      ['A', 'C', 2, 50_000],
      ['B', 'C', 1, 150_000],
      ['B', 'D', 2, 30_000],
      ['C', 'D', 1, 90_000],
    ]);
  });
  it('without level2Bp, F1 only', () => {
    expect(rows({ plan: plan({ referral: { level1Bp: 300 } }) })).toEqual([
      ['A', 'B', 1, 600_000],
      ['B', 'C', 1, 150_000],
      ['C', 'D', 1, 90_000],
    ]);
  });
  it('the referrer must qualify: own quantity and stars', () => {
    const q = plan({ referral: { level1Bp: 300, minOwnQuantity: 6, minAverageStars: 4 } });
    const ratings = new Map([
      ['A', { count: 2, starsSum: 8 }],
      ['B', { count: 2, starsSum: 7 }],
    ]);
    // A: 6 units, 4.0★ → yes; B: 3.5★ → no; C: no ratings → no
    expect(rows({ plan: q, ratings })).toEqual([['A', 'B', 1, 600_000]]);
    expect(rows({ plan: q, ratings, volumes: [vol('A', 1_000_000, 5), vol('B', 20_000_000, 40)] })).toEqual([]);
  });
  it('a referrer who may not earn gets nothing', () => {
    expect(rows({ members: [member('A', { canEarn: false }), member('B', { referrerId: 'A' })] })).toEqual([]);
  });
  it('months count from the referee’s approval, in local days', () => {
    // B approved 15 Sep 2026 (local); 1 month → orders approved before 15 Oct 00:00 local count
    const q = plan({ referral: { level1Bp: 300, months: 1 } });
    const members = [member('A'), member('B', { referrerId: 'A', approvedAt: '2026-09-15T20:00:00+07:00' })];
    const volumes = [vol('B', 1_000_000, 1, '2026-10-14T23:59:59+07:00'), vol('B', 9_000_000, 1, '2026-10-15T00:00:00+07:00')];
    expect(rows({ plan: q, members, volumes })).toEqual([['A', 'B', 1, 30_000]]);
    expect(rows({ plan: q, members: [member('A'), member('B', { referrerId: 'A', approvedAt: null })], volumes })).toEqual([]);
    expect(rows({ plan: plan({ referral: { level1Bp: 300, months: 2 } }), members, volumes })).toEqual([['A', 'B', 1, 300_000]]);
  });
  it('pays on the referral cycle only (month unless the plan says otherwise)', () => {
    expect(rows({ periodId: '2026-W42' })).toEqual([]);
    expect(rows({ periodId: '2026-Q4', plan: plan({ referral: { level1Bp: 300, cycle: 'quarter' } }) })).toHaveLength(3);
  });
  it('survives a referral cycle in the data', () => {
    const members = [member('A', { referrerId: 'B' }), member('B', { referrerId: 'A' }), member('Z', { referrerId: 'Z' })];
    expect(rows({ members, volumes: [vol('A', 1_000_000, 1), vol('B', 2_000_000, 1), vol('Z', 5_000_000, 1)] })).toEqual([
      ['A', 'B', 1, 60_000],
      ['B', 'A', 1, 30_000],
    ]);
  });
  it('periodLines is awards then referral', () => {
    const p = base({ plan: plan({ referral: { level1Bp: 300 }, awards: [{ cycle: 'month', percentBp: 100 }] }) });
    expect(periodLines(p).map((l) => l.kind)).toEqual(['award', 'award', 'award', 'award', 'referral', 'referral', 'referral']);
  });
});

describe('volume and ratings of a period', () => {
  it('credited orders approved in the period (local time), at kept R and quantity', () => {
    const orders = [
      order({
        orderId: 'in',
        approvedAt: '2026-10-31T23:30:00+07:00',
        lines: [line({ quantity: 4, returnedQuantity: 1, netRevenue: 400_000, keptNetRevenue: 300_000 })],
      }),
      order({ orderId: 'nov', approvedAt: '2026-10-31T17:30:00Z' }), // 1 Nov 00:30 local
      order({ orderId: 'sep', approvedAt: '2026-09-30T23:59:59+07:00' }),
      order({ orderId: 'void', state: 'void' }),
      order({ orderId: 'proc', state: 'processing', approvedAt: undefined }),
      order({ orderId: 'nobody', collaboratorId: null }),
      order({ orderId: 'self', isSelfOrder: true }),
    ];
    expect(volumeRecords(orders, '2026-10', TZ).map((r) => [r.orderId, r.revenue, r.quantity])).toEqual([
      ['in', 300_000, 3],
      ['self', 1_000_000, 1],
    ]);
    const notCredited = [plan({ selfOrder: { mode: 'not_credited' } })];
    expect(volumeRecords(orders, '2026-10', TZ, notCredited).map((r) => r.orderId)).toEqual(['in']);
    expect(volumeRecords(orders, '2026-11', TZ).map((r) => r.orderId)).toEqual(['nov']);
  });

  it('ratings recorded in the period', () => {
    const stats = ratingStats(
      [
        { collaboratorId: 'A', stars: 5, ratedAt: '2026-10-01T00:00:00+07:00' },
        { collaboratorId: 'A', stars: 4, ratedAt: '2026-10-31T23:59:59+07:00' },
        { collaboratorId: 'A', stars: 1, ratedAt: '2026-11-01T00:00:00+07:00' },
        { collaboratorId: 'B', stars: 3, ratedAt: Date.parse('2026-10-10T00:00:00Z') },
      ],
      '2026-10',
      TZ,
    );
    expect(Object.fromEntries(stats)).toEqual({ A: { count: 2, starsSum: 9 }, B: { count: 1, starsSum: 3 } });
  });

  it('the plan of a period is the one in force on its last day', () => {
    const v1 = plan({}, { version: 1 });
    const v2 = plan({ effectiveFrom: '2026-10-31' }, { version: 2 });
    const v3 = plan({ effectiveFrom: '2026-11-01' }, { version: 3 });
    expect(planForPeriod([v1, v2, v3], '2026-10', TZ)?.version).toBe(2);
    expect(planForPeriod([v1, v3], '2026-10', TZ)?.version).toBe(1);
  });

  it('adds calendar months, clamping the day', () => {
    expect(addMonthsToDay('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonthsToDay('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonthsToDay('2026-11-15', 2)).toBe('2027-01-15');
    expect(addMonthsToDay('2026-09-15', 12)).toBe('2027-09-15');
  });
});
