import { describe, expect, it } from 'vitest';
import webFixture from './fixtures/sapo/web-order.json';
import webRefundFixture from './fixtures/sapo/web-refund.json';
import goFixture from './fixtures/sapo/go-order.json';
import { readSapoDelivery, sapoGoOrderToEvent, sapoWebOrderToEvent } from '../../../domain/orders/adapters/sapo';
import { eventOfChange, type DeliveryContext, type OrderChange } from '../../../domain/orders/adapters/change';
import type { OrderEvent } from '../../../domain/orders/event';
import { computeNetRevenue } from '../../../domain/orders/net-revenue';
import { applyRevision } from '../../../domain/orders/order';
import { sapo } from '../../../functions/webhooks/adapters/sapo';
import { signBase64Hmac } from '../../../functions/webhooks/adapters/signatures';
import { domainErrorOf } from './helpers';

type Json = Record<string, any>;
const clone = (fixture: object, patch: (o: Json) => void = () => {}): Json => {
  const o = structuredClone(fixture) as Json;
  patch(o);
  return o;
};
const web = (patch?: (o: Json) => void) => clone(webFixture, patch);
const go = (patch?: (o: Json) => void) => clone(goFixture, patch);

const ZONE = 'Asia/Ho_Chi_Minh';
const RECEIVED_AT = '2026-12-08T01:00:00.000Z';
const context = (topic?: string): DeliveryContext => ({
  headers: topic ? { 'x-sapo-topic': topic, 'content-type': 'application/json' } : { 'content-type': 'application/json' },
  receivedAt: RECEIVED_AT,
  timeZone: ZONE,
});
const webEvent = (patch?: (o: Json) => void) => sapoWebOrderToEvent(web(patch), ZONE);
const goEvent = (patch?: (o: Json) => void, topic = 'orders/update') => sapoGoOrderToEvent(go(patch), topic, ZONE);
const pathsOf = (fn: () => unknown) => domainErrorOf(fn).errors.map((e) => e.path);
const onlyOrder = (changes: OrderChange[]): OrderEvent => {
  expect(changes).toHaveLength(1);
  expect(changes[0]!.type).toBe('order');
  return (changes[0] as Extract<OrderChange, { type: 'order' }>).event;
};

describe('Sapo Web order → OrderEvent', () => {
  it('maps the order of the fixture', () => {
    expect(webEvent()).toEqual({
      externalId: '1025371',
      // modified_on 2026-12-02T03:15:00Z in ms × 10 + rank 1 (approved)
      revision: Date.UTC(2026, 11, 2, 3, 15, 0) * 10 + 1,
      state: 'approved', // status open, financial_status paid, not fulfilled
      occurredAt: '2026-12-02T03:15:00.000Z',
      customer: { phone: '+84912345678', name: 'Trần Văn Bình' },
      lines: [
        {
          lineId: '4660001',
          productId: 'SERUM-30',
          unit: 'cái',
          category: 'uncategorized',
          quantity: 2,
          unitPrice: 350_000,
          discount: 0,
          addOn: false,
          returnedQuantity: 0,
        },
        {
          lineId: '4660002',
          productId: 'CREAM-50',
          unit: 'hũ',
          category: 'uncategorized',
          quantity: 1,
          unitPrice: 300_000,
          discount: 20_000,
          addOn: false,
          returnedQuantity: 0,
        },
      ],
      orderDiscount: 50_000, // total_discounts 70,000 − line total_discount 20,000 − shipping codes 0
      shippingFee: 30_000, // shipping_lines 30,000
      attribution: { collaboratorId: null, refId: 'HOA123', couponCode: 'GIAM50K', opportunityId: null },
      sellerId: null,
    });
  });

  it('gives the net revenue worked out by hand', () => {
    // line values 700,000 and 280,000 (V = 980,000); order discount 50,000 shared by value:
    // 50,000 × 700/980 = 35,714.29 → R 664,286; 50,000 × 280/980 = 14,285.71 → R 265,714
    expect(computeNetRevenue(webEvent()).lines.map((l) => l.netRevenue)).toEqual([664_286, 265_714]);
  });

  it('maps each documented status combination to a state', () => {
    const stateOf = (patch: (o: Json) => void) => webEvent(patch).state;
    expect(stateOf((o) => (o.financial_status = 'pending'))).toBe('processing');
    expect(stateOf((o) => (o.financial_status = 'authorized'))).toBe('processing');
    expect(stateOf((o) => (o.financial_status = null))).toBe('processing');
    expect(stateOf((o) => (o.financial_status = 'partially_paid'))).toBe('approved');
    // money given back without units does not make a return
    expect(stateOf((o) => (o.financial_status = 'partially_refunded'))).toBe('approved');
    expect(stateOf((o) => ((o.financial_status = 'pending'), (o.fulfillment_status = 'partial')))).toBe('processing');
    expect(stateOf((o) => ((o.financial_status = 'pending'), (o.fulfillment_status = 'fulfilled')))).toBe('completed');
    expect(stateOf((o) => (o.status = 'closed'))).toBe('completed');
    expect(stateOf((o) => (o.status = 'cancelled'))).toBe('void');
    expect(stateOf((o) => ((o.cancelled_on = '2026-12-02T03:15:00Z'), (o.cancel_reason = 'customer')))).toBe('void');
    // a voided payment is not a cancellation: not paid yet
    expect(stateOf((o) => (o.financial_status = 'voided'))).toBe('processing');
    // values are compared trimmed and case-insensitively
    expect(stateOf((o) => (o.fulfillment_status = ' Fulfilled '))).toBe('completed');
  });

  it('takes returned units from refunds, capped at the line quantity, and a cancellation over them', () => {
    const refunded = (o: Json) => {
      o.financial_status = 'partially_refunded';
      o.fulfillment_status = 'fulfilled';
      o.refunds = [
        { id: 1, created_on: '2026-12-06T04:00:00Z', refund_line_items: [{ id: 10, line_item_id: 4660001, quantity: 1 }] },
        { id: 2, created_on: '2026-12-07T04:00:00Z', refund_line_items: [{ id: 11, line_item_id: 4660002, quantity: 5 }] },
      ];
    };
    const e = webEvent(refunded);
    expect(e.state).toBe('returned');
    expect(e.lines.map((l) => l.returnedQuantity)).toEqual([1, 1]); // 1 of 2; 5 asked of 1 → 1
    expect(webEvent((o) => (refunded(o), (o.status = 'cancelled'))).state).toBe('void');
    // all the money went back: every unit counts as returned, refund lines or not
    const all = webEvent((o) => ((o.financial_status = 'refunded'), (o.fulfillment_status = 'fulfilled')));
    expect([all.state, all.lines.map((l) => l.returnedQuantity)]).toEqual(['returned', [2, 1]]);
  });

  it('refuses a status, payment or fulfilment value it does not know, naming the field', () => {
    expect(pathsOf(() => webEvent((o) => (o.financial_status = 'chargeback')))).toEqual(['financial_status']);
    expect(pathsOf(() => webEvent((o) => (o.status = 'archived')))).toEqual(['status']);
    expect(pathsOf(() => webEvent((o) => (o.fulfillment_status = 'restocked')))).toEqual(['fulfillment_status']);
    expect(domainErrorOf(() => webEvent((o) => (o.financial_status = 'chargeback'))).errors[0]!.message).toContain(
      '"chargeback" has no mapping',
    );
  });

  it('refuses another currency and unreadable amounts, naming the field', () => {
    expect(pathsOf(() => webEvent((o) => (o.currency = 'USD')))).toEqual(['currency']);
    expect(webEvent((o) => (o.currency = 'vnd')).revision).toBe(Date.UTC(2026, 11, 2, 3, 15, 0) * 10 + 1);
    expect(pathsOf(() => webEvent((o) => (o.line_items[1].price = '300.000đ')))).toEqual(['line_items.1.price']);
    expect(pathsOf(() => webEvent((o) => (o.line_items[0].quantity = 0)))).toEqual(['line_items.0.quantity']);
    expect(pathsOf(() => webEvent((o) => delete o.modified_on))).toEqual(['modified_on']);
    expect(pathsOf(() => webEvent((o) => (o.modified_on = 'hôm qua')))).toEqual(['modified_on']);
    expect(
      pathsOf(() =>
        webEvent((o) => {
          o.line_items[0].sku = ' ';
          delete o.line_items[0].product_id;
          delete o.line_items[0].variant_id;
        }),
      ),
    ).toEqual(['line_items.0.sku']);
  });

  it('reads decimal strings and numbers exactly, and a time without offset in the business time zone', () => {
    const e = webEvent((o) => {
      o.line_items[0].price = '350000.00';
      o.line_items[1].price = 300000;
      o.modified_on = '2026-12-02 10:15:00'; // 10:15 in Hồ Chí Minh City (UTC+7) = 03:15 UTC
    });
    expect(e.lines.map((l) => l.unitPrice)).toEqual([350_000, 300_000]);
    expect(e.revision).toBe(Date.UTC(2026, 11, 2, 3, 15, 0) * 10 + 1);
  });

  it('ranks the later stage of the lifecycle newer when Sapo stamps two changes with the same second', () => {
    // a checkout: orders/create (pending) and orders/paid (paid) with the same modified_on
    const created = webEvent((o) => (o.financial_status = 'pending'));
    const paid = webEvent();
    const cancelled = webEvent((o) => (o.status = 'cancelled'));
    expect([created.revision, paid.revision, cancelled.revision].map((r) => r - Date.UTC(2026, 11, 2, 3, 15, 0) * 10)).toEqual([0, 1, 4]);
  });

  it('takes VAT out of R when prices include it, and shipping codes out of the order discount', () => {
    const e = webEvent((o) => {
      o.taxes_included = true;
      o.line_items[0].tax_lines = [{ title: 'VAT', rate: 0.08, price: '51852' }];
      o.discount_codes.push({ code: 'FREESHIP', amount: '30000', type: 'shipping' });
      o.total_discounts = '100000'; // 20,000 line + 50,000 code + 30,000 shipping code
    });
    expect(e.lines.map((l) => l.discount)).toEqual([51_852, 20_000]); // 0 + VAT 51,852; 20,000
    expect(e.orderDiscount).toBe(50_000); // 100,000 − 20,000 − 30,000
    expect(e.attribution.couponCode).toBe('GIAM50K');
    expect(webEvent((o) => (o.line_items[0].tax_lines = [{ price: '51852' }])).lines[0]!.discount).toBe(0);
  });

  it('reads hints from note_attributes before the landing page, and the phone in order', () => {
    const e = webEvent((o) => {
      o.note_attributes = [
        { name: 'ctv_id', value: 'CTV-7' },
        { name: 'ref_id', value: 'lan456' },
        { name: 'opportunity_id', value: 'OPP-1' },
        { name: 'seller_id', value: 'S-9' },
      ];
      o.customer.phone = null;
      o.shipping_address.phone = '+6591234567';
      o.billing_address.phone = '0987 654 321';
    });
    expect(e.attribution).toEqual({ collaboratorId: 'CTV-7', refId: 'LAN456', couponCode: 'GIAM50K', opportunityId: 'OPP-1' });
    expect(e.sellerId).toBe('S-9');
    expect(e.customer.phone).toBe('+84987654321'); // the Vietnamese one before the foreign one
    const none = webEvent((o) => ((o.customer = null), (o.shipping_address = null), (o.billing_address = null), (o.landing_site = null)));
    expect(none.customer).toEqual({ phone: null }); // no phone, no name
    expect(none.attribution.refId).toBeNull();
  });
});

describe('Sapo Go order → OrderEvent', () => {
  it('maps the order of the fixture', () => {
    expect(goEvent()).toEqual({
      externalId: '12345678',
      // modified_on 2026-12-02T03:20:00Z in ms × 10 + rank 1 (approved)
      revision: Date.UTC(2026, 11, 2, 3, 20, 0) * 10 + 1,
      state: 'approved', // status finalized
      occurredAt: '2026-12-02T03:20:00.000Z',
      customer: { phone: '+84987654321', name: 'Lê Thị Hoa' },
      lines: [
        {
          lineId: '111',
          productId: 'TRA-XANH-500',
          unit: 'hộp',
          category: 'uncategorized',
          quantity: 2,
          unitPrice: 250_000,
          discount: 35_000,
          addOn: false,
          returnedQuantity: 0,
        },
        {
          lineId: '112',
          productId: 'MAT-ONG-1L',
          unit: 'cái',
          category: 'uncategorized',
          quantity: 1,
          unitPrice: 300_000,
          discount: 0,
          addOn: false,
          returnedQuantity: 0,
        },
      ],
      orderDiscount: 50_000, // order_discount_amount
      shippingFee: 25_000, // delivery_fee
      attribution: { collaboratorId: null, refId: null, couponCode: null, opportunityId: null },
      sellerId: null,
    });
  });

  it('gives the net revenue worked out by hand', () => {
    // line values 465,000 and 300,000 (V = 765,000); order discount 50,000 shared by value:
    // 50,000 × 465/765 = 30,392.16 → R 434,608; 50,000 × 300/765 = 19,607.84 → R 280,392
    const r = computeNetRevenue(goEvent());
    expect(r.lines.map((l) => l.netRevenue)).toEqual([434_608, 280_392]);
    // = total 740,000 − delivery_fee 25,000
    expect(r.lines.reduce((s, l) => s + l.netRevenue, 0)).toBe(715_000);
  });

  it('maps each status, and refuses one it does not know', () => {
    const stateOf = (status: string) => goEvent((o) => (o.status = status)).state;
    expect(stateOf('draft')).toBe('processing');
    expect(stateOf('finalized')).toBe('approved');
    expect(stateOf('completed')).toBe('completed');
    expect(stateOf('cancelled')).toBe('void');
    expect(stateOf('Completed')).toBe('completed');
    expect(pathsOf(() => goEvent((o) => (o.status = 'pending_approval')))).toEqual(['status']);
    expect(pathsOf(() => goEvent((o) => delete o.status))).toEqual(['status']);
    // payment and fulfilment do not decide the state (cash on delivery)
    expect(goEvent((o) => ((o.payment_status = 'paid'), (o.fulfillment_status = 'fulfilled'))).state).toBe('approved');
  });

  it('refuses a return it cannot read, unless the order is cancelled', () => {
    for (const topic of ['orders/create_return', 'orders/receive_return', 'orders/create_refund']) {
      expect(pathsOf(() => goEvent(undefined, topic))).toEqual(['order_returns']);
      expect(goEvent((o) => (o.status = 'cancelled'), topic).state).toBe('void');
    }
    expect(pathsOf(() => goEvent((o) => (o.return_status = 'returned')))).toEqual(['return_status']);
    expect(pathsOf(() => goEvent((o) => (o.return_status = 'partial')))).toEqual(['return_status']);
    expect(goEvent((o) => ((o.return_status = 'returned'), (o.status = 'cancelled'))).state).toBe('void');
    expect(goEvent((o) => (o.return_status = null)).state).toBe('approved');
    expect(goEvent((o) => delete o.return_status).state).toBe('approved');
  });

  it('takes VAT inside the price out of R, and refuses VAT whose treatment it cannot tell', () => {
    const withVat = (patch: (line: Json, o: Json) => void) =>
      goEvent((o) => {
        o.order_line_items[0].tax_amount = 37_200;
        patch(o.order_line_items[0], o);
      }).lines[0]!.discount;
    expect(withVat(() => {})).toBe(72_200); // tax_included true: 35,000 + 37,200
    expect(withVat((l) => (l.tax_included = false))).toBe(35_000); // VAT added on top: not in the price
    expect(withVat((l) => delete l.tax_included)).toBe(72_200); // the order's tax_treatment "included"
    expect(
      pathsOf(() =>
        goEvent((o) => {
          o.order_line_items[0].tax_amount = 37_200;
          delete o.order_line_items[0].tax_included;
          o.tax_treatment = 'exclusive';
        }),
      ),
    ).toEqual(['order_line_items.0.tax_included']);
    // no VAT amount: the treatment does not matter
    expect(goEvent((o) => ((o.tax_treatment = 'whatever'), delete o.order_line_items[0].tax_included)).lines[0]!.discount).toBe(35_000);
  });

  it('derives the order discount from total_discount when order_discount_amount is absent', () => {
    expect(goEvent((o) => delete o.order_discount_amount).orderDiscount).toBe(50_000); // 85,000 − 35,000 − 0
    expect(goEvent((o) => ((o.order_discount_amount = null), (o.total_discount = 35_000))).orderDiscount).toBe(0);
    expect(goEvent((o) => ((o.order_discount_amount = '50000.00'), (o.delivery_fee = '25000'))).shippingFee).toBe(25_000);
  });

  it('reads the customer from customer_data, else the order or the addresses', () => {
    const phoneOf = (patch: (o: Json) => void) => goEvent(patch).customer.phone;
    expect(phoneOf((o) => (o.customer_data.phone_number = null))).toBe('+84987654321'); // shipping_address.phone
    expect(phoneOf((o) => ((o.customer_data.phone_number = '+6591234567'), (o.phone_number = '0912345678')))).toBe('+84912345678');
    expect(goEvent((o) => ((o.customer_data = null), (o.shipping_address = null))).customer).toEqual({ phone: null });
  });

  it('refuses what it cannot read, naming the field', () => {
    expect(pathsOf(() => goEvent((o) => (o.order_line_items[1].quantity = 1.5)))).toEqual(['order_line_items.1.quantity']);
    expect(pathsOf(() => goEvent((o) => (o.order_line_items = [])))).toEqual(['order_line_items']);
    expect(pathsOf(() => goEvent((o) => (o.order_line_items[0].price = 'miễn phí')))).toEqual(['order_line_items.0.price']);
    expect(pathsOf(() => goEvent((o) => (o.order_line_items[0].discount_amount = 600_000)))).toEqual(['lines.0.discount']);
    expect(
      pathsOf(() =>
        goEvent((o) => {
          o.order_line_items[1].sku = null;
          o.order_line_items[1].product_id = null;
          o.order_line_items[1].variant_id = null;
        }),
      ),
    ).toEqual(['order_line_items.1.sku']);
    // without a SKU the product id names the product
    expect(goEvent((o) => (o.order_line_items[1].sku = '')).lines[1]!.productId).toBe('223');
  });

  it('orders revisions by modified_on: a later change is a newer revision', () => {
    const draft = goEvent((o) => ((o.status = 'draft'), (o.modified_on = '2026-12-02T02:40:00Z')));
    const finalized = goEvent();
    const completed = goEvent((o) => ((o.status = 'completed'), (o.modified_on = '2026-12-04T08:00:00Z')));
    expect(draft.revision).toBeLessThan(finalized.revision);
    expect(finalized.revision).toBeLessThan(completed.revision);
    // 02-02 02:40 → 02-04 08:00 is 2 days 5 h 20 min; ranks 0 (processing) → 2 (completed)
    expect(completed.revision - draft.revision).toBe((2 * 24 * 60 + 5 * 60 + 20) * 60_000 * 10 + 2);
  });
});

describe('a Sapo delivery → order changes', () => {
  it('tells Sapo Web from Sapo Go by the body, whatever the topic', () => {
    expect(onlyOrder(readSapoDelivery(web(), context('orders/updated'))).externalId).toBe('1025371');
    expect(onlyOrder(readSapoDelivery(go(), context('orders/update'))).externalId).toBe('12345678');
    expect(onlyOrder(readSapoDelivery(go(), context('orders/finalized'))).state).toBe('approved');
    expect(onlyOrder(readSapoDelivery(web(), context())).lines[0]!.productId).toBe('SERUM-30');
    expect(onlyOrder(readSapoDelivery(go(), context('ORDERS/CREATE'))).lines[0]!.productId).toBe('TRA-XANH-500');
    // tenant_id alone makes it Sapo Go: its missing lines are named in Sapo Go's terms
    expect(
      pathsOf(() =>
        readSapoDelivery({ id: 1, tenant_id: 5006, status: 'draft', modified_on: '2026-12-02T02:40:00Z' }, context('orders/create')),
      ),
    ).toEqual(['order_line_items']);
  });

  it('carries no change for topics that are not orders, and refuses an order topic without an order', () => {
    expect(
      readSapoDelivery(
        { id: 1, order_id: 1025371, line_items: [{ id: 4660001, quantity: 2 }], status: 'success' },
        context('fulfillments/create'),
      ),
    ).toEqual([]);
    expect(readSapoDelivery({ id: 207119551, phone: '0912345678' }, context('customers/create'))).toEqual([]);
    expect(readSapoDelivery({ id: 1, kind: 'sale', amount: '960000' }, context('order_transactions/create'))).toEqual([]);
    expect(pathsOf(() => readSapoDelivery({ id: 1025371 }, context('orders/updated')))).toEqual(['body']);
    expect(pathsOf(() => readSapoDelivery([1, 2], context()))).toEqual(['body']);
  });

  it('maps orders/delete to a deletion at the time the delivery was received', () => {
    expect(readSapoDelivery({ id: 1025371 }, context('orders/delete'))).toEqual([
      // received 2026-12-08T01:00:00Z in ms × 10 + rank 4 (void)
      { type: 'deletion', externalId: '1025371', revision: Date.UTC(2026, 11, 8, 1, 0, 0) * 10 + 4, occurredAt: RECEIVED_AT },
    ]);
    expect(pathsOf(() => readSapoDelivery({}, context('orders/delete')))).toEqual(['id']);
  });

  it('maps refunds/create to the units that came back, at the refund time', () => {
    const changes = readSapoDelivery(clone(webRefundFixture), context('refunds/create'));
    expect(changes).toEqual([
      // created_on 2026-12-06T04:00:00Z in ms × 10 + rank 3 (returned)
      {
        type: 'refund',
        externalId: '1025371',
        revision: Date.UTC(2026, 11, 6, 4, 0, 0) * 10 + 3,
        occurredAt: '2026-12-06T04:00:00.000Z',
        lines: [{ lineId: '4660001', quantity: 1 }],
      },
    ]);
    // the same body without a topic is still a refund
    expect(readSapoDelivery(clone(webRefundFixture), context())).toEqual(changes);
    // money given back without units changes no line
    expect(
      readSapoDelivery(
        clone(webRefundFixture, (r) => (r.refund_line_items = [])),
        context('refunds/create'),
      ),
    ).toEqual([]);
    expect(
      pathsOf(() =>
        readSapoDelivery(
          clone(webRefundFixture, (r) => (r.created_on = 'x')),
          context('refunds/create'),
        ),
      ),
    ).toEqual(['created_on']);
    expect(
      pathsOf(() =>
        readSapoDelivery(
          clone(webRefundFixture, (r) => delete r.order_id),
          context('refunds/create'),
        ),
      ),
    ).toEqual(['order_id']);
  });

  it('a refund applied to the stored Web order returns its units; an order revision that lists it is newer', () => {
    const stored = applyRevision(null, webEvent(), 'source-1', '2026-12-02T03:15:01.000Z').order;
    const [refund] = readSapoDelivery(clone(webRefundFixture), context('refunds/create'));
    const next = eventOfChange(stored, refund!)!;
    expect(next.state).toBe('returned');
    expect(next.revision).toBe(Date.UTC(2026, 11, 6, 4, 0, 0) * 10 + 3);
    expect(next.lines.map((l) => l.returnedQuantity)).toEqual([1, 0]);
    // the order's own update after the refund lists it and agrees
    const updated = webEvent((o) => {
      o.modified_on = '2026-12-06T04:00:05Z';
      o.financial_status = 'partially_refunded';
      o.refunds = [clone(webRefundFixture)];
    });
    expect(updated.revision).toBeGreaterThan(next.revision);
    expect(updated.lines.map((l) => l.returnedQuantity)).toEqual([1, 0]);
    expect(updated.state).toBe('returned');
  });
});

describe('the Sapo webhook adapter', () => {
  const raw = JSON.stringify(goFixture);
  const body = new TextEncoder().encode(raw);
  const secret = 'sapo-app-secret-key-0001';
  const verify = (headers: Record<string, string>, secrets = [secret]) => sapo.verify({ headers, body, secrets, nowSeconds: 0 }).result;

  it('verifies X-Sapo-Hmac-Sha256 over the exact bytes with either active secret', () => {
    const signature = signBase64Hmac(raw, secret);
    expect(verify({ 'x-sapo-hmac-sha256': signature })).toBe('ok');
    expect(verify({ 'x-sapo-hmac-sha256': signature }, ['sapo-next-key-000002', secret])).toBe('ok');
    expect(verify({ 'x-sapo-hmac-sha256': signBase64Hmac(raw, 'another-key-00000001') })).toBe('refused');
    expect(verify({ 'x-sapo-hmac-sha256': signBase64Hmac(`${raw} `, secret) })).toBe('refused');
    expect(verify({ 'x-haravan-hmacsha256': signature })).toBe('refused');
    expect(verify({})).toBe('refused');
    expect(sapo.deliveryIdHeaders).toEqual([]);
  });

  it('reads the body with the topic header', async () => {
    const changes = await sapo.read(body, { ...context('orders/update'), api: null });
    expect(onlyOrder(changes).revision).toBe(Date.UTC(2026, 11, 2, 3, 20, 0) * 10 + 1);
    const deleted = await sapo.read(new TextEncoder().encode('{"id":12345678}'), { ...context('orders/delete'), api: null });
    expect(deleted.map((c) => c.type)).toEqual(['deletion']);
  });
});
