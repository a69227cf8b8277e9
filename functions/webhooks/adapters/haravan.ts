import { haravanOrderToEvent } from '../../../domain/orders/adapters/haravan';
import { readJsonBody, sameSecret, verdictOf, type WebhookAdapter } from './adapter';
import { HARAVAN_LEGACY_SIGNATURE_HEADER, HARAVAN_SIGNATURE_HEADER, verifyBase64Hmac } from './signatures';

/** Haravan (VENDORS.md §1): app and private webhooks, the bare Order resource, the hub.* handshake. */
export const haravan: WebhookAdapter = {
  kind: 'haravan',
  // X-Haravan-Hmacsha256; older apps (Haravan's 2017 middleware) sent X-Haravan-Hmac-Sha256
  verify: ({ headers, body, secrets }) =>
    verdictOf(verifyBase64Hmac(body, headers[HARAVAN_SIGNATURE_HEADER] ?? headers[HARAVAN_LEGACY_SIGNATURE_HEADER], secrets)),
  read: async (body) => [{ type: 'order', event: haravanOrderToEvent(readJsonBody(body)) }],
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
