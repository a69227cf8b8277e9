import { describe, expect, it } from 'vitest';
import addV3 from './fixtures/nhanh/order-add-v3.json';
import addV2 from './fixtures/nhanh/order-add-v2.json';
import statusOnlyV2 from './fixtures/nhanh/order-update-v2-status.json';
import deleteV3 from './fixtures/nhanh/order-delete-v3.json';
import returnV3 from './fixtures/nhanh/order-return-v3.json';
import { readNhanhDelivery } from '../../../domain/orders/adapters/nhanh';
import type { DeliveryContext, OrderChange } from '../../../domain/orders/adapters/change';
import { eventOfChange } from '../../../domain/orders/adapters/change';
import { applyRevision } from '../../../domain/orders/order';
import { domainErrorOf } from './helpers';

type Json = Record<string, any>;
const copy = (fixture: object, patch: (o: Json) => void = () => {}): Json => {
  const o = structuredClone(fixture) as Json;
  patch(o);
  return o;
};

// received five minutes after the v3 order's update (2026-11-03 10:15 in Hà Nội)
const context: DeliveryContext = { headers: {}, receivedAt: '2026-11-03T03:20:00.000Z', timeZone: 'Asia/Ho_Chi_Minh' };
const UPDATED = 1_793_675_700; // 2026-11-03T03:15:00Z in epoch seconds (info.updatedAt of order-add-v3.json)
const RECEIVED = 1_793_676_000; // 2026-11-03T03:20:00Z

const read = (payload: unknown, ctx: DeliveryContext = context) => readNhanhDelivery(payload, ctx);
const onlyEvent = (changes: OrderChange[]) => {
  expect(changes).toHaveLength(1);
  const [change] = changes;
  if (change?.type !== 'order') throw new Error(`expected an order change, got ${change?.type}`);
  return change.event;
};
const errorPaths = (fn: () => unknown) => domainErrorOf(fn).errors.map((e) => e.path);

describe('Nhanh.vn webhooks v3: orderAdd / orderUpdate', () => {
  it('maps the documented order, line by line', () => {
    expect(onlyEvent(read(addV3))).toEqual({
      externalId: '125123098',
      revision: UPDATED * 10 + 2, // updatedAt seconds × 10 + rank of approved
      state: 'approved', // Confirmed
      occurredAt: '2026-11-03T03:15:00.000Z',
      customer: { phone: '+84912345678', name: 'Lê Thị Hoa' },
      lines: [
        {
          lineId: '1231264453',
          productId: '1231264453',
          unit: 'cái',
          category: 'uncategorized',
          quantity: 2,
          unitPrice: 189_000,
          discount: 18_000, // 9,000 per unit × 2
          addOn: false,
          returnedQuantity: 0,
        },
        {
          lineId: '1231253490',
          productId: '1231253490',
          unit: 'cái',
          category: 'uncategorized',
          quantity: 1,
          unitPrice: 109_000,
          discount: 0,
          addOn: false,
          returnedQuantity: 0,
        },
      ],
      orderDiscount: 0,
      shippingFee: 30_000, // carrier.customerShipFee
      attribution: { collaboratorId: null, refId: null, couponCode: null, opportunityId: null },
      sellerId: null,
    });
  });

  it('maps every status name, and refuses one it does not know, naming the field', () => {
    const stateFor = (status: string) => onlyEvent(read(copy(addV3, (o) => (o.data.info.status = status)))).state;
    const expected: Record<string, string> = {
      New: 'processing',
      Confirming: 'processing',
      CustomerConfirming: 'processing',
      Confirmed: 'approved',
      Packing: 'approved',
      Packed: 'approved',
      ChangeDepot: 'approved',
      Pickup: 'approved',
      Shipping: 'approved',
      Failed: 'approved',
      Returning: 'approved',
      Success: 'completed',
      Canceled: 'void',
      Aborted: 'void',
      CarrierCanceled: 'void',
      SoldOut: 'void',
      Returned: 'void',
    };
    for (const [status, state] of Object.entries(expected)) expect(stateFor(status), status).toBe(state);

    expect(errorPaths(() => read(copy(addV3, (o) => (o.data.info.status = 'Lost'))))).toEqual(['data.info.status']);
    // an integer status (the v3 status table is not published): parked, not guessed
    expect(errorPaths(() => read(copy(addV3, (o) => (o.data.info.status = 42))))).toEqual(['data.info.status']);
    expect(errorPaths(() => read(copy(addV3, (o) => delete o.data.info.status)))).toEqual(['data.info.status']);
    // a prototype key is not a status
    expect(errorPaths(() => read(copy(addV3, (o) => (o.data.info.status = 'constructor'))))).toEqual(['data.info.status']);
  });

  it('reads the update time as epoch seconds, milliseconds or a local time of the business', () => {
    const revisionWith = (updatedAt: unknown) => onlyEvent(read(copy(addV3, (o) => (o.data.info.updatedAt = updatedAt)))).revision;
    expect(revisionWith(UPDATED * 1000)).toBe(UPDATED * 10 + 2);
    expect(revisionWith(String(UPDATED))).toBe(UPDATED * 10 + 2);
    // 10:15:00 in Hà Nội (UTC+7) is 03:15:00Z
    expect(revisionWith('2026-11-03 10:15:00')).toBe(UPDATED * 10 + 2);
    // the same wall time for a business on UTC is 7 hours later
    const utc = onlyEvent(
      read(
        copy(addV3, (o) => (o.data.info.updatedAt = '2026-11-03 10:15:00')),
        { ...context, timeZone: 'UTC' },
      ),
    );
    expect(utc.revision).toBe((UPDATED + 7 * 3600) * 10 + 2);
    expect(errorPaths(() => revisionWith('yesterday'))).toEqual(['data.info.updatedAt']);
  });

  it('orders two changes of the same second along the lifecycle, and a later update after an earlier one', () => {
    const confirmed = onlyEvent(read(addV3));
    const success = onlyEvent(read(copy(addV3, (o) => (o.data.info.status = 'Success'))));
    expect(success.revision - confirmed.revision).toBe(1); // rank 3 − rank 2, same second
    const later = onlyEvent(read(copy(addV3, (o) => (o.data.info.updatedAt = UPDATED + 1))));
    expect(later.revision - confirmed.revision).toBe(10);
    const stored = applyRevision(null, later, 'nhanh', context.receivedAt).order;
    expect(applyRevision(stored, success, 'nhanh', context.receivedAt).applied).toBe(false);
  });

  it('gives a second line of the same product its own line id', () => {
    const e = onlyEvent(read(copy(addV3, (o) => o.data.products.push({ id: 1231264453, price: 0, quantity: 1 }))));
    expect(e.lines.map((l) => l.lineId)).toEqual(['1231264453', '1231253490', '1231264453#2']);
  });

  it('refuses amounts that are not amounts and quantities that are not whole, naming the field', () => {
    expect(errorPaths(() => read(copy(addV3, (o) => (o.data.products[1].price = 'abc'))))).toEqual(['data.products.1.price']);
    expect(errorPaths(() => read(copy(addV3, (o) => (o.data.products[0].quantity = 1.5))))).toEqual(['data.products.0.quantity']);
    expect(errorPaths(() => read(copy(addV3, (o) => (o.data.products[0].discount = -1))))).toEqual(['data.products.0.discount']);
  });
});

describe('Nhanh.vn webhooks v2', () => {
  it('maps the flat order, with the order discount, the fee charged to the customer and the hints', () => {
    expect(onlyEvent(read(addV2))).toEqual({
      externalId: '89354328',
      revision: RECEIVED * 10 + 1, // no update time in v2: our receipt time × 10 + rank of processing (New)
      state: 'processing',
      occurredAt: '2026-11-03T03:20:00.000Z',
      customer: { phone: '+84987654321', name: 'Trần Văn Bình' },
      lines: [
        {
          lineId: '5001',
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
          lineId: '5002',
          productId: 'CREAM-50',
          unit: 'cái',
          category: 'uncategorized',
          quantity: 1,
          unitPrice: 300_000,
          discount: 20_000, // 20,000 per unit × 1
          addOn: false,
          returnedQuantity: 0,
        },
      ],
      orderDiscount: 20_000, // moneyDiscount
      shippingFee: 25_000, // customerShipFee, not shipFee (22,000, the carrier's price to the shop)
      attribution: { collaboratorId: null, refId: 'HOA123', couponCode: 'GIAM20', opportunityId: null },
      sellerId: null,
    });
  });

  it('reads the list API spelling statusCode and an updatedAt when the order carries them', () => {
    const e = onlyEvent(
      read(
        copy(addV2, (o) => {
          delete o.data.status;
          o.data.statusCode = 'Shipping';
          o.data.updatedAt = UPDATED;
        }),
      ),
    );
    expect([e.state, e.revision]).toEqual(['approved', UPDATED * 10 + 2]);
    expect(errorPaths(() => read(copy(addV2, (o) => delete o.data.orderId)))).toEqual(['data.orderId']);
  });

  it('a status-only orderUpdate voids the stored order when it cancels, and is refused otherwise', () => {
    expect(read(statusOnlyV2)).toEqual([
      { type: 'deletion', externalId: '89354328', revision: RECEIVED * 10 + 5, occurredAt: '2026-11-03T03:20:00.000Z' },
    ]);
    const shipping = domainErrorOf(() => read(copy(statusOnlyV2, (o) => (o.data.status = 'Shipping'))));
    expect(shipping.kind).toBe('validation');
    expect(shipping.errors).toEqual([
      { path: 'data.products', message: expect.stringContaining('"Shipping" of order 89354328 without its products') },
    ]);
    expect(errorPaths(() => read(copy(statusOnlyV2, (o) => (o.data.status = 'Lost'))))).toEqual(['data.status']);

    // applied to the stored order: the whole order, voided at a newer revision
    const stored = applyRevision(null, onlyEvent(read(addV2)), 'nhanh', context.receivedAt).order;
    const [deletion] = read(statusOnlyV2, { ...context, receivedAt: '2026-11-03T04:00:00.000Z' });
    const voided = eventOfChange(stored, deletion!);
    expect(voided).toMatchObject({ state: 'void', revision: (RECEIVED + 2400) * 10 + 5, lines: stored.lines });
  });
});

describe('Nhanh.vn orderDelete', () => {
  it('deletes every order of the documented array, at our receipt time', () => {
    expect(read(deleteV3)).toEqual([
      { type: 'deletion', externalId: '12345', revision: RECEIVED * 10 + 5, occurredAt: '2026-11-03T03:20:00.000Z' },
      { type: 'deletion', externalId: '12346', revision: RECEIVED * 10 + 5, occurredAt: '2026-11-03T03:20:00.000Z' },
    ]);
    // the v2 shape: one order
    expect(read({ event: 'orderDelete', data: { businessId: 10000, orderId: 89354328, shopOrderId: 'WEB-3256' } })).toEqual([
      { type: 'deletion', externalId: '89354328', revision: RECEIVED * 10 + 5, occurredAt: '2026-11-03T03:20:00.000Z' },
    ]);
    expect(errorPaths(() => read({ event: 'orderDelete', data: [] }))).toEqual(['data']);
  });
});

describe('Nhanh.vn return orders', () => {
  const RETURN_UPDATED = 1_793_957_400; // 2026-11-06T09:30:00Z (info.updatedAt of order-return-v3.json)

  it('a return order at Success gives its units back to the original order, line by line', () => {
    const changes = read(returnV3);
    expect(changes).toEqual([
      {
        type: 'refund',
        externalId: '125123098', // info.returnFromId
        revision: RETURN_UPDATED * 10 + 4, // rank of returned
        occurredAt: '2026-11-06T09:30:00.000Z',
        lines: [{ lineId: '1231264453', quantity: 1 }],
      },
    ]);
    const original = applyRevision(null, onlyEvent(read(addV3)), 'nhanh', context.receivedAt).order;
    const returned = eventOfChange(original, changes[0]!);
    expect(returned?.state).toBe('returned');
    expect(returned?.lines.map((l) => l.returnedQuantity)).toEqual([1, 0]);
  });

  it('names the original by idReturn too (type 16), and changes nothing before Success or when cancelled', () => {
    const partial = read(
      copy(returnV3, (o) => {
        o.data.info.type = 16;
        o.data.info.returnFromId = 0;
        o.data.info.idReturn = 125123098;
      }),
    );
    expect(partial).toMatchObject([{ type: 'refund', externalId: '125123098' }]);
    expect(read(copy(returnV3, (o) => (o.data.info.status = 'New')))).toEqual([]);
    expect(read(copy(returnV3, (o) => (o.data.info.status = 'Canceled')))).toEqual([]);
    expect(errorPaths(() => read(copy(returnV3, (o) => (o.data.info.returnFromId = 0))))).toEqual(['data.info.returnFromId']);
  });
});

describe('Nhanh.vn deliveries that are not orders', () => {
  it('changes nothing for other events, and refuses what is not an envelope', () => {
    expect(read({ event: 'productAdd', businessId: 10000, data: { productId: 1 } })).toEqual([]);
    expect(read({ event: 'inventoryChange', businessId: 10000, data: [{ code: 'SERUM-30' }] })).toEqual([]);
    expect(errorPaths(() => read({ businessId: 10000, data: {} }))).toEqual(['event']);
    expect(errorPaths(() => read({ event: 'orderAdd', data: [1, 2] }))).toEqual(['data']);
  });
});
