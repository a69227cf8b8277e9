import { createHash, timingSafeEqual } from 'node:crypto';
import type { WebhookKind } from '../../../domain/entities/webhook-source';
import { DomainError } from '../../../domain/errors';
import { haravanOrderToEvent } from '../../../domain/orders/adapters/haravan';
import { wooCommerceOrderToEvent } from '../../../domain/orders/adapters/woocommerce';
import { parseOrderEvent, type OrderEvent } from '../../../domain/orders/event';
import {
  CTV_SIGNATURE_HEADER,
  HARAVAN_SIGNATURE_HEADER,
  verifyCtvSignature,
  verifyHaravanSignature,
  verifyWooCommerceSignature,
  WOOCOMMERCE_SIGNATURE_HEADER,
} from './signatures';

/**
 * The webhook adapters, one per source kind: everything the intake needs to know about an order
 * system, so that the intake (functions/services/intake.ts) and the webhook handlers name no vendor.
 * Per kind: how a delivery is verified (on the raw bytes, before anything is parsed), how its body
 * is read into our order events, which header carries the vendor's delivery id (a redelivery
 * carries the same one), and, for vendors that make one, what a subscription handshake answers.
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

export interface WebhookAdapter {
  kind: WebhookKind;
  verify(delivery: DeliveryToVerify): Verdict;
  /**
   * The order events a stored body carries (one per delivery today); a DomainError (validation)
   * when it cannot be read or mapped.
   */
  read(body: Uint8Array): OrderEvent[];
  /** Headers whose values identify a delivery at its vendor, in order of preference. */
  deliveryIdHeaders: readonly string[];
  /**
   * The vendor's subscription handshake (a GET on the webhook URL): the text to answer 200 with,
   * or null when the request is not a valid handshake for this source. Absent: the kind makes none.
   */
  handshake?: (request: HandshakeRequest) => string | null;
}

/** One refusal for every bad signature: a caller learns nothing about which sources exist. */
const BAD_SIGNATURE: Verdict = { result: 'refused', reason: 'Unknown webhook source or bad signature' };
const OK: Verdict = { result: 'ok' };

/** The JSON document of a body, as every adapter reads it: UTF-8, JSON, and in đồng. */
export function readJsonBody(body: Uint8Array): unknown {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw new DomainError('validation', 'The body is not UTF-8 text', [{ path: 'body', message: 'not UTF-8 text' }]);
  }
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    throw new DomainError('validation', 'The body is not valid JSON', [{ path: 'body', message: 'malformed JSON' }]);
  }
  // money is đồng: an order in another currency cannot be priced (order systems name it at the top)
  const currency = (payload as { currency?: unknown } | null)?.currency;
  if (typeof currency === 'string' && currency.trim().toUpperCase() !== 'VND') {
    throw new DomainError('validation', `The order is in ${currency.slice(0, 8)}, not VND`, [{ path: 'currency', message: 'only VND orders are taken' }]);
  }
  return payload;
}

/** Two secrets compared in constant time, whatever their lengths (digests of equal size are compared). */
export function sameSecret(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

const ctv: WebhookAdapter = {
  kind: 'ctv',
  verify({ headers, body, secrets, nowSeconds }) {
    const check = verifyCtvSignature(body, headers[CTV_SIGNATURE_HEADER], secrets, nowSeconds);
    if (check.result === 'stale') return { result: 'refused', reason: 'The signature timestamp is more than 5 minutes off' };
    return check.result === 'ok' ? OK : BAD_SIGNATURE;
  },
  read: (body) => [parseOrderEvent(readJsonBody(body))],
  // our own scheme may be sent by a relay that forwards the shop's delivery id
  deliveryIdHeaders: ['x-wc-webhook-delivery-id', 'x-shopify-webhook-id'],
};

const haravan: WebhookAdapter = {
  kind: 'haravan',
  // X-Haravan-Hmacsha256; older apps (Haravan's 2017 middleware) sent X-Haravan-Hmac-Sha256
  verify: ({ headers, body, secrets }) =>
    verifyHaravanSignature(body, headers[HARAVAN_SIGNATURE_HEADER] ?? headers['x-haravan-hmac-sha256'], secrets) === 'ok' ? OK : BAD_SIGNATURE,
  read: (body) => [haravanOrderToEvent(readJsonBody(body))],
  // Haravan sends no delivery id (X-Haravan-Subscription-Id names the subscription): the body's hash names it
  deliveryIdHeaders: [],
  // the app's webhook registration (VENDORS.md, Haravan: "Handshake"):
  // GET {callback}?hub.mode=subscribe&hub.verify_token=…&hub.challenge=… → 200 with the challenge
  handshake({ query, verifyToken }) {
    const token = query['hub.verify_token'];
    const challenge = query['hub.challenge'];
    if (query['hub.mode'] !== 'subscribe' || !token || !challenge || !verifyToken) return null;
    return sameSecret(token, verifyToken) ? challenge : null;
  },
};

const woocommerce: WebhookAdapter = {
  kind: 'woocommerce',
  verify({ headers, body, secrets }) {
    // WooCommerce pings a new webhook with a form body (webhook_id=…) before sending orders
    if (/^webhook_id=\d+$/.test(Buffer.from(body).toString('latin1').trim())) return { result: 'ping' };
    return verifyWooCommerceSignature(body, headers[WOOCOMMERCE_SIGNATURE_HEADER], secrets) === 'ok' ? OK : BAD_SIGNATURE;
  },
  read: (body) => [wooCommerceOrderToEvent(readJsonBody(body))],
  deliveryIdHeaders: ['x-wc-webhook-delivery-id'],
};

export const WEBHOOK_ADAPTERS: Readonly<Record<WebhookKind, WebhookAdapter>> = { ctv, haravan, woocommerce };

export function adapterFor(kind: WebhookKind): WebhookAdapter {
  const adapter = WEBHOOK_ADAPTERS[kind];
  if (!adapter) throw new Error(`no webhook adapter for kind ${String(kind)}`);
  return adapter;
}
