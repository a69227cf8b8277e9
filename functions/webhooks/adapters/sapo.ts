import { readSapoDelivery } from '../../../domain/orders/adapters/sapo';
import { readJsonBody, verdictOf, type WebhookAdapter } from './adapter';
import { SAPO_SIGNATURE_HEADER, verifyBase64Hmac } from './signatures';

/** Sapo Web and Sapo Go / POS (VENDORS.md §2): one kind, the product told apart by the body. */
export const sapo: WebhookAdapter = {
  kind: 'sapo',
  verify: ({ headers, body, secrets }) => verdictOf(verifyBase64Hmac(body, headers[SAPO_SIGNATURE_HEADER], secrets)),
  read: async (body, context) => readSapoDelivery(readJsonBody(body), context),
  // Sapo sends no delivery id that we know of (x-sapo-object-id names the order, x-event-version is
  // unexplained): the body's hash names the delivery, so a retry of the same bytes is the same delivery
  deliveryIdHeaders: [],
};
