import { invalid } from '../../../domain/errors';
import { readWooCommerceDelivery, withWooRefunds } from '../../../domain/orders/adapters/woocommerce';
import { readJsonBody, VendorApiError, verdictOf, type WebhookAdapter } from './adapter';
import { verifyBase64Hmac, WOOCOMMERCE_SIGNATURE_HEADER } from './signatures';

/** WooCommerce (VENDORS.md §7): the ping, order.created/updated/deleted, the delivery id, refunds from the REST API. */
export const woocommerce: WebhookAdapter = {
  kind: 'woocommerce',
  verify({ headers, body, secrets }) {
    // WooCommerce pings a new webhook with a form body (webhook_id=…) before sending orders
    if (/^webhook_id=\d+$/.test(Buffer.from(body).toString('latin1').trim())) return { result: 'ping' };
    return verdictOf(verifyBase64Hmac(body, headers[WOOCOMMERCE_SIGNATURE_HEADER], secrets));
  },
  async read(body, context) {
    const { changes, needsRefundUnits } = readWooCommerceDelivery(readJsonBody(body), context);
    if (!needsRefundUnits) return changes;
    if (!context.api) {
      throw invalid(
        [
          {
            path: 'refunds',
            message:
              'a partial refund: which units came back is only in the WooCommerce REST API; give the source its API credentials (api) and replay this delivery',
          },
        ],
        'The WooCommerce order has partial refunds that cannot be placed',
      );
    }
    return Promise.all(
      changes.map(async (change) =>
        change.type === 'order'
          ? {
              type: 'order' as const,
              event: withWooRefunds(
                change.event,
                await context.api!.getJson(`/wp-json/wc/v3/orders/${encodeURIComponent(change.event.externalId)}/refunds`, {
                  per_page: '100',
                }),
              ),
            }
          : change,
      ),
    );
  },
  deliveryIdHeaders: ['x-wc-webhook-delivery-id'],
  // REST API v3 over https with the consumer key and secret as HTTP Basic credentials (WooCommerce REST API docs, Authentication)
  api: (credentials, fetchJson) => ({
    async getJson(path, query = {}) {
      const qs = new URLSearchParams(query).toString();
      const url = `${credentials.baseUrl}${path}${qs ? `?${qs}` : ''}`;
      const authorization = `Basic ${Buffer.from(`${credentials.key}:${credentials.secret}`, 'utf8').toString('base64')}`;
      const answer = await fetchJson(url, { method: 'GET', headers: { authorization, accept: 'application/json' } });
      if (answer.status < 200 || answer.status > 299)
        throw new VendorApiError(answer.status, `WooCommerce answered ${answer.status} to GET ${path}`);
      return answer.body;
    },
  }),
};
