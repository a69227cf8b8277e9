import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  countersDelta,
  countersFromFacts,
  emptyCounters,
  returnsAfterChange,
  type OrderFacts,
  type ReturnFact,
} from '../../../domain/kpi/indicators';
import { careStaffFor, collaboratorAt, movedAwayBy, stockAt, type CollaboratorHistory } from '../../../domain/kpi/stock';
import { periodRange } from '../../../domain/period';

/**
 * Issue 15: a closed period's KPI numbers are as of its cut-off. Each return is dated at its own
 * time (not at the first return's), and the stock of CTVs (total, new) is read from the CTVs'
 * histories as they stood at the cut-off. Numbers by hand in the comments.
 */
const TZ = 'Asia/Ho_Chi_Minh';
const at = (local: string) => `${local}+07:00`;
const OCTOBER = periodRange('2026-10', TZ)!; // 1 Oct 00:00 – 1 Nov 00:00, Viet Nam time

describe('each return at its own time', () => {
  it('a second partial return recorded after the cut-off leaves the closed month as it was', () => {
    // an order of 10 × 100,000 = 1,000,000 approved 5 Oct; 2 units returned 20 Oct (−200,000), 3 more 5 Nov (−300,000)
    const approved: OrderFacts = {
      orderId: 'o',
      careStaffUserId: 's1',
      collaboratorId: 'c1',
      createdAt: at('2026-10-05T09:00:00'),
      approvedAt: at('2026-10-05T09:00:00'),
      netRevenue: 1_000_000,
    };
    const first = returnsAfterChange([], 0, 200_000, at('2026-10-20T10:00:00'));
    expect(first).toEqual([{ recordedAt: at('2026-10-20T10:00:00'), revenue: 200_000 }]);
    const afterFirst = { ...approved, netRevenue: 800_000, returns: first };
    const second = returnsAfterChange(first, 200_000, 500_000, at('2026-11-05T10:00:00'));
    expect(second).toEqual([
      { recordedAt: at('2026-10-20T10:00:00'), revenue: 200_000 },
      { recordedAt: at('2026-11-05T10:00:00'), revenue: 300_000 },
    ]);
    const afterSecond = { ...approved, netRevenue: 500_000, returns: second };

    // October: 1,000,000 − 200,000 = 800,000 after the first return; the second (November) moves nothing of October
    expect(countersDelta(approved, afterFirst, TZ, ['month']).map((d) => [d.periodId, d.counters.revenue])).toEqual([
      ['2026-10', -200_000],
    ]);
    // (week 41, 5–11 Oct, neither; the quarter and the year, still open on 5 Nov, take the 300,000 off)
    expect(countersDelta(afterFirst, afterSecond, TZ, ['month', 'week'])).toEqual([]);
    expect(countersDelta(afterFirst, afterSecond, TZ, ['quarter', 'year']).map((d) => [d.periodId, d.counters.revenue])).toEqual([
      ['2026-Q4', -300_000],
      ['2026', -300_000],
    ]);
    expect(countersFromFacts([afterSecond], [], 's1', '2026-10', TZ).counters.revenue).toBe(800_000);

    // what the old way did (both returns at the first one's time) would have taken 500,000 off October
    const lumped = { ...approved, netRevenue: 500_000, returns: [{ recordedAt: at('2026-10-20T10:00:00'), revenue: 500_000 }] };
    expect(countersDelta(afterFirst, lumped, TZ, ['month']).map((d) => d.counters.revenue)).toEqual([-300_000]);
  });

  it('a change that moves no returned R adds no return; an undone return is a negative one', () => {
    const kept: ReturnFact[] = [{ recordedAt: at('2026-10-20T10:00:00'), revenue: 200_000 }];
    expect(returnsAfterChange(kept, 200_000, 200_000, at('2026-10-25T10:00:00'))).toEqual(kept);
    expect(returnsAfterChange(kept, 200_000, 0, at('2026-10-25T10:00:00'))).toEqual([
      ...kept,
      { recordedAt: at('2026-10-25T10:00:00'), revenue: -200_000 },
    ]);
    expect(() => returnsAfterChange([], 0, 100, 'not a time')).toThrow(RangeError);
    expect(() => returnsAfterChange([], 0, 0.5, at('2026-10-25T10:00:00'))).toThrow(RangeError);
  });

  it('property: maintained counters equal a recount, and October keeps only the returns recorded before its cut-off', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ day: fc.integer({ min: 6, max: 60 }), units: fc.integer({ min: 0, max: 3 }) }), { maxLength: 6 }),
        (steps) => {
          // 20 units × 50,000 = 1,000,000 approved 5 Oct; each step returns `units` more at noon on day `day` counted from 1 Oct
          // (day 31 = 31 Oct, before October's cut-off; day 32 = 1 Nov, after it), in time order
          const sorted = [...steps].sort((a, b) => a.day - b.day);
          const noon = (d: number) => Date.parse(at('2026-10-01T12:00:00')) + (d - 1) * 86_400_000;
          let facts: OrderFacts = {
            orderId: 'o',
            careStaffUserId: 's1',
            collaboratorId: 'c1',
            createdAt: at('2026-10-05T09:00:00'),
            approvedAt: at('2026-10-05T09:00:00'),
            netRevenue: 1_000_000,
            returns: [],
          };
          const maintained = new Map<string, number>([
            ['2026-10', 1_000_000],
            ['2026-Q4', 1_000_000],
          ]);
          let units = 0;
          let october = 1_000_000;
          for (const s of sorted) {
            const step = Math.min(20, units + s.units) - units;
            const next: OrderFacts = {
              ...facts,
              netRevenue: facts.netRevenue - step * 50_000,
              returns: returnsAfterChange(facts.returns!, units * 50_000, (units + step) * 50_000, noon(s.day)),
            };
            for (const d of countersDelta(facts, next, TZ, ['month', 'quarter']))
              maintained.set(d.periodId, maintained.get(d.periodId)! + d.counters.revenue);
            if (s.day <= 31) october -= step * 50_000;
            units += step;
            facts = next;
          }
          expect(maintained.get('2026-10')).toBe(october);
          expect(maintained.get('2026-Q4')).toBe(1_000_000 - units * 50_000);
          expect(countersFromFacts([facts], [], 's1', '2026-10', TZ).counters.revenue).toBe(october);
          expect(countersFromFacts([facts], [], 's1', '2026-Q4', TZ).counters.revenue).toBe(1_000_000 - units * 50_000);
        },
      ),
    );
  });
});

describe('the stock of CTVs as of a cut-off', () => {
  // c1: approved 3 Oct under s1, moved to s2 on 5 Nov; c2: approved 1 Sep under s1, blocked 10 Nov;
  // c3: registered 28 Oct under s1 and approved 2 Nov (after the cut-off); c4: created 12 Nov under s1;
  // c5: approved 15 Oct under s2, moved to s1 on 20 Oct, paused 25 Oct
  const ctvs: CollaboratorHistory[] = [
    {
      id: 'c1',
      createdAt: at('2026-10-03T09:00:00'),
      status: 'approved',
      careStaffUserId: 's2',
      approvedAt: at('2026-10-03T09:00:00'),
      statusHistory: [{ status: 'approved', at: at('2026-10-03T09:00:00') }],
      careStaffHistory: [
        { careStaffUserId: 's1', at: at('2026-10-03T09:00:00') },
        { careStaffUserId: 's2', at: at('2026-11-05T09:00:00') },
      ],
    },
    {
      id: 'c2',
      createdAt: at('2026-09-01T09:00:00'),
      status: 'blocked',
      careStaffUserId: 's1',
      approvedAt: at('2026-09-01T09:00:00'),
      statusHistory: [
        { status: 'approved', at: at('2026-09-01T09:00:00') },
        { status: 'blocked', at: at('2026-11-10T09:00:00') },
      ],
      careStaffHistory: [{ careStaffUserId: 's1', at: at('2026-09-01T09:00:00') }],
    },
    {
      id: 'c3',
      createdAt: at('2026-10-28T09:00:00'),
      status: 'approved',
      careStaffUserId: 's1',
      approvedAt: at('2026-11-02T09:00:00'),
      statusHistory: [
        { status: 'registered', at: at('2026-10-28T09:00:00') },
        { status: 'approved', at: at('2026-11-02T09:00:00') },
      ],
      careStaffHistory: [{ careStaffUserId: 's1', at: at('2026-10-28T09:00:00') }],
    },
    {
      id: 'c4',
      createdAt: at('2026-11-12T09:00:00'),
      status: 'approved',
      careStaffUserId: 's1',
      approvedAt: at('2026-11-12T09:00:00'),
      statusHistory: [{ status: 'approved', at: at('2026-11-12T09:00:00') }],
      careStaffHistory: [{ careStaffUserId: 's1', at: at('2026-11-12T09:00:00') }],
    },
    {
      id: 'c5',
      createdAt: at('2026-10-15T09:00:00'),
      status: 'paused',
      careStaffUserId: 's1',
      approvedAt: at('2026-10-15T09:00:00'),
      statusHistory: [
        { status: 'approved', at: at('2026-10-15T09:00:00') },
        { status: 'paused', at: at('2026-10-25T09:00:00') },
      ],
      careStaffHistory: [
        { careStaffUserId: 's2', at: at('2026-10-15T09:00:00') },
        { careStaffUserId: 's1', at: at('2026-10-20T09:00:00') },
      ],
    },
  ];

  it('each CTV as it stood at the cut-off', () => {
    expect(collaboratorAt(ctvs[0]!, OCTOBER.end)).toEqual({ careStaffUserId: 's1', status: 'approved' });
    expect(collaboratorAt(ctvs[1]!, OCTOBER.end)).toEqual({ careStaffUserId: 's1', status: 'approved' });
    expect(collaboratorAt(ctvs[2]!, OCTOBER.end)).toEqual({ careStaffUserId: 's1', status: 'registered' });
    expect(collaboratorAt(ctvs[3]!, OCTOBER.end)).toBeNull();
    expect(collaboratorAt(ctvs[4]!, OCTOBER.end)).toEqual({ careStaffUserId: 's1', status: 'paused' });
    // a change exactly at the cut-off is after it
    expect(collaboratorAt(ctvs[0]!, Date.parse(at('2026-11-05T09:00:00')))).toEqual({ careStaffUserId: 's1', status: 'approved' });
    expect(collaboratorAt(ctvs[0]!, Date.parse(at('2026-11-05T09:00:00')) + 1)).toEqual({ careStaffUserId: 's2', status: 'approved' });
  });

  it("October's stock of s1 and s2, whatever happened in November", () => {
    // s1 at 1 Nov 00:00: c1 (approved), c2 (approved), c3 (registered: not in the total), c5 (paused) → total 3;
    // new in October: c1 (3 Oct) and c5 (15 Oct); c2 was approved in September, c3 in November → 2.
    // Whose October earnings count for s1: those four, and c4 (came on 12 Nov, first with s1)
    expect(stockAt(ctvs, 's1', OCTOBER)).toEqual({ total: 3, new: 2, collaboratorIds: ['c1', 'c2', 'c3', 'c4', 'c5'] });
    // s2 at the cut-off: nobody (c1 came on 5 Nov, c5 left on 20 Oct)
    expect(stockAt(ctvs, 's2', OCTOBER)).toEqual({ total: 0, new: 0, collaboratorIds: [] });
    // November as of 1 Dec: s1 has c2 (blocked: out of the total), c3, c4, c5 → total 3 (c3, c4, c5); new: c3 and c4 → 2; s2 has c1
    const november = periodRange('2026-11', TZ)!;
    expect(stockAt(ctvs, 's1', november)).toEqual({ total: 3, new: 2, collaboratorIds: ['c2', 'c3', 'c4', 'c5'] });
    expect(stockAt(ctvs, 's2', november)).toEqual({ total: 1, new: 0, collaboratorIds: ['c1'] });
    // a record read twice (now among s1's CTVs and among those that left s1) counts once
    expect(stockAt([...ctvs, ctvs[0]!], 's1', OCTOBER).total).toBe(3);
  });

  it('a record without histories counts with its state now from its creation', () => {
    const bare: CollaboratorHistory = {
      id: 'c9',
      createdAt: at('2026-10-02T09:00:00'),
      status: 'approved',
      careStaffUserId: 's1',
      approvedAt: at('2026-10-02T09:00:00'),
    };
    expect(collaboratorAt(bare, OCTOBER.end)).toEqual({ careStaffUserId: 's1', status: 'approved' });
    expect(collaboratorAt(bare, OCTOBER.start)).toBeNull();
    expect(stockAt([bare], 's1', OCTOBER)).toEqual({ total: 1, new: 1, collaboratorIds: ['c9'] });
    // before it existed it is in no stock, but its earnings (of orders dated earlier) count for its care staff
    expect(stockAt([bare], 's1', periodRange('2026-09', TZ)!)).toEqual({ total: 0, new: 0, collaboratorIds: ['c9'] });
    expect(careStaffFor(ctvs[0]!, OCTOBER.start)).toBe('s1');
    expect(careStaffFor(ctvs[0]!, Date.parse(at('2026-12-01T00:00:00')))).toBe('s2');
  });

  it('the change that moved a CTV away from a care staff, and no other', () => {
    const moved = { updatedAt: at('2026-11-05T09:00:00'), careStaffHistory: ctvs[0]!.careStaffHistory };
    expect(movedAwayBy(moved)).toEqual({ fromCareStaffUserId: 's1', at: at('2026-11-05T09:00:00') });
    // a later change of the same CTV (its level, its name) is not a move
    expect(movedAwayBy({ ...moved, updatedAt: at('2026-11-06T09:00:00') })).toBeNull();
    // the first assignment leaves nobody
    expect(movedAwayBy({ updatedAt: at('2026-10-03T09:00:00'), careStaffHistory: [ctvs[0]!.careStaffHistory![0]!] })).toBeNull();
    expect(movedAwayBy({ careStaffHistory: ctvs[0]!.careStaffHistory })).toBeNull();
    expect(
      movedAwayBy({
        updatedAt: at('2026-11-05T09:00:00'),
        careStaffHistory: [
          { careStaffUserId: null, at: at('2026-10-01T09:00:00') },
          { careStaffUserId: 's2', at: at('2026-11-05T09:00:00') },
        ],
      }),
    ).toBeNull();
  });
});

describe('the counters of a return are the same delta as counting from scratch', () => {
  it('two returns dated apart: every cycle agrees with a recount', () => {
    const base: OrderFacts = {
      orderId: 'o',
      careStaffUserId: 's1',
      collaboratorId: 'c1',
      createdAt: at('2026-10-28T09:00:00'),
      approvedAt: at('2026-10-29T09:00:00'),
      netRevenue: 900_000,
    };
    const r1 = returnsAfterChange([], 0, 100_000, at('2026-10-30T09:00:00'));
    const r2 = returnsAfterChange(r1, 100_000, 400_000, at('2026-11-03T09:00:00'));
    const one = { ...base, netRevenue: 800_000, returns: r1 };
    const two = { ...base, netRevenue: 500_000, returns: r2 };
    // week 44 (26 Oct – 1 Nov) and October: 900,000 − 100,000 = 800,000 (the second return is after both cut-offs);
    // Q4 and 2026: 900,000 − 100,000 − 300,000 = 500,000
    const periods = ['2026-W44', '2026-10', '2026-Q4', '2026'];
    expect(periods.map((p) => countersFromFacts([two], [], 's1', p, TZ).counters.revenue)).toEqual([800_000, 800_000, 500_000, 500_000]);
    const delta = countersDelta(one, two, TZ, ['week', 'month', 'quarter', 'year']);
    expect(delta.map((d) => [d.periodId, d.counters])).toEqual([
      ['2026-Q4', { ...emptyCounters(), revenue: -300_000 }],
      ['2026', { ...emptyCounters(), revenue: -300_000 }],
    ]);
  });
});
