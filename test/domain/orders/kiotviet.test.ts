import { describe, expect, it } from 'vitest';
import invoiceFixture from './fixtures/kiotviet/invoice-update.json';
import deleteFixture from './fixtures/kiotviet/invoice-delete.json';
import customerFixture from './fixtures/kiotviet/customer.json';
import returnsFixture from './fixtures/kiotviet/returns.json';
import {
  customerPhoneOfDocument,
  kiotVietChanges,
  kiotVietLookupNeeds,
  parseKiotVietDelivery,
  returnsOfPage,
  type KiotVietLookups,
} from '../../../domain/orders/adapters/kiotviet';
import type { DeliveryContext, OrderChange } from '../../../domain/orders/adapters/change';
import type { OrderEvent } from '../../../domain/orders/event';
import { computeNetRevenue } from '../../../domain/orders/net-revenue';
import { domainErrorOf } from './helpers';

type Json = Record<string, any>;
const delivery = (patch: (d: Json) => void = () => {}): Json => {
  const d = structuredClone(invoiceFixture) as Json;
  patch(d);
  return d;
};
/** The first invoice of the fixture (HD045123), patched, alone in its delivery. */
const firstInvoice = (patch: (i: Json) => void = () => {}): Json =>
  delivery((d) => {
    d.Notifications[0].Data = [d.Notifications[0].Data[0]];
    patch(d.Notifications[0].Data[0]);
  });

const context: DeliveryContext = { headers: {}, receivedAt: '2026-11-07T02:00:00.000Z', timeZone: 'Asia/Ho_Chi_Minh' };
const changesOf = (payload: unknown, lookups?: KiotVietLookups, ctx: DeliveryContext = context): OrderChange[] =>
  kiotVietChanges(parseKiotVietDelivery(payload), ctx, lookups);
const eventsOf = (payload: unknown, lookups?: KiotVietLookups, ctx?: DeliveryContext): OrderEvent[] =>
  changesOf(payload, lookups, ctx).map((c) => {
    if (c.type !== 'order') throw new Error(`expected an order change, got ${c.type}`);
    return c.event;
  });
const eventOf = (payload: unknown, lookups?: KiotVietLookups, ctx?: DeliveryContext): OrderEvent => eventsOf(payload, lookups, ctx)[0]!;
const errorPaths = (fn: () => unknown) => domainErrorOf(fn).errors.map((e) => e.path);

const lookups = (partial: Partial<KiotVietLookups>): KiotVietLookups => ({ customerPhones: new Map(), returns: new Map(), ...partial });

// ModifiedDate 2026-11-03 10:15:00.250 in Ho Chi Minh City (+07:00) is 03:15:00.250 UTC
const MODIFIED_MS = Date.UTC(2026, 10, 3, 3, 15, 0, 250);
// rank of each state in the revision's last digit
const RANK = { processing: 1, approved: 2, completed: 3, returned: 4, void: 5 } as const;

describe('KiotViet invoice.update → OrderEvent', () => {
  it('maps both invoices of the documented delivery, in order', () => {
    const [delivered, counter] = eventsOf(delivery());
    expect(delivered).toEqual({
      externalId: 'invoice:1000045123',
      revision: MODIFIED_MS * 10 + RANK.approved, // Status 3 đang xử lý
      state: 'approved',
      occurredAt: '2026-11-03T03:15:00.250Z',
      customer: { phone: '+84912345678', name: 'Trần Văn Bình' },
      lines: [
        {
          lineId: '3000001',
          productId: 'SERUM-30',
          unit: 'cái',
          category: 'uncategorized',
          quantity: 2,
          unitPrice: 350_000,
          discount: 0,
          addOn: false,
          returnedQuantity: 0,
        },
        // Discount 20,000 is per unit: 20,000 × 3 units
        {
          lineId: '3000002',
          productId: 'CREAM-50',
          unit: 'cái',
          category: 'uncategorized',
          quantity: 3,
          unitPrice: 300_000,
          discount: 60_000,
          addOn: false,
          returnedQuantity: 0,
        },
      ],
      orderDiscount: 50_000,
      shippingFee: 30_000,
      attribution: { collaboratorId: null, refId: 'HOA123', couponCode: null, opportunityId: null },
      sellerId: null,
    });
    // never modified: PurchaseDate 2026-11-03 10:20:45 (+07:00) = 03:20:45 UTC; Status 1 hoàn thành
    expect(counter).toEqual({
      externalId: 'invoice:1000045124',
      revision: Date.UTC(2026, 10, 3, 3, 20, 45) * 10 + RANK.completed,
      state: 'completed',
      occurredAt: '2026-11-03T03:20:45.000Z',
      customer: { phone: null, name: 'Phạm Thị Hoa' }, // no phone on the invoice, none looked up
      lines: [
        {
          lineId: '3000003',
          productId: 'MASK-05',
          unit: 'cái',
          category: 'uncategorized',
          quantity: 1,
          unitPrice: 199_000,
          discount: 0,
          addOn: false,
          returnedQuantity: 0,
        },
      ],
      orderDiscount: 0,
      shippingFee: 0,
      attribution: { collaboratorId: null, refId: null, couponCode: null, opportunityId: null },
      sellerId: null,
    });
  });

  it('gives the invoice Total as net revenue, shared as worked out by hand', () => {
    // v1 = 2 × 350,000 = 700,000; v2 = 3 × 300,000 − 60,000 = 840,000; V = 1,540,000; D = 50,000
    // line 1 takes ⌊50,000 × 700,000 ÷ 1,540,000⌋ = 22,727 → 677,273; line 2 the rest 27,273 → 812,727
    const r = computeNetRevenue(eventOf(delivery()));
    expect(r.lines.map((l) => l.netRevenue)).toEqual([677_273, 812_727]);
    // 677,273 + 812,727 = 1,490,000, the invoice's Total (shipping not included)
    expect(r.lines.reduce((s, l) => s + l.netRevenue, 0)).toBe(invoiceFixture.Notifications[0]!.Data[0]!.Total);
  });

  it('maps the invoice and delivery states', () => {
    const stateOf = (status: number, deliveryStatus = 2) =>
      eventOf(firstInvoice((i) => ((i.Status = status), (i.InvoiceDelivery.Status = deliveryStatus))));
    expect(stateOf(1).state).toBe('completed');
    expect(stateOf(2).state).toBe('void');
    expect(stateOf(3).state).toBe('approved');
    // không giao được: not completed, its commission stays pending
    expect(stateOf(5).state).toBe('approved');
    // đã chuyển hoàn: every unit came back
    const back = stateOf(5, 5);
    expect(back.state).toBe('returned');
    expect(back.lines.map((l) => [l.quantity, l.returnedQuantity])).toEqual([
      [2, 2],
      [3, 3],
    ]);
    expect(back.revision).toBe(MODIFIED_MS * 10 + RANK.returned);
    expect(stateOf(1, 5).state).toBe('returned');
    // a cancelled invoice is void whatever its delivery says
    const cancelled = stateOf(2, 5);
    expect(cancelled.state).toBe('void');
    expect(cancelled.lines.map((l) => l.returnedQuantity)).toEqual([0, 0]);
    // đang chuyển hoàn (4) is not back yet
    expect(stateOf(3, 4).state).toBe('approved');
  });

  it('refuses an invoice status without a mapping, naming the field', () => {
    expect(errorPaths(() => eventOf(firstInvoice((i) => (i.Status = 4))))).toEqual(['Notifications.0.Data.0.Status']);
  });

  it('orders two states stamped in the same millisecond by the lifecycle', () => {
    const approved = eventOf(firstInvoice((i) => (i.Status = 3)));
    const completed = eventOf(firstInvoice((i) => (i.Status = 1)));
    const voided = eventOf(firstInvoice((i) => (i.Status = 2)));
    expect(completed.revision - approved.revision).toBe(1); // 3 − 2
    expect(voided.revision - completed.revision).toBe(2); // 5 − 3
    // a later millisecond is newer whatever the state
    const later = eventOf(firstInvoice((i) => ((i.Status = 3), (i.ModifiedDate = '2026-11-03T10:15:00.2510000'))));
    expect(later.revision).toBeGreaterThan(voided.revision);
    expect(later.revision).toBe((MODIFIED_MS + 1) * 10 + RANK.approved);
  });

  it("reads KiotViet's local times in the business's time zone, and an explicit offset as given", () => {
    // Tokyo is +09:00: 10:15:00.250 there is 01:15:00.250 UTC, two hours before Ho Chi Minh City's
    const tokyo = eventOf(delivery(), undefined, { ...context, timeZone: 'Asia/Tokyo' });
    expect(tokyo.revision).toBe((MODIFIED_MS - 2 * 3_600_000) * 10 + RANK.approved);
    const withOffset = eventOf(
      firstInvoice((i) => (i.ModifiedDate = '2026-11-03T10:15:00.250+07:00')),
      undefined,
      { ...context, timeZone: 'Asia/Tokyo' },
    );
    expect(withOffset.revision).toBe(MODIFIED_MS * 10 + RANK.approved);
  });

  it('refuses a non-whole quantity, naming the field, and so parks the whole delivery', () => {
    // goods sold by weight: 1.5 kg cannot be a number of units
    const error = domainErrorOf(() => changesOf(delivery((d) => (d.Notifications[0].Data[1].InvoiceDetails[0].Quantity = 1.5))));
    expect(error.kind).toBe('validation');
    expect(error.errors).toEqual([
      { path: 'Notifications.0.Data.1.InvoiceDetails.0.Quantity', message: expect.stringMatching(/1\.5.*whole/) },
    ]);
    expect(errorPaths(() => eventOf(firstInvoice((i) => (i.InvoiceDetails[1].Quantity = 0))))).toEqual([
      'Notifications.0.Data.0.InvoiceDetails.1.Quantity',
    ]);
  });

  it('names the invoice a wrong event field came from', () => {
    // a per-unit discount above the price: 400,000 × 3 > 300,000 × 3
    expect(errorPaths(() => eventOf(firstInvoice((i) => (i.InvoiceDetails[1].Discount = 400_000))))).toEqual([
      'Notifications.0.Data.0.lines.1.discount',
    ]);
    expect(errorPaths(() => eventOf(firstInvoice((i) => (i.InvoiceDetails[0].Price = 'free'))))).toEqual([
      'Notifications.0.Data.0.InvoiceDetails.0.Price',
    ]);
    expect(errorPaths(() => eventOf(firstInvoice((i) => delete i.InvoiceDetails)))).toEqual(['Notifications.0.Data.0.InvoiceDetails']);
    expect(errorPaths(() => eventOf(firstInvoice((i) => ((i.ModifiedDate = null), (i.PurchaseDate = null)))))).toEqual([
      'Notifications.0.Data.0.ModifiedDate',
    ]);
  });

  it('refuses a discount sent only as a percentage rather than dropping it', () => {
    expect(errorPaths(() => eventOf(firstInvoice((i) => ((i.Discount = null), (i.DiscountRatio = 5)))))).toEqual([
      'Notifications.0.Data.0.Discount',
    ]);
    expect(
      errorPaths(() => eventOf(firstInvoice((i) => ((i.InvoiceDetails[0].Discount = 0), (i.InvoiceDetails[0].DiscountRatio = 10))))),
    ).toEqual(['Notifications.0.Data.0.InvoiceDetails.0.Discount']);
    // both sent, as KiotViet does: the amount is taken (35,000 per unit × 2)
    const both = eventOf(firstInvoice((i) => ((i.InvoiceDetails[0].Discount = 35_000), (i.InvoiceDetails[0].DiscountRatio = 10))));
    expect(both.lines[0]!.discount).toBe(70_000);
  });

  it('keeps two lines of the same product apart', () => {
    const e = eventOf(
      firstInvoice((i) => {
        i.InvoiceDetails[1] = { ...i.InvoiceDetails[0], Price: 0, Quantity: 1 }; // a free unit of the same serum
      }),
    );
    expect(e.lines.map((l) => [l.lineId, l.productId, l.quantity, l.unitPrice])).toEqual([
      ['3000001', 'SERUM-30', 2, 350_000],
      ['3000001-2', 'SERUM-30', 1, 0],
    ]);
  });

  it("reads attribution hints from the invoice's note", () => {
    const hintsOf = (note: string | null) => {
      const e = eventOf(firstInvoice((i) => (i.Description = note)));
      return { ...e.attribution, sellerId: e.sellerId };
    };
    expect(hintsOf('CTV_ID=ctv-42; opportunity_id: OPP-7, seller_id: SALE-3')).toEqual({
      collaboratorId: 'ctv-42',
      refId: null,
      couponCode: null,
      opportunityId: 'OPP-7',
      sellerId: 'SALE-3',
    });
    expect(hintsOf('Khách xem https://shop.example.vn/serum?ref=HOA9 rồi đặt').refId).toBe('HOA9');
    expect(hintsOf('Giao giờ hành chính')).toEqual({
      collaboratorId: null,
      refId: null,
      couponCode: null,
      opportunityId: null,
      sellerId: null,
    });
    expect(hintsOf(null).refId).toBeNull();
  });

  it('takes only invoices: order, product, customer and stock notifications change nothing', () => {
    const other = (action: string, data: unknown[]) => ({ Id: 'x', Attempt: 1, Notifications: [{ Action: action, Data: data }] });
    // an order (đặt hàng) becomes invoices when sold: taking it too would count the sale twice
    const order = {
      Id: 77,
      Code: 'DH000077',
      Status: 1,
      StatusValue: 'Phiếu tạm',
      OrderDetails: [{ ProductId: 1, Quantity: 1.5, Price: 1 }],
    };
    expect(changesOf(other('order.update', [order]))).toEqual([]);
    expect(changesOf(other('order.update.700001', [order]))).toEqual([]);
    expect(changesOf(other('product.update', [{ Id: 3000001, Code: 'SERUM-30' }]))).toEqual([]);
    expect(changesOf(other('customer.update', [{ Id: 5000124, ContactNumber: '0987654321' }]))).toEqual([]);
    expect(changesOf(other('stock.update', [{ ProductId: 3000001, OnHand: 3 }]))).toEqual([]);
    // mixed: only the invoice
    const mixed = delivery((d) => d.Notifications.unshift({ Action: 'stock.update', Data: [{ ProductId: 3000001, OnHand: 3 }] }));
    expect(changesOf(mixed).map((c) => (c.type === 'order' ? c.event.externalId : c.type))).toEqual([
      'invoice:1000045123',
      'invoice:1000045124',
    ]);
    // an action with a third part (the official plugin splits it in three) still reads as invoice.update
    expect(eventsOf(delivery((d) => (d.Notifications[0].Action = 'invoice.update.700001')))).toHaveLength(2);
  });

  it('refuses a body that is no KiotViet envelope', () => {
    expect(errorPaths(() => changesOf({ hello: 'world' }))).toEqual(['Notifications']);
    expect(errorPaths(() => changesOf({ Notifications: [{ Data: [] }] }))).toEqual(['Notifications.0.Action']);
  });
});

describe('KiotViet deletions', () => {
  const received = Date.parse(context.receivedAt);

  it('makes each RemoveId of invoice.delete a deletion at the receipt time', () => {
    expect(changesOf(deleteFixture)).toEqual([
      { type: 'deletion', externalId: 'invoice:1000045123', revision: received * 10 + RANK.void, occurredAt: context.receivedAt },
    ]);
    // the ids as the Data items themselves (as pricebook.delete sends them)
    const bare = { Id: 'y', Attempt: 1, Notifications: [{ Action: 'invoice.delete', Data: [1000045123, '1000045124'] }] };
    expect(changesOf(bare).map((c) => c.type === 'deletion' && c.externalId)).toEqual(['invoice:1000045123', 'invoice:1000045124']);
  });

  it('changes nothing for a bare RemoveId body (it names no document type) or a deleted order or product', () => {
    expect(changesOf({ RemoveId: [1000045123] })).toEqual([]);
    expect(changesOf({ ...deleteFixture, Notifications: [{ Action: 'order.delete', Data: [{ RemoveId: [1000045123] }] }] })).toEqual([]);
    expect(changesOf({ ...deleteFixture, Notifications: [{ Action: 'product.delete', Data: [{ RemoveId: [3000001] }] }] })).toEqual([]);
  });

  it('refuses a malformed RemoveId, naming it', () => {
    const bad = { ...deleteFixture, Notifications: [{ Action: 'invoice.delete', Data: [{ RemoveId: 'all' }] }] };
    expect(errorPaths(() => changesOf(bad))).toEqual(['Notifications.0.Data.0.RemoveId']);
  });
});

describe('KiotViet REST lookups merged into the invoices', () => {
  it('asks for the phone only of a customer the invoice gives none, and for the returns of invoices they can change', () => {
    expect(kiotVietLookupNeeds(parseKiotVietDelivery(delivery()))).toEqual({
      // HD045123 has the receiver's phone; HD045124 has none but names customer 5000124
      customerIds: ['5000124'],
      invoices: [
        { invoiceId: '1000045123', since: '2026-11-03T09:40:12.1230000' },
        { invoiceId: '1000045124', since: '2026-11-03T10:20:45.0000000' },
      ],
    });
    // cancelled, or back whole: returns change nothing; no customer id: nothing to ask
    const needs = kiotVietLookupNeeds(
      parseKiotVietDelivery(
        delivery((d) => {
          d.Notifications[0].Data[0].Status = 2;
          d.Notifications[0].Data[1].InvoiceDelivery = { Status: 5 };
          d.Notifications[0].Data[1].CustomerId = null;
        }),
      ),
    );
    expect(needs).toEqual({ customerIds: [], invoices: [] });
  });

  it("takes the looked-up customer's phone when the invoice has none", () => {
    expect(customerPhoneOfDocument(customerFixture, '5000124')).toBe('0987 654 321');
    expect(customerPhoneOfDocument({ id: 1, contactNumber: null }, '1')).toBeNull();
    const [, counter] = eventsOf(delivery(), lookups({ customerPhones: new Map([['5000124', '0987 654 321']]) }));
    expect(counter!.customer).toEqual({ phone: '+84987654321', name: 'Phạm Thị Hoa' });
    // several numbers typed in one field: the first Vietnamese one
    const several = eventsOf(delivery(), lookups({ customerPhones: new Map([['5000124', '02838 / 0987654321']]) }))[1]!;
    expect(several.customer.phone).toBe('+84987654321');
    // the invoice's own phone wins over the customer's
    const own = eventOf(delivery(), lookups({ customerPhones: new Map([['5000123', '0987654321']]) }));
    expect(own.customer.phone).toBe('+84912345678');
  });

  it('reads the returns page, keeping those of the invoice', () => {
    const page = returnsOfPage(returnsFixture, '1000045123');
    expect(page.total).toBe(3);
    expect(page.count).toBe(3);
    expect(page.returns.map((r) => r.code)).toEqual(['TH000601', 'TH000603']);
    expect(returnsOfPage({ total: 0, pageSize: 100, data: [] }, '1').returns).toEqual([]);
  });

  it('places returned units on their lines, ignores a cancelled return, and dates the order by its latest return', () => {
    const { returns } = returnsOfPage(returnsFixture, '1000045123');
    const e = eventOf(delivery(), lookups({ returns: new Map([['1000045123', returns]]) }));
    expect(e.state).toBe('returned');
    // TH000601 gives back 1 CREAM-50; TH000603 (2 SERUM-30) is cancelled
    expect(e.lines.map((l) => [l.lineId, l.returnedQuantity])).toEqual([
      ['3000001', 0],
      ['3000002', 1],
    ]);
    // TH000601 modifiedDate 2026-11-05 14:20:30.5 (+07:00) = 07:20:30.500 UTC, later than the invoice's
    expect(e.revision).toBe(Date.UTC(2026, 10, 5, 7, 20, 30, 500) * 10 + RANK.returned);
    expect(e.occurredAt).toBe('2026-11-05T07:20:30.500Z');
    // R2 = 812,727 keeps 812,727 × 2 ÷ 3 = 541,818 (541,818.0 rounded half away from zero)
    expect(computeNetRevenue(e).lines.map((l) => l.keptNetRevenue)).toEqual([677_273, 541_818]);
  });

  it('spreads returned units over the lines of a product in order, never past a line', () => {
    const twoLines = firstInvoice((i) => (i.InvoiceDetails[1] = { ...i.InvoiceDetails[0], Quantity: 2 }));
    const ret = (quantity: number) => ({
      id: 9,
      code: 'TH9',
      invoiceId: 1000045123,
      statusValue: 'Đã trả',
      modifiedDate: null,
      returnDetails: [{ productId: 3000001, quantity }],
    });
    const back = (quantity: number) =>
      eventOf(twoLines, lookups({ returns: new Map([['1000045123', [ret(quantity)]]]) })).lines.map((l) => l.returnedQuantity);
    expect(back(3)).toEqual([2, 1]);
    expect(back(5)).toEqual([2, 2]); // 4 units were sold: at most 4 come back
    // no return time: the invoice's own
    expect(eventOf(twoLines, lookups({ returns: new Map([['1000045123', [ret(1)]]]) })).revision).toBe(MODIFIED_MS * 10 + RANK.returned);
  });

  it('refuses a return it cannot place, naming it', () => {
    const withReturn = (detail: { productId: number; quantity: number }) =>
      lookups({ returns: new Map([['1000045123', [{ id: 9, code: 'TH9', invoiceId: 1000045123, returnDetails: [detail] }]]]) });
    expect(errorPaths(() => eventOf(delivery(), withReturn({ productId: 3000099, quantity: 1 })))).toEqual([
      'returns.TH9.returnDetails.0.productId',
    ]);
    expect(errorPaths(() => eventOf(delivery(), withReturn({ productId: 3000002, quantity: 0.5 })))).toEqual([
      'returns.TH9.returnDetails.0.quantity',
    ]);
  });

  it('without the API, only a delivery that came back whole is a return', () => {
    expect(eventOf(delivery()).state).toBe('approved');
    const whole = eventOf(firstInvoice((i) => (i.InvoiceDelivery.Status = 5)));
    expect(whole.lines.every((l) => l.returnedQuantity === l.quantity)).toBe(true);
  });
});
