import { describe, expect, it } from 'vitest';
import orderFixture from './fixtures/shopify/order.json';
import refundFixture from './fixtures/shopify/refund.json';
import deletedFixture from './fixtures/shopify/order-deleted.json';
import editedFixture from './fixtures/shopify/order-edited.json';
import { readShopifyDelivery, shopifyOrderToEvent } from '../../../domain/orders/adapters/shopify';
import { eventOfChange, type DeliveryContext, type OrderChange } from '../../../domain/orders/adapters/change';
import { computeNetRevenue } from '../../../domain/orders/net-revenue';
import { applyRevision } from '../../../domain/orders/order';
import { domainErrorOf } from './helpers';

type Json = Record<string, any>;
const order = (patch: (o: Json) => void = () => {}): Json => {
  const o = structuredClone(orderFixture) as Json;
  patch(o);
  return o;
};
const refund = (patch: (r: Json) => void = () => {}): Json => {
  const r = structuredClone(refundFixture) as Json;
  patch(r);
  return r;
};
const RECEIVED_AT = '2026-11-03T03:20:00Z';
const delivery = (topic: string | null): DeliveryContext => ({
  headers: topic === null ? { 'content-type': 'application/json' } : { 'x-shopify-topic': topic, 'content-type': 'application/json' },
  receivedAt: RECEIVED_AT,
  timeZone: 'Asia/Ho_Chi_Minh',
});

// updated_at "2008-01-10T11:00:00-05:00" is 16:00 UTC
const UPDATED_MS = Date.UTC(2008, 0, 10, 16, 0, 0);
// refund created_at "2016-06-20T13:35:06-04:00" is 17:35:06 UTC
const REFUNDED_MS = Date.UTC(2016, 5, 20, 17, 35, 6);
// revisions: epoch ms × 10 + the state's rank (processing 0, approved 1, completed 2, returned 3, void 4)

describe('Shopify order → OrderEvent', () => {
  it('maps the SDK order fixture (VND store)', () => {
    expect(shopifyOrderToEvent(order())).toEqual({
      externalId: '450789469',
      revision: UPDATED_MS * 10 + 0, // financial_status "authorized", nothing fulfilled: processing
      state: 'processing',
      occurredAt: '2008-01-10T11:00:00-05:00',
      customer: { phone: '+84912345678', name: 'Bob Norman' }, // no order or customer phone: the shipping address's
      lines: [
        // discount = the TENOFF code's share in discount_allocations (total_discount is "0.00")
        {
          lineId: '466157049',
          productId: 'IPOD2008GREEN',
          unit: 'cái',
          category: 'uncategorized',
          quantity: 1,
          unitPrice: 350_000,
          discount: 16_668,
          addOn: false,
          returnedQuantity: 0,
        },
        {
          lineId: '518995019',
          productId: 'IPOD2008RED',
          unit: 'cái',
          category: 'uncategorized',
          quantity: 1,
          unitPrice: 350_000,
          discount: 16_666,
          addOn: false,
          returnedQuantity: 0,
        },
        {
          lineId: '703073504',
          productId: 'IPOD2008BLACK',
          unit: 'cái',
          category: 'uncategorized',
          quantity: 1,
          unitPrice: 350_000,
          discount: 16_666,
          addOn: false,
          returnedQuantity: 0,
        },
      ],
      orderDiscount: 0, // total_discounts 50,000 = 16,668 + 16,666 + 16,666, already on the lines
      shippingFee: 30_000,
      // ?source=abc is not a ref (Shopify's landing_site_ref "abc" is not read)
      attribution: { collaboratorId: null, refId: null, couponCode: 'TENOFF', opportunityId: null },
      sellerId: null,
    });
  });

  it("gives a net revenue equal to Shopify's own subtotal_price", () => {
    const r = computeNetRevenue(shopifyOrderToEvent(order()));
    // 350,000 − 16,668 = 333,332; 350,000 − 16,666 = 333,334 (twice); Σ = 1,000,000 = subtotal_price
    expect(r.lines.map((l) => l.netRevenue)).toEqual([333_332, 333_334, 333_334]);
    expect(r.totals.netRevenue).toBe(1_000_000);
  });

  it('maps the order states and ranks them within one updated_at', () => {
    const mapped = (patch: (o: Json) => void) => {
      const e = shopifyOrderToEvent(order(patch));
      return [e.state, e.revision - UPDATED_MS * 10];
    };
    expect(mapped((o) => (o.financial_status = 'pending'))).toEqual(['processing', 0]);
    expect(mapped((o) => (o.financial_status = 'voided'))).toEqual(['processing', 0]);
    expect(mapped((o) => (o.financial_status = 'paid'))).toEqual(['approved', 1]);
    expect(mapped((o) => (o.financial_status = 'partially_paid'))).toEqual(['approved', 1]);
    expect(mapped((o) => (o.financial_status = 'partially_refunded'))).toEqual(['approved', 1]);
    // a part shipped is not the order completed
    expect(mapped((o) => Object.assign(o, { financial_status: 'paid', fulfillment_status: 'partial' }))).toEqual(['approved', 1]);
    // shipped in full: completed, paid or not (cash on delivery)
    expect(mapped((o) => (o.fulfillment_status = 'fulfilled'))).toEqual(['completed', 2]);
    expect(
      mapped((o) =>
        Object.assign(o, { fulfillment_status: 'fulfilled', cancelled_at: '2008-01-10T11:00:00-05:00', cancel_reason: 'customer' }),
      ),
    ).toEqual(['void', 4]);
  });

  it('orders/paid sent in the same second as orders/create is the newer revision', () => {
    const created = shopifyOrderToEvent(order());
    const paid = shopifyOrderToEvent(order((o) => (o.financial_status = 'paid')));
    const stored = applyRevision(null, paid, 'shopify', RECEIVED_AT).order;
    // the creation arriving after the payment is old news
    expect(applyRevision(stored, created, 'shopify', RECEIVED_AT).applied).toBe(false);
    expect(applyRevision(applyRevision(null, created, 'shopify', RECEIVED_AT).order, paid, 'shopify', RECEIVED_AT).order.state).toBe(
      'approved',
    );
  });

  it('reads returned units from refunds, line by line', () => {
    const e = shopifyOrderToEvent(
      order((o) => {
        o.financial_status = 'partially_refunded';
        o.fulfillment_status = 'fulfilled';
        o.refunds = [
          { id: 1, refund_line_items: [{ id: 11, line_item_id: 703073504, quantity: 1 }] },
          // named by the line's gid this time; a quantity 0 gives back nothing
          {
            id: 2,
            refund_line_items: [
              { id: 12, line_item_id: 466157049, quantity: 0, line_item: { admin_graphql_api_id: 'gid://shopify/LineItem/466157049' } },
            ],
          },
        ];
      }),
    );
    expect(e.state).toBe('returned');
    expect(e.lines.map((l) => l.returnedQuantity)).toEqual([0, 0, 1]);
    // the black line's R 333,334 is lost: 1,000,000 − 333,334 = 666,666 kept
    expect(computeNetRevenue(e).totals.keptNetRevenue).toBe(666_666);
  });

  it('counts every unit returned when all the money went back', () => {
    const e = shopifyOrderToEvent(order((o) => Object.assign(o, { financial_status: 'refunded', fulfillment_status: 'fulfilled' })));
    expect(e.state).toBe('returned');
    expect(e.lines.map((l) => l.returnedQuantity)).toEqual([1, 1, 1]);
    expect(computeNetRevenue(e).totals.keptNetRevenue).toBe(0);
  });

  it('keeps VAT out of the line value when prices include it', () => {
    const e = shopifyOrderToEvent(order((o) => (o.taxes_included = true)));
    // allocation + the line's VAT: 16,668 + 26,667 = 43,335; 16,666 + 26,667 = 43,333
    expect(e.lines.map((l) => l.discount)).toEqual([43_335, 43_333, 43_333]);
    expect(e.orderDiscount).toBe(0);
  });

  it('reads a payload without discount allocations from total_discount and total_discounts', () => {
    const e = shopifyOrderToEvent(
      order((o) => {
        for (const line of o.line_items) delete line.discount_allocations;
        o.line_items[0].total_discount = '10000.00';
        o.discount_codes = [
          { code: 'TENOFF', amount: '50000.00', type: 'fixed_amount' },
          { code: 'FREESHIP', amount: '30000.00', type: 'shipping' },
        ];
        o.total_discounts = '90000.00';
      }),
    );
    expect(e.lines.map((l) => l.discount)).toEqual([10_000, 0, 0]);
    // 90,000 − the line's 10,000 − the shipping code's 30,000
    expect(e.orderDiscount).toBe(50_000);
    expect(e.attribution.couponCode).toBe('TENOFF');
  });

  it('takes the order id from admin_graphql_api_id, and refuses an id that lost digits', () => {
    // past 2^53: the JSON number is no longer exact, the gid is
    const big = shopifyOrderToEvent(
      order((o) => {
        o.id = 820982911946154500;
        o.admin_graphql_api_id = 'gid://shopify/Order/820982911946154508';
      }),
    );
    expect(big.externalId).toBe('820982911946154508');
    const err = domainErrorOf(() =>
      shopifyOrderToEvent(
        order((o) => {
          o.id = 820982911946154500;
          delete o.admin_graphql_api_id;
        }),
      ),
    );
    expect(err.kind).toBe('validation');
    expect(err.errors.map((x) => x.path)).toEqual(['id']);
    // a string id is taken as it is
    expect(shopifyOrderToEvent(order((o) => Object.assign(o, { id: '820982911946154508', admin_graphql_api_id: null }))).externalId).toBe(
      '820982911946154508',
    );
  });

  it('names a line by sku, else product, variant or title', () => {
    const e = shopifyOrderToEvent(
      order((o) => {
        o.line_items[0].sku = '';
        o.line_items[1].sku = null;
        o.line_items[1].product_id = null;
        o.line_items[2].sku = null;
        o.line_items[2].product_id = null;
        o.line_items[2].variant_id = null;
        o.line_items[2].title = 'Khắc tên theo yêu cầu';
      }),
    );
    expect(e.lines.map((l) => l.productId)).toEqual(['632910392', '49148385', 'Khắc tên theo yêu cầu']);
  });

  it('takes the first Vietnamese phone of the order, the customer, then the addresses', () => {
    const phoneOf = (patch: (o: Json) => void) => shopifyOrderToEvent(order(patch)).customer.phone;
    expect(phoneOf((o) => (o.phone = '0977 123 456'))).toBe('+84977123456');
    expect(phoneOf((o) => (o.customer.phone = '+84 988 765 432'))).toBe('+84988765432');
    // a foreign order phone gives way to the Vietnamese shipping phone
    expect(phoneOf((o) => (o.phone = '+65 9123 4567'))).toBe('+84912345678');
    expect(phoneOf((o) => Object.assign(o.shipping_address, { phone: null }))).toBe('+84987654321');
    expect(
      phoneOf((o) => {
        o.shipping_address.phone = null;
        o.billing_address.phone = '555-625-1199';
      }),
    ).toBeNull();
  });

  it('reads attribution hints from note attributes, then the landing page', () => {
    const e = shopifyOrderToEvent(
      order((o) => {
        o.note_attributes.push(
          { name: 'ctv_id', value: 'CTV-9' },
          { name: 'opportunity_id', value: 'OPP-7' },
          { name: 'seller_id', value: 'staff-3' },
        );
        o.landing_site = '/products/ipod?utm_source=zalo&ref=lan%20456';
        o.line_items[0].properties.push({ name: 'add_on', value: 'true' }, { name: 'unit', value: 'chiếc' });
      }),
    );
    expect(e.attribution).toEqual({ collaboratorId: 'CTV-9', refId: 'LAN456', couponCode: 'TENOFF', opportunityId: 'OPP-7' });
    expect(e.sellerId).toBe('staff-3');
    expect([e.lines[0]!.addOn, e.lines[0]!.unit]).toEqual([true, 'chiếc']);
    const noted = shopifyOrderToEvent(order((o) => o.note_attributes.push({ name: 'ref_id', value: 'hoa123' })));
    expect(noted.attribution.refId).toBe('HOA123');
  });

  it('refuses an order in another currency, naming the field', () => {
    const err = domainErrorOf(() => shopifyOrderToEvent(order((o) => (o.currency = 'USD'))));
    expect(err.kind).toBe('validation');
    expect(err.errors).toEqual([{ path: 'currency', message: expect.stringContaining('USD') }]);
  });

  it('rejects a payload that is not an order, naming the native field', () => {
    expect(domainErrorOf(() => shopifyOrderToEvent(order((o) => delete o.updated_at))).errors.map((x) => x.path)).toContain('updated_at');
    expect(domainErrorOf(() => shopifyOrderToEvent(order((o) => (o.line_items[1].price = 'abc')))).errors[0]!.path).toBe(
      'line_items.1.price',
    );
    expect(domainErrorOf(() => shopifyOrderToEvent(order((o) => (o.line_items = [])))).errors[0]!.path).toBe('line_items');
  });
});

describe('Shopify deliveries by topic', () => {
  it('an order topic carries the whole order', () => {
    for (const topic of [
      'orders/create',
      'orders/updated',
      'orders/paid',
      'orders/cancelled',
      'orders/fulfilled',
      'orders/partially_fulfilled',
      'ORDERS/UPDATED',
    ]) {
      const changes = readShopifyDelivery(order(), delivery(topic));
      expect(changes, topic).toHaveLength(1);
      expect(changes[0]!.type === 'order' && changes[0]!.event.externalId).toBe('450789469');
    }
  });

  it('orders/delete voids the order by its id, at the time we received it', () => {
    const receivedMs = Date.UTC(2026, 10, 3, 3, 20, 0);
    expect(readShopifyDelivery(structuredClone(deletedFixture), delivery('orders/delete'))).toEqual([
      { type: 'deletion', externalId: '450789469', revision: receivedMs * 10 + 4, occurredAt: RECEIVED_AT },
    ]);
  });

  it('refunds/create gives back the refunded units of each line', () => {
    expect(readShopifyDelivery(refund(), delivery('refunds/create'))).toEqual([
      {
        type: 'refund',
        externalId: '450789469',
        revision: REFUNDED_MS * 10 + 3,
        occurredAt: '2016-06-20T13:35:06-04:00',
        lines: [
          { lineId: '703073504', quantity: 1 },
          { lineId: '466157049', quantity: 1 },
        ],
      },
    ]);
    // an amount-only refund gives back no units: nothing to do
    expect(
      readShopifyDelivery(
        refund((r) => (r.refund_line_items = [])),
        delivery('refunds/create'),
      ),
    ).toEqual([]);
    expect(
      readShopifyDelivery(
        refund((r) => r.refund_line_items.forEach((l: Json) => (l.quantity = 0))),
        delivery('refunds/create'),
      ),
    ).toEqual([]);
  });

  it('a refund is added to the stored order once', () => {
    const created = shopifyOrderToEvent(order((o) => Object.assign(o, { financial_status: 'paid', fulfillment_status: 'fulfilled' })));
    const stored = applyRevision(null, created, 'shopify', RECEIVED_AT).order;
    const [change] = readShopifyDelivery(refund(), delivery('refunds/create')) as [OrderChange];
    const returned = eventOfChange(stored, change)!;
    expect(returned.state).toBe('returned');
    expect(returned.revision).toBe(REFUNDED_MS * 10 + 3);
    expect(returned.lines.map((l) => l.returnedQuantity)).toEqual([1, 0, 1]);
    // the same refund again (a retry, or a new delivery of it) is old news
    const after = applyRevision(stored, returned, 'shopify', RECEIVED_AT).order;
    expect(eventOfChange(after, change)).toBeNull();
    // and so is it once the order itself, updated by that refund in the same second, says so
    const updated = shopifyOrderToEvent(
      order((o) => {
        Object.assign(o, {
          financial_status: 'partially_refunded',
          fulfillment_status: 'fulfilled',
          updated_at: '2016-06-20T13:35:06-04:00',
        });
        o.refunds = [structuredClone(refundFixture)];
      }),
    );
    expect(updated.revision).toBe(returned.revision);
    expect(updated.lines.map((l) => l.returnedQuantity)).toEqual([1, 0, 1]);
    expect(eventOfChange(applyRevision(stored, updated, 'shopify', RECEIVED_AT).order, change)).toBeNull();
  });

  it("orders/edited: Shopify's order_edit body is acknowledged, an Order body is read", () => {
    expect(readShopifyDelivery(structuredClone(editedFixture), delivery('orders/edited'))).toEqual([]);
    expect(readShopifyDelivery(order(), delivery('orders/edited')).map((c) => c.type)).toEqual(['order']);
  });

  it('other topics are acknowledged with nothing to do', () => {
    for (const topic of ['products/update', 'customers/create', 'app/uninstalled', 'fulfillments/create']) {
      expect(readShopifyDelivery(order(), delivery(topic)), topic).toEqual([]);
    }
  });

  it('a delivery without a topic cannot be read', () => {
    const err = domainErrorOf(() => readShopifyDelivery(order(), delivery(null)));
    expect(err.kind).toBe('validation');
    expect(err.errors.map((e) => e.path)).toEqual(['headers.x-shopify-topic']);
  });

  it('a refund or deletion whose order id lost digits cannot be read', () => {
    expect(
      domainErrorOf(() =>
        readShopifyDelivery(
          refund((r) => (r.order_id = 820982911946154500)),
          delivery('refunds/create'),
        ),
      ).errors.map((e) => e.path),
    ).toEqual(['order_id']);
    expect(
      domainErrorOf(() => readShopifyDelivery({ id: 820982911946154500 }, delivery('orders/delete'))).errors.map((e) => e.path),
    ).toEqual(['id']);
    expect(readShopifyDelivery({ id: '820982911946154508' }, delivery('orders/delete'))[0]).toMatchObject({
      externalId: '820982911946154508',
    });
  });
});
