import * as z from 'zod';
import { invalid } from '../../errors';
import type { OrderEvent, OrderEventInput, OrderState } from '../event';
import type { DeliveryContext, OrderChange } from './change';
import {
  AdapterFieldError,
  addresseeName,
  assertVnd,
  buildEvent,
  customerOf,
  customerPhoneOf,
  DEFAULT_CATEGORY,
  DEFAULT_UNIT,
  firstCode,
  hintsOf,
  instantOf,
  is,
  lineHints,
  mapped,
  NativeAmount,
  NativeCustomer,
  NativeDiscountCodes,
  NativeId,
  NativePairs,
  NativePricedLines,
  NativeRefundLineItems,
  NativeTaxesIncluded,
  parseNative,
  personName,
  rankedRevision,
  refFromUrl,
  refundLinesOf,
  returnedPerLine,
  shippingCodeAmount,
  sumOfPrices,
  taxesIncluded,
  toVnd,
  type NamedValue,
} from './common';

/**
 * Sapo order webhooks (VENDORS.md §2), from its two products. No vendor page or SDK was found:
 * every field below is from third-party code and docs [T] or from real deliveries seen [observed];
 * docs/order-systems/sapo.md lists the sources and what is unconfirmed. Where a value is not known
 * the delivery is refused (a validation error naming the field: parked for the owner), never guessed.
 *
 * Which product: by the body, whatever the topic (`x-sapo-topic`) says: `order_line_items` or
 * `tenant_id` → Sapo Go / POS (`{tenant}.mysapogo.com`); `line_items` → Sapo Web
 * (`{store}.mysapo.net`, a Shopify-style API with `*_on` timestamps). The body is the bare resource.
 *
 * Topics:
 * - `orders/delete` (Web) → a deletion of `id`, at the time we received it (the body has no time).
 * - `refunds/create` (Web) → a refund of the order `order_id` at `created_on`: units
 *   Σ `refund_line_items[].quantity` per `line_item_id`. A refund without units (money only) changes
 *   nothing; the order's next revision carries it in `refunds[]` anyway.
 * - any other `orders/*` topic (or none) → the whole order at `modified_on`.
 * - other topics (`fulfillments/*`, `order_transactions/*`, `customers/*`, `products/*`, `app/*`…)
 *   carry no order: no change (the `orders/updated` that follows carries it).
 *
 * Both products:
 * - externalId = `id` as a string; occurredAt = `modified_on` (seen in UTC with `Z`; without an
 *   offset it is read in the business's time zone).
 * - revision = `modified_on` in epoch milliseconds × 10 + the state's rank (processing 0,
 *   approved 1, completed 2, returned 3, void 4). `modified_on` has whole seconds, and a checkout
 *   may send orders/create and orders/paid with the same one: the rank makes the later stage of
 *   the lifecycle the newer revision (as for Shopify, whose API Sapo Web follows). A refund's
 *   revision is its `created_on` × 10 + 3; a deletion's is the time we received it × 10 + 4.
 * - customer = the first Vietnamese phone (else a foreign one) of `customer_data.phone_number`,
 *   `phone_number`, `customer.phone`, `shipping_address.phone`, `billing_address.phone`.
 * - attribution = `note_attributes` name/value pairs (`ctv_id`, `ref_id`/`ref`, `opportunity_id`,
 *   `seller_id`), else `?ref=` on `landing_site`.
 *
 * Sapo Web (fields of the Shopify-style Order resource):
 * - state: void when `status` is cancelled or `cancelled_on` is set; else returned when units came
 *   back (`refunds[].refund_line_items`, or `financial_status` refunded: all the money went back,
 *   so every unit counts as returned); else completed when `fulfillment_status` is fulfilled or
 *   `status` is closed (archived); else approved when `financial_status` is paid, partially_paid or
 *   partially_refunded; else processing (pending, authorized, voided: not paid yet, which is also a
 *   cash-on-delivery order before the money is collected). A value outside the documented ones is
 *   refused.
 * - lines = `line_items`: productId `sku` (else `product_id`, else `variant_id`), unitPrice `price`,
 *   discount `total_discount` (+ Σ `tax_lines.price` when `taxes_included`), unit/category/addOn
 *   from line `properties`; returnedQuantity as in the state rule, at most the line's quantity.
 * - orderDiscount = `total_discounts` − Σ line `total_discount` − shipping-type `discount_codes`;
 *   shippingFee = Σ `shipping_lines[].price`; couponCode = the first non-shipping discount code;
 *   `currency` other than VND is refused.
 *
 * Sapo Go / POS:
 * - state from `status`: draft → processing, finalized → approved, completed → completed,
 *   cancelled → void; another value is refused. Payment and fulfilment statuses do not decide it
 *   (cash on delivery is the norm).
 * - returns: no source shows the lines of a Sapo Go return, so an order being returned
 *   (`return_status` other than none, or the topics orders/create_return, orders/receive_return,
 *   orders/create_refund) is refused unless it is cancelled: care staff record the units by hand.
 * - lines = `order_line_items`: productId `sku` (else `product_id`, else `variant_id`), unit `unit`,
 *   unitPrice `price`, discount `discount_amount` (the line's, not per unit) + `tax_amount` when the
 *   line's price includes VAT (`tax_included`, else the order's `tax_treatment` "included").
 * - orderDiscount = `order_discount_amount`, else `total_discount` − Σ line `discount_amount`;
 *   shippingFee = `delivery_fee`.
 */

export const SAPO_TOPIC_HEADER = 'x-sapo-topic';

/** an address: its phone and name (narrower than common's NativeAddress: Sapo's name parts are not read, so not checked) */
const Address = z.object({ phone: z.string().nullish(), name: z.string().nullish() }).nullish();
/** a timestamp as text: read by instantOf, so that a bad one names its field */
const Timestamp = z.string().min(1).max(64);
/** an enumeration as Sapo sends it: compared trimmed and lower-cased */
const Status = z.string().max(64).nullish();

export const SapoWebLineItem = z.object({
  id: NativeId,
  product_id: NativeId.nullish(),
  variant_id: NativeId.nullish(),
  sku: z.string().nullish(),
  quantity: z.int().min(1),
  price: NativeAmount,
  total_discount: NativeAmount.nullish(),
  tax_lines: NativePricedLines,
  properties: NativePairs,
});

export const SapoWebOrder = z.object({
  id: NativeId,
  modified_on: Timestamp,
  currency: z.string().nullish(),
  status: Status,
  financial_status: Status,
  fulfillment_status: Status,
  cancelled_on: z.string().nullish(),
  taxes_included: NativeTaxesIncluded,
  customer: NativeCustomer,
  shipping_address: Address,
  billing_address: Address,
  line_items: z.array(SapoWebLineItem).min(1).max(500),
  discount_codes: NativeDiscountCodes,
  total_discounts: NativeAmount.nullish(),
  shipping_lines: NativePricedLines,
  refunds: z.array(z.object({ refund_line_items: NativeRefundLineItems })).nullish(),
  note_attributes: NativePairs,
  landing_site: z.string().nullish(),
});
export type SapoWebOrder = z.output<typeof SapoWebOrder>;

export const SapoWebRefund = z.object({
  id: NativeId,
  order_id: NativeId,
  created_on: Timestamp,
  refund_line_items: NativeRefundLineItems,
});

export const SapoGoLineItem = z.object({
  id: NativeId,
  product_id: NativeId.nullish(),
  variant_id: NativeId.nullish(),
  sku: z.string().nullish(),
  unit: z.string().nullish(),
  quantity: z.int().min(1),
  price: NativeAmount,
  discount_amount: NativeAmount.nullish(),
  tax_included: z.boolean().nullish(),
  tax_amount: NativeAmount.nullish(),
});

export const SapoGoOrder = z.object({
  id: NativeId,
  modified_on: Timestamp,
  status: z.string().min(1).max(64),
  return_status: Status,
  tax_treatment: Status,
  customer_data: z.object({ name: z.string().nullish(), phone_number: z.string().nullish() }).nullish(),
  phone_number: z.string().nullish(),
  shipping_address: Address,
  billing_address: Address,
  order_line_items: z.array(SapoGoLineItem).min(1).max(500),
  order_discount_amount: NativeAmount.nullish(),
  total_discount: NativeAmount.nullish(),
  delivery_fee: NativeAmount.nullish(),
  note_attributes: NativePairs,
  landing_site: z.string().nullish(),
});
export type SapoGoOrder = z.output<typeof SapoGoOrder>;

const norm = (value: string | null | undefined) => (typeof value === 'string' ? value.trim().toLowerCase() : '');

/** A documented value, or the delivery is refused naming the field (the owner decides what it means). */
function known<T extends string>(value: string | null | undefined, allowed: readonly T[], path: string, product: string): T | '' {
  const v = norm(value);
  if (v === '' || (allowed as readonly string[]).includes(v)) return v as T | '';
  throw new AdapterFieldError(path, `the ${product} ${path} "${String(value).slice(0, 64)}" has no mapping`);
}

const WEB_ORDER_STATUSES = ['open', 'closed', 'cancelled'] as const;
const WEB_FINANCIAL_STATUSES = ['pending', 'authorized', 'partially_paid', 'paid', 'partially_refunded', 'refunded', 'voided'] as const;
const WEB_PAID: readonly string[] = ['partially_paid', 'paid', 'partially_refunded'];
const WEB_FULFILLMENT_STATUSES = ['unfulfilled', 'partial', 'fulfilled'] as const;

function sapoWebState(order: SapoWebOrder, returnedUnits: number): OrderState {
  const status = known(order.status, WEB_ORDER_STATUSES, 'status', 'Sapo Web');
  const financial = known(order.financial_status, WEB_FINANCIAL_STATUSES, 'financial_status', 'Sapo Web');
  const fulfillment = known(order.fulfillment_status, WEB_FULFILLMENT_STATUSES, 'fulfillment_status', 'Sapo Web');
  if (status === 'cancelled' || order.cancelled_on?.trim()) return 'void';
  if (returnedUnits > 0) return 'returned';
  if (fulfillment === 'fulfilled' || status === 'closed') return 'completed';
  if (WEB_PAID.includes(financial)) return 'approved';
  return 'processing';
}

export const SAPO_GO_STATUS_MAP: Readonly<Record<string, OrderState>> = {
  draft: 'processing',
  finalized: 'approved',
  completed: 'completed',
  cancelled: 'void',
};

/** Sapo Go topics that say a return or refund happened (VENDORS.md §2, topics). */
const GO_RETURN_TOPICS: readonly string[] = ['orders/create_return', 'orders/receive_return', 'orders/create_refund'];

function sapoGoState(order: SapoGoOrder, topic: string): OrderState {
  const status = norm(order.status);
  const state = Object.hasOwn(SAPO_GO_STATUS_MAP, status) ? SAPO_GO_STATUS_MAP[status] : undefined;
  if (!state) throw new AdapterFieldError('status', `the Sapo Go status "${order.status.slice(0, 64)}" has no mapping`);
  // a cancelled order earns nothing whatever came back; otherwise the returned units would matter
  if (state === 'void') return state;
  if (GO_RETURN_TOPICS.includes(topic)) {
    throw new AdapterFieldError(
      'order_returns',
      `a Sapo Go return (${topic}) does not say which units came back in a form we read; record the returned units by hand`,
    );
  }
  const returns = norm(order.return_status);
  if (returns !== '' && returns !== 'none') {
    throw new AdapterFieldError(
      'return_status',
      `the Sapo Go return_status "${String(order.return_status).slice(0, 64)}" has no mapping: the returned units per line are not in the payload; record them by hand`,
    );
  }
  return state;
}

const productIdOf = (
  item: { sku?: string | null; product_id?: string | number | null; variant_id?: string | number | null },
  path: string,
): string => {
  const id = item.sku?.trim() || (item.product_id ?? item.variant_id ?? null);
  if (id === null) throw new AdapterFieldError(`${path}.sku`, 'the line names no product (sku, product_id, variant_id)');
  return String(id);
};

interface Common {
  id: string | number;
  modified_on: string;
  note_attributes?: NamedValue[] | null;
  landing_site?: string | null;
}

/** Revisions are epoch milliseconds × 10 + the state's rank, processing 0 … void 4 (see above). */
const revisionAt = (ms: number, state: OrderState) => rankedRevision(ms, state, 0);

/** The fields both products share: id, revision, time, attribution (with the coupon each finds). */
function commonFields(order: Common, state: OrderState, timeZone: string, couponCode: string | null) {
  const at = instantOf(order.modified_on, timeZone, 'modified_on');
  return {
    externalId: String(order.id),
    state,
    revision: revisionAt(at, state),
    occurredAt: new Date(at).toISOString(),
    ...hintsOf(order.note_attributes ?? [], couponCode, refFromUrl(order.landing_site)),
  };
}

export function sapoWebOrderToEvent(payload: unknown, timeZone: string): OrderEvent {
  const order = parseNative(SapoWebOrder, payload, 'Sapo Web');
  return buildEvent('Sapo Web', (): OrderEventInput => {
    assertVnd(order.currency, 'currency');
    // all the money went back: every unit counts as returned
    const fullyRefunded = norm(order.financial_status) === 'refunded';
    const withTax = taxesIncluded(order.taxes_included);
    const returned = returnedPerLine(order.refunds, (item) => String(item.line_item_id));

    let lineDiscounts = 0;
    let returnedUnits = 0;
    const lines = order.line_items.map((item, i) => {
      const path = `line_items.${i}`;
      const props: NamedValue[] = item.properties ?? [];
      const tax = withTax ? sumOfPrices(item.tax_lines, `${path}.tax_lines`) : 0;
      const discount = toVnd(item.total_discount, `${path}.total_discount`);
      lineDiscounts += discount;
      const returnedQuantity = fullyRefunded ? item.quantity : Math.min(returned.get(String(item.id)) ?? 0, item.quantity);
      returnedUnits += returnedQuantity;
      return {
        lineId: String(item.id),
        productId: productIdOf(item, path),
        ...lineHints(props),
        quantity: item.quantity,
        unitPrice: toVnd(item.price, `${path}.price`),
        discount: discount + tax,
        returnedQuantity,
      };
    });

    const codes = order.discount_codes ?? [];
    const shippingCodes = shippingCodeAmount(codes);
    const orderDiscount = Math.max(0, toVnd(order.total_discounts, 'total_discounts') - lineDiscounts - shippingCodes);
    const phone = customerPhoneOf(order.customer?.phone, order.shipping_address?.phone, order.billing_address?.phone);
    const name = addresseeName(order);
    const coupon = firstCode(codes.filter((c) => !is(c.type, 'shipping')));

    return {
      ...commonFields(order, sapoWebState(order, returnedUnits), timeZone, coupon),
      customer: customerOf(phone, name),
      lines,
      orderDiscount,
      shippingFee: sumOfPrices(order.shipping_lines, 'shipping_lines'),
    };
  });
}

/** Whether a Sapo Go line's price includes VAT: the line says, else the order's tax treatment. */
function goTaxIncluded(item: z.output<typeof SapoGoLineItem>, treatment: string | null | undefined, path: string): boolean {
  if (typeof item.tax_included === 'boolean') return item.tax_included;
  const t = norm(treatment);
  if (t === 'included') return true;
  throw new AdapterFieldError(
    `${path}.tax_included`,
    `the line carries VAT but neither tax_included nor the tax_treatment ("${String(treatment ?? '').slice(0, 32)}") says whether its price includes it`,
  );
}

export function sapoGoOrderToEvent(payload: unknown, topic: string, timeZone: string): OrderEvent {
  const order = parseNative(SapoGoOrder, payload, 'Sapo Go');
  return buildEvent('Sapo Go', (): OrderEventInput => {
    const state = sapoGoState(order, topic);
    let lineDiscounts = 0;
    const lines = order.order_line_items.map((item, i) => {
      const path = `order_line_items.${i}`;
      const discount = toVnd(item.discount_amount, `${path}.discount_amount`);
      lineDiscounts += discount;
      const tax = toVnd(item.tax_amount, `${path}.tax_amount`);
      // VAT inside the price is taken out of R (DOMAIN.md); VAT added on top never was in it
      const vatInPrice = tax > 0 && goTaxIncluded(item, order.tax_treatment, path) ? tax : 0;
      return {
        lineId: String(item.id),
        productId: productIdOf(item, path),
        unit: item.unit?.trim() || DEFAULT_UNIT,
        category: DEFAULT_CATEGORY,
        quantity: item.quantity,
        unitPrice: toVnd(item.price, `${path}.price`),
        discount: discount + vatInPrice,
        addOn: false,
        returnedQuantity: 0,
      };
    });

    const orderDiscount =
      order.order_discount_amount !== null && order.order_discount_amount !== undefined
        ? toVnd(order.order_discount_amount, 'order_discount_amount')
        : Math.max(0, toVnd(order.total_discount, 'total_discount') - lineDiscounts);
    const phone = customerPhoneOf(
      order.customer_data?.phone_number,
      order.phone_number,
      order.shipping_address?.phone,
      order.billing_address?.phone,
    );
    const name = personName(order.customer_data?.name) ?? personName(order.shipping_address?.name);

    return {
      // Sapo Go's promotions (`promotion_redemptions`) are not described anywhere we found: no coupon
      ...commonFields(order, state, timeZone, null),
      customer: customerOf(phone, name),
      lines,
      orderDiscount,
      shippingFee: toVnd(order.delivery_fee, 'delivery_fee'),
    };
  });
}

const DeletedOrder = z.object({ id: NativeId });

function deletionOf(payload: unknown, context: DeliveryContext): OrderChange {
  const { id } = parseNative(DeletedOrder, payload, 'Sapo orders/delete');
  const at = Date.parse(context.receivedAt);
  if (!Number.isSafeInteger(at) || at <= 0) throw new RangeError('receivedAt is not a date-time');
  return { type: 'deletion', externalId: String(id), revision: revisionAt(at, 'void'), occurredAt: new Date(at).toISOString() };
}

function refundOf(payload: unknown, timeZone: string): OrderChange[] {
  const refund = parseNative(SapoWebRefund, payload, 'Sapo refunds/create');
  const at = mapped('Sapo refunds/create', () => instantOf(refund.created_on, timeZone, 'created_on'));
  const lines = refundLinesOf(refund.refund_line_items, (item) => String(item.line_item_id));
  // money given back without units changes no line (the order's next revision lists the refund anyway)
  if (lines.length === 0) return [];
  return [
    {
      type: 'refund',
      externalId: String(refund.order_id),
      revision: revisionAt(at, 'returned'),
      occurredAt: new Date(at).toISOString(),
      lines,
    },
  ];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The order changes of one Sapo delivery (Web or Go), from its body and `x-sapo-topic`; a
 * validation error naming the native field when it cannot be read or a value has no mapping.
 */
export function readSapoDelivery(payload: unknown, context: DeliveryContext): OrderChange[] {
  const topic = norm(context.headers[SAPO_TOPIC_HEADER]);
  if (topic === 'orders/delete') return [deletionOf(payload, context)];
  if (topic === 'refunds/create') return refundOf(payload, context.timeZone);
  if (topic !== '' && !topic.startsWith('orders/')) return [];

  const body = isObject(payload) ? payload : {};
  if ('order_line_items' in body || 'tenant_id' in body)
    return [{ type: 'order', event: sapoGoOrderToEvent(payload, topic, context.timeZone) }];
  if ('line_items' in body) return [{ type: 'order', event: sapoWebOrderToEvent(payload, context.timeZone) }];
  // without a topic, a refund is known by its lines and the order it names
  if (topic === '' && 'refund_line_items' in body && 'order_id' in body) return refundOf(payload, context.timeZone);
  throw invalid(
    [
      {
        path: 'body',
        message: `not a Sapo order: neither line_items (Sapo Web) nor order_line_items (Sapo Go)${topic ? ` for topic ${topic}` : ''}`,
      },
    ],
    'The Sapo payload is not valid',
  );
}
