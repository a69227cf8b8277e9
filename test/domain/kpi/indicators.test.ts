import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  activeStep,
  applyCountersDelta,
  applyTotalsDelta,
  collaboratorDelta,
  counterStateKey,
  countersDelta,
  countersFromFacts,
  emptyCounters,
  emptyCounterState,
  indicatorsFromCounters,
  indicatorsFromFacts,
  returnsFromTotals,
  type CollaboratorFacts,
  type KpiCounters,
  type OrderFacts,
} from '../../../domain/kpi/indicators';
import { periodIdAt, type Cycle } from '../../../domain/period';

const TZ = 'Asia/Ho_Chi_Minh';
const at = (local: string) => `${local}+07:00`;

const order = (o: Partial<OrderFacts> & Pick<OrderFacts, 'orderId' | 'createdAt'>): OrderFacts => ({
  careStaffUserId: 's1',
  collaboratorId: 'c1',
  netRevenue: 0,
  ...o,
});

describe('KPI indicators counted from the facts', () => {
  // A November of care staff s1 (month 2026-11 in Asia/Ho_Chi_Minh), worked out by hand.
  const orders: OrderFacts[] = [
    // created in October, approved and completed in November
    order({
      orderId: 'o1',
      createdAt: at('2026-10-28T09:00:00'),
      approvedAt: at('2026-11-02T09:00:00'),
      completedAt: at('2026-11-05T09:00:00'),
      netRevenue: 10_000_000,
    }),
    // a return of 1,000,000 recorded before the close: counts net, 4,000,000
    order({
      orderId: 'o2',
      createdAt: at('2026-11-03T08:00:00'),
      approvedAt: at('2026-11-03T10:00:00'),
      completedAt: at('2026-11-20T10:00:00'),
      netRevenue: 4_000_000,
      returns: [{ recordedAt: at('2026-11-10T10:00:00'), revenue: 1_000_000 }],
    }),
    // a return recorded after the close does not change November: 5,000,000; completed after the close
    order({
      orderId: 'o3',
      collaboratorId: 'c2',
      createdAt: at('2026-11-10T08:00:00'),
      approvedAt: at('2026-11-11T08:00:00'),
      completedAt: at('2026-12-01T08:00:00'),
      netRevenue: 2_000_000,
      returns: [{ recordedAt: at('2026-12-02T08:00:00'), revenue: 3_000_000 }],
    }),
    // cancelled before approval
    order({
      orderId: 'o4',
      collaboratorId: 'c3',
      createdAt: at('2026-11-12T08:00:00'),
      voidedAt: at('2026-11-13T08:00:00'),
      netRevenue: 900_000,
    }),
    // still processing
    order({ orderId: 'o5', collaboratorId: 'c3', createdAt: at('2026-11-20T08:00:00'), netRevenue: 800_000 }),
    // approved, then void within the period: neither approved nor active
    order({
      orderId: 'o6',
      collaboratorId: 'c3',
      createdAt: at('2026-11-25T08:00:00'),
      approvedAt: at('2026-11-26T08:00:00'),
      voidedAt: at('2026-11-27T08:00:00'),
      netRevenue: 700_000,
    }),
    // approved after the cut-off: created in November, approved in December
    order({
      orderId: 'o7',
      collaboratorId: 'c3',
      createdAt: at('2026-11-28T08:00:00'),
      approvedAt: at('2026-12-01T00:30:00'),
      netRevenue: 600_000,
    }),
    // another care staff's, and an order not credited to any CTV
    order({
      orderId: 'o8',
      careStaffUserId: 's2',
      createdAt: at('2026-11-29T08:00:00'),
      approvedAt: at('2026-11-29T09:00:00'),
      netRevenue: 500_000,
    }),
    order({
      orderId: 'o9',
      collaboratorId: null,
      createdAt: at('2026-11-05T08:00:00'),
      approvedAt: at('2026-11-06T08:00:00'),
      netRevenue: 400_000,
    }),
  ];
  const collaborators: CollaboratorFacts[] = [
    { collaboratorId: 'c1', careStaffUserId: 's1', status: 'approved', approvedAt: at('2026-10-15T08:00:00') },
    { collaboratorId: 'c2', careStaffUserId: 's1', status: 'approved', approvedAt: at('2026-11-02T08:00:00') },
    { collaboratorId: 'c3', careStaffUserId: 's1', status: 'paused', approvedAt: at('2026-11-20T08:00:00') },
    { collaboratorId: 'c4', careStaffUserId: 's1', status: 'registered' },
    { collaboratorId: 'c5', careStaffUserId: 's1', status: 'blocked', approvedAt: at('2026-11-03T08:00:00') },
    { collaboratorId: 'c6', careStaffUserId: 's2', status: 'approved', approvedAt: at('2026-11-04T08:00:00') },
  ];

  it('counts a month by the rules', () => {
    const { counters, totalCollaborators } = countersFromFacts(orders, collaborators, 's1', '2026-11', TZ);
    expect(counters).toEqual({
      createdOrders: 6, // o2..o7
      createdApproved: 2, // o2, o3
      createdVoid: 2, // o4, o6
      approvedOrders: 3, // o1, o2, o3
      completedOrders: 2, // o1, o2
      revenue: 19_000_000, // 10M + 4M + 5M
      activeCollaborators: 2, // c1, c2
      newCollaborators: 3, // c2, c3, c5 (first approved in November)
    });
    expect(totalCollaborators).toBe(3); // c1, c2 approved; c3 paused
  });

  it('gives the nine indicators, rates rounded half away from zero', () => {
    const ind = indicatorsFromFacts(orders, collaborators, 's1', '2026-11', TZ, 15_000_000);
    expect(ind).toEqual({
      revenue: 19_000_000,
      revenue_above_target: 4_000_000,
      orders: 3,
      confirmation_rate: 3333, // 2/6
      completion_rate: 6667, // 2/3 = 0.66666… → 6667
      cancel_rate: 3333,
      total_collaborators: 3,
      new_collaborators: 3,
      active_collaborators: 2,
    });
    expect(indicatorsFromFacts(orders, collaborators, 's1', '2026-11', TZ, 25_000_000).revenue_above_target).toBe(0);
    expect(indicatorsFromFacts(orders, collaborators, 's1', '2026-11', TZ, null).revenue_above_target).toBe(19_000_000);
  });

  it('a rate over an empty base is 0', () => {
    const ind = indicatorsFromCounters(emptyCounters(), 0, 100);
    expect([ind.confirmation_rate, ind.completion_rate, ind.cancel_rate]).toEqual([0, 0, 0]);
  });

  it('December sees the order approved after November’s cut-off, and the late completion of o3 does not move November', () => {
    const dec = countersFromFacts(orders, collaborators, 's1', '2026-12', TZ).counters;
    expect(dec.approvedOrders).toBe(1); // o7
    expect(dec.revenue).toBe(600_000);
    expect(dec.createdOrders).toBe(0);
  });

  it("periods follow the business's time zone", () => {
    const late = [
      order({ orderId: 'a', createdAt: at('2026-10-31T23:30:00'), approvedAt: at('2026-10-31T23:40:00'), netRevenue: 100 }),
      order({ orderId: 'b', createdAt: at('2026-11-01T00:10:00'), approvedAt: '2026-10-31T17:20:00Z', netRevenue: 200 }), // 00:20 on Nov 1 in Vietnam
    ];
    expect(countersFromFacts(late, [], 's1', '2026-10', TZ).counters.revenue).toBe(100);
    expect(countersFromFacts(late, [], 's1', '2026-11', TZ).counters.revenue).toBe(200);
    // the same instants in UTC are all in October
    expect(countersFromFacts(late, [], 's1', '2026-10', 'UTC').counters.revenue).toBe(300);
  });
});

describe('KPI counter deltas', () => {
  it('a new approved order adds to its period of each cycle, with its CTV', () => {
    const f = order({ orderId: 'o', createdAt: at('2026-11-03T08:00:00'), approvedAt: at('2026-11-03T09:00:00'), netRevenue: 1_500_000 });
    const month = countersDelta(null, f, TZ, ['month']);
    expect(month).toEqual([
      {
        careStaffUserId: 's1',
        periodId: '2026-11',
        counters: { ...emptyCounters(), createdOrders: 1, createdApproved: 1, approvedOrders: 1, revenue: 1_500_000 },
        collaboratorOrders: [{ collaboratorId: 'c1', approvedOrders: 1 }],
      },
    ]);
    const both = countersDelta(null, f, TZ, ['week', 'month']);
    expect(both.map((d) => d.periodId).sort()).toEqual(['2026-11', '2026-W45']);
  });

  it('a void reverses the approval; a repeated state changes nothing', () => {
    const approved = order({
      orderId: 'o',
      createdAt: at('2026-11-03T08:00:00'),
      approvedAt: at('2026-11-03T09:00:00'),
      netRevenue: 1_500_000,
    });
    const voided = { ...approved, voidedAt: at('2026-11-04T09:00:00') };
    expect(countersDelta(approved, voided, TZ, ['month'])).toEqual([
      {
        careStaffUserId: 's1',
        periodId: '2026-11',
        counters: { ...emptyCounters(), createdApproved: -1, createdVoid: 1, approvedOrders: -1, revenue: -1_500_000 },
        collaboratorOrders: [{ collaboratorId: 'c1', approvedOrders: -1 }],
      },
    ]);
    expect(countersDelta(approved, { ...approved }, TZ, ['month', 'week'])).toEqual([]);
  });

  it('a return moves revenue only in the periods whose cut-off is after it', () => {
    const approved = order({
      orderId: 'o',
      createdAt: at('2026-11-02T08:00:00'),
      approvedAt: at('2026-11-02T09:00:00'),
      netRevenue: 1_000_000,
    });
    // recorded on Wednesday 11 November: after week 45 closed (Sunday 8 Nov), before November closes
    const returned = { ...approved, netRevenue: 700_000, returns: [{ recordedAt: at('2026-11-11T08:00:00'), revenue: 300_000 }] };
    const deltas = countersDelta(approved, returned, TZ, ['week', 'month']);
    expect(deltas).toEqual([
      { careStaffUserId: 's1', periodId: '2026-11', counters: { ...emptyCounters(), revenue: -300_000 }, collaboratorOrders: [] },
    ]);
  });

  it('a return recorded exactly at the cut-off is not before the close', () => {
    const approved = order({
      orderId: 'o',
      createdAt: at('2026-11-20T08:00:00'),
      approvedAt: at('2026-11-20T09:00:00'),
      netRevenue: 1_000_000,
    });
    const atCutOff = { ...approved, netRevenue: 600_000, returns: [{ recordedAt: at('2026-12-01T00:00:00'), revenue: 400_000 }] };
    const justBefore = {
      ...approved,
      netRevenue: 600_000,
      returns: [{ recordedAt: Date.parse(at('2026-12-01T00:00:00')) - 1, revenue: 400_000 }],
    };
    expect(countersDelta(approved, atCutOff, TZ, ['month'])).toEqual([]);
    expect(countersFromFacts([atCutOff], [], 's1', '2026-11', TZ).counters.revenue).toBe(1_000_000);
    expect(countersDelta(approved, justBefore, TZ, ['month']).map((d) => d.counters.revenue)).toEqual([-400_000]);
    expect(countersFromFacts([justBefore], [], 's1', '2026-11', TZ).counters.revenue).toBe(600_000);
  });

  it('an order record with only totals gives one return at its returned time', () => {
    expect(returnsFromTotals(1_000_000, 700_000, at('2026-11-11T08:00:00'))).toEqual([
      { recordedAt: at('2026-11-11T08:00:00'), revenue: 300_000 },
    ]);
    expect(returnsFromTotals(1_000_000, 1_000_000, at('2026-11-11T08:00:00'))).toEqual([]);
    expect(returnsFromTotals(1_000_000, 700_000, null)).toEqual([]);
  });

  it('moving an order to another care staff moves its counts', () => {
    const f = order({ orderId: 'o', createdAt: at('2026-11-03T08:00:00'), approvedAt: at('2026-11-03T09:00:00'), netRevenue: 100 });
    const moved = countersDelta(f, { ...f, careStaffUserId: 's2' }, TZ, ['month']);
    expect(
      moved.map((d) => [d.careStaffUserId, d.counters.approvedOrders, d.counters.revenue, d.collaboratorOrders[0]!.approvedOrders]),
    ).toEqual([
      ['s1', -1, -100, -1],
      ['s2', 1, 100, 1],
    ]);
  });

  it('the active count moves on 0 → 1 and 1 → 0 only', () => {
    expect(activeStep(1, 1)).toBe(1);
    expect(activeStep(1, 2)).toBe(0);
    expect(activeStep(-1, 0)).toBe(-1);
    expect(activeStep(-1, 1)).toBe(0);
    const state = emptyCounterState();
    const first = order({ orderId: 'a', createdAt: at('2026-11-03T08:00:00'), approvedAt: at('2026-11-03T09:00:00') });
    const second = { ...first, orderId: 'b' };
    applyCountersDelta(state, countersDelta(null, first, TZ, ['month']));
    applyCountersDelta(state, countersDelta(null, second, TZ, ['month']));
    expect(state.periods.get(counterStateKey('s1', '2026-11'))!.activeCollaborators).toBe(1);
    applyCountersDelta(state, countersDelta(first, { ...first, voidedAt: at('2026-11-05T00:00:00') }, TZ, ['month']));
    expect(state.periods.get(counterStateKey('s1', '2026-11'))!.activeCollaborators).toBe(1);
    applyCountersDelta(state, countersDelta(second, { ...second, voidedAt: at('2026-11-05T00:00:00') }, TZ, ['month']));
    expect(state.periods.get(counterStateKey('s1', '2026-11'))!.activeCollaborators).toBe(0);
  });

  it('a CTV approved, reassigned and blocked moves new and total counts', () => {
    const registered: CollaboratorFacts = { collaboratorId: 'c', careStaffUserId: 's1', status: 'registered' };
    const approved: CollaboratorFacts = { ...registered, status: 'approved', approvedAt: at('2026-11-03T08:00:00') };
    expect(collaboratorDelta(null, registered, TZ, ['month'])).toEqual({ periods: [], totals: [] });
    const d = collaboratorDelta(registered, approved, TZ, ['month']);
    expect(d.totals).toEqual([{ careStaffUserId: 's1', totalCollaborators: 1 }]);
    expect(d.periods.map((p) => [p.careStaffUserId, p.periodId, p.counters.newCollaborators])).toEqual([['s1', '2026-11', 1]]);
    const moved = collaboratorDelta(approved, { ...approved, careStaffUserId: 's2' }, TZ, ['month']);
    expect(moved.totals).toEqual([
      { careStaffUserId: 's1', totalCollaborators: -1 },
      { careStaffUserId: 's2', totalCollaborators: 1 },
    ]);
    const blocked = collaboratorDelta(approved, { ...approved, status: 'blocked' }, TZ, ['month']);
    expect(blocked).toEqual({ periods: [], totals: [{ careStaffUserId: 's1', totalCollaborators: -1 }] });
  });
});

// ---- property: maintained counters = counting the final facts from scratch ------------------

const STAFF = ['s1', 's2'];
const START = Date.parse('2026-09-25T00:00:00+07:00');
const SPAN = 50 * 86_400_000; // to mid-November: weeks, months, a quarter boundary
const instant = fc.integer({ min: START, max: START + SPAN });
// ISO strings and epoch ms are both accepted
const instantArb = fc.tuple(instant, fc.boolean()).map(([ms, iso]) => (iso ? new Date(ms).toISOString() : ms));
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined, freq: 2 });

const factsArb = (orderId: string): fc.Arbitrary<OrderFacts> =>
  fc
    .record({
      careStaffUserId: fc.constantFrom('s1', 's2', null),
      collaboratorId: fc.constantFrom('c1', 'c2', 'c3', null),
      createdAt: instantArb,
      approvedAt: maybe(instantArb),
      completedAt: maybe(instantArb),
      voidedAt: maybe(instantArb),
      netRevenue: fc.integer({ min: 0, max: 50_000_000 }),
      returns: maybe(fc.array(fc.record({ recordedAt: instantArb, revenue: fc.integer({ min: 1, max: 5_000_000 }) }), { maxLength: 3 })),
    })
    .map((r) => ({ orderId, ...r }));

const collaboratorArb = (collaboratorId: string): fc.Arbitrary<CollaboratorFacts> =>
  fc.record({
    collaboratorId: fc.constant(collaboratorId),
    careStaffUserId: fc.constantFrom('s1', 's2', null),
    status: fc.constantFrom('registered', 'approved', 'paused', 'blocked'),
    approvedAt: maybe(instantArb),
  });

type Change = { kind: 'order'; facts: OrderFacts | null; id: string } | { kind: 'ctv'; facts: CollaboratorFacts | null; id: string };
const changeArb: fc.Arbitrary<Change> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .constantFrom('o1', 'o2', 'o3', 'o4', 'o5')
      .chain((id) => fc.option(factsArb(id), { freq: 8 }).map((facts) => ({ kind: 'order' as const, facts, id }))),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('c1', 'c2', 'c3')
      .chain((id) => fc.option(collaboratorArb(id), { freq: 6 }).map((facts) => ({ kind: 'ctv' as const, facts, id }))),
  },
);
/** Every period a generated instant can fall in, per cycle. */
const PERIODS = Object.fromEntries(
  (['week', 'month', 'quarter', 'year'] as const).map((c) => {
    const ids = new Set<string>();
    for (let t = START - 86_400_000; t <= START + SPAN + 86_400_000; t += 86_400_000) ids.add(periodIdAt(t, c, TZ));
    return [c, [...ids]];
  }),
) as Record<Cycle, string[]>;
const cyclesArb = fc.subarray<Cycle>(['week', 'month', 'quarter', 'year'], { minLength: 1 });

describe('KPI counters property', () => {
  it('applying the deltas of any sequence of changes equals counting the final facts from scratch', () => {
    fc.assert(
      fc.property(fc.array(changeArb, { maxLength: 30 }), cyclesArb, (changes, cycles) => {
        const state = emptyCounterState();
        const orders = new Map<string, OrderFacts>();
        const ctvs = new Map<string, CollaboratorFacts>();
        for (const change of changes) {
          if (change.kind === 'order') {
            const before = orders.get(change.id) ?? null;
            applyCountersDelta(state, countersDelta(before, change.facts, TZ, cycles));
            if (change.facts) orders.set(change.id, change.facts);
            else orders.delete(change.id);
          } else {
            const before = ctvs.get(change.id) ?? null;
            const d = collaboratorDelta(before, change.facts, TZ, cycles);
            applyCountersDelta(state, d.periods);
            applyTotalsDelta(state, d.totals);
            if (change.facts) ctvs.set(change.id, change.facts);
            else ctvs.delete(change.id);
          }
        }
        const periods = cycles.flatMap((c) => PERIODS[c]);
        const seen = new Set<string>();
        for (const staff of STAFF) {
          const scratch = (p: string) => countersFromFacts(orders.values(), ctvs.values(), staff, p, TZ);
          for (const p of periods) {
            const k = counterStateKey(staff, p);
            seen.add(k);
            const expected = scratch(p);
            const kept: KpiCounters = state.periods.get(k) ?? emptyCounters();
            expect(kept, `${staff} ${p}`).toEqual(expected.counters);
            expect(state.totals.get(staff) ?? 0).toBe(expected.totalCollaborators);
          }
          const last = periods.at(-1)!;
          expect(
            indicatorsFromCounters(
              state.periods.get(counterStateKey(staff, last)) ?? emptyCounters(),
              state.totals.get(staff) ?? 0,
              1_000_000,
            ),
          ).toEqual(indicatorsFromFacts(orders.values(), ctvs.values(), staff, last, TZ, 1_000_000));
        }
        // nothing was counted anywhere else
        for (const [k, c] of state.periods) if (!seen.has(k)) expect(c, k).toEqual(emptyCounters());
        for (const count of state.collaboratorOrders.values()) expect(count).toBeGreaterThan(0);
      }),
      { numRuns: 200 },
    );
  }, 60_000);
});
