import * as z from 'zod';
import { invalid, type FieldError } from '../../errors';
import { zoneOffsetMs } from '../../period';
import { normalizeCustomerPhone, normalizeVnPhone } from '../../phone';
import { issuesToFieldErrors, OrderEvent, type OrderEventInput } from '../event';

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
  constructor(readonly path: string, message: string) {
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

export function valueOf(pairs: readonly NamedValue[], names: readonly string[]): string | null {
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

/** `ref` from a URL's query string (a CTV's share link), if any. */
export function refFromUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  const q = url.indexOf('?');
  if (q < 0) return null;
  for (const part of url.slice(q + 1).split('#')[0]!.split('&')) {
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
  let input: OrderEventInput;
  try {
    input = build();
  } catch (e) {
    if (e instanceof AdapterFieldError) throw invalid([{ path: e.path, message: e.message }], `The ${what} payload is not valid`);
    throw e;
  }
  const result = OrderEvent.safeParse(input);
  if (!result.success) {
    const errors: FieldError[] = issuesToFieldErrors(result.error.issues);
    throw invalid(errors, `The ${what} order cannot be read as an order event`);
  }
  return result.data;
}
