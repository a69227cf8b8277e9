/**
 * What a delivery's changes make of a stored order (domain/orders/adapters/change.ts), the vendor
 * time reading every adapter shares (common.ts `instantOf`), and WooCommerce's deletion and refunds.
 */
import { describe, expect, it } from 'vitest';
import wooFixture from './fixtures/woocommerce-order.json';
import { eventOfChange, OrderNotReceivedYet, type DeliveryContext } from '../../../domain/orders/adapters/change';
import { assertVnd, instantOf } from '../../../domain/orders/adapters/common';
import { readWooCommerceDelivery, withWooRefunds, wooCommerceOrderToEvent } from '../../../domain/orders/adapters/woocommerce';
import { applyRevision, type OrderRecord } from '../../../domain/orders/order';
import { apiExample, domainErrorOf } from './helpers';

const stored = (): OrderRecord => {
  const event = apiExample();
  return applyRevision(
    null,
    { ...event, lines: [...event.lines!, { ...event.lines![0]!, lineId: '2', quantity: 3 }] } as never,
    'src',
    '2026-11-03T03:20:00Z',
  ).order;
};

describe('a deletion', () => {
  it('voids the stored order at the later of its own revision and the next one; the content stays', () => {
    const order = stored(); // revision 3
    const late = eventOfChange(order, {
      type: 'deletion',
      externalId: order.externalId,
      revision: 10,
      occurredAt: '2026-11-04T00:00:00Z',
    })!;
    expect(late).toMatchObject({ state: 'void', revision: 10, occurredAt: '2026-11-04T00:00:00Z' });
    expect(late.lines).toEqual(order.lines);
    // the order system's clock behind ours: it still applies, as the next revision
    expect(
      eventOfChange(order, { type: 'deletion', externalId: order.externalId, revision: 1, occurredAt: '2026-11-04T00:00:00Z' })!.revision,
    ).toBe(4);
  });

  it('of an order never received, or already void, changes nothing', () => {
    const change = { type: 'deletion' as const, externalId: 'HD-1', revision: 10, occurredAt: '2026-11-04T00:00:00Z' };
    expect(eventOfChange(null, change)).toBeNull();
    const voided = applyRevision(stored(), { ...eventOfChange(stored(), change)! }, 'src', '2026-11-04T00:00:00Z').order;
    expect(voided.state).toBe('void');
    expect(eventOfChange(voided, { ...change, revision: 20 })).toBeNull();
  });
});

describe('a refund', () => {
  const refund = (revision: number, lines: { lineId: string; quantity: number }[]) => ({
    type: 'refund' as const,
    externalId: 'HD-10293',
    revision,
    occurredAt: '2026-11-05T00:00:00Z',
    lines,
  });

  it('adds the units it gives back, per line, capped at the quantity, and makes the order returned', () => {
    const order = stored(); // line 1: 2 units; line 2: 3 units
    const event = eventOfChange(
      order,
      refund(5, [
        { lineId: '2', quantity: 1 },
        { lineId: '2', quantity: 1 },
        { lineId: '1', quantity: 9 },
      ]),
    )!;
    expect(event.state).toBe('returned');
    expect(event.revision).toBe(5);
    expect(event.lines.map((l) => [l.lineId, l.returnedQuantity])).toEqual([
      ['1', 2],
      ['2', 2],
    ]);
  });

  it('older than the stored revision is already in it: nothing changes', () => {
    expect(eventOfChange(stored(), refund(3, [{ lineId: '1', quantity: 1 }]))).toBeNull();
  });

  it('naming a line the order does not have is refused, naming the field', () => {
    const error = domainErrorOf(() => eventOfChange(stored(), refund(5, [{ lineId: '9', quantity: 1 }])));
    expect(error.errors).toEqual([expect.objectContaining({ path: 'refund_line_items.0.line_item_id' })]);
  });

  it('of an order not received yet is worth another attempt (not a content error)', () => {
    expect(() => eventOfChange(null, refund(5, [{ lineId: '1', quantity: 1 }]))).toThrow(OrderNotReceivedYet);
  });
});

describe('vendor times', () => {
  it('with an offset, as they say; without, in the business time zone (or UTC where documented)', () => {
    expect(instantOf('2008-01-10T11:00:00-05:00', 'Asia/Ho_Chi_Minh', 't')).toBe(Date.UTC(2008, 0, 10, 16));
    // 10:15 in Hà Nội is 03:15 UTC
    expect(instantOf('2026-11-03T10:15:00', 'Asia/Ho_Chi_Minh', 't')).toBe(Date.UTC(2026, 10, 3, 3, 15));
    expect(instantOf('2026-11-03 10:15:00.5', 'Asia/Ho_Chi_Minh', 't')).toBe(Date.UTC(2026, 10, 3, 3, 15, 0, 500));
    expect(instantOf('2026-11-03T10:15', 'utc', 't')).toBe(Date.UTC(2026, 10, 3, 10, 15));
    // a zone with summer time: 2026-07-01 12:00 in New York is EDT (−4 h), in January EST (−5 h)
    expect(instantOf('2026-07-01T12:00:00', 'America/New_York', 't')).toBe(Date.UTC(2026, 6, 1, 16));
    expect(instantOf('2026-01-15T12:00:00', 'America/New_York', 't')).toBe(Date.UTC(2026, 0, 15, 17));
  });

  it('what is not a time is refused naming the field', () => {
    expect(() => instantOf('03/11/2026', 'Asia/Ho_Chi_Minh', 'ModifiedDate')).toThrow(/not a date-time/);
  });

  it('a currency other than VND is refused; none, or VND in any case, passes', () => {
    expect(() => assertVnd('USD', 'currency')).toThrow(/USD, not VND/);
    expect(() => assertVnd('vnd', 'currency')).not.toThrow();
    expect(() => assertVnd(undefined, 'currency')).not.toThrow();
  });
});

describe('WooCommerce deliveries', () => {
  const context = (topic?: string): DeliveryContext => ({
    headers: topic ? { 'x-wc-webhook-topic': topic } : {},
    receivedAt: '2026-11-07T01:00:00.000Z',
    timeZone: 'Asia/Ho_Chi_Minh',
  });

  it('order.deleted is a deletion at the time we received it, ranked as void', () => {
    const { changes } = readWooCommerceDelivery({ id: 727 }, context('order.deleted'));
    // seconds of 2026-11-07T01:00:00Z × 10 + 5 (void's rank)
    expect(changes).toEqual([
      { type: 'deletion', externalId: '727', revision: (Date.UTC(2026, 10, 7, 1) / 1000) * 10 + 5, occurredAt: '2026-11-07T01:00:00.000Z' },
    ]);
  });

  it('another topic carries no change; an order without refunds needs no lookup', () => {
    expect(readWooCommerceDelivery(wooFixture, context('product.updated')).changes).toEqual([]);
    expect(readWooCommerceDelivery(wooFixture, context('order.updated'))).toMatchObject({
      changes: [{ type: 'order' }],
      needsRefundUnits: false,
    });
  });

  it('partial refunds need their units from the REST API; a refunded or cancelled order does not', () => {
    const partial = { ...wooFixture, status: 'completed', refunds: [{ id: 724, reason: '', total: '-332500.00' }] };
    expect(readWooCommerceDelivery(partial, context()).needsRefundUnits).toBe(true);
    expect(readWooCommerceDelivery({ ...partial, status: 'refunded' }, context()).needsRefundUnits).toBe(false);
    expect(readWooCommerceDelivery({ ...partial, status: 'cancelled' }, context()).needsRefundUnits).toBe(false);
  });

  it("the REST API's refund lines give back units by `_refunded_item_id`, negative quantities counted once each", () => {
    const event = wooCommerceOrderToEvent({ ...wooFixture, status: 'completed' }); // revision …3 (completed)
    const refunds = [
      { id: 724, line_items: [{ quantity: -1, meta_data: [{ key: '_refunded_item_id', value: '315' }] }] },
      { id: 725, line_items: [{ quantity: -1, meta_data: [{ key: '_refunded_item_id', value: '316' }] }] },
      { id: 726, line_items: [] }, // money only
    ];
    const out = withWooRefunds(event, refunds);
    expect(out.lines.map((l) => [l.lineId, l.returnedQuantity])).toEqual([
      ['315', 1],
      ['316', 1],
    ]);
    expect(out.state).toBe('returned');
    // same seconds, the rank of returned (4) instead of completed (3)
    expect(out.revision).toBe(event.revision + 1);
    const noUnits = withWooRefunds(event, [{ id: 726, line_items: [] }]);
    expect(noUnits).toMatchObject({ state: 'completed', revision: event.revision });
  });

  it('a refund line naming no order line is refused, naming the field', () => {
    const event = wooCommerceOrderToEvent(wooFixture);
    const error = domainErrorOf(() =>
      withWooRefunds(event, [{ id: 1, line_items: [{ quantity: -1, meta_data: [{ key: '_refunded_item_id', value: '999' }] }] }]),
    );
    expect(error.errors).toEqual([expect.objectContaining({ path: 'refunds.0.line_items.0.meta_data' })]);
  });
});
