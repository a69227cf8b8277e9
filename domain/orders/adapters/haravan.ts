import * as z from 'zod';
import { isoDateTime } from '../../text';
import type { OrderEvent, OrderEventInput, OrderState } from '../event';
import {
  AdapterFieldError,
  addresseeName,
  buildEvent,
  customerOf,
  customerPhoneOf,
  DEFAULT_CATEGORY,
  epochMs,
  firstCode,
  hintsOf,
  is,
  lineHints,
  NativeAddress,
  NativeAmount,
  NativeCustomer,
  NativeDiscountCodes,
  NativeId,
  NativePairs,
  NativePricedLines,
  NativeRefundLineItems,
  NativeTaxesIncluded,
  parseNative,
  refFromUrl,
  returnedPerLine,
  shippingCodeAmount,
  sumOfPrices,
  taxesIncluded,
  toVnd,
  type AdapterOptions,
  type NamedValue,
} from './common';

/**
 * Haravan order webhooks (topics orders/create, orders/updated, orders/paid, orders/cancelled,
 * orders/fulfilled) carry the Order resource of the Haravan Omni API (docs.haravan.com, Orders →
 * Order; Refund), signed with `X-Haravan-Hmacsha256` (see functions/webhooks/adapters/signatures.ts).
 *
 * Mapping:
 * - externalId   = `id` (the API id; `order_number`/`name` is the display number and can be renamed)
 * - revision     = `updated_at` in epoch milliseconds. Haravan has no version field; `updated_at`
 *                  moves forward on every change and carries milliseconds ("…T02:46:36.15Z"), so two
 *                  updates in the same second still order correctly. Epoch milliseconds fit a safe
 *                  integer for the next 285,000 years.
 * - occurredAt   = `updated_at`
 * - state        = void when `cancelled_status` is "cancelled" (or `cancelled_at` is set); else
 *                  returned when refunds give back units; else completed when `closed_status` is
 *                  "closed" or a fulfillment was delivered (`carrier_status_code` "delivered" or a
 *                  `delivered_date`); else approved when `confirmed_status` is "confirmed"; else
 *                  processing. `financial_status` (payment) does not decide the state: in Vietnam
 *                  most orders are cash on delivery.
 * - lines        = `line_items`: lineId `id`, productId `sku` (else `product_id`, else `variant_id`),
 *                  unitPrice `price` (before discounts), discount `total_discount`, category the
 *                  product `type`; unit and addOn from line `properties` (`unit`, `add_on`).
 *                  When `taxes_included` is true, a line's VAT (Σ `tax_lines.price`) is added to its
 *                  discount so that R excludes VAT (DOMAIN.md).
 * - returnedQuantity = Σ `refunds[].refund_line_items[].quantity` per `line_item_id`, at most the
 *                  line's quantity.
 * - orderDiscount = `total_discounts` − Σ line `total_discount` − shipping-type discount codes
 *                  (`total_discounts` covers every discount, as in Shopify, whose API Haravan follows).
 * - shippingFee  = Σ `shipping_lines[].price`
 * - customer     = the first Vietnamese phone (else a foreign one, else none) of `customer.phone`, `shipping_address.phone`,
 *                  `billing_address.phone`; the name from the shipping or billing address.
 * - attribution  = `note_attributes` (`ctv_id`, `ref_id`/`ref`, `opportunity_id`, `seller_id`),
 *                  else `?ref=` on `landing_site`; couponCode = the first non-shipping discount code.
 */

export const HaravanLineItem = z.object({
  id: NativeId,
  product_id: NativeId.nullish(),
  variant_id: NativeId.nullish(),
  sku: z.string().nullish(),
  type: z.string().nullish(),
  quantity: z.int().min(1),
  price: NativeAmount,
  total_discount: NativeAmount.nullish(),
  tax_lines: NativePricedLines,
  properties: NativePairs,
});

export const HaravanOrder = z.object({
  id: NativeId,
  updated_at: isoDateTime,
  confirmed_status: z.string().nullish(),
  closed_status: z.string().nullish(),
  cancelled_status: z.string().nullish(),
  cancelled_at: z.string().nullish(),
  taxes_included: NativeTaxesIncluded,
  customer: NativeCustomer,
  shipping_address: NativeAddress,
  billing_address: NativeAddress,
  line_items: z.array(HaravanLineItem).min(1).max(500),
  discount_codes: NativeDiscountCodes,
  total_discounts: NativeAmount.nullish(),
  shipping_lines: NativePricedLines,
  fulfillments: z.array(z.object({ carrier_status_code: z.string().nullish(), delivered_date: z.string().nullish() })).nullish(),
  refunds: z.array(z.object({ refund_line_items: NativeRefundLineItems })).nullish(),
  note_attributes: NativePairs,
  landing_site: z.string().nullish(),
});
export type HaravanOrder = z.output<typeof HaravanOrder>;

function haravanState(order: HaravanOrder, returnedUnits: number): OrderState {
  if (is(order.cancelled_status, 'cancelled') || order.cancelled_at) return 'void';
  if (returnedUnits > 0) return 'returned';
  const delivered = (order.fulfillments ?? []).some((f) => is(f.carrier_status_code, 'delivered') || !!f.delivered_date);
  if (is(order.closed_status, 'closed') || delivered) return 'completed';
  if (is(order.confirmed_status, 'confirmed')) return 'approved';
  return 'processing';
}

export function haravanOrderToEvent(payload: unknown, options: AdapterOptions = {}): OrderEvent {
  const order = parseNative(HaravanOrder, payload, 'Haravan');
  return buildEvent('Haravan', (): OrderEventInput => {
    const notes: NamedValue[] = order.note_attributes ?? [];
    const withTax = taxesIncluded(order.taxes_included);
    const returned = returnedPerLine(order.refunds, (item) => String(item.line_item_id));

    let lineDiscounts = 0;
    let returnedUnits = 0;
    const lines = order.line_items.map((item, i) => {
      const props: NamedValue[] = item.properties ?? [];
      const tax = withTax ? sumOfPrices(item.tax_lines, `line_items.${i}.tax_lines`) : 0;
      const discount = toVnd(item.total_discount, `line_items.${i}.total_discount`);
      lineDiscounts += discount;
      const returnedQuantity = Math.min(returned.get(String(item.id)) ?? 0, item.quantity);
      returnedUnits += returnedQuantity;
      const productId = item.sku?.trim() || (item.product_id ?? item.variant_id ?? null);
      if (productId === null) throw new AdapterFieldError(`line_items.${i}.sku`, 'the line names no product (sku, product_id)');
      return {
        lineId: String(item.id),
        productId: String(productId),
        // the product `type` is the category when no property names one
        ...lineHints(props, options, item.type?.trim() || options.defaultCategory || DEFAULT_CATEGORY),
        quantity: item.quantity,
        unitPrice: toVnd(item.price, `line_items.${i}.price`),
        discount: discount + tax,
        returnedQuantity,
      };
    });

    const codes = order.discount_codes ?? [];
    const shippingCodes = shippingCodeAmount(codes, () => 'discount_codes.amount');
    const orderDiscount = Math.max(0, toVnd(order.total_discounts, 'total_discounts') - lineDiscounts - shippingCodes);
    const shippingFee = sumOfPrices(order.shipping_lines, 'shipping_lines');

    const phone = customerPhoneOf(order.customer?.phone, order.shipping_address?.phone, order.billing_address?.phone);
    const name = addresseeName(order);

    const coupon = firstCode(codes.filter((c) => !is(c.type, 'shipping')));
    const revision = epochMs(order.updated_at, 'updated_at');

    return {
      externalId: String(order.id),
      revision,
      state: haravanState(order, returnedUnits),
      occurredAt: order.updated_at,
      customer: customerOf(phone, name),
      lines,
      orderDiscount,
      shippingFee,
      ...hintsOf(notes, coupon, refFromUrl(order.landing_site)),
    };
  });
}
