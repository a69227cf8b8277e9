/**
 * Where a ledger posting lands (domain/commission/posting.ts) and the rules of a month's close
 * (domain/commission/close.ts), on plain inputs worked by hand. Time zone: Asia/Ho_Chi_Minh (UTC+7).
 */
import { describe, expect, it } from 'vitest';
import { closeEntries, levelAtClose, linesByBeneficiary, periodsToFreeze, periodsToSettle } from '../../../domain/commission/close';
import type { Beneficiary, CommissionLine } from '../../../domain/commission/lines';
import type { VolumeRecord } from '../../../domain/commission/period';
import type { Levels } from '../../../domain/commission/plan';
import { openPeriodAfter, openPeriodAt, statementPeriodAt } from '../../../domain/commission/posting';
import { plan, TZ } from './fixtures';

const C1: Beneficiary = { type: 'collaborator', id: 'C1' };
const C2: Beneficiary = { type: 'collaborator', id: 'C2' };

/** An award line of a settled period, as a close computes it. */
const award = (beneficiary: Beneficiary, periodId: string, amount: number): CommissionLine => ({
  key: `award|${periodId}|${beneficiary.id}`,
  kind: 'award',
  beneficiary,
  amount,
  source: { type: 'period', periodId },
  trace: {
    rule: 'award.flat',
    ruleRef: 'awards.0',
    planId: 'PLAN1',
    planVersion: 1,
    periodId,
    base: amount,
    tier: 1,
    rounding: 'half_away_from_zero',
  },
});

describe('where a posting lands', () => {
  it('counts in the statement month of an instant, in the business calendar', () => {
    // 31 Oct 23:30 UTC is 1 Nov 06:30 in Vietnam
    expect(statementPeriodAt('2026-10-31T23:30:00Z', TZ)).toBe('2026-11');
    expect(statementPeriodAt('2026-10-31T16:59:59.999Z', TZ)).toBe('2026-10');
  });

  it('moves past closed months to the first open one, across a year', () => {
    expect(openPeriodAfter('2026-10', [])).toBe('2026-10');
    expect(openPeriodAfter('2026-10', ['2026-09', '2026-10', '2026-11'])).toBe('2026-12');
    expect(openPeriodAfter('2026-12', ['2026-12'])).toBe('2027-01');
    // a closed month after a gap does not count
    expect(openPeriodAfter('2026-10', ['2026-12'])).toBe('2026-10');
    expect(openPeriodAt('2026-11-02T03:00:00Z', ['2026-10', '2026-11'], TZ)).toBe('2026-12');
  });
});

describe('which periods a month closes', () => {
  // ISO weeks ending in October 2026: W40 (to Sun 4 Oct) … W43 (to Sun 25 Oct); W44 ends 1 Nov
  const weekly = plan({ awards: [{ cycle: 'week', percentBp: 100 }] });

  it('settles the periods ending in it whose plan pays on their cycle', () => {
    expect(periodsToSettle('2026-10', [weekly], TZ)).toEqual(['2026-W40', '2026-W41', '2026-W42', '2026-W43']);
    expect(periodsToSettle('2026-10', [plan()], TZ)).toEqual([]);
  });

  it('freezes the month too when its plan moves levels', () => {
    const levels: Levels = { promotion: [{ level: 2, minQuantity: 10 }] };
    expect(periodsToFreeze('2026-10', [{ ...weekly, levels }], TZ)).toEqual(['2026-10', '2026-W40', '2026-W41', '2026-W42', '2026-W43']);
    expect(periodsToFreeze('2026-10', [plan({ levels })], TZ)).toEqual(['2026-10']);
  });
});

describe("a close's lines", () => {
  it('are grouped per beneficiary, in the order computed', () => {
    const lines = [award(C1, '2026-10', 100), award(C2, '2026-10', 200), award(C1, '2026-W43', 300)];
    const grouped = linesByBeneficiary(lines);
    expect([...grouped.keys()]).toEqual(['collaborator:C1', 'collaborator:C2']);
    expect(grouped.get('collaborator:C1')!.map((l) => l.amount)).toEqual([100, 300]);
    expect(grouped.get('collaborator:C2')!.map((l) => l.amount)).toEqual([200]);
  });

  const at = { month: '2026-10', closed: ['2026-09'], timeZone: TZ };

  it('are booked into the month, each recorded at the last instant of the period it settles', () => {
    const entries = closeEntries([], [award(C1, '2026-10', 500_000), award(C1, '2026-W43', 100_000)], at);
    expect(entries.map((e) => [e.key, e.amount, e.periodId, e.recordedAt, e.reason])).toEqual([
      // the month ends at 1 Nov 00:00 +07 = 31 Oct 17:00 UTC
      ['award|2026-10|C1', 500_000, '2026-10', '2026-10-31T16:59:59.999Z', 'accrual'],
      // week 43 ends at Mon 26 Oct 00:00 +07 = 25 Oct 17:00 UTC
      ['award|2026-W43|C1', 100_000, '2026-10', '2026-10-25T16:59:59.999Z', 'accrual'],
    ]);
  });

  it('book only the difference to what an earlier run booked, and nothing when it matches', () => {
    const first = closeEntries([], [award(C1, '2026-10', 500_000), award(C1, '2026-W43', 100_000)], at);
    expect(closeEntries(first, [award(C1, '2026-10', 500_000), award(C1, '2026-W43', 100_000)], at)).toEqual([]);
    // the week's award no longer desired is reversed, at the week's cut-off, as a period source
    const after = closeEntries(first, [award(C1, '2026-10', 500_000)], at);
    expect(after.map((e) => [e.key, e.amount, e.recordedAt, e.reason, e.source])).toEqual([
      ['award|2026-W43|C1', -100_000, '2026-10-25T16:59:59.999Z', 'reversal', { type: 'period', periodId: '2026-W43' }],
    ]);
  });
});

describe('levels at a close', () => {
  const rules: Levels = { promotion: [{ level: 2, minQuantity: 10 }] };
  const records = (...quantities: number[]): VolumeRecord[] =>
    quantities.map((quantity, i) => ({ collaboratorId: 'C1', orderId: `O${i}`, approvedAt: 0, revenue: 0, quantity }));

  it("moves a CTV from the month's frozen quantity (4 + 7 = 11 ≥ 10)", () => {
    const out = levelAtClose(rules, { level: 1 }, '2026-10', { canEarn: true, records: records(4, 7), ratings: null });
    expect(out).toEqual({ decision: { from: 1, to: 2, move: 'promotion', met: 2 } });
  });

  it('leaves a CTV below the threshold (4 + 5 = 9), or one that does not earn', () => {
    expect(levelAtClose(rules, { level: 1 }, '2026-10', { canEarn: true, records: records(4, 5), ratings: null })).toEqual({
      decision: { from: 1, to: 1, move: null, met: 1 },
    });
    expect(levelAtClose(rules, { level: 1 }, '2026-10', { canEarn: false, records: records(20), ratings: null })).toMatchObject({
      decision: { move: null },
    });
  });

  it("does not decide again a CTV this month's close already moved; a change by hand does not count", () => {
    const moved = {
      level: 2 as const,
      from: 1 as const,
      at: '2026-11-01T00:05:00Z',
      by: 'scheduler',
      reason: 'promotion' as const,
      periodId: '2026-10',
    };
    expect(
      levelAtClose(rules, { level: 2, levelHistory: [moved] }, '2026-10', { canEarn: true, records: records(1), ratings: null }),
    ).toEqual({ done: moved });
    const byHand = { ...moved, reason: 'manual' as const };
    expect(
      levelAtClose(rules, { level: 2, levelHistory: [byHand] }, '2026-10', { canEarn: true, records: records(11), ratings: null }),
    ).toEqual({
      decision: { from: 2, to: 2, move: null, met: 2 },
    });
  });
});
