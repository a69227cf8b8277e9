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
  NativeAmount,
  NativeId,
  numberedIds,
  parseNative,
  personName,
  rankedRevision,
  toVnd,
} from './common';

/**
 * Pancake POS order webhooks (docs/order-systems/pancake.md; VENDORS.md §5). Pancake signs nothing:
 * the owner adds a static request header to the webhook (checked in
 * functions/webhooks/adapters/pancake.ts). The body is taken to be the POS order object as the
 * order API returns it (a `{ data: order }` wrapper is also read); Pancake publishes no webhook
 * sample, so every field below is third-party knowledge [T] or our assumption [U].
 *
 * Mapping:
 * - externalId = `id`
 * - state      = from the integer `status` (PANCAKE_STATUS_MAP); a status without a mapping is
 *                refused, naming the field
 * - revision   = `updated_at` in epoch milliseconds × 10 + the state's rank (processing 1 … void 5):
 *                Pancake has no version field; its times carry at least milliseconds, and the rank
 *                orders two changes of the same millisecond along the lifecycle.
 * - occurredAt = `updated_at`; a time without an offset is read as UTC (Pancake's server times are
 *                UTC; the shop's UI shows them in local time) [U]
 * - lines      = `items` (or `order_items`): lineId = the item `id` (else `variation_id`; a second
 *                line of the same variation gets `#2`), productId = `variation_info.display_id` (the
 *                SKU) else `variation_id` else `product_id`; unitPrice = `retail_price` else `price`
 *                else `variation_info.retail_price`; discount = `discount_each_product` × quantity
 *                (a discount per unit). A percentage discount (`is_discount_percent`) is refused:
 *                what the percentage applies to is not known.
 * - returnedQuantity = the item's `returned_count` (at most its quantity); every unit when the
 *                status is 5 (returned). Status 15 (partial return) without any `returned_count`
 *                cannot say which units came back: refused, naming `items`.
 * - orderDiscount = `total_discount` (the order-level discount; item discounts are apart) [U]
 * - shippingFee = `shipping_fee` (0 when `is_free_shipping`)
 * - customer   = the first Vietnamese phone of `bill_phone_number`, `shipping_address.phone_number`,
 *                `customer.phone_number`; the name `bill_full_name`, else the shipping or customer name
 * - attribution = none: no field of the order is known to carry a CTV hint; the customer's phone
 *                binds the order.
 */

/** Pancake POS order status codes (VENDORS.md §5) → our states. */
export const PANCAKE_STATUS_MAP: Readonly<Record<number, OrderState>> = {
  0: 'processing', // Mới
  17: 'processing', // Chờ xác nhận
  11: 'processing', // Chờ hàng
  12: 'processing', // Chờ in
  13: 'processing', // Đã in
  20: 'processing', // Đã đặt hàng
  1: 'approved', // Đã xác nhận
  8: 'approved', // Đang đóng hàng
  9: 'approved', // Chờ lấy hàng
  2: 'approved', // Đã giao hàng (shipped, not yet received)
  4: 'approved', // Đang trả hàng (on its way back: settled by 5 or 15)
  3: 'completed', // Đã nhận hàng
  16: 'completed', // Đã thu tiền
  15: 'returned', // Trả hàng một phần
  5: 'returned', // Đã trả hàng
  6: 'void', // Đã hủy
  7: 'void', // Đã xóa gần đây
};

const PARTIAL_RETURN = 15;
const RETURNED = 5;

const Count = z.union([z.int().min(0), z.string().regex(/^\d+$/, 'expected a whole number').transform(Number)]);

export const PancakeItem = z.object({
  id: NativeId.nullish(),
  product_id: NativeId.nullish(),
  variation_id: NativeId.nullish(),
  quantity: Count.pipe(z.int().min(1)),
  retail_price: NativeAmount.nullish(),
  price: NativeAmount.nullish(),
  discount_each_product: NativeAmount.nullish(),
  is_discount_percent: z.boolean().nullish(),
  returned_count: Count.nullish(),
  variation_info: z.object({ display_id: z.string().nullish(), retail_price: NativeAmount.nullish() }).nullish(),
});
type PancakeItem = z.output<typeof PancakeItem>;

const Phone = z.string().nullish();

export const PancakeOrder = z.object({
  id: NativeId,
  status: z.int(),
  updated_at: z.string().min(1),
  bill_full_name: z.string().nullish(),
  bill_phone_number: Phone,
  shipping_address: z.object({ full_name: z.string().nullish(), phone_number: Phone }).nullish(),
  customer: z.object({ name: z.string().nullish(), phone_number: Phone }).nullish(),
  shipping_fee: NativeAmount.nullish(),
  is_free_shipping: z.boolean().nullish(),
  total_discount: NativeAmount.nullish(),
  items: z.array(PancakeItem).max(500).nullish(),
  order_items: z.array(PancakeItem).max(500).nullish(),
});
type PancakeOrder = z.output<typeof PancakeOrder>;

/** `{ data: order }` when the order sits in a wrapper, else the body itself. */
function orderOf(payload: unknown): unknown {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return payload;
  const data = (payload as { data?: unknown }).data;
  const bare = 'id' in payload || 'status' in payload;
  return !bare && typeof data === 'object' && data !== null && !Array.isArray(data) ? data : payload;
}

function lineIdsOf(items: readonly PancakeItem[], path: string): string[] {
  const ids = items.map((item, i) => {
    const id = item.id ?? item.variation_id;
    if (id === null || id === undefined) throw new AdapterFieldError(`${path}.${i}.id`, 'the item has no id (id, variation_id)');
    return String(id);
  });
  return numberedIds(ids, '#');
}

function linesOf(order: PancakeOrder, itemsPath: string, items: readonly PancakeItem[]): OrderEventInput['lines'] {
  const lineIds = lineIdsOf(items, itemsPath);
  return items.map((item, i) => {
    const path = `${itemsPath}.${i}`;
    if (item.is_discount_percent) {
      throw new AdapterFieldError(
        `${path}.is_discount_percent`,
        'a percentage discount on an item cannot be priced in đồng; the delivery waits for the owner',
      );
    }
    const priceField = item.retail_price != null ? 'retail_price' : item.price != null ? 'price' : 'variation_info.retail_price';
    const price = item.retail_price ?? item.price ?? item.variation_info?.retail_price;
    if (price === null || price === undefined)
      throw new AdapterFieldError(`${path}.retail_price`, 'the item has no price (retail_price, price)');
    const unitPrice = toVnd(price, `${path}.${priceField}`);
    const discountEach = toVnd(item.discount_each_product, `${path}.discount_each_product`);
    if (unitPrice < 0) throw new AdapterFieldError(`${path}.${priceField}`, 'the price is negative');
    if (discountEach < 0) throw new AdapterFieldError(`${path}.discount_each_product`, 'the discount is negative');
    const productId = item.variation_info?.display_id?.trim() || item.variation_id || item.product_id;
    if (productId === null || productId === undefined || productId === '') {
      throw new AdapterFieldError(
        `${path}.variation_id`,
        'the item names no product (variation_info.display_id, variation_id, product_id)',
      );
    }
    const returned = order.status === RETURNED ? item.quantity : Math.min(item.quantity, item.returned_count ?? 0);
    return {
      lineId: lineIds[i]!,
      productId: String(productId),
      unit: DEFAULT_UNIT,
      category: DEFAULT_CATEGORY,
      quantity: item.quantity,
      unitPrice,
      discount: discountEach * item.quantity,
      addOn: false,
      returnedQuantity: returned,
    };
  });
}

function eventOf(order: PancakeOrder): OrderChange {
  const event = buildEvent('Pancake POS', (): OrderEventInput => {
    const state = Object.hasOwn(PANCAKE_STATUS_MAP, order.status) ? PANCAKE_STATUS_MAP[order.status] : undefined;
    if (!state) throw new AdapterFieldError('status', `the Pancake POS status ${order.status} has no mapping`);
    const itemsPath = order.items ? 'items' : 'order_items';
    const items = order.items ?? order.order_items ?? [];
    if (items.length === 0) throw new AdapterFieldError(itemsPath, 'the order has no items');
    const lines = linesOf(order, itemsPath, items);
    if (order.status === PARTIAL_RETURN && lines.every((l) => l.returnedQuantity === 0)) {
      throw new AdapterFieldError(itemsPath, 'status 15 (partial return) but no item says how many units came back (returned_count)');
    }
    const at = instantOf(order.updated_at, 'utc', 'updated_at');
    const orderDiscount = toVnd(order.total_discount, 'total_discount');
    const shippingFee = order.is_free_shipping ? 0 : toVnd(order.shipping_fee, 'shipping_fee');
    if (orderDiscount < 0) throw new AdapterFieldError('total_discount', 'the discount is negative');
    if (shippingFee < 0) throw new AdapterFieldError('shipping_fee', 'the shipping fee is negative');
    const phone = customerPhoneOf(order.bill_phone_number, order.shipping_address?.phone_number, order.customer?.phone_number);
    const name = personName(order.bill_full_name) ?? personName(order.shipping_address?.full_name) ?? personName(order.customer?.name);
    return {
      externalId: String(order.id),
      revision: rankedRevision(at, state),
      state,
      occurredAt: new Date(at).toISOString(),
      customer: customerOf(phone, name),
      lines,
      orderDiscount,
      shippingFee,
    };
  });
  return { type: 'order', event };
}

/** The order changes one Pancake POS webhook delivery carries (pure): the one order it sends. */
export function readPancakeDelivery(payload: unknown, _context: DeliveryContext): OrderChange[] {
  return [eventOf(parseNative(PancakeOrder, orderOf(payload), 'Pancake POS'))];
}
