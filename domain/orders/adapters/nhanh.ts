import * as z from 'zod';
import type { OrderEventInput, OrderState } from '../event';
import type { DeliveryContext, OrderChange } from './change';
import {
  AdapterFieldError,
  buildEvent,
  customerOf,
  customerPhoneOf,
  DEFAULT_CATEGORY,
  DEFAULT_UNIT,
  instantOf,
  mapped,
  NativeAmount,
  NativeId,
  numberedIds,
  parseNative,
  personName,
  rankedRevision,
  toVnd,
} from './common';

/**
 * Nhanh.vn order webhooks (docs/order-systems/nhanh.md; VENDORS.md §4). Nhanh signs nothing: the
 * owner's verify token travels with each delivery (checked in functions/webhooks/adapters/nhanh.ts).
 * The body is `{ event, businessId, data }`:
 *
 * - `orderAdd` / `orderUpdate`: `data` is one order. Webhooks v3 send it as the order list API
 *   gives it (`info{…}`, `shippingAddress`, `carrier`, `products`); v2 sent it flat (`orderId`,
 *   `status`, `customerMobile`, `moneyDiscount`, `customerShipFee`, `products`). Both are read; a
 *   `data.info` object marks v3.
 * - `orderDelete`: v3 `data` is the array of deleted order ids → one `deletion` each; v2 sent one
 *   `{ orderId }`.
 * - any other event (products, inventory, invoices, warranties) → no change.
 *
 * Mapping of one order:
 * - externalId = v3 `info.id`, v2 `orderId` (else `id`)
 * - state      = from the status name (v3 `info.status`, v2 `status` or `statusCode`, see
 *                NHANH_STATUS_MAP); a status without a mapping is refused, naming the field
 * - revision   = `updatedAt` (v3 `info.updatedAt`) in epoch seconds × 10 + the state's rank
 *                (processing 1 … void 5). Nhanh has no version field; its update time has whole
 *                seconds, and the rank orders two changes of the same second along the lifecycle.
 *                Without an update time (the v2 payloads document none) the delivery's receipt
 *                time stands in: it only grows, but a re-sent older delivery (Nhanh re-sends after
 *                5, 10 and 30 minutes) then counts as newer.
 * - occurredAt = the same instant. A timestamp is epoch seconds (milliseconds from 10^11 on); a
 *                text time without offset ("2026-11-03 10:15:00") is in the business's time zone.
 * - lines      = `products`: lineId and productId = the product id (`productId`, v3 `id`; a second
 *                line of the same product gets `#2`), productId = `productCode`/`code` when given;
 *                unitPrice `price`; discount = `discount` × quantity (Nhanh's discount is per unit).
 *                Gifts (`gifts`) are free and carry no revenue: not lines.
 * - orderDiscount = v2 `moneyDiscount` (v3: no order-level discount field is documented)
 * - shippingFee = the fee charged to the customer: `customerShipFee` (v3 `carrier.customerShipFee`),
 *                not `shipFee` (the carrier's price to the shop)
 * - customer   = phone `customerMobile` (v3 `shippingAddress.mobile`, else `customer.mobile`), name
 *                `customerName` (v3 `shippingAddress.name`)
 * - attribution = v2 `affiliateCode` (Nhanh's affiliate, i.e. CTV, code) as the REF ID,
 *                `couponCode` as the coupon.
 *
 * Returns are separate Nhanh orders (type 14 "khách trả lại hàng", 16 "đơn hoàn một phần") that name
 * the original (`info.returnFromId` or `info.idReturn`, v2 `returnFromOrderId`). Once such an order
 * reaches Success, its products are a `refund` of the original order: the same product ids are the
 * original's line ids. Before Success (and when cancelled) it changes nothing.
 *
 * A v2 `orderUpdate` that carries only `{ orderId, status }` cannot be an order event (ours carry the
 * whole order): a cancelling status voids the stored order (a `deletion`); any other is refused
 * (parked, naming `data.products`) so the owner sees it.
 */

/** Nhanh's order status names (v2; VENDORS.md §4 and third-party code) → our states. */
export const NHANH_STATUS_MAP: Readonly<Record<string, OrderState>> = {
  New: 'processing',
  Confirming: 'processing',
  CustomerConfirming: 'processing',
  Confirmed: 'approved',
  Packing: 'approved',
  Packed: 'approved',
  ChangeDepot: 'approved',
  Pickup: 'approved',
  Shipping: 'approved',
  // a failed delivery attempt or a parcel on its way back is still open: Success or Returned settles it
  Failed: 'approved',
  Returning: 'approved',
  Success: 'completed',
  Canceled: 'void',
  Aborted: 'void',
  CarrierCanceled: 'void',
  SoldOut: 'void',
  // "đã chuyển hoàn": the parcel came back undelivered, the sale never happened
  Returned: 'void',
};

/** Order types whose products came back from another order (VENDORS.md §4). */
const RETURN_TYPES = new Set([14, 16]);

const NhanhTime = z.union([z.number(), z.string().min(1)]);
const Quantity = z.union([z.int().min(1), z.string().regex(/^\d+$/, 'expected a whole number').transform(Number)]);

export const NhanhProduct = z.object({
  productId: NativeId.nullish(),
  id: NativeId.nullish(),
  productCode: z.string().nullish(),
  code: z.string().nullish(),
  price: NativeAmount,
  quantity: Quantity,
  discount: NativeAmount.nullish(),
});
type NhanhProduct = z.output<typeof NhanhProduct>;

const Products = z.array(NhanhProduct).max(500).nullish();

/** webhooks v3: one order as the order list API gives it (apidocs.nhanh.vn/v3/webhooks/order) */
export const NhanhV3Order = z.object({
  info: z.object({
    id: NativeId,
    type: z.int().nullish(),
    status: z.union([z.string(), z.int()]).nullish(),
    returnFromId: NativeId.nullish(),
    idReturn: NativeId.nullish(),
    createdAt: NhanhTime.nullish(),
    updatedAt: NhanhTime.nullish(),
  }),
  shippingAddress: z.object({ name: z.string().nullish(), mobile: z.string().nullish() }).nullish(),
  customer: z.object({ name: z.string().nullish(), mobile: z.string().nullish() }).nullish(),
  carrier: z.object({ customerShipFee: NativeAmount.nullish() }).nullish(),
  products: Products,
});

/** webhooks v2: the order's fields flat in `data` (apidocs.nhanh.vn/webhooks/order) */
export const NhanhV2Order = z.object({
  orderId: NativeId.nullish(),
  id: NativeId.nullish(),
  status: z.string().nullish(),
  statusCode: z.string().nullish(),
  typeId: z.int().nullish(),
  returnFromOrderId: NativeId.nullish(),
  moneyDiscount: NativeAmount.nullish(),
  customerShipFee: NativeAmount.nullish(),
  customerName: z.string().nullish(),
  customerMobile: z.string().nullish(),
  couponCode: z.string().nullish(),
  affiliateCode: z.string().nullish(),
  updatedAt: NhanhTime.nullish(),
  products: Products,
});

const Envelope = z.object({ event: z.string().min(1), data: z.unknown() });
const OrderIds = z.union([z.array(NativeId).min(1), z.object({ orderId: NativeId })]);

/** One Nhanh order, whichever version sent it, with the native path of each field for errors. */
interface NhanhOrder {
  id: string;
  status: string | number | null;
  type: number | null;
  returnFrom: string | null;
  updatedAt: number | string | null;
  products: NhanhProduct[] | null;
  orderDiscount: number | string | null;
  shippingFee: number | string | null;
  phone: string | null | undefined;
  name: string | null | undefined;
  couponCode: string | null;
  refId: string | null;
  paths: { status: string; updatedAt: string; products: string; orderDiscount: string; shippingFee: string; returnFrom: string };
}

/** An id that names nothing (Nhanh writes 0 for "no original order"). */
const idOrNull = (id: string | number | null | undefined): string | null =>
  id === null || id === undefined || String(id).trim() === '' || String(id).trim() === '0' ? null : String(id).trim();

function v3Order(data: unknown): NhanhOrder {
  const o = parseNative(z.object({ data: NhanhV3Order }), { data }, 'Nhanh.vn').data;
  return {
    id: String(o.info.id),
    status: o.info.status ?? null,
    type: o.info.type ?? null,
    returnFrom: idOrNull(o.info.returnFromId) ?? idOrNull(o.info.idReturn),
    updatedAt: o.info.updatedAt ?? null,
    products: o.products ?? null,
    orderDiscount: null,
    shippingFee: o.carrier?.customerShipFee ?? null,
    phone: customerPhoneOf(o.shippingAddress?.mobile, o.customer?.mobile),
    name: personName(o.shippingAddress?.name) ?? personName(o.customer?.name),
    couponCode: null,
    refId: null,
    paths: {
      status: 'data.info.status',
      updatedAt: 'data.info.updatedAt',
      products: 'data.products',
      orderDiscount: 'data.info',
      shippingFee: 'data.carrier.customerShipFee',
      returnFrom: 'data.info.returnFromId',
    },
  };
}

function v2Order(data: unknown): NhanhOrder {
  const o = parseNative(z.object({ data: NhanhV2Order }), { data }, 'Nhanh.vn').data;
  const id = idOrNull(o.orderId) ?? idOrNull(o.id);
  if (id === null) throw new AdapterFieldError('data.orderId', 'the order has no id (orderId)');
  const hint = (v: string | null | undefined) => (v?.trim() ? v.trim() : null);
  return {
    id,
    status: o.status ?? o.statusCode ?? null,
    type: o.typeId ?? null,
    returnFrom: idOrNull(o.returnFromOrderId),
    updatedAt: o.updatedAt ?? null,
    products: o.products ?? null,
    orderDiscount: o.moneyDiscount ?? null,
    shippingFee: o.customerShipFee ?? null,
    phone: customerPhoneOf(o.customerMobile),
    name: personName(o.customerName),
    couponCode: hint(o.couponCode),
    refId: hint(o.affiliateCode),
    paths: {
      status: o.status == null && o.statusCode != null ? 'data.statusCode' : 'data.status',
      updatedAt: 'data.updatedAt',
      products: 'data.products',
      orderDiscount: 'data.moneyDiscount',
      shippingFee: 'data.customerShipFee',
      returnFrom: 'data.returnFromOrderId',
    },
  };
}

/** Epoch milliseconds of a Nhanh time: a timestamp (seconds, or milliseconds from 10^11 on) or a local text time. */
export function nhanhInstant(value: number | string, timeZone: string, path: string): number {
  const text = typeof value === 'number' ? String(value) : value.trim();
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    if (!Number.isSafeInteger(n) || n <= 0) throw new AdapterFieldError(path, 'not a timestamp');
    return n >= 1e11 ? n : n * 1000;
  }
  return instantOf(text, timeZone, path);
}

const receivedMs = (context: DeliveryContext): number => Date.parse(context.receivedAt);
const isoOf = (ms: number): string => new Date(ms).toISOString();
/** A revision made of an instant's whole seconds and a state's rank (processing 1 … void 5). */
const revisionAt = (ms: number, state: OrderState): number => rankedRevision(Math.floor(ms / 1000), state);

function stateOf(order: NhanhOrder): OrderState {
  const { status } = order;
  if (status === null || (typeof status === 'string' && status.trim() === '')) {
    throw new AdapterFieldError(order.paths.status, 'the order has no status');
  }
  const state = typeof status === 'string' && Object.hasOwn(NHANH_STATUS_MAP, status.trim()) ? NHANH_STATUS_MAP[status.trim()] : undefined;
  if (!state) throw new AdapterFieldError(order.paths.status, `the Nhanh.vn status "${String(status).slice(0, 40)}" has no mapping`);
  return state;
}

/** Each product's line id: its product id, `#2`, `#3`… for a second or third line of the same product. */
function lineIdsOf(products: readonly NhanhProduct[], path: string): string[] {
  const ids = products.map((p, i) => {
    const id = p.productId ?? p.id;
    if (id === null || id === undefined) throw new AdapterFieldError(`${path}.${i}.productId`, 'the product has no id (productId, id)');
    return String(id);
  });
  return numberedIds(ids, '#');
}

/** The instant a change happened: Nhanh's update time, else when we received the delivery. */
function instantOfChange(order: NhanhOrder, context: DeliveryContext): number {
  return order.updatedAt === null ? receivedMs(context) : nhanhInstant(order.updatedAt, context.timeZone, order.paths.updatedAt);
}

function wholeOrder(order: NhanhOrder, products: readonly NhanhProduct[], context: DeliveryContext): OrderChange {
  const event = buildEvent('Nhanh.vn', (): OrderEventInput => {
    const state = stateOf(order);
    const at = instantOfChange(order, context);
    const lineIds = lineIdsOf(products, order.paths.products);
    const lines = products.map((p, i) => {
      const path = `${order.paths.products}.${i}`;
      const unitPrice = toVnd(p.price, `${path}.price`);
      const discountEach = toVnd(p.discount, `${path}.discount`);
      if (unitPrice < 0) throw new AdapterFieldError(`${path}.price`, 'the price is negative');
      if (discountEach < 0) throw new AdapterFieldError(`${path}.discount`, 'the discount is negative');
      const code = p.productCode?.trim() || p.code?.trim();
      return {
        lineId: lineIds[i]!,
        productId: code || String(p.productId ?? p.id),
        unit: DEFAULT_UNIT,
        category: DEFAULT_CATEGORY,
        quantity: p.quantity,
        unitPrice,
        discount: discountEach * p.quantity,
        addOn: false,
        returnedQuantity: 0,
      };
    });
    const orderDiscount = toVnd(order.orderDiscount, order.paths.orderDiscount);
    const shippingFee = toVnd(order.shippingFee, order.paths.shippingFee);
    if (orderDiscount < 0) throw new AdapterFieldError(order.paths.orderDiscount, 'the discount is negative');
    if (shippingFee < 0) throw new AdapterFieldError(order.paths.shippingFee, 'the shipping fee is negative');
    return {
      externalId: order.id,
      revision: revisionAt(at, state),
      state,
      occurredAt: isoOf(at),
      customer: customerOf(order.phone, order.name),
      lines,
      orderDiscount,
      shippingFee,
      attribution: { collaboratorId: null, refId: order.refId, couponCode: order.couponCode, opportunityId: null },
      sellerId: null,
    };
  });
  return { type: 'order', event };
}

/** A return order at Success: its products came back to the original order, line by line. */
function returnOf(order: NhanhOrder, products: readonly NhanhProduct[], context: DeliveryContext): OrderChange[] {
  if (stateOf(order) !== 'completed') return [];
  if (order.returnFrom === null)
    throw new AdapterFieldError(order.paths.returnFrom, `a return order (type ${order.type}) must name the order it returns`);
  const at = instantOfChange(order, context);
  const lineIds = lineIdsOf(products, order.paths.products);
  return [
    {
      type: 'refund',
      externalId: order.returnFrom,
      revision: revisionAt(at, 'returned'),
      occurredAt: isoOf(at),
      lines: products.map((p, i) => ({ lineId: lineIds[i]!, quantity: p.quantity })),
    },
  ];
}

function orderChanges(data: unknown, context: DeliveryContext): OrderChange[] {
  if (data === null || typeof data !== 'object' || Array.isArray(data))
    throw new AdapterFieldError('data', 'an order event carries one order object');
  const info = (data as { info?: unknown }).info;
  const order = typeof info === 'object' && info !== null ? v3Order(data) : v2Order(data);
  const products = order.products ?? [];
  const isReturn = (order.type !== null && RETURN_TYPES.has(order.type)) || order.returnFrom !== null;
  if (products.length === 0) {
    // v2 orderUpdate: only the new status. A cancellation can still void the stored order.
    if (stateOf(order) === 'void' && !isReturn) {
      const at = receivedMs(context);
      return [{ type: 'deletion', externalId: order.id, revision: revisionAt(at, 'void'), occurredAt: isoOf(at) }];
    }
    throw new AdapterFieldError(
      order.paths.products,
      `the delivery carries the status "${String(order.status)}" of order ${order.id} without its products; an order event needs the whole order (Nhanh webhooks v3 send it)`,
    );
  }
  return isReturn ? returnOf(order, products, context) : [wholeOrder(order, products, context)];
}

function deletions(data: unknown, context: DeliveryContext): OrderChange[] {
  const ids = parseNative(z.object({ data: OrderIds }), { data }, 'Nhanh.vn').data;
  const at = receivedMs(context);
  // the ids of several orders: one deletion each, at our receipt time (Nhanh sends no time)
  return (Array.isArray(ids) ? ids : [ids.orderId]).map((id) => ({
    type: 'deletion' as const,
    externalId: String(id),
    revision: revisionAt(at, 'void'),
    occurredAt: isoOf(at),
  }));
}

/** The order changes one Nhanh.vn webhook delivery carries (pure). */
export function readNhanhDelivery(payload: unknown, context: DeliveryContext): OrderChange[] {
  const { event, data } = parseNative(Envelope, payload, 'Nhanh.vn');
  // a problem found while mapping, as buildEvent reports one: a validation error naming the native field
  return mapped('Nhanh.vn', () => {
    switch (event) {
      case 'orderAdd':
      case 'orderUpdate':
        return orderChanges(data, context);
      case 'orderDelete':
        return deletions(data, context);
      default:
        // products, inventory, invoices, warranties: not orders
        return [];
    }
  });
}
