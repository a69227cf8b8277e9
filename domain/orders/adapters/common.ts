import * as z from 'zod';
import { invalid, type FieldError } from '../../errors';
import { zoneOffsetMs } from '../../period';
import { normalizeCustomerPhone, normalizeVnPhone } from '../../phone';
import { issuesToFieldErrors, OrderEvent, type OrderEventInput, type OrderState } from '../event';
import type { RefundLine } from './change';

/**
 * Helpers shared by the adapters that turn an order system's native webhook payload into our
 * OrderEvent. Adapters are pure: they read the parsed JSON and nothing else.
 */

export interface AdapterOptions {
  /** the unit for lines that carry none (neither platform has a unit field); default `cái` */
  defaultUnit?: string;
  /** the category for lines that carry none; default `uncategorized` */
  defaultCategory?: string;
}
export const DEFAULT_UNIT = 'cái';
export const DEFAULT_CATEGORY = 'uncategorized';

/** A money amount as order systems send it: a JSON number or a decimal string ("350000.00"). */
export const NativeAmount = z.union([z.number(), z.string()]);
export const NativeId = z.union([z.int(), z.string().min(1)]);

export class AdapterFieldError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * An amount to whole đồng, exactly: the decimal is read as text (never through floating-point
 * arithmetic) and rounded half away from zero. VND has no minor unit, so the fraction is normally
 * ".00" or absent.
 */
export function toVnd(value: number | string | null | undefined, path: string): number {
  if (value === null || value === undefined) return 0;
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value.trim();
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) throw new AdapterFieldError(path, `"${String(value)}" is not an amount`);
  const [, sign, whole, fraction = ''] = m;
  let units = Number(whole);
  if ((fraction[0] ?? '0') >= '5') units += 1;
  if (!Number.isSafeInteger(units)) throw new AdapterFieldError(path, 'the amount is too large');
  return sign === '-' && units !== 0 ? -units : units;
}

/**
 * The customer's phone among the candidates, as given: the first Vietnamese one, else the first
 * that is a phone at all (a foreign number, kept in E.164), else none. An order without a usable
 * phone is still taken: it is credited by its hints and binds nobody (DOMAIN.md, orders).
 */
export function customerPhoneOf(...candidates: (string | null | undefined)[]): string | undefined {
  const given = candidates.filter((c): c is string => typeof c === 'string');
  return given.find((c) => normalizeVnPhone(c) !== null) ?? given.find((c) => normalizeCustomerPhone(c) !== null);
}

/** A person's name from its parts, spaces collapsed; undefined when empty. */
export function personName(...parts: (string | null | undefined)[]): string | undefined {
  const name = parts
    .filter((p): p is string => typeof p === 'string')
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
  return name === '' ? undefined : name.slice(0, 200);
}

/** Epoch milliseconds of an ISO 8601 date-time that carries its offset (or Z). */
export function epochMs(iso: string, path: string): number {
  if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(iso)) throw new AdapterFieldError(path, 'the date-time has no offset');
  const t = Date.parse(iso);
  if (!Number.isFinite(t) || t <= 0) throw new AdapterFieldError(path, 'not a date-time');
  return t;
}

const LOCAL_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/;

/**
 * Epoch milliseconds of a vendor's date-time: ISO 8601 with an offset (or Z) as it says; without
 * one ("2026-11-03T10:15:00", "2026-11-03 10:15:00", KiotViet's and Nhanh.vn's local times), in
 * the business's time zone (`utc` when the vendor documents the field as UTC, like WooCommerce's
 * `*_gmt`). Fractions of a second below milliseconds are dropped.
 */
export function instantOf(text: string, timeZone: string | 'utc', path: string): number {
  const trimmed = text.trim();
  if (/(Z|[+-]\d{2}:?\d{2})$/i.test(trimmed)) return epochMs(trimmed, path);
  const m = LOCAL_TIME.exec(trimmed);
  if (!m) throw new AdapterFieldError(path, 'not a date-time');
  const [, y, mo, d, h, mi, s = '0', frac = ''] = m;
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(frac.padEnd(3, '0').slice(0, 3)));
  if (!Number.isFinite(wall)) throw new AdapterFieldError(path, 'not a date-time');
  if (timeZone === 'utc') return wall;
  // the offset at the wall time, then again at the instant found (settles a DST edge)
  const first = wall - zoneOffsetMs(wall, timeZone);
  const instant = wall - zoneOffsetMs(first, timeZone);
  if (instant <= 0) throw new AdapterFieldError(path, 'not a date-time');
  return instant;
}

/** An order priced in another currency cannot be taken as đồng: refused (the delivery is parked with this reason). */
export function assertVnd(currency: unknown, path: string): void {
  if (currency === null || currency === undefined || currency === '') return;
  if (typeof currency !== 'string' || currency.trim().toUpperCase() !== 'VND') {
    throw new AdapterFieldError(path, `the order is in ${String(currency).slice(0, 8)}, not VND; only VND orders are taken`);
  }
}

/**
 * Attribution hints carried as name/value pairs (Haravan `note_attributes`, WooCommerce
 * `meta_data`). Names are matched case-insensitively, ignoring a leading underscore (WordPress
 * hides meta keys that start with one).
 */
export const HINT_KEYS = {
  collaboratorId: ['ctv_id', 'collaborator_id'],
  refId: ['ref', 'ref_id', 'refid', 'ctv_ref', 'ctv_ref_id'],
  opportunityId: ['opportunity_id', 'ctv_opportunity_id'],
  sellerId: ['seller_id', 'ctv_seller_id'],
} as const;

export type NamedValue = { name: string; value: unknown };

export function valueNamed(pairs: readonly NamedValue[], names: readonly string[]): string | null {
  for (const p of pairs) {
    const key = p.name.trim().replace(/^_+/, '').toLowerCase();
    if (!names.includes(key)) continue;
    if (typeof p.value === 'string' && p.value.trim() !== '') return p.value.trim();
    if (typeof p.value === 'number' && Number.isSafeInteger(p.value)) return String(p.value);
  }
  return null;
}

const TRUE_WORDS = new Set(['true', '1', 'yes', 'y', 'có', 'co']);
export function flagOf(pairs: readonly NamedValue[], names: readonly string[]): boolean {
  for (const p of pairs) {
    const key = p.name.trim().replace(/^_+/, '').toLowerCase();
    if (!names.includes(key)) continue;
    if (p.value === true || p.value === 1) return true;
    if (typeof p.value === 'string' && TRUE_WORDS.has(p.value.trim().toLowerCase())) return true;
  }
  return false;
}
export const ADD_ON_KEYS = ['add_on', 'addon', 'ctv_add_on'] as const;
export const UNIT_KEYS = ['unit', 'ctv_unit', 'don_vi'] as const;
export const CATEGORY_KEYS = ['category', 'ctv_category'] as const;

/**
 * The attribution an order's name/value pairs carry (HINT_KEYS), with the coupon found elsewhere;
 * `refId` falls back to `fallbackRefId` (the `?ref=` of a share link) when no pair names one.
 */
export function hintsOf(pairs: readonly NamedValue[], couponCode: string | null, fallbackRefId: string | null = null) {
  return {
    attribution: {
      collaboratorId: valueNamed(pairs, HINT_KEYS.collaboratorId),
      refId: valueNamed(pairs, HINT_KEYS.refId) ?? fallbackRefId,
      couponCode,
      opportunityId: valueNamed(pairs, HINT_KEYS.opportunityId),
    },
    sellerId: valueNamed(pairs, HINT_KEYS.sellerId),
  };
}

/**
 * A line's unit, category and add-on flag from its name/value pairs (`properties`, `meta_data`);
 * else `category` when the line has its own, else the options' defaults, else ours.
 */
export function lineHints(pairs: readonly NamedValue[], options: AdapterOptions = {}, category?: string) {
  return {
    unit: valueNamed(pairs, UNIT_KEYS) ?? options.defaultUnit ?? DEFAULT_UNIT,
    category: valueNamed(pairs, CATEGORY_KEYS) ?? category ?? options.defaultCategory ?? DEFAULT_CATEGORY,
    addOn: flagOf(pairs, ADD_ON_KEYS),
  };
}

/** `ref` from a URL's query string (a CTV's share link), if any. */
export function refFromUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  const q = url.indexOf('?');
  if (q < 0) return null;
  for (const part of url
    .slice(q + 1)
    .split('#')[0]!
    .split('&')) {
    const [k, v] = part.split('=');
    if (k && /^(ref|ref_id|ctv)$/i.test(k) && v) {
      try {
        const decoded = decodeURIComponent(v.replace(/\+/g, ' ')).trim();
        if (decoded) return decoded;
      } catch {
        // a malformed escape: not a hint
      }
    }
  }
  return null;
}

/** A status or type word as order systems write it: compared trimmed and lower-cased. */
export const is = (value: string | null | undefined, expected: string): boolean => value?.trim().toLowerCase() === expected;

/** The customer of an event: the phone and the name that were found (none is given as absent). */
export const customerOf = (phone: string | null | undefined, name: string | null | undefined): { phone?: string; name?: string } => ({
  ...(phone ? { phone } : {}),
  ...(name ? { name } : {}),
});

/**
 * Line ids from ids that may repeat (a product sold on two lines): the first keeps the id, the
 * second gets `<id><separator>2`, the third `<id><separator>3`…
 */
export function numberedIds(ids: readonly string[], separator: string): string[] {
  const seen = new Map<string, number>();
  return ids.map((id) => {
    const n = (seen.get(id) ?? 0) + 1;
    seen.set(id, n);
    return n === 1 ? id : `${id}${separator}${n}`;
  });
}

/**
 * The rank a state adds to a revision: its place in the lifecycle, so that two stages stamped with
 * the same time order along it (the later stage is the newer revision).
 */
export const STATE_RANK: Readonly<Record<OrderState, number>> = { processing: 1, approved: 2, completed: 3, returned: 4, void: 5 };

/**
 * A revision made of a time in the vendor's whole unit (epoch seconds or milliseconds, as each
 * adapter documents) and the state's rank: units × 10 + rank. Ranks run processing 1 … void 5
 * (WooCommerce, KiotViet, Nhanh.vn, Pancake); Shopify and Sapo document processing 0 … void 4 and
 * pass `firstRank` 0. Revisions are stored and compared per order, so each adapter keeps its scale.
 */
export function rankedRevision(units: number, state: OrderState, firstRank: 0 | 1 = 1): number {
  return units * 10 + STATE_RANK[state] - STATE_RANK.processing + firstRank;
}

/*
 * The Shopify-style Order resource: Shopify's own, and Haravan's and Sapo Web's, whose APIs follow it.
 */

/** name/value pairs: the order's `note_attributes`, a line's `properties` */
export const NativePairs = z.array(z.object({ name: z.string(), value: z.unknown() })).nullish();

/** `shipping_address`, `billing_address` (Haravan, Shopify) */
export const NativeAddress = z
  .object({
    phone: z.string().nullish(),
    name: z.string().nullish(),
    first_name: z.string().nullish(),
    last_name: z.string().nullish(),
  })
  .nullish();

/** the order's `customer` */
export const NativeCustomer = z
  .object({ phone: z.string().nullish(), first_name: z.string().nullish(), last_name: z.string().nullish() })
  .nullish();

/** lines that only carry a price: a line's `tax_lines`, the order's `shipping_lines` */
export const NativePricedLines = z.array(z.object({ price: NativeAmount.nullish() })).nullish();

export const NativeDiscountCodes = z
  .array(z.object({ code: z.string().nullish(), amount: NativeAmount.nullish(), type: z.string().nullish() }))
  .nullish();

/** `taxes_included`: a boolean, or the text of one */
export const NativeTaxesIncluded = z.union([z.boolean(), z.string()]).nullish();
export const taxesIncluded = (flag: boolean | string | null | undefined): boolean => flag === true || flag === 'true';

/** a refund's `refund_line_items` as Haravan and Sapo Web send them (Shopify's may also name the line by its gid) */
export const NativeRefundLineItems = z.array(z.object({ line_item_id: NativeId, quantity: z.int().min(0) })).nullish();

/** Σ `price` of priced lines (`tax_lines`, `shipping_lines`), each read at `<path>.<k>.price`. */
export function sumOfPrices(lines: readonly { price?: number | string | null }[] | null | undefined, path: string): number {
  return (lines ?? []).reduce((sum, line, k) => sum + toVnd(line.price, `${path}.${k}.price`), 0);
}

/** Σ `amount` of the shipping-type discount codes (free shipping is not a discount on the goods), each read at `pathOf(k)`. */
export function shippingCodeAmount(
  codes: readonly { type?: string | null; amount?: number | string | null }[],
  pathOf: (k: number) => string = (k) => `discount_codes.${k}.amount`,
): number {
  return codes.filter((c) => is(c.type, 'shipping')).reduce((sum, c, k) => sum + toVnd(c.amount, pathOf(k)), 0);
}

/** The first code given (discount codes, coupon lines), trimmed; null when none is. */
export const firstCode = (codes: readonly { code?: string | null }[] | null | undefined): string | null =>
  (codes ?? []).find((c) => c.code?.trim())?.code?.trim() ?? null;

/** The customer's name on a Shopify-style order: the shipping address's, else the billing address's, else the customer's (family name first). */
export function addresseeName(order: {
  shipping_address?: { name?: string | null } | null;
  billing_address?: { name?: string | null } | null;
  customer?: { first_name?: string | null; last_name?: string | null } | null;
}): string | undefined {
  return (
    personName(order.shipping_address?.name) ??
    personName(order.billing_address?.name) ??
    personName(order.customer?.last_name, order.customer?.first_name)
  );
}

type RefundLineItem = { quantity: number };

/**
 * The units an order's `refunds` gave back, per order line: Σ `refund_line_items[].quantity` by
 * the line `lineIdOf` names (given the item and its path, `refunds.<r>.refund_line_items.<k>.line_item_id`).
 */
export function returnedPerLine<I extends RefundLineItem>(
  refunds: readonly { refund_line_items?: readonly I[] | null }[] | null | undefined,
  lineIdOf: (item: I, path: string) => string,
): Map<string, number> {
  const returned = new Map<string, number>();
  for (const [r, refund] of (refunds ?? []).entries()) {
    for (const [k, item] of (refund.refund_line_items ?? []).entries()) {
      const lineId = lineIdOf(item, `refunds.${r}.refund_line_items.${k}.line_item_id`);
      returned.set(lineId, (returned.get(lineId) ?? 0) + item.quantity);
    }
  }
  return returned;
}

/**
 * The lines of one refund (Shopify's and Sapo Web's refunds/create): its units per order line, in
 * the order the lines are first named; items that give back no unit are passed over (their line
 * is not read). Empty when the refund gives back money only.
 */
export function refundLinesOf<I extends RefundLineItem>(
  items: readonly I[] | null | undefined,
  lineIdOf: (item: I, path: string) => string,
): RefundLine[] {
  const units = new Map<string, number>();
  (items ?? []).forEach((item, k) => {
    if (item.quantity === 0) return;
    const lineId = lineIdOf(item, `refund_line_items.${k}.line_item_id`);
    units.set(lineId, (units.get(lineId) ?? 0) + item.quantity);
  });
  return [...units].map(([lineId, quantity]) => ({ lineId, quantity }));
}

/**
 * Run a step of a mapping: an AdapterFieldError it raises comes back as one validation error
 * naming the native field (the delivery is parked with it).
 */
export function mapped<T>(what: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof AdapterFieldError) throw invalid([{ path: e.path, message: e.message }], `The ${what} payload is not valid`);
    throw e;
  }
}

/** Parse a native payload with its schema, or throw a validation error naming the native fields. */
export function parseNative<S extends z.ZodType>(schema: S, payload: unknown, what: string): z.output<S> {
  const result = schema.safeParse(payload);
  if (!result.success) throw invalid(issuesToFieldErrors(result.error.issues), `The ${what} payload is not valid`);
  return result.data;
}

/**
 * Build and validate the OrderEvent. Problems found while mapping (AdapterFieldError) and problems
 * of the mapped event both come back as one validation error.
 */
export function buildEvent(what: string, build: () => OrderEventInput): OrderEvent {
  const input = mapped(what, build);
  const result = OrderEvent.safeParse(input);
  if (!result.success) {
    const errors: FieldError[] = issuesToFieldErrors(result.error.issues);
    throw invalid(errors, `The ${what} order cannot be read as an order event`);
  }
  return result.data;
}
