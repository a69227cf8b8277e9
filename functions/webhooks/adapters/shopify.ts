import { readShopifyDelivery } from '../../../domain/orders/adapters/shopify';
import { readJsonBody, verdictOf, type WebhookAdapter } from './adapter';
import { SHOPIFY_SIGNATURE_HEADER, verifyBase64Hmac } from './signatures';

/**
 * Shopify (VENDORS.md §6): the bare REST resource of the `X-Shopify-Topic`, signed with the app's
 * client secret (or, for a webhook made in the shop admin, the key shown on its Notifications
 * page). Retries carry the original payload and the same `X-Shopify-Webhook-Id`.
 */
export const shopify: WebhookAdapter = {
  kind: 'shopify',
  verify: ({ headers, body, secrets }) => verdictOf(verifyBase64Hmac(body, headers[SHOPIFY_SIGNATURE_HEADER], secrets)),
  read: async (body, context) => readShopifyDelivery(readJsonBody(body), context),
  deliveryIdHeaders: ['x-shopify-webhook-id'],
};
