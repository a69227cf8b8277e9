import { readNhanhDelivery } from '../../../domain/orders/adapters/nhanh';
import { BAD_SIGNATURE, isOneOf, OK, readJsonBody, readText, type Verdict, type WebhookAdapter } from './adapter';

/** The header Nhanh's general webhook page says carries the verify token (names are kept lower-cased). */
export const NHANH_TOKEN_HEADER = 'verifytoken';

/** The body as a JSON object, or null when it is not one. */
function jsonObject(body: Uint8Array): Record<string, unknown> | null {
  try {
    const payload: unknown = JSON.parse(readText(body));
    return payload !== null && typeof payload === 'object' && !Array.isArray(payload) ? (payload as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The body's `webhooksVerifyToken` (Nhanh's order webhook page), or null when it has none. */
function bodyToken(body: Uint8Array): string | null {
  const token = jsonObject(body)?.webhooksVerifyToken;
  return typeof token === 'string' ? token : null;
}

/**
 * Nhanh.vn (VENDORS.md §4): no signature; the verify token the owner chose in Nhanh (the source's
 * secret) comes in the `verifyToken` header or in the body's `webhooksVerifyToken` (Nhanh's two
 * pages disagree): either one, compared in constant time, verifies the delivery.
 */
export const nhanh: WebhookAdapter = {
  kind: 'nhanh',
  verify({ headers, body, secrets }): Verdict {
    if (isOneOf(headers[NHANH_TOKEN_HEADER], secrets)) return OK;
    return isOneOf(bodyToken(body), secrets) ? OK : BAD_SIGNATURE;
  },
  read: async (body, context) => readNhanhDelivery(readJsonBody(body), context),
  // the token is a secret: the body is kept without it (nothing signs the bytes, so nothing is lost)
  storedBody(body) {
    const payload = jsonObject(body);
    if (!payload || typeof payload.webhooksVerifyToken !== 'string') return body;
    return new TextEncoder().encode(JSON.stringify({ ...payload, webhooksVerifyToken: '[redacted]' }));
  },
  // Nhanh sends no delivery id: the body's hash names the delivery (a re-send has the same bytes)
  deliveryIdHeaders: [],
};
