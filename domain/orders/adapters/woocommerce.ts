import * as z from 'zod';
import type { OrderEvent, OrderEventInput, OrderState } from '../event';
import type { DeliveryContext, OrderChange } from './change';
import {
  AdapterFieldError,
  buildEvent,
  customerOf,
  customerPhoneOf,
  firstCode,
  hintsOf,
  lineHints,
  NativeAmount,
  NativeId,
  parseNative,
  personName,
  rankedRevision,
  toVnd,
  valueNamed,
  type AdapterOptions,
  type NamedValue,
} from './common';

/**
 * WooCommerce order webhooks (topics order.created / order.updated) carry the order exactly as the
 * REST API v3 returns it (woocommerce-rest-api-docs, Orders; Webhooks → Delivery/payload), signed
 * with `X-WC-Webhook-Signature` (see functions/webhooks/adapters/signatures.ts).
 *
 * Mapping:
 * - externalId = `id`
 * - state      = from `status`: pending, on-hold, checkout-draft → processing (awaiting payment or
 *                confirmation); processing → approved (WooCommerce's "received, to be fulfilled");
 *                completed → completed; refunded → returned (every unit); cancelled, failed, trash →
 *                void. Other statuses (added by plugins) must be mapped with `options.statusMap`;
 *                otherwise the payload is rejected rather than guessed.
 * - revision   = `date_modified_gmt` in epoch seconds × 10 + the state's rank (processing 1,
 *                approved 2, completed 3, returned 4, void 5). WooCommerce has no version field and
 *                its modification time has only whole seconds; status changes made in one request
 *                (created, then paid → processing) share a second, and the rank makes the later
 *                stage of the lifecycle the newer revision. Two edits in the same second that keep
 *                the status have the same revision: the first one delivered wins.
 * - occurredAt = `date_modified_gmt` as UTC
 * - lines      = `line_items`: productId `sku` (else `product_id`), unit/category/addOn from line
 *                `meta_data`; WooCommerce spreads coupons over the lines itself, so
 *                unitPrice = ⌈`subtotal` ÷ quantity⌉ (before discounts) and
 *                discount = unitPrice × quantity − `total` (after discounts), both excluding tax
 *                (WooCommerce keeps line taxes apart in `subtotal_tax`/`total_tax`).
 * - orderDiscount = negative `fee_lines` (manual discounts are often added as negative fees);
 *                coupons are already in the line discounts.
 * - shippingFee = `shipping_total`
 * - customer   = the first Vietnamese phone (else a foreign one, else none) of `billing.phone`, `shipping.phone`; the name is
 *                `last_name first_name` (Vietnamese order: họ, then tên).
 * - attribution = order `meta_data` (`ctv_id`, `ref_id`/`ref`, `opportunity_id`, `seller_id`, with
 *                or without a leading underscore); couponCode = the first of `coupon_lines`.
 * - Partial refunds: the order lists them as amounts only (`refunds[].total`), not which units
 *   came back. The units are in the REST API's refunds of the order (`GET /wc/v3/orders/<id>/refunds`,
 *   each refund line's `quantity` is negative and its `_refunded_item_id` meta names the order line):
 *   `withWooRefunds` adds them to the lines; without the source's API credentials the delivery is
 *   parked with that reason (functions/webhooks/adapters/woocommerce.ts).
 * - order.deleted (the order trashed; the body is `{"id": …}` only) is a deletion, at the time we
 *   received it: revision = received seconds × 10 + 5 (void's rank).
 * - Topics that are not about orders (product.*, customer.*, coupon.*) carry no change.
 */

export const WOO_STATUS_MAP: Readonly<Record<string, OrderState>> = {
  'checkout-draft': 'processing',
  pending: 'processing',
  'on-hold': 'processing',
  processing: 'approved',
  completed: 'completed',
  refunded: 'returned',
  cancelled: 'void',
  failed: 'void',
  trash: 'void',
};

const Meta = z.array(z.object({ key: z.string(), value: z.unknown() })).nullish();

export const WooLineItem = z.object({
  id: NativeId,
  product_id: NativeId.nullish(),
  variation_id: NativeId.nullish(),
  sku: z.string().nullish(),
  quantity: z.int().min(1),
  subtotal: NativeAmount,
  total: NativeAmount,
  meta_data: Meta,
});

export const WooOrder = z.object({
  id: NativeId,
  status: z.string().min(1),
  date_modified_gmt: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/, 'expected YYYY-MM-DDTHH:MM:SS (GMT)'),
  shipping_total: NativeAmount.nullish(),
  billing: z.object({ first_name: z.string().nullish(), last_name: z.string().nullish(), phone: z.string().nullish() }).nullish(),
  shipping: z.object({ first_name: z.string().nullish(), last_name: z.string().nullish(), phone: z.string().nullish() }).nullish(),
  line_items: z.array(WooLineItem).min(1).max(500),
  fee_lines: z.array(z.object({ total: NativeAmount.nullish() })).nullish(),
  coupon_lines: z.array(z.object({ code: z.string().nullish() })).nullish(),
  meta_data: Meta,
  refunds: z.array(z.object({ id: NativeId.nullish(), total: NativeAmount.nullish() })).nullish(),
});
export type WooOrder = z.output<typeof WooOrder>;

export interface WooAdapterOptions extends AdapterOptions {
  /** extra or overriding WooCommerce statuses (for example a plugin's `delivered`) */
  statusMap?: Readonly<Record<string, OrderState>>;
}

/** The revision of a WooCommerce state at an instant (see the header: seconds × 10 + the state's rank, processing 1 … void 5). */
const wooRevision = (epochMs: number, state: OrderState) => rankedRevision(Math.floor(epochMs / 1000), state);

const pairs = (meta: WooOrder['meta_data']): NamedValue[] => (meta ?? []).map((m) => ({ name: m.key, value: m.value }));

function ceilDiv(a: number, b: number): number {
  const q = Math.floor(a / b);
  return q * b < a ? q + 1 : q;
}

export function wooCommerceOrderToEvent(payload: unknown, options: WooAdapterOptions = {}): OrderEvent {
  const order = parseNative(WooOrder, payload, 'WooCommerce');
  return buildEvent('WooCommerce', (): OrderEventInput => {
    const statusMap = { ...WOO_STATUS_MAP, ...options.statusMap };
    const state = Object.hasOwn(statusMap, order.status) ? statusMap[order.status] : undefined;
    if (!state) throw new AdapterFieldError('status', `the WooCommerce status "${order.status}" has no mapping`);

    const lines = order.line_items.map((item, i) => {
      const meta = pairs(item.meta_data);
      const subtotal = toVnd(item.subtotal, `line_items.${i}.subtotal`);
      const total = toVnd(item.total, `line_items.${i}.total`);
      if (subtotal < 0 || total < 0) throw new AdapterFieldError(`line_items.${i}.total`, 'a line amount is negative');
      const unitPrice = ceilDiv(subtotal, item.quantity);
      const productId = item.sku?.trim() || (item.product_id ?? item.variation_id ?? null);
      if (productId === null) throw new AdapterFieldError(`line_items.${i}.sku`, 'the line names no product (sku, product_id)');
      return {
        lineId: String(item.id),
        productId: String(productId),
        ...lineHints(meta, options),
        quantity: item.quantity,
        unitPrice,
        discount: Math.max(0, unitPrice * item.quantity - total),
        returnedQuantity: state === 'returned' ? item.quantity : 0,
      };
    });

    const orderDiscount = (order.fee_lines ?? []).reduce((sum, f, k) => {
      const fee = toVnd(f.total, `fee_lines.${k}.total`);
      return fee < 0 ? sum - fee : sum;
    }, 0);

    const phone = customerPhoneOf(order.billing?.phone, order.shipping?.phone);
    const name =
      personName(order.billing?.last_name, order.billing?.first_name) ?? personName(order.shipping?.last_name, order.shipping?.first_name);

    const modified = Date.parse(`${order.date_modified_gmt}Z`);
    if (!Number.isFinite(modified) || modified <= 0) throw new AdapterFieldError('date_modified_gmt', 'not a date-time');
    const meta = pairs(order.meta_data);

    return {
      externalId: String(order.id),
      revision: wooRevision(modified, state),
      state,
      occurredAt: `${order.date_modified_gmt}Z`,
      customer: customerOf(phone, name),
      lines,
      orderDiscount,
      shippingFee: toVnd(order.shipping_total, 'shipping_total'),
      ...hintsOf(meta, firstCode(order.coupon_lines)),
    };
  });
}

/** Statuses in which a refund does not need its units: every unit is back (refunded), or the order is void. */
const REFUNDS_PLACED_BY_STATUS = new Set(['refunded', 'cancelled', 'failed', 'trash']);

/**
 * What one WooCommerce delivery says (by its `X-WC-Webhook-Topic`): an order, a deletion, or
 * nothing. `needsRefundUnits` is true when the order has partial refunds whose units are only in
 * the REST API (the caller fetches them and calls `withWooRefunds`, or parks the delivery).
 */
export function readWooCommerceDelivery(payload: unknown, context: DeliveryContext): { changes: OrderChange[]; needsRefundUnits: boolean } {
  const topic = (context.headers['x-wc-webhook-topic'] ?? '').trim().toLowerCase();
  if (topic !== '' && !topic.startsWith('order.')) return { changes: [], needsRefundUnits: false };
  const body = payload as { id?: unknown; line_items?: unknown } | null;
  if (topic === 'order.deleted' || (body && body.line_items === undefined && Object.keys(body).length === 1)) {
    const { id } = parseNative(z.object({ id: NativeId }), payload, 'WooCommerce');
    const at = Date.parse(context.receivedAt);
    return {
      changes: [{ type: 'deletion', externalId: String(id), revision: wooRevision(at, 'void'), occurredAt: context.receivedAt }],
      needsRefundUnits: false,
    };
  }
  const event = wooCommerceOrderToEvent(payload);
  const order = payload as { status?: unknown; refunds?: unknown[] | null };
  const needsRefundUnits = Array.isArray(order.refunds) && order.refunds.length > 0 && !REFUNDS_PLACED_BY_STATUS.has(String(order.status));
  return { changes: [{ type: 'order', event }], needsRefundUnits };
}

/** The REST API's refunds of an order (GET /wc/v3/orders/<id>/refunds), as far as the units go. */
export const WooRefunds = z.array(
  z.object({
    id: NativeId,
    line_items: z
      .array(
        z.object({
          quantity: z.number().int(),
          meta_data: Meta,
        }),
      )
      .nullish(),
  }),
);

/**
 * The order with the units its refunds gave back: each refund line names its order line by the
 * `_refunded_item_id` meta and carries a negative quantity. A refund of money only (no lines)
 * returns no unit. The state becomes returned when any unit came back (and the revision follows
 * the state's rank, as for every WooCommerce revision).
 */
export function withWooRefunds(event: OrderEvent, refundsPayload: unknown): OrderEvent {
  const refunds = parseNative(WooRefunds, refundsPayload, 'WooCommerce refunds');
  return buildEvent('WooCommerce', (): OrderEventInput => {
    const back = new Map<string, number>();
    for (const [r, refund] of refunds.entries()) {
      for (const [i, item] of (refund.line_items ?? []).entries()) {
        const lineId = valueNamed(pairs(item.meta_data), ['refunded_item_id']);
        if (!lineId)
          throw new AdapterFieldError(`refunds.${r}.line_items.${i}.meta_data`, 'the refund line names no order line (_refunded_item_id)');
        if (!event.lines.some((l) => l.lineId === lineId))
          throw new AdapterFieldError(`refunds.${r}.line_items.${i}.meta_data`, `the order has no line ${lineId}`);
        back.set(lineId, (back.get(lineId) ?? 0) + Math.abs(item.quantity));
      }
    }
    const lines = event.lines.map((l) => ({
      ...l,
      returnedQuantity: Math.min(l.quantity, Math.max(l.returnedQuantity, back.get(l.lineId) ?? 0)),
    }));
    const returned = lines.some((l) => l.returnedQuantity > 0);
    const state: OrderState = returned && event.state !== 'void' ? 'returned' : event.state;
    const seconds = Math.floor(event.revision / 10);
    return { ...event, state, revision: rankedRevision(seconds, state), lines };
  });
}
