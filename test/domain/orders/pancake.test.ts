import { describe, expect, it } from 'vitest';
import orderFixture from './fixtures/pancake/order.json';
import { readPancakeDelivery } from '../../../domain/orders/adapters/pancake';
import type { DeliveryContext, OrderChange } from '../../../domain/orders/adapters/change';
import { computeNetRevenue } from '../../../domain/orders/net-revenue';
import { applyRevision } from '../../../domain/orders/order';
import { domainErrorOf } from './helpers';

type Json = Record<string, any>;
const order = (patch: (o: Json) => void = () => {}): Json => {
  const o = structuredClone(orderFixture) as Json;
  patch(o);
  return o;
};

const context: DeliveryContext = { headers: {}, receivedAt: '2026-11-03T03:16:00.000Z', timeZone: 'Asia/Ho_Chi_Minh' };
const UPDATED_MS = Date.UTC(2026, 10, 3, 3, 15, 0, 250); // updated_at of order.json

const eventOf = (payload: unknown) => {
  const changes: OrderChange[] = readPancakeDelivery(payload, context);
  expect(changes).toHaveLength(1);
  const [change] = changes;
  if (change?.type !== 'order') throw new Error(`expected an order change, got ${change?.type}`);
  return change.event;
};
const errorPaths = (fn: () => unknown) => domainErrorOf(fn).errors.map((e) => e.path);

describe('Pancake POS order → OrderEvent', () => {
  it('maps the order, line by line', () => {
    expect(eventOf(order())).toEqual({
      externalId: '1187',
      revision: UPDATED_MS * 10 + 2, // updated_at in ms × 10 + rank of approved
      state: 'approved', // 1 Đã xác nhận
      occurredAt: '2026-11-03T03:15:00.250Z',
      customer: { phone: '+84901234567', name: 'Nguyễn Thị Mai' },
      lines: [
        {
          lineId: '501',
          productId: 'SERUM-30', // variation_info.display_id
          unit: 'cái',
          category: 'uncategorized',
          quantity: 2,
          unitPrice: 350_000,
          discount: 20_000, // discount_each_product 10,000 × 2
          addOn: false,
          returnedQuantity: 0,
        },
        {
          lineId: '502',
          productId: 'MASK-5',
          unit: 'cái',
          category: 'uncategorized',
          quantity: 3,
          unitPrice: 120_000,
          discount: 0,
          addOn: false,
          returnedQuantity: 0,
        },
      ],
      orderDiscount: 50_000, // total_discount
      shippingFee: 30_000,
      attribution: { collaboratorId: null, refId: null, couponCode: null, opportunityId: null },
      sellerId: null,
    });
  });

  it('maps every status code, and refuses one it does not know, naming the field', () => {
    const expected: Record<number, string> = {
      0: 'processing',
      17: 'processing',
      11: 'processing',
      12: 'processing',
      13: 'processing',
      20: 'processing',
      1: 'approved',
      8: 'approved',
      9: 'approved',
      2: 'approved',
      4: 'approved',
      3: 'completed',
      16: 'completed',
      5: 'returned',
      6: 'void',
      7: 'void',
    };
    for (const [status, state] of Object.entries(expected)) {
      expect(eventOf(order((o) => (o.status = Number(status)))).state, status).toBe(state);
    }
    expect(errorPaths(() => eventOf(order((o) => (o.status = 99))))).toEqual(['status']);
    expect(errorPaths(() => eventOf(order((o) => (o.status = 'Đã xác nhận'))))).toEqual(['status']);
  });

  it('a partial return (15) takes the returned units per line from returned_count', () => {
    const e = eventOf(
      order((o) => {
        o.status = 15;
        o.order_items[1].returned_count = 1;
      }),
    );
    expect(e.state).toBe('returned');
    expect(e.lines.map((l) => l.returnedQuantity)).toEqual([0, 1]);
    // net revenue after the return, worked by hand:
    // line values 2 × 350,000 − 20,000 = 680,000 and 3 × 120,000 = 360,000 (V = 1,040,000);
    // the 50,000 order discount is shared 680/1040 and 360/1040: 32,692.3 → 32,692 and 17,307.7 → 17,308;
    // line 2 keeps 2 of its 3 units: (360,000 − 17,308) × 2/3 = 228,461.3 → 228,461
    expect(computeNetRevenue(e).lines[1]!.keptNetRevenue).toBe(228_461);
  });

  it('refuses a partial return that does not say which units came back, and never returns more than a line holds', () => {
    const err = domainErrorOf(() => eventOf(order((o) => (o.status = 15))));
    expect(err.kind).toBe('validation');
    expect(err.errors).toEqual([{ path: 'order_items', message: expect.stringContaining('returned_count') }]);
    const capped = eventOf(
      order((o) => {
        o.status = 15;
        o.order_items[0].returned_count = 5;
      }),
    );
    expect(capped.lines.map((l) => l.returnedQuantity)).toEqual([2, 0]);
  });

  it('a returned order (5) gives every unit back', () => {
    expect(eventOf(order((o) => (o.status = 5))).lines.map((l) => l.returnedQuantity)).toEqual([2, 3]);
  });

  it('reads `items` as well as `order_items`, a price from retail_price, price or the variation, and an order in a wrapper', () => {
    const e = eventOf(
      order((o) => {
        o.items = o.order_items;
        delete o.order_items;
        o.items[0].retail_price = 340_000;
        delete o.items[1].price;
        o.items[1].variation_info.retail_price = 110_000;
      }),
    );
    expect(e.lines.map((l) => l.unitPrice)).toEqual([340_000, 110_000]);
    expect(eventOf({ data: order() }).externalId).toBe('1187');
    expect(errorPaths(() => eventOf(order((o) => (o.items = []))))).toEqual(['items']);
    expect(errorPaths(() => eventOf(order((o) => (o.order_items = []))))).toEqual(['order_items']);
    expect(errorPaths(() => eventOf(order((o) => (o.order_items[1].price = 'abc'))))).toEqual(['order_items.1.price']);
  });

  it('falls back to the variation, then the product, for the product id and the line id', () => {
    const e = eventOf(
      order((o) => {
        delete o.order_items[0].variation_info;
        delete o.order_items[1].id;
        delete o.order_items[1].variation_info.display_id;
      }),
    );
    expect(e.lines.map((l) => [l.lineId, l.productId])).toEqual([
      ['501', '7f1e2d3c-0001-4a5b-8c9d-000000000501'],
      ['7f1e2d3c-0002-4a5b-8c9d-000000000502', '7f1e2d3c-0002-4a5b-8c9d-000000000502'],
    ]);
  });

  it('refuses a percentage discount on an item, naming it', () => {
    expect(errorPaths(() => eventOf(order((o) => (o.order_items[0].is_discount_percent = true))))).toEqual([
      'order_items.0.is_discount_percent',
    ]);
  });

  it('reads a time without offset as UTC, and a later update is a newer revision', () => {
    expect(eventOf(order((o) => (o.updated_at = '2026-11-03T03:15:00.250000'))).revision).toBe(UPDATED_MS * 10 + 2);
    expect(eventOf(order((o) => (o.updated_at = '2026-11-03T10:15:00.250+07:00'))).revision).toBe(UPDATED_MS * 10 + 2);
    const first = eventOf(order());
    const later = eventOf(order((o) => (o.updated_at = '2026-11-03T03:15:00.251Z')));
    expect(later.revision - first.revision).toBe(10);
    // the same millisecond: the later stage of the lifecycle is the newer revision
    expect(eventOf(order((o) => (o.status = 3))).revision - first.revision).toBe(1);
    const stored = applyRevision(null, later, 'pancake', context.receivedAt).order;
    expect(applyRevision(stored, first, 'pancake', context.receivedAt).applied).toBe(false);
    expect(errorPaths(() => eventOf(order((o) => delete o.updated_at)))).toEqual(['updated_at']);
    expect(errorPaths(() => eventOf(order((o) => (o.updated_at = 'hôm qua'))))).toEqual(['updated_at']);
  });

  it('takes the phone from the bill, then the shipping address, then the customer; free shipping is no fee', () => {
    const e = eventOf(
      order((o) => {
        o.bill_phone_number = '';
        o.shipping_address.phone_number = '0987 654 321';
        o.is_free_shipping = true;
      }),
    );
    expect(e.customer.phone).toBe('+84987654321');
    expect(e.shippingFee).toBe(0);
    const none = eventOf(
      order((o) => {
        o.bill_phone_number = null;
        delete o.shipping_address;
        o.customer.phone_number = null;
      }),
    );
    expect(none.customer.phone).toBeNull();
  });
});
