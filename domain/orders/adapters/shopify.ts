import * as z from 'zod';
import { invalid } from '../../errors';
import { isoDateTime } from '../../text';
import type { OrderEvent, OrderEventInput, OrderState } from '../event';
import type { DeliveryContext, OrderChange } from './change';
import {
  AdapterFieldError,
  addresseeName,
  assertVnd,
  buildEvent,
  customerOf,
  customerPhoneOf,
  epochMs,
  firstCode,
  hintsOf,
  is,
  lineHints,
  mapped,
  NativeAddress,
  NativeAmount,
  NativeCustomer,
  NativeDiscountCodes,
  NativePairs,
  NativePricedLines,
  NativeTaxesIncluded,
  parseNative,
  rankedRevision,
  refFromUrl,
  refundLinesOf,
  returnedPerLine,
  shippingCodeAmount,
  sumOfPrices,
  taxesIncluded,
  toVnd,
  type AdapterOptions,
  type NamedValue,
} from './common';

/**
 * Shopify webhooks (VENDORS.md §6; docs/order-systems/shopify.md): the bare REST resource of the
 * topic named by `X-Shopify-Topic`, signed with `X-Shopify-Hmac-Sha256`
 * (functions/webhooks/adapters/shopify.ts).
 *
 * Topics:
 * - orders/create, updated, paid, cancelled, fulfilled, partially_fulfilled → the Order: one `order`.
 * - orders/edited → the same when the body is an Order; Shopify's documented body is an
 *   `order_edit` (additions and removals only), which says nothing we can price: nothing to do, the
 *   edited order follows as orders/updated.
 * - orders/delete → `{ "id" }` only: a `deletion`.
 * - refunds/create → the Refund: a `refund` of its `refund_line_items` (nothing when it gives back
 *   no units: an amount or shipping refund).
 * - any other topic → nothing (acknowledged).
 *
 * Order mapping:
 * - externalId   = the digits of `admin_graphql_api_id` ("gid://shopify/Order/450789469"), else `id`.
 *                  Shopify ids can pass 2^53, where a JSON number loses digits; an id that is not
 *                  exact is refused rather than guessed.
 * - state        = void when `cancelled_at` is set; else returned when units came back
 *                  (`refunds[].refund_line_items`, or `financial_status` "refunded": all the money
 *                  went back, so every unit counts as returned); else completed when
 *                  `fulfillment_status` is "fulfilled" (shipped in full); else approved when
 *                  `financial_status` is paid, partially_paid or partially_refunded; else
 *                  processing (pending, authorized, voided, expired: not paid yet, which is also a
 *                  cash-on-delivery order before the money is collected).
 * - revision     = `updated_at` in epoch milliseconds × 10 + the state's rank (processing 0,
 *                  approved 1, completed 2, returned 3, void 4). Shopify stamps `updated_at` in
 *                  whole seconds and sends orders/create and orders/paid of one checkout with the
 *                  same one: the rank makes the later stage of the lifecycle the newer revision.
 *                  A refund's revision is its `created_at` × 10 + 3; a deletion's is the time we
 *                  received it × 10 + 4.
 * - occurredAt   = `updated_at` (ISO 8601 with its offset, "2008-01-10T11:00:00-05:00").
 * - lines        = `line_items`: lineId the line's id (the digits of its gid when present), productId
 *                  `sku`, else `product_id`, else `variant_id`, else `title` (a custom item);
 *                  unitPrice `price` (before discounts); discount = Σ `discount_allocations[].amount`,
 *                  which holds every discount on the line, order-level codes included (Shopify
 *                  spreads an "across" code over the lines). Payloads without allocations (older ones:
 *                  the 2014 SDK fixture has none) use `total_discount`. Unit, category and addOn from line
 *                  `properties` (`unit`, `category`, `add_on`).
 *                  When `taxes_included` is true, the line's VAT (Σ `tax_lines[].price`) is added to
 *                  its discount so that R excludes VAT (DOMAIN.md), as for Haravan.
 * - returnedQuantity = Σ `refunds[].refund_line_items[].quantity` per line, at most the quantity.
 * - orderDiscount = 0 when the lines carry allocations (`total_discounts` is their sum, plus the
 *                  shipping discounts: counting it again would discount twice); without
 *                  allocations, `total_discounts` − Σ line `total_discount` − shipping codes.
 * - shippingFee  = Σ `shipping_lines[].price`.
 * - money        = decimal strings in the shop's currency (`currency`); VND only, any other is
 *                  refused (the delivery is parked with the reason).
 * - customer     = the first Vietnamese phone (else a foreign one, else none) of `phone`,
 *                  `customer.phone`, `shipping_address.phone`, `billing_address.phone`; the name
 *                  from the shipping or billing address, else the customer.
 * - attribution  = `note_attributes` (`ctv_id`, `ref_id`/`ref`, `opportunity_id`, `seller_id`), else
 *                  `?ref=` on `landing_site` (not `landing_site_ref`, which Shopify also fills from
 *                  `?source=`); couponCode = the first of `discount_codes`.
 */

export const SHOPIFY_TOPIC_HEADER = 'x-shopify-topic';

/** Topics whose body is the Order resource. */
export const SHOPIFY_ORDER_TOPICS: readonly string[] = [
  'orders/create',
  'orders/updated',
  'orders/paid',
  'orders/cancelled',
  'orders/fulfilled',
  'orders/partially_fulfilled',
  'orders/edited',
];

/** Revisions are epoch milliseconds × 10 + the state's rank, processing 0 … void 4 (see above). */
const revisionAt = (ms: number, state: OrderState) => rankedRevision(ms, state, 0);

const PAID = new Set(['paid', 'partially_paid', 'partially_refunded']);

/** A Shopify id as JSON carries it: a number (exact only up to 2^53) or a string of digits. */
const RawId = z.union([z.number(), z.string().trim().min(1)]);
const Gid = z.string().nullish();

export const ShopifyLineItem = z.object({
  id: RawId,
  admin_graphql_api_id: Gid,
  product_id: RawId.nullish(),
  variant_id: RawId.nullish(),
  sku: z.string().nullish(),
  title: z.string().nullish(),
  quantity: z.int().min(1),
  price: NativeAmount,
  total_discount: NativeAmount.nullish(),
  discount_allocations: z.array(z.object({ amount: NativeAmount })).nullish(),
  tax_lines: NativePricedLines,
  properties: NativePairs,
});

const RefundLineItem = z.object({
  line_item_id: RawId,
  quantity: z.int().min(0),
  line_item: z.object({ admin_graphql_api_id: Gid }).nullish(),
});

export const ShopifyOrder = z.object({
  id: RawId.nullish(),
  admin_graphql_api_id: Gid,
  updated_at: isoDateTime,
  currency: z.string().nullish(),
  cancelled_at: z.string().nullish(),
  financial_status: z.string().nullish(),
  fulfillment_status: z.string().nullish(),
  taxes_included: NativeTaxesIncluded,
  phone: z.string().nullish(),
  customer: NativeCustomer,
  shipping_address: NativeAddress,
  billing_address: NativeAddress,
  line_items: z.array(ShopifyLineItem).min(1).max(500),
  discount_codes: NativeDiscountCodes,
  total_discounts: NativeAmount.nullish(),
  shipping_lines: NativePricedLines,
  refunds: z.array(z.object({ refund_line_items: z.array(RefundLineItem).nullish() })).nullish(),
  note_attributes: NativePairs,
  landing_site: z.string().nullish(),
});
export type ShopifyOrder = z.output<typeof ShopifyOrder>;

export const ShopifyRefund = z.object({
  order_id: RawId,
  created_at: isoDateTime,
  refund_line_items: z.array(RefundLineItem).max(500).nullish(),
});

export const ShopifyDeletedOrder = z.object({ id: RawId, admin_graphql_api_id: Gid });

/**
 * The id of a Shopify resource as text: the digits of its gid ("gid://shopify/Order/123") when it
 * names that type, else `id` when it is exact (a JSON number past 2^53 has lost digits).
 */
export function shopifyIdOf(type: string, gid: string | null | undefined, id: unknown, path: string): string {
  const m = typeof gid === 'string' ? /^gid:\/\/shopify\/([A-Za-z]+)\/(\d{1,24})$/.exec(gid.trim()) : null;
  if (m && m[1] === type) return m[2]!;
  if (typeof id === 'number' && Number.isSafeInteger(id) && id > 0) return String(id);
  if (typeof id === 'string' && /^\d{1,24}$/.test(id.trim())) return id.trim();
  throw new AdapterFieldError(path, 'not an exact Shopify id (a number past 2^53 has lost digits in JSON)');
}

function shopifyState(order: ShopifyOrder, returnedUnits: number): OrderState {
  if (order.cancelled_at?.trim()) return 'void';
  if (returnedUnits > 0) return 'returned';
  if (is(order.fulfillment_status, 'fulfilled')) return 'completed';
  if (PAID.has(order.financial_status?.trim().toLowerCase() ?? '')) return 'approved';
  return 'processing';
}

type LineItem = z.output<typeof ShopifyLineItem>;

/** What a line sold: its SKU, else the product, the variant, or the title of a custom item. */
function productIdOf(item: LineItem, i: number): string {
  const sku = item.sku?.trim();
  if (sku) return sku;
  if (item.product_id !== null && item.product_id !== undefined)
    return shopifyIdOf('Product', null, item.product_id, `line_items.${i}.product_id`);
  if (item.variant_id !== null && item.variant_id !== undefined)
    return shopifyIdOf('ProductVariant', null, item.variant_id, `line_items.${i}.variant_id`);
  const title = item.title?.trim();
  if (title) return title.slice(0, 128);
  throw new AdapterFieldError(`line_items.${i}.sku`, 'the line names no product (sku, product_id, variant_id, title)');
}

const refundLineIdOf = (item: z.output<typeof RefundLineItem>, path: string) =>
  shopifyIdOf('LineItem', item.line_item?.admin_graphql_api_id, item.line_item_id, path);

/** A Shopify Order (orders/* topics) as our order event. */
export function shopifyOrderToEvent(payload: unknown, options: AdapterOptions = {}): OrderEvent {
  const order = parseNative(ShopifyOrder, payload, 'Shopify');
  return buildEvent('Shopify', (): OrderEventInput => {
    assertVnd(order.currency, 'currency');
    const notes: NamedValue[] = order.note_attributes ?? [];
    const withTax = taxesIncluded(order.taxes_included);
    const fullyRefunded = is(order.financial_status, 'refunded');
    const returned = returnedPerLine(order.refunds, refundLineIdOf);

    // allocations hold every discount of a line; a payload older than them has total_discount only
    const allocated = order.line_items.some((item) => Array.isArray(item.discount_allocations));
    let lineDiscounts = 0;
    let returnedUnits = 0;
    const lines = order.line_items.map((item, i) => {
      const props: NamedValue[] = item.properties ?? [];
      const lineId = shopifyIdOf('LineItem', item.admin_graphql_api_id, item.id, `line_items.${i}.id`);
      const discount = allocated
        ? (item.discount_allocations ?? []).reduce(
            (sum, d, k) => sum + toVnd(d.amount, `line_items.${i}.discount_allocations.${k}.amount`),
            0,
          )
        : toVnd(item.total_discount, `line_items.${i}.total_discount`);
      lineDiscounts += discount;
      const tax = withTax ? sumOfPrices(item.tax_lines, `line_items.${i}.tax_lines`) : 0;
      const returnedQuantity = fullyRefunded ? item.quantity : Math.min(returned.get(lineId) ?? 0, item.quantity);
      returnedUnits += returnedQuantity;
      return {
        lineId,
        productId: productIdOf(item, i),
        ...lineHints(props, options),
        quantity: item.quantity,
        unitPrice: toVnd(item.price, `line_items.${i}.price`),
        discount: discount + tax,
        returnedQuantity,
      };
    });

    const codes = order.discount_codes ?? [];
    const shippingCodes = shippingCodeAmount(codes);
    const orderDiscount = allocated ? 0 : Math.max(0, toVnd(order.total_discounts, 'total_discounts') - lineDiscounts - shippingCodes);
    const shippingFee = sumOfPrices(order.shipping_lines, 'shipping_lines');

    const phone = customerPhoneOf(order.phone, order.customer?.phone, order.shipping_address?.phone, order.billing_address?.phone);
    const name = addresseeName(order);

    const state = shopifyState(order, returnedUnits);
    return {
      externalId: shopifyIdOf('Order', order.admin_graphql_api_id, order.id, 'id'),
      revision: revisionAt(epochMs(order.updated_at, 'updated_at'), state),
      state,
      occurredAt: order.updated_at,
      customer: customerOf(phone, name),
      lines,
      orderDiscount,
      shippingFee,
      ...hintsOf(notes, firstCode(codes), refFromUrl(order.landing_site)),
    };
  });
}

/** refunds/create: the units the Refund gives back, per line; null when it gives back none. */
export function shopifyRefundToChange(payload: unknown): OrderChange | null {
  const refund = parseNative(ShopifyRefund, payload, 'Shopify refund');
  return mapped('Shopify refund', () => {
    const lines = refundLinesOf(refund.refund_line_items, refundLineIdOf);
    if (lines.length === 0) return null;
    return {
      type: 'refund',
      externalId: shopifyIdOf('Order', null, refund.order_id, 'order_id'),
      revision: revisionAt(epochMs(refund.created_at, 'created_at'), 'returned'),
      occurredAt: refund.created_at,
      lines,
    };
  });
}

/** orders/delete: only the id; the order is voided as we have it, at the time we received this. */
export function shopifyDeletionToChange(payload: unknown, context: DeliveryContext): OrderChange {
  const deleted = parseNative(ShopifyDeletedOrder, payload, 'Shopify deletion');
  return mapped('Shopify deletion', () => ({
    type: 'deletion',
    externalId: shopifyIdOf('Order', deleted.admin_graphql_api_id, deleted.id, 'id'),
    revision: revisionAt(epochMs(context.receivedAt, 'receivedAt'), 'void'),
    occurredAt: context.receivedAt,
  }));
}

/** Shopify's orders/edited body: `{ "order_edit": { … } }`, the edit's additions and removals only. */
const isOrderEdit = (payload: unknown) =>
  typeof payload === 'object' && payload !== null && 'order_edit' in payload && !('line_items' in payload);

/** What one Shopify delivery says, by its `X-Shopify-Topic`. */
export function readShopifyDelivery(payload: unknown, context: DeliveryContext, options: AdapterOptions = {}): OrderChange[] {
  const topic = context.headers[SHOPIFY_TOPIC_HEADER]?.trim().toLowerCase();
  if (!topic) {
    throw invalid(
      [{ path: `headers.${SHOPIFY_TOPIC_HEADER}`, message: 'Shopify names the topic of every delivery; this one names none' }],
      'The Shopify delivery has no topic',
    );
  }
  if (topic === 'orders/edited' && isOrderEdit(payload)) return [];
  if (SHOPIFY_ORDER_TOPICS.includes(topic)) return [{ type: 'order', event: shopifyOrderToEvent(payload, options) }];
  if (topic === 'orders/delete') return [shopifyDeletionToChange(payload, context)];
  if (topic === 'refunds/create') {
    const refund = shopifyRefundToChange(payload);
    return refund ? [refund] : [];
  }
  return [];
}
