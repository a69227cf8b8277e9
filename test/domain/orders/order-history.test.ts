import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ORDER_STATES, parseOrderEvent, type OrderEvent, type OrderState } from '../../../domain/orders/event';
import {
  applyRevision,
  compactHistory,
  MAX_HISTORY,
  RECENT_STAMPS,
  type OrderRecord,
  type RevisionStamp,
} from '../../../domain/orders/order';
import { apiExample } from './helpers';
import { prng } from '../../support/prng'; // seeded: the 10,000-revision runs are reproducible

/**
 * The order's history is bounded: however many revisions arrive, the record keeps few stamps, and
 * the times derived from them are those of the whole history.
 */
const RECEIVED = '2026-11-03T12:00:00+07:00';
const BASE = parseOrderEvent(apiExample());
const START = Date.UTC(2026, 10, 1);

interface Rev {
  revision: number;
  state: OrderState;
  occurredAt: string;
}

const eventOf = (r: Rev): OrderEvent => ({
  ...BASE,
  revision: r.revision,
  state: r.state,
  occurredAt: r.occurredAt,
  shippingFee: r.revision % 50_000,
});

/**
 * The reference, independent of the code under test: the whole history, and for each time the
 * first revision (lowest revision number, whatever the clock says) whose state carries it.
 */
function referenceTimes(revs: readonly Rev[]) {
  const ascending = [...revs].sort((a, b) => a.revision - b.revision);
  const first = (states: readonly OrderState[]) => {
    let best: Rev | null = null;
    for (const r of ascending) if (states.includes(r.state) && (best === null || r.revision < best.revision)) best = r;
    return best?.occurredAt ?? null;
  };
  return {
    createdAt: ascending[0]!.occurredAt,
    approvedAt: first(['approved', 'completed', 'returned']),
    completedAt: first(['completed', 'returned']),
    returnedAt: first(['returned']),
    voidedAt: first(['void']),
  };
}

const timesOf = (o: OrderRecord) => ({
  createdAt: o.createdAt,
  approvedAt: o.approvedAt,
  completedAt: o.completedAt,
  returnedAt: o.returnedAt,
  voidedAt: o.voidedAt,
});

/** Deliver the revisions one by one; the history must stay bounded after every delivery. */
function deliverAll(revs: readonly Rev[]): OrderRecord {
  let order: OrderRecord | null = null;
  let longest = 0;
  for (const r of revs) {
    order = applyRevision(order, eventOf(r), 'src-1', RECEIVED).order;
    longest = Math.max(longest, order.history.length);
  }
  expect(longest).toBeLessThanOrEqual(MAX_HISTORY);
  return order!;
}

/** `count` revisions with gaps in their numbers, random states and a skewed clock. */
function manyRevisions(count: number, seed: number, pickState: (random: () => number, i: number) => OrderState): Rev[] {
  const random = prng(seed);
  const revs: Rev[] = [];
  let revision = 0;
  for (let i = 0; i < count; i++) {
    revision += 1 + Math.floor(random() * 3);
    // the clock mostly moves on, but an order system's clock may be skewed by up to an hour
    const at = START + i * 60_000 + Math.floor((random() - 0.5) * 7_200_000);
    revs.push({ revision, state: pickState(random, i), occurredAt: new Date(at).toISOString() });
  }
  return revs;
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const random = prng(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('a bounded order history', () => {
  const scenarios: [string, (random: () => number, i: number) => OrderState][] = [
    ['random states', (random) => ORDER_STATES[Math.floor(random() * ORDER_STATES.length)]!],
    // a realistic order: created, then edited thousands of times while approved, completed late, returned at the end
    ['an order edited all day', (_random, i) => (i < 3 ? 'processing' : i < 9_000 ? 'approved' : i < 9_990 ? 'completed' : 'returned')],
  ];

  for (const [name, pickState] of scenarios) {
    it(`10,000 revisions (${name}) leave at most ${MAX_HISTORY} stamps and the times of the whole history`, () => {
      const revs = manyRevisions(10_000, name.length, pickState);
      const expected = referenceTimes(revs);

      const inOrder = deliverAll(revs);
      expect(inOrder.history.length).toBeLessThanOrEqual(MAX_HISTORY);
      expect(timesOf(inOrder)).toEqual(expected);
      expect(inOrder.revision).toBe(revs.at(-1)!.revision);
      expect(inOrder.state).toBe(revs.at(-1)!.state);
      // the stamps kept: ascending, unique, the newest RECENT_STAMPS among them
      const kept = inOrder.history.map((s) => s.revision);
      expect(kept).toEqual([...new Set(kept)].sort((a, b) => a - b));
      expect(kept.slice(-RECENT_STAMPS)).toEqual(revs.slice(-RECENT_STAMPS).map((r) => r.revision));
      // far below DynamoDB's 400 KB item, whatever the number of revisions
      expect(JSON.stringify(inOrder).length).toBeLessThan(8_000);

      // out of order, with a thousand repeats (some of revisions whose stamps were dropped): the same record
      const random = prng(7);
      const repeats = Array.from({ length: 1_000 }, () => revs[Math.floor(random() * revs.length)]!);
      const outOfOrder = deliverAll(shuffled([...revs, ...repeats], 11));
      expect(outOfOrder).toStrictEqual(inOrder);
    });
  }

  it('a dropped revision delivered again changes nothing', () => {
    const revs = manyRevisions(100, 3, (_r, i) => (i === 0 ? 'processing' : 'approved'));
    const order = deliverAll(revs);
    const dropped = revs.find((r) => !order.history.some((s) => s.revision === r.revision))!;
    expect(dropped).toBeDefined();
    expect(applyRevision(order, eventOf(dropped), 'src-1', RECEIVED)).toEqual({ applied: false, changed: false, order });
    const earlier = applyRevision(order, eventOf(dropped), 'src-1', '2026-11-03T11:00:00+07:00');
    expect(earlier).toMatchObject({ applied: false, changed: true });
    expect(earlier.order).toEqual({ ...order, firstReceivedAt: '2026-11-03T11:00:00+07:00' });
  });

  it('an order stored with its whole history is compacted by its next revision, its times unchanged', () => {
    const revs = manyRevisions(300, 5, (random) => ORDER_STATES[Math.floor(random() * ORDER_STATES.length)]!);
    const last = revs.at(-1)!;
    const rest = revs.slice(0, -1);
    const compacted = deliverAll(rest);
    // as a record written before compaction existed: one stamp per revision
    const whole: OrderRecord = {
      ...compacted,
      history: rest.map((r) => ({ revision: r.revision, state: r.state, occurredAt: r.occurredAt })),
    };
    const next = applyRevision(whole, eventOf(last), 'src-1', RECEIVED);
    expect(next.order.history.length).toBeLessThanOrEqual(MAX_HISTORY);
    expect(timesOf(next.order)).toEqual(referenceTimes(revs));
    expect(next.order).toStrictEqual(deliverAll(revs));
  });

  it('any delivery order of up to 60 revisions ends in the same record, whose times are those of the whole history', () => {
    const revsArb = fc
      .uniqueArray(fc.integer({ min: 1, max: 10_000 }), { minLength: 1, maxLength: 60 })
      .chain((revisions) =>
        fc.tuple(
          fc.constant(revisions),
          fc.array(fc.tuple(fc.constantFrom(...ORDER_STATES), fc.integer({ min: 0, max: 60 * 24 * 30 })), {
            minLength: revisions.length,
            maxLength: revisions.length,
          }),
        ),
      )
      .map(([revisions, stamps]) =>
        revisions.map(
          (revision, i): Rev => ({
            revision,
            state: stamps[i]![0],
            occurredAt: new Date(START + stamps[i]![1] * 60_000).toISOString(),
          }),
        ),
      );
    fc.assert(
      fc.property(revsArb, fc.nat(), fc.array(fc.nat(), { maxLength: 10 }), (revs, seed, repeatAt) => {
        const ascending = [...revs].sort((a, b) => a.revision - b.revision);
        const inOrder = deliverAll(ascending);
        const repeats = repeatAt.map((k) => revs[k % revs.length]!);
        expect(deliverAll(shuffled([...revs, ...repeats], seed))).toStrictEqual(inOrder);
        expect(timesOf(inOrder)).toEqual(referenceTimes(revs));
        // the stamps kept: the first of each state and the newest RECENT_STAMPS, nothing else
        const firstOfState = new Set(ORDER_STATES.map((s) => ascending.find((r) => r.state === s)?.revision));
        const expectedKept = ascending.filter((r, i) => firstOfState.has(r.revision) || i >= ascending.length - RECENT_STAMPS);
        expect(inOrder.history).toStrictEqual(
          expectedKept.map((r) => ({ revision: r.revision, state: r.state, occurredAt: r.occurredAt })),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('compactHistory keeps a short history whole', () => {
    const short: RevisionStamp[] = Array.from({ length: RECENT_STAMPS }, (_, i) => ({
      revision: i + 1,
      state: 'approved',
      occurredAt: new Date(START + i * 60_000).toISOString(),
    }));
    expect(compactHistory(short)).toEqual(short);
    const longer = [
      ...short,
      { revision: 99, state: 'approved' as const, occurredAt: RECEIVED },
      { revision: 100, state: 'void' as const, occurredAt: RECEIVED },
    ];
    // revision 1 is the first approved one; revision 2 is neither a first nor among the newest 16
    expect(compactHistory(longer).map((s) => s.revision)).toEqual([1, ...short.slice(2).map((s) => s.revision), 99, 100]);
  });
});
