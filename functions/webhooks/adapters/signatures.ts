import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Webhook signatures: our own scheme (API.md, "Order webhooks") and the native schemes of the order
 * systems we have adapters for. Every check runs on the raw body bytes exactly as received (a
 * re-serialised JSON body would not match) and compares digests in constant time.
 */

export type RawBody = string | Uint8Array;

export const CTV_SIGNATURE_HEADER = 'x-ctv-signature';
export const HARAVAN_SIGNATURE_HEADER = 'x-haravan-hmacsha256';
/** what older Haravan apps (its 2017 middleware) sent instead */
export const HARAVAN_LEGACY_SIGNATURE_HEADER = 'x-haravan-hmac-sha256';
export const WOOCOMMERCE_SIGNATURE_HEADER = 'x-wc-webhook-signature';
/** base64 HMAC-SHA256 of the raw body, keyed with the app's client secret (VENDORS.md §6) */
export const SHOPIFY_SIGNATURE_HEADER = 'x-shopify-hmac-sha256';
/** base64 HMAC-SHA256 of the raw body, keyed with the app's secret key (VENDORS.md §2, [T]) */
export const SAPO_SIGNATURE_HEADER = 'x-sapo-hmac-sha256';
/** HMAC-SHA256 of the raw body, its encoding and key form unconfirmed (VENDORS.md §3): verifyKiotVietSignature */
export const KIOTVIET_SIGNATURE_HEADER = 'x-hub-signature';

/** How far the signed timestamp may be from our clock, either way. */
export const CTV_TOLERANCE_SECONDS = 300;
/** A source has one secret, or two while it rotates. */
export const MAX_ACTIVE_SECRETS = 3;

export type SignatureFailure = 'malformed' | 'bad_signature';
export type CtvSignatureResult =
  | { result: 'ok'; timestamp: number /** which of the secrets matched (0 = the first given) */; secretIndex: number }
  | { result: 'stale'; timestamp: number }
  | { result: SignatureFailure };

const bytes = (body: RawBody): Buffer =>
  typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body.buffer, body.byteOffset, body.byteLength);

function hmacSha256(secret: string | Buffer, ...parts: Buffer[]): Buffer {
  const mac = createHmac('sha256', secret);
  for (const p of parts) mac.update(p);
  return mac.digest();
}

function checkSecrets(secrets: readonly string[]): void {
  if (secrets.length === 0 || secrets.length > MAX_ACTIVE_SECRETS) {
    throw new RangeError(`a webhook source has 1 to ${MAX_ACTIVE_SECRETS} active secrets, got ${secrets.length}`);
  }
  if (secrets.some((s) => typeof s !== 'string' || s.length === 0)) throw new RangeError('a webhook secret cannot be empty');
}

/** `X-Ctv-Signature` for a body: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>`. */
export function signCtv(rawBody: RawBody, secret: string, t: number): string {
  if (!Number.isSafeInteger(t) || t < 0) throw new RangeError('t is a whole number of unix seconds');
  const ts = String(t);
  const mac = hmacSha256(secret, Buffer.from(`${ts}.`, 'utf8'), bytes(rawBody));
  return `t=${ts},v1=${mac.toString('hex')}`;
}

const HEX_SHA256 = /^[0-9a-f]{64}$/i;

/**
 * Verify `X-Ctv-Signature`. The header holds `t=` once and one or more `v1=` (a sender rotating its
 * secret may sign with both); other keys are ignored, so a later scheme can be added beside v1.
 * A correct signature with a timestamp more than 300 s from `nowSeconds` is `stale` (a replay); a
 * stale timestamp with a wrong signature is `bad_signature`.
 */
export function verifyCtvSignature(
  rawBody: RawBody,
  header: string | null | undefined,
  secrets: readonly string[],
  nowSeconds: number,
): CtvSignatureResult {
  checkSecrets(secrets);
  if (!Number.isFinite(nowSeconds)) throw new RangeError('nowSeconds must be a number of unix seconds');
  if (typeof header !== 'string' || header.length === 0 || header.length > 1024) return { result: 'malformed' };

  let ts: string | undefined;
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) return { result: 'malformed' };
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      if (ts !== undefined || !/^\d{1,12}$/.test(value)) return { result: 'malformed' };
      ts = value;
    } else if (key === 'v1') {
      if (!HEX_SHA256.test(value)) return { result: 'malformed' };
      signatures.push(Buffer.from(value, 'hex'));
    }
  }
  if (ts === undefined || signatures.length === 0) return { result: 'malformed' };

  const body = bytes(rawBody);
  const prefix = Buffer.from(`${ts}.`, 'utf8');
  let secretIndex = -1;
  secrets.forEach((secret, i) => {
    const expected = hmacSha256(secret, prefix, body);
    // compare against every candidate, whatever matched before, so timing does not tell which
    for (const sig of signatures) {
      if (timingSafeEqual(expected, sig) && secretIndex < 0) secretIndex = i;
    }
  });
  if (secretIndex < 0) return { result: 'bad_signature' };

  const timestamp = Number(ts);
  if (Math.abs(nowSeconds - timestamp) > CTV_TOLERANCE_SECONDS) return { result: 'stale', timestamp };
  return { result: 'ok', timestamp, secretIndex };
}

const BASE64_SHA256 = /^[A-Za-z0-9+/]{43}=$/;
const BASE64_TEXT = /^(?:[A-Za-z0-9+/]{4})+(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The digest a header gives in base64; null when it is not one. */
function base64Digest(header: string | null | undefined): Buffer | null {
  const value = typeof header === 'string' ? header.trim() : '';
  return BASE64_SHA256.test(value) ? Buffer.from(value, 'base64') : null;
}

/** The digest a header gives, hex or base64, with or without a `sha256=` prefix; null when it is neither. */
function hexOrBase64Digest(header: string | null | undefined): Buffer | null {
  const value = (typeof header === 'string' ? header.trim() : '').replace(/^sha256=/i, '');
  return HEX_SHA256.test(value) ? Buffer.from(value, 'hex') : BASE64_SHA256.test(value) ? Buffer.from(value, 'base64') : null;
}

/**
 * Whether the HMAC-SHA256 of the body under one of the keys is the given digest. Every key is
 * tried, whatever matched before, so timing does not tell which did.
 */
function someKeySigned(keys: readonly (string | Buffer)[], rawBody: RawBody, given: Buffer): boolean {
  const body = bytes(rawBody);
  let ok = false;
  for (const key of keys) {
    if (timingSafeEqual(hmacSha256(key, body), given)) ok = true;
  }
  return ok;
}

/** A base64 HMAC-SHA256 of the raw body, the scheme Haravan, Shopify, Sapo and WooCommerce use. */
export function verifyBase64Hmac(
  rawBody: RawBody,
  header: string | null | undefined,
  secrets: string | readonly string[],
): 'ok' | SignatureFailure {
  const list = typeof secrets === 'string' ? [secrets] : secrets;
  checkSecrets(list);
  const given = base64Digest(header);
  if (!given) return 'malformed';
  return someKeySigned(list, rawBody, given) ? 'ok' : 'bad_signature';
}

/** `X-Haravan-Hmacsha256`: base64 HMAC-SHA256 of the raw body, keyed with the app's secret. */
export function verifyHaravanSignature(
  rawBody: RawBody,
  header: string | null | undefined,
  secrets: string | readonly string[],
): 'ok' | SignatureFailure {
  return verifyBase64Hmac(rawBody, header, secrets);
}

/** `X-WC-Webhook-Signature`: base64 HMAC-SHA256 of the raw body, keyed with the webhook's secret. */
export function verifyWooCommerceSignature(
  rawBody: RawBody,
  header: string | null | undefined,
  secrets: string | readonly string[],
): 'ok' | SignatureFailure {
  return verifyBase64Hmac(rawBody, header, secrets);
}

/** Base64 HMAC-SHA256 of a body, as Haravan and WooCommerce send it (for tests and tools). */
export function signBase64Hmac(rawBody: RawBody, secret: string): string {
  return hmacSha256(secret, bytes(rawBody)).toString('base64');
}

/**
 * KiotViet's `X-Hub-Signature` (VENDORS.md §3): HMAC-SHA256 of the raw body keyed with the Secret
 * registered. KiotViet asks for the Secret base64-encoded and does not say whether it keys the HMAC
 * with that text or with the bytes it decodes to, nor how it encodes the digest: hex or base64,
 * with or without `sha256=`, keyed with a secret's text or, for a secret that is base64, the bytes
 * it decodes to. Every comparison is constant-time.
 */
export function verifyKiotVietSignature(rawBody: RawBody, header: string | null | undefined, secrets: readonly string[]): 'ok' | 'refused' {
  checkSecrets(secrets);
  const given = hexOrBase64Digest(header);
  if (!given) return 'refused';
  const decoded = secrets.filter((s) => BASE64_TEXT.test(s)).map((s) => Buffer.from(s, 'base64'));
  return someKeySigned([...secrets, ...decoded], rawBody, given) ? 'ok' : 'refused';
}
