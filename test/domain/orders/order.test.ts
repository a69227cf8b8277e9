import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ORDER_STATES, parseOrderEvent, type OrderEvent, type OrderState } from '../../../domain/orders/event';
import { applyRevision, manualRevision, type ManualOrderChange, type OrderRecord } from '../../../domain/orders/order';
import { apiExample, domainErrorOf } from './helpers';

const RECEIVED = '2026-11-03T12:00:00+07:00';

function rev(revision: number, state: OrderState, occurredAt: string, patch: Partial<OrderEvent> = {}): OrderEvent {
  return { ...parseOrderEvent({ ...apiExample(), revision, state, occurredAt }), ...patch };
}

const fold = (events: readonly OrderEvent[], source = 'src-1', receivedAt: (e: OrderEvent) => string = () => RECEIVED) =>
  events.reduce<OrderRecord | null>((order, e) => applyRevision(order, e, source, receivedAt(e)).order, null)!;

const r1 = rev(1, 'processing', '2026-11-03T10:00:00+07:00');
const r2 = rev(2, 'approved', '2026-11-03T10:15:00+07:00');
const r3 = rev(3, 'completed', '2026-11-05T16:30:00+07:00', { shippingFee: 0 });

describe('applyRevision', () => {
  it('creates the order from its first revision', () => {
    const { applied, changed, order } = applyRevision(null, r1, 'src-1', RECEIVED);
    expect(applied).toBe(true);
    expect(changed).toBe(true);
    expect(order).toMatchObject({
      externalId: 'HD-10293',
      sourceId: 'src-1',
      revision: 1,
      state: 'processing',
      customer: { phone: '+84912345678', name: 'Trần Văn Bình' },
      orderDiscount: 50000,
      shippingFee: 30000,
      attributionHints: { collaboratorId: null, refId: 'HOA123', couponCode: null, opportunityId: null },
      sellerId: null,
      history: [{ revision: 1, state: 'processing', occurredAt: '2026-11-03T10:00:00+07:00' }],
      createdAt: '2026-11-03T10:00:00+07:00',
      approvedAt: null,
      completedAt: null,
      returnedAt: null,
      voidedAt: null,
      firstReceivedAt: RECEIVED,
    });
  });

  it('a newer revision replaces the content; a repeated one changes nothing', () => {
    const first = applyRevision(null, r1, 'src-1', RECEIVED).order;
    const second = applyRevision(first, r3, 'src-1', RECEIVED);
    expect(second.applied).toBe(true);
    expect(second.order.state).toBe('completed');
    expect(second.order.shippingFee).toBe(0);
    const again = applyRevision(second.order, r3, 'src-1', '2026-11-06T00:00:00+07:00');
    expect(again).toEqual({ applied: false, changed: false, order: second.order });
    expect(again.order).toBe(second.order);
  });

  it('an older revision keeps the content but records when its state first happened', () => {
    // r3 (completed) arrives before r2 (approved): the order was approved at r2's time, not r3's
    const afterR3 = fold([r1, r3]);
    expect(afterR3.approvedAt).toBe('2026-11-05T16:30:00+07:00');
    const late = applyRevision(afterR3, r2, 'src-1', RECEIVED);
    expect(late.applied).toBe(false);
    expect(late.changed).toBe(true);
    expect(late.order.state).toBe('completed');
    expect(late.order.revision).toBe(3);
    expect(late.order.shippingFee).toBe(0);
    expect(late.order.approvedAt).toBe('2026-11-03T10:15:00+07:00');
    expect(late.order.completedAt).toBe('2026-11-05T16:30:00+07:00');
    expect(late.order.createdAt).toBe('2026-11-03T10:00:00+07:00');
    expect(late.order.history.map((s) => s.revision)).toEqual([1, 2, 3]);
  });

  it('the time of a state is that of the lowest revision carrying it, not the earliest clock', () => {
    // revision 5 says approved with a skewed clock earlier than revision 4's
    const a = rev(4, 'approved', '2026-11-03T11:00:00+07:00');
    const b = rev(5, 'approved', '2026-11-03T09:00:00+07:00');
    expect(fold([b, a]).approvedAt).toBe('2026-11-03T11:00:00+07:00');
  });

  it('a return after approval counts as approved and completed at the return', () => {
    const returned = rev(2, 'returned', '2026-11-04T09:00:00+07:00');
    const order = fold([r1, returned]);
    expect(order).toMatchObject({
      approvedAt: '2026-11-04T09:00:00+07:00',
      completedAt: '2026-11-04T09:00:00+07:00',
      returnedAt: '2026-11-04T09:00:00+07:00',
      voidedAt: null,
    });
  });

  it('records the void time', () => {
    const v = rev(2, 'void', '2026-11-03T11:00:00+07:00');
    expect(fold([r1, v])).toMatchObject({ state: 'void', voidedAt: '2026-11-03T11:00:00+07:00', approvedAt: null });
  });

  it('refuses a revision of another order', () => {
    const other = rev(2, 'approved', '2026-11-03T10:15:00+07:00', { externalId: 'HD-99999' });
    const err = domainErrorOf(() => applyRevision(fold([r1]), other, 'src-1', RECEIVED));
    expect(err.kind).toBe('rule_violation');
    expect(err.errors[0]!.path).toBe('externalId');
  });

  it('keeps the earliest receivedAt whatever the delivery order', () => {
    const early = '2026-11-03T10:00:05+07:00';
    const late = '2026-11-03T10:20:00+07:00';
    const a = fold([r1, r2], 'src-1', (e) => (e.revision === 1 ? early : late));
    const b = fold([r2, r1], 'src-1', (e) => (e.revision === 1 ? early : late));
    expect(a.firstReceivedAt).toBe(early);
    expect(b).toEqual(a);
  });
});

describe('applyRevision in any order', () => {
  const stampArb = fc.record({
    state: fc.constantFrom(...ORDER_STATES),
    minute: fc.integer({ min: 0, max: 60 * 24 * 30 }),
    shippingFee: fc.integer({ min: 0, max: 50_000 }),
    returned: fc.integer({ min: 0, max: 2 }),
  });
  const scenarioArb = fc
    .uniqueArray(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 8 })
    .chain((revisions) =>
      fc.tuple(fc.constant(revisions), fc.array(stampArb, { minLength: revisions.length, maxLength: revisions.length })),
    )
    .map(([revisions, stamps]) =>
      revisions.map((revision, i) => {
        const s = stamps[i]!;
        const occurredAt = new Date(Date.UTC(2026, 10, 1) + s.minute * 60_000).toISOString();
        const base = rev(revision, s.state, occurredAt, { shippingFee: s.shippingFee });
        return { ...base, lines: base.lines.map((l) => ({ ...l, returnedQuantity: s.returned })) };
      }),
    )
    .chain((events) =>
      fc.tuple(
        fc.constant(events),
        // a delivery order: a permutation, with some revisions delivered again
        fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }),
        fc.array(fc.constantFrom(...events), { maxLength: 4 }),
        fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 12, maxLength: 12 }),
      ),
    );

  it('delivering the same revisions in any order, with repeats, ends in the same record', () => {
    fc.assert(
      fc.property(scenarioArb, ([events, shuffled, repeats, positions]) => {
        const deliveries = [...shuffled];
        repeats.forEach((e, k) => deliveries.splice(positions[k]! % (deliveries.length + 1), 0, e));
        const ascending = [...events].sort((a, b) => a.revision - b.revision);
        const inOrder = fold(ascending);
        const anyOrder = fold(deliveries);
        expect(anyOrder).toStrictEqual(inOrder);

        // and that record is what the rules say, computed here independently
        const newest = ascending.at(-1)!;
        const firstWith = (states: OrderState[]) => ascending.find((e) => states.includes(e.state))?.occurredAt ?? null;
        expect(anyOrder.revision).toBe(newest.revision);
        expect(anyOrder.state).toBe(newest.state);
        expect(anyOrder.shippingFee).toBe(newest.shippingFee);
        expect(anyOrder.lines).toStrictEqual(newest.lines);
        expect(anyOrder.createdAt).toBe(ascending[0]!.occurredAt);
        expect(anyOrder.approvedAt).toBe(firstWith(['approved', 'completed', 'returned']));
        expect(anyOrder.completedAt).toBe(firstWith(['completed', 'returned']));
        expect(anyOrder.returnedAt).toBe(firstWith(['returned']));
        expect(anyOrder.voidedAt).toBe(firstWith(['void']));
        expect(anyOrder.history).toStrictEqual(ascending.map((e) => ({ revision: e.revision, state: e.state, occurredAt: e.occurredAt })));
      }),
      { numRuns: 300 },
    );
  });

  it('reports applied only for a revision newer than every one before it', () => {
    fc.assert(
      fc.property(scenarioArb, ([, shuffled]) => {
        let order: OrderRecord | null = null;
        let newest = 0;
        for (const e of shuffled) {
          const r = applyRevision(order, e, 'src-1', RECEIVED);
          expect(r.applied).toBe(e.revision > newest);
          newest = Math.max(newest, e.revision);
          order = r.order;
        }
      }),
    );
  });
});

describe('manual changes by care staff', () => {
  const AT = '2026-11-06T09:00:00+07:00';
  const twoLineOrder = (state: OrderState, returned: [number, number] = [0, 0]) =>
    fold([
      rev(7, state, '2026-11-03T10:15:00+07:00', {
        lines: [
          {
            lineId: '1',
            productId: 'SERUM-30',
            unit: 'chai',
            category: 'serum',
            quantity: 2,
            unitPrice: 350000,
            discount: 0,
            addOn: false,
            returnedQuantity: returned[0],
          },
          {
            lineId: '2',
            productId: 'CREAM-50',
            unit: 'hũ',
            category: 'kem',
            quantity: 3,
            unitPrice: 300000,
            discount: 0,
            addOn: true,
            returnedQuantity: returned[1],
          },
        ],
      }),
    ]);

  it('approve: processing → approved, as the next revision at the given time', () => {
    const next = manualRevision(twoLineOrder('processing'), { action: 'approve' }, AT);
    expect(next.revision).toBe(8);
    expect(next.state).toBe('approved');
    expect(next.occurredAt).toBe(AT);
    expect(next.externalId).toBe('HD-10293');
    expect(next.lines.map((l) => l.returnedQuantity)).toEqual([0, 0]);
    const applied = applyRevision(twoLineOrder('processing'), next, 'manual', AT);
    expect(applied.applied).toBe(true);
    expect(applied.order.approvedAt).toBe(AT);
    expect(applied.order.sourceId).toBe('manual');
  });

  it('complete: only an approved order', () => {
    expect(manualRevision(twoLineOrder('approved'), { action: 'complete' }, AT).state).toBe('completed');
    const err = domainErrorOf(() => manualRevision(twoLineOrder('processing'), { action: 'complete' }, AT));
    expect(err.kind).toBe('rule_violation');
    expect(err.errors[0]!.path).toBe('state');
  });

  it('return some units: adds to what was returned before', () => {
    const next = manualRevision(twoLineOrder('completed', [0, 1]), { action: 'return', lines: [{ lineId: '2', quantity: 2 }] }, AT);
    expect(next.state).toBe('returned');
    expect(next.lines.map((l) => l.returnedQuantity)).toEqual([0, 3]);
    const again = manualRevision(twoLineOrder('returned', [1, 0]), { action: 'return', lines: [{ lineId: '1', quantity: 1 }] }, AT);
    expect(again.lines.map((l) => l.returnedQuantity)).toEqual([2, 0]);
  });

  it('return everything left when no lines are named', () => {
    const next = manualRevision(twoLineOrder('approved', [1, 0]), { action: 'return' }, AT);
    expect(next.lines.map((l) => l.returnedQuantity)).toEqual([2, 3]);
  });

  it('refuses to return more than was sold, an unknown line, or a line twice', () => {
    const tooMany = domainErrorOf(() =>
      manualRevision(twoLineOrder('completed', [1, 0]), { action: 'return', lines: [{ lineId: '1', quantity: 2 }] }, AT),
    );
    expect(tooMany.kind).toBe('rule_violation');
    expect(tooMany.errors[0]!.path).toBe('lines.0.quantity');

    const unknown = domainErrorOf(() =>
      manualRevision(
        twoLineOrder('completed'),
        {
          action: 'return',
          lines: [
            { lineId: '1', quantity: 1 },
            { lineId: '9', quantity: 1 },
          ],
        },
        AT,
      ),
    );
    expect(unknown.errors[0]!.path).toBe('lines.1.lineId');

    const twice = domainErrorOf(() =>
      manualRevision(
        twoLineOrder('completed'),
        {
          action: 'return',
          lines: [
            { lineId: '2', quantity: 1 },
            { lineId: '2', quantity: 1 },
          ],
        },
        AT,
      ),
    );
    expect(twice.errors[0]!.path).toBe('lines.1.lineId');

    const nothingLeft = domainErrorOf(() => manualRevision(twoLineOrder('returned', [2, 3]), { action: 'return' }, AT));
    expect(nothingLeft.errors[0]!.path).toBe('lines');
  });

  it('refuses to return an order that was never approved', () => {
    expect(domainErrorOf(() => manualRevision(twoLineOrder('processing'), { action: 'return' }, AT)).kind).toBe('rule_violation');
  });

  it('void: before delivery only', () => {
    expect(manualRevision(twoLineOrder('processing'), { action: 'void' }, AT).state).toBe('void');
    expect(manualRevision(twoLineOrder('approved'), { action: 'void' }, AT).state).toBe('void');
    expect(domainErrorOf(() => manualRevision(twoLineOrder('completed'), { action: 'void' }, AT)).kind).toBe('rule_violation');
  });

  it('nothing is possible after void', () => {
    const changes: ManualOrderChange[] = [
      { action: 'approve' },
      { action: 'complete' },
      { action: 'void' },
      { action: 'return' },
      { action: 'return', lines: [{ lineId: '1', quantity: 1 }] },
    ];
    for (const change of changes) {
      const err = domainErrorOf(() => manualRevision(twoLineOrder('void'), change, AT));
      expect(err.kind, change.action).toBe('rule_violation');
      expect(err.errors[0]!.path).toBe('state');
    }
  });

  it('approve twice is refused', () => {
    expect(domainErrorOf(() => manualRevision(twoLineOrder('approved'), { action: 'approve' }, AT)).kind).toBe('rule_violation');
  });

  it('needs a real date-time', () => {
    const err = domainErrorOf(() => manualRevision(twoLineOrder('processing'), { action: 'approve' }, 'tomorrow'));
    expect(err.kind).toBe('validation');
    expect(err.errors[0]!.path).toBe('occurredAt');
  });

  it('the manual revision is a valid order event', () => {
    const next = manualRevision(twoLineOrder('completed'), { action: 'return', lines: [{ lineId: '2', quantity: 1 }] }, AT);
    expect(parseOrderEvent(next)).toEqual(next);
  });
});
