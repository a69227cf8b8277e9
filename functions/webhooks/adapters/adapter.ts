import { createHash, timingSafeEqual } from 'node:crypto';
import type { WebhookKind } from '../../../domain/entities/webhook-source';
import { DomainError } from '../../../domain/errors';
import type { DeliveryContext, OrderChange } from '../../../domain/orders/adapters/change';

/**
 * What a webhook adapter is: everything the intake needs to know about one order system, so that
 * the intake (functions/services/intake.ts) and the webhook handlers name no vendor. Per kind: how a
 * delivery is verified (on the raw bytes, before anything is parsed), how its body is read into
 * order changes (functions/webhooks/adapters/<kind>.ts, mapping in domain/orders/adapters/<kind>.ts),
 * which header carries the vendor's delivery id, what a subscription handshake answers, and, for
 * vendors whose webhook lacks what we need, how to ask their REST API for the rest.
 */

/** What a delivery's check decides: take it, answer a ping without storing it, or refuse it (401). */
export type Verdict = { result: 'ok' } | { result: 'ping' } | { result: 'refused'; reason: string };

export interface DeliveryToVerify {
  /** header names lower-cased */
  headers: Record<string, string>;
  /** the body's bytes exactly as received */
  body: Uint8Array;
  /** the source's active secrets, opened: the newest first (1, or 2 while it rotates) */
  secrets: readonly string[];
  nowSeconds: number;
}

export interface HandshakeRequest {
  /** the query string's parameters as received */
  query: Record<string, string | undefined>;
  /** the source's verify token, opened; undefined when the owner gave none */
  verifyToken: string | undefined;
}

/** The vendor REST API credentials a source may hold (opened): see `WebhookSource.api`. */
export interface VendorCredentials {
  baseUrl: string;
  /** KiotViet: the OAuth token endpoint */
  tokenUrl?: string;
  /** KiotViet: the retailer (shop) name sent as `Retailer` */
  account?: string;
  /** WooCommerce consumer key; KiotViet client id */
  key: string;
  /** WooCommerce consumer secret; KiotViet client secret */
  secret: string;
}

/** A vendor's REST API, authenticated with a source's credentials. */
export interface VendorApi {
  /** GET a JSON document at a path under the base URL; throws VendorApiError on a non-2xx answer */
  getJson(path: string, query?: Record<string, string>): Promise<unknown>;
}

export class VendorApiError extends Error {
  override name = 'VendorApiError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface ReadContext extends DeliveryContext {
  /** the vendor's REST API when the source holds credentials for it; null otherwise */
  api: VendorApi | null;
}

export interface WebhookAdapter {
  kind: WebhookKind;
  verify(delivery: DeliveryToVerify): Verdict;
  /**
   * The order changes a stored body carries, in order; a DomainError (validation) when it cannot be
   * read or mapped (the delivery is parked with its field errors).
   */
  read(body: Uint8Array, context: ReadContext): Promise<OrderChange[]>;
  /** Headers whose values identify a delivery at its vendor, in order of preference. */
  deliveryIdHeaders: readonly string[];
  /**
   * What is kept of a verified body (absent: the bytes as received): a vendor that puts its token
   * in the body (Nhanh.vn) has it removed, so no stored delivery holds a secret.
   */
  storedBody?: (body: Uint8Array) => Uint8Array;
  /**
   * The vendor's subscription handshake (a GET on the webhook URL): the text to answer 200 with,
   * or null when the request is not a valid handshake for this source. Absent: the kind makes none.
   */
  handshake?: (request: HandshakeRequest) => string | null;
  /** How this vendor's REST API authenticates (absent: the adapter never needs it). */
  api?: (credentials: VendorCredentials, fetchJson: FetchJson) => VendorApi;
}

/** A fetch that answers parsed JSON (status and body): injected so tests reach a local fake vendor. */
export type FetchJson = (
  url: string,
  init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string },
) => Promise<{ status: number; body: unknown }>;

/** One refusal for every bad signature: a caller learns nothing about which sources exist. */
export const BAD_SIGNATURE: Verdict = { result: 'refused', reason: 'Unknown webhook source or bad signature' };
export const OK: Verdict = { result: 'ok' };
/** A signature check's outcome as a verdict. */
export const verdictOf = (check: 'ok' | string): Verdict => (check === 'ok' ? OK : BAD_SIGNATURE);

/** The text of a body: UTF-8, or a validation error. */
export function readText(body: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw new DomainError('validation', 'The body is not UTF-8 text', [{ path: 'body', message: 'not UTF-8 text' }]);
  }
}

/** The JSON document of a body, as every adapter reads it: UTF-8, JSON, and in đồng. */
export function readJsonBody(body: Uint8Array): unknown {
  let payload: unknown;
  try {
    payload = JSON.parse(readText(body));
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw new DomainError('validation', 'The body is not valid JSON', [{ path: 'body', message: 'malformed JSON' }]);
  }
  // money is đồng: an order in another currency cannot be priced (order systems name it at the top)
  const currency = (payload as { currency?: unknown } | null)?.currency;
  if (typeof currency === 'string' && currency.trim().toUpperCase() !== 'VND') {
    throw new DomainError('validation', `The order is in ${currency.slice(0, 8)}, not VND`, [
      { path: 'currency', message: 'only VND orders are taken' },
    ]);
  }
  return payload;
}

/** Two secrets compared in constant time, whatever their lengths (digests of equal size are compared). */
export function sameSecret(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** True when `given` is one of the secrets (each compared in constant time). */
export function isOneOf(given: string | null | undefined, secrets: readonly string[]): boolean {
  if (typeof given !== 'string' || given === '') return false;
  let ok = false;
  for (const s of secrets) if (sameSecret(given, s)) ok = true;
  return ok;
}
