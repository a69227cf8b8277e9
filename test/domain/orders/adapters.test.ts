import { describe, expect, it } from 'vitest';
import haravanFixture from './fixtures/haravan-order.json';
import wooFixture from './fixtures/woocommerce-order.json';
import { haravanOrderToEvent } from '../../../domain/orders/adapters/haravan';
import { wooCommerceOrderToEvent } from '../../../domain/orders/adapters/woocommerce';
import { toVnd } from '../../../domain/orders/adapters/common';
import { computeNetRevenue } from '../../../domain/orders/net-revenue';
import { applyRevision } from '../../../domain/orders/order';
import { domainErrorOf } from './helpers';

type Json = Record<string, any>;
const haravan = (patch: (o: Json) => void = () => {}): Json => {
  const o = structuredClone(haravanFixture) as Json;
  patch(o);
  return o;
};
const woo = (patch: (o: Json) => void = () => {}): Json => {
  const o = structuredClone(wooFixture) as Json;
  patch(o);
  return o;
};

describe('Haravan order → OrderEvent', () => {
  it('maps the documented order payload', () => {
    const e = haravanOrderToEvent(haravan());
    expect(e).toEqual({
      externalId: '1138637099',
      revision: Date.UTC(2026, 10, 3, 3, 15, 0, 250),
      state: 'approved',
      occurredAt: '2026-11-03T03:15:00.25Z',
      customer: { phone: '+84912345678', name: 'Trần Văn Bình' },
      lines: [
        {
          lineId: '1160828322',
          productId: 'SERUM-30',
          unit: 'cái',
          category: 'serum',
          quantity: 2,
          unitPrice: 350_000,
          discount: 0,
          addOn: false,
          returnedQuantity: 0,
        },
        {
          lineId: '1160828323',
          productId: 'CREAM-50',
          unit: 'hũ',
          category: 'kem',
          quantity: 1,
          unitPrice: 300_000,
          discount: 20_000,
          addOn: false,
          returnedQuantity: 0,
        },
      ],
      orderDiscount: 50_000, // total_discounts 70,000 − line discounts 20,000
      shippingFee: 30_000,
      attribution: { collaboratorId: null, refId: 'HOA123', couponCode: 'SPRING50', opportunityId: null },
      sellerId: null,
    });
  });

  it('gives the net revenue worked out by hand for the same order', () => {
    const r = computeNetRevenue(haravanOrderToEvent(haravan()));
    expect(r.lines.map((l) => l.netRevenue)).toEqual([664_286, 265_714]);
  });

  it('maps the order states', () => {
    expect(haravanOrderToEvent(haravan((o) => (o.confirmed_status = 'unconfirmed'))).state).toBe('processing');
    expect(haravanOrderToEvent(haravan((o) => (o.closed_status = 'closed'))).state).toBe('completed');
    expect(
      haravanOrderToEvent(haravan((o) => (o.fulfillments = [{ id: 1, status: 'success', carrier_status_code: 'delivered' }]))).state,
    ).toBe('completed');
    expect(
      haravanOrderToEvent(haravan((o) => (o.fulfillments = [{ id: 1, carrier_status_code: 'readytopick', delivered_date: null }]))).state,
    ).toBe('approved');
    expect(
      haravanOrderToEvent(
        haravan((o) => {
          o.cancelled_status = 'cancelled';
          o.cancelled_at = '2026-11-03T04:00:00Z';
          o.cancel_reason = 'customer';
        }),
      ).state,
    ).toBe('void');
  });

  it('reads returned units from refunds', () => {
    const e = haravanOrderToEvent(
      haravan((o) => {
        o.closed_status = 'closed';
        o.refunds = [
          { id: 1011637849, note: 'wrong size', refund_line_items: [{ id: 1, line_item_id: 1160828322, quantity: 1 }], restock: true },
        ];
      }),
    );
    expect(e.state).toBe('returned');
    expect(e.lines.map((l) => l.returnedQuantity)).toEqual([1, 0]);
    expect(computeNetRevenue(e).lines[0]!.keptNetRevenue).toBe(332_143);
  });

  it('takes the customer phone from the customer, then the addresses', () => {
    expect(haravanOrderToEvent(haravan((o) => (o.customer.phone = '0987654321'))).customer.phone).toBe('+84987654321');
    // no usable phone anywhere: the order is taken without one (credited by its hints, binding nobody)
    const none = haravanOrderToEvent(
      haravan((o) => {
        o.customer.phone = null;
        o.shipping_address.phone = null;
        o.billing_address.phone = '';
      }),
    );
    expect(none.customer.phone).toBeNull();
    // a foreign number is kept, in E.164
    const foreign = haravanOrderToEvent(
      haravan((o) => {
        o.customer.phone = null;
        o.shipping_address.phone = '+65 9123 4567';
      }),
    );
    expect(foreign.customer.phone).toBe('+6591234567');
  });

  it('falls back to the ?ref= of the landing page, and reads line properties', () => {
    const e = haravanOrderToEvent(
      haravan((o) => {
        o.note_attributes = [{ name: 'opportunity_id', value: 'OPP-7' }];
        o.landing_site = '/products/serum-30?utm_source=zalo&ref=lan%20456';
        o.line_items[0].properties = [{ name: 'add_on', value: 'true' }];
      }),
    );
    expect(e.attribution).toEqual({ collaboratorId: null, refId: 'LAN456', couponCode: 'SPRING50', opportunityId: 'OPP-7' });
    expect(e.lines[0]!.addOn).toBe(true);
  });

  it('keeps VAT out of the line value when prices include it', () => {
    const e = haravanOrderToEvent(
      haravan((o) => {
        o.taxes_included = true;
        o.line_items[0].tax_lines = [{ price: 63_636, rate: 0.1, title: 'VAT' }];
        o.total_discounts = 70_000;
      }),
    );
    expect(e.lines[0]!.discount).toBe(63_636);
    expect(e.orderDiscount).toBe(50_000);
  });

  it('a newer update is a newer revision', () => {
    const before = haravanOrderToEvent(haravan());
    const after = haravanOrderToEvent(haravan((o) => (o.updated_at = '2026-11-03T03:15:00.26Z')));
    expect(after.revision - before.revision).toBe(10);
    const order = applyRevision(null, after, 'haravan', '2026-11-03T03:16:00Z').order;
    expect(applyRevision(order, before, 'haravan', '2026-11-03T03:16:01Z').applied).toBe(false);
  });

  it('rejects a payload that is not an order, naming the native field', () => {
    const err = domainErrorOf(() => haravanOrderToEvent(haravan((o) => delete o.updated_at)));
    expect(err.kind).toBe('validation');
    expect(err.errors.map((x) => x.path)).toContain('updated_at');
    expect(domainErrorOf(() => haravanOrderToEvent(haravan((o) => (o.line_items[1].price = 'abc')))).errors[0]!.path).toBe(
      'line_items.1.price',
    );
  });
});

describe('WooCommerce order → OrderEvent', () => {
  const modified = Date.UTC(2026, 10, 3, 3, 15, 0) / 1000;

  it('maps the documented order payload', () => {
    expect(wooCommerceOrderToEvent(woo())).toEqual({
      externalId: '727',
      revision: modified * 10 + 2,
      state: 'approved',
      occurredAt: '2026-11-03T03:15:00Z',
      customer: { phone: '+84912345678', name: 'Trần Văn Bình' },
      lines: [
        {
          lineId: '315',
          productId: 'SERUM-30',
          unit: 'cái',
          category: 'uncategorized',
          quantity: 2,
          unitPrice: 350_000,
          discount: 35_000, // subtotal 700,000 − total 665,000 (its share of the coupon)
          addOn: false,
          returnedQuantity: 0,
        },
        {
          lineId: '316',
          productId: 'CREAM-50',
          unit: 'hũ',
          category: 'kem',
          quantity: 1,
          unitPrice: 300_000,
          discount: 15_000,
          addOn: false,
          returnedQuantity: 0,
        },
      ],
      orderDiscount: 20_000, // the negative fee line
      shippingFee: 30_000,
      attribution: { collaboratorId: null, refId: 'HOA123', couponCode: 'spring50', opportunityId: null },
      sellerId: null,
    });
  });

  it('maps the statuses', () => {
    const state = (status: string) => wooCommerceOrderToEvent(woo((o) => (o.status = status))).state;
    expect(state('pending')).toBe('processing');
    expect(state('on-hold')).toBe('processing');
    expect(state('processing')).toBe('approved');
    expect(state('completed')).toBe('completed');
    expect(state('cancelled')).toBe('void');
    expect(state('failed')).toBe('void');
    expect(state('trash')).toBe('void');
  });

  it('a refunded order returns every unit', () => {
    const e = wooCommerceOrderToEvent(woo((o) => (o.status = 'refunded')));
    expect(e.state).toBe('returned');
    expect(e.lines.map((l) => l.returnedQuantity)).toEqual([2, 1]);
    expect(computeNetRevenue(e).totals.keptNetRevenue).toBe(0);
  });

  it('a status it does not know is refused unless mapped', () => {
    const err = domainErrorOf(() => wooCommerceOrderToEvent(woo((o) => (o.status = 'delivered'))));
    expect(err.kind).toBe('validation');
    expect(err.errors[0]!.path).toBe('status');
    const mapped = wooCommerceOrderToEvent(
      woo((o) => (o.status = 'delivered')),
      { statusMap: { delivered: 'completed' } },
    );
    expect(mapped.state).toBe('completed');
    expect(mapped.revision).toBe(modified * 10 + 3);
  });

  it('within one second, the later stage of the lifecycle is the newer revision', () => {
    const pending = wooCommerceOrderToEvent(woo((o) => (o.status = 'pending')));
    const processing = wooCommerceOrderToEvent(woo());
    expect(processing.revision).toBeGreaterThan(pending.revision);
    const nextSecond = wooCommerceOrderToEvent(woo((o) => (o.date_modified_gmt = '2026-11-03T03:15:01')));
    expect(nextSecond.revision).toBeGreaterThan(wooCommerceOrderToEvent(woo((o) => (o.status = 'cancelled'))).revision);
  });

  it('a line subtotal that does not divide by its quantity keeps its exact value', () => {
    const e = wooCommerceOrderToEvent(
      woo((o) => {
        o.line_items[1].quantity = 3;
        o.line_items[1].subtotal = '100000';
        o.line_items[1].total = '100000';
      }),
    );
    // ⌈100,000 ÷ 3⌉ = 33,334; 3 × 33,334 − 100,000 = 2
    expect(e.lines[1]).toMatchObject({ unitPrice: 33_334, discount: 2 });
    expect(computeNetRevenue({ lines: [e.lines[1]!] }).lines[0]!.grossValue).toBe(100_000);
  });

  it('reads the phone from shipping when billing has none, and hints from meta data', () => {
    const e = wooCommerceOrderToEvent(
      woo((o) => {
        o.billing.phone = '';
        o.shipping.phone = '0987 654 321';
        o.meta_data = [
          { id: 1, key: 'ctv_id', value: '01JCTV0000000000000000000A' },
          { id: 2, key: '_seller_id', value: 'seller-sub-1' },
        ];
        o.coupon_lines = [];
        o.line_items[0].meta_data = [{ id: 3, key: '_ctv_add_on', value: 'yes' }];
      }),
    );
    expect(e.customer.phone).toBe('+84987654321');
    expect(e.attribution).toEqual({ collaboratorId: '01JCTV0000000000000000000A', refId: null, couponCode: null, opportunityId: null });
    expect(e.sellerId).toBe('seller-sub-1');
    expect(e.lines[0]!.addOn).toBe(true);
  });

  it('rejects a payload without the GMT modification time', () => {
    const err = domainErrorOf(() => wooCommerceOrderToEvent(woo((o) => (o.date_modified_gmt = '2026-11-03 03:15'))));
    expect(err.errors[0]!.path).toBe('date_modified_gmt');
  });
});

describe('amounts as order systems write them', () => {
  it('reads decimals exactly and rounds half away from zero to the đồng', () => {
    expect(toVnd('350000.0000', 'x')).toBe(350_000);
    expect(toVnd(600000.0, 'x')).toBe(600_000);
    expect(toVnd('73500.5', 'x')).toBe(73_501);
    expect(toVnd('73500.49', 'x')).toBe(73_500);
    expect(toVnd('-10.50', 'x')).toBe(-11);
    expect(toVnd(null, 'x')).toBe(0);
    expect(() => toVnd('1e6', 'x')).toThrow();
    expect(() => toVnd('12,000', 'x')).toThrow();
  });
});
