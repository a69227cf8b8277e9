import { describe, expect, it } from 'vitest';
import { MAX_ORDER_AMOUNT, OrderEvent, parseOrderEvent, type OrderEventInput } from '../../../domain/orders/event';
import { CreateManualOrderInput } from '../../../domain/orders/manual';
import { apiExample, domainErrorOf } from './helpers';

const pathsOf = (input: unknown) => {
  const r = OrderEvent.safeParse(input);
  expect(r.success).toBe(false);
  return r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
};

const twoLines = (): OrderEventInput => {
  const e = apiExample();
  e.lines = [
    ...e.lines,
    { lineId: '2', productId: 'CREAM-50', unit: 'hũ', category: 'kem', quantity: 1, unitPrice: 300000, discount: 20000 },
  ];
  return e;
};

describe('OrderEvent', () => {
  it('accepts the API.md example and normalises the phone to +84', () => {
    const e = parseOrderEvent(apiExample());
    expect(e.customer.phone).toBe('+84912345678');
    expect(e.customer.name).toBe('Trần Văn Bình');
    // the example gives every field of its line: it comes back as sent
    expect(e.lines[0]).toEqual(apiExample().lines[0]);
    expect(e.attribution).toEqual({ collaboratorId: null, refId: 'HOA123', couponCode: null, opportunityId: null });
    expect(e.orderDiscount).toBe(50000);
    expect(e.shippingFee).toBe(30000);
    expect(e.sellerId).toBeNull();
  });

  it('fills the documented defaults', () => {
    const e = parseOrderEvent({
      externalId: 'HD-1',
      revision: 1,
      state: 'processing',
      occurredAt: '2026-11-03T10:15:00Z',
      customer: { phone: '+84 912 345 678' },
      lines: [{ lineId: 'a', productId: 'P', unit: 'cái', category: 'c', quantity: 1, unitPrice: 1000, discount: 0 }],
    });
    expect(e.lines[0]!.addOn).toBe(false);
    expect(e.lines[0]!.returnedQuantity).toBe(0);
    expect(e.orderDiscount).toBe(0);
    expect(e.shippingFee).toBe(0);
    expect(e.attribution).toEqual({ collaboratorId: null, refId: null, couponCode: null, opportunityId: null });
    expect(e.sellerId).toBeNull();
    expect(e.customer.name).toBeUndefined();
  });

  it('stores Vietnamese text NFC-normalised and trimmed', () => {
    const input = apiExample();
    input.customer.name = '  Tra\u0302\u0300n Va\u0306n Bi\u0300nh '; // decomposed marks
    input.lines[0]!.unit = 'hu\u0303';
    const e = parseOrderEvent(input);
    expect(e.customer.name).toBe('Trần Văn Bình');
    expect(e.customer.name!.length).toBe(13);
    expect(e.lines[0]!.unit).toBe('hũ');
  });

  it('normalises a REF ID as people type it, and reads blank hints as no hint', () => {
    const input = apiExample();
    input.attribution = { refId: ' hoa 123 ', couponCode: '', collaboratorId: '   ' };
    const e = parseOrderEvent(input);
    expect(e.attribution).toEqual({ collaboratorId: null, refId: 'HOA123', couponCode: null, opportunityId: null });
  });

  it('keeps a REF ID that no CTV could have (it resolves to nobody, the order is not lost)', () => {
    const input = apiExample();
    input.attribution = { refId: 'hoa-123!' };
    expect(parseOrderEvent(input).attribution.refId).toBe('HOA-123!');
  });

  it('names the line and field of cross-field problems', () => {
    const badReturn = twoLines();
    badReturn.lines[1]!.returnedQuantity = 2;
    expect(pathsOf(badReturn)).toEqual(['lines.1.returnedQuantity']);

    const badDiscount = twoLines();
    badDiscount.lines[0]!.discount = 700001;
    expect(pathsOf(badDiscount)).toEqual(['lines.0.discount']);

    const duplicate = twoLines();
    duplicate.lines[1]!.lineId = '1';
    expect(pathsOf(duplicate)).toEqual(['lines.1.lineId']);

    // DOMAIN.md: an order discount above V counts as V (net-revenue.test.ts): taken, not refused
    const bigOrderDiscount = twoLines();
    bigOrderDiscount.orderDiscount = 980001; // V = 700,000 + 280,000
    expect(OrderEvent.safeParse(bigOrderDiscount).success).toBe(true);
  });

  it('rejects what the contract does not allow, naming the field', () => {
    const cases: [string, (e: OrderEventInput) => void][] = [
      ['revision', (e) => (e.revision = 0)],
      ['revision', (e) => (e.revision = 1.5)],
      ['state', (e) => ((e as { state: string }).state = 'shipped')],
      ['occurredAt', (e) => (e.occurredAt = '2026-11-03T10:15:00')],
      ['customer.phone', (e) => ((e.customer as { phone: unknown }).phone = 12345)], // a phone of the wrong type; a string that is no phone is dropped (customer-phone.test.ts)
      ['lines', (e) => (e.lines = [])],
      ['lines.0.quantity', (e) => (e.lines[0]!.quantity = 0)],
      ['lines.0.unitPrice', (e) => (e.lines[0]!.unitPrice = -1)],
      ['lines.0.unitPrice', (e) => (e.lines[0]!.unitPrice = 1000.5)],
      ['lines.0.returnedQuantity', (e) => (e.lines[0]!.returnedQuantity = -1)],
      ['lines.0.productId', (e) => (e.lines[0]!.productId = '')],
      ['shippingFee', (e) => (e.shippingFee = -1)],
      ['externalId', (e) => (e.externalId = 'x'.repeat(129))],
    ];
    for (const [path, mutate] of cases) {
      const input = apiExample();
      mutate(input);
      expect(pathsOf(input), path).toContain(path);
    }
  });

  it('is strict: unknown fields are rejected where they appear', () => {
    const input = apiExample() as Record<string, unknown>;
    input.total = 1;
    expect(pathsOf(input)).toEqual(['']);
    const lineExtra = apiExample();
    (lineExtra.lines[0] as Record<string, unknown>).vat = 10;
    expect(pathsOf(lineExtra)).toEqual(['lines.0']);
  });

  it('accepts 500 lines and rejects 501', () => {
    const make = (n: number) => {
      const e = apiExample();
      e.orderDiscount = 0;
      e.lines = Array.from({ length: n }, (_, i) => ({ ...apiExample().lines[0]!, lineId: String(i + 1) }));
      return e;
    };
    expect(OrderEvent.safeParse(make(500)).success).toBe(true);
    expect(pathsOf(make(501))).toEqual(['lines']);
  });

  it('caps every amount at 10^12 đ (docs/api.md, money limits), naming the field', () => {
    expect(MAX_ORDER_AMOUNT).toBe(1_000_000_000_000);
    const oneLine = (unitPrice: number, quantity: number) => {
      const e = apiExample();
      e.orderDiscount = 0;
      e.lines = [{ ...e.lines[0]!, unitPrice, quantity, discount: 0 }];
      return e;
    };
    // the largest line and order are accepted
    expect(OrderEvent.safeParse(oneLine(MAX_ORDER_AMOUNT, 1)).success).toBe(true);
    expect(OrderEvent.safeParse(oneLine(1_000_000, 1_000_000)).success).toBe(true);
    // a unit price, a line value, a fee or a discount past it is refused at its field
    expect(pathsOf(oneLine(MAX_ORDER_AMOUNT + 1, 1))).toContain('lines.0.unitPrice');
    expect(pathsOf(oneLine(1_000_001, 1_000_000))).toContain('lines.0.unitPrice'); // 1,000,001 × 10^6
    const fee = oneLine(1000, 1);
    fee.shippingFee = MAX_ORDER_AMOUNT + 1;
    expect(pathsOf(fee)).toEqual(['shippingFee']);
    const discount = oneLine(1000, 1);
    discount.orderDiscount = MAX_ORDER_AMOUNT + 1;
    expect(pathsOf(discount)).toContain('orderDiscount');
    // lines within the cap that add up past it: the order value, at `lines`
    const two = apiExample();
    two.orderDiscount = 0;
    two.lines = [
      { ...two.lines[0]!, lineId: '1', unitPrice: 600_000_000_000, quantity: 1, discount: 0 },
      { ...two.lines[0]!, lineId: '2', unitPrice: 400_000_000_001, quantity: 1, discount: 0 },
    ];
    expect(pathsOf(two)).toEqual(['lines']);
    two.lines[1]!.discount = 1; // V = 10^12 exactly
    expect(OrderEvent.safeParse(two).success).toBe(true);

    // an order entered by hand has the same limit
    const { revision: _r, occurredAt: _o, ...manual } = apiExample();
    expect(CreateManualOrderInput.safeParse({ ...manual, orderDiscount: 0, lines: two.lines }).success).toBe(true);
    const tooMuch = CreateManualOrderInput.safeParse({ ...manual, orderDiscount: 0, lines: two.lines.map((l) => ({ ...l, discount: 0 })) });
    expect(tooMuch.success ? [] : tooMuch.error.issues.map((i) => i.path.join('.'))).toEqual(['lines']);
  });

  it('parseOrderEvent throws a validation error listing { path, message }', () => {
    const input = twoLines();
    input.lines[1]!.returnedQuantity = 5;
    const err = domainErrorOf(() => parseOrderEvent(input));
    expect(err.kind).toBe('validation');
    expect(err.errors).toEqual([{ path: 'lines.1.returnedQuantity', message: expect.any(String) }]);
  });
});
