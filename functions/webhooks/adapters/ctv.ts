import { parseOrderEvent } from '../../../domain/orders/event';
import { BAD_SIGNATURE, OK, readJsonBody, type WebhookAdapter } from './adapter';
import { CTV_SIGNATURE_HEADER, verifyCtvSignature } from './signatures';

/** Our own order event (API.md, "Order webhooks"), signed with `X-Ctv-Signature`. */
export const ctv: WebhookAdapter = {
  kind: 'ctv',
  verify({ headers, body, secrets, nowSeconds }) {
    const check = verifyCtvSignature(body, headers[CTV_SIGNATURE_HEADER], secrets, nowSeconds);
    if (check.result === 'stale') return { result: 'refused', reason: 'The signature timestamp is more than 5 minutes off' };
    return check.result === 'ok' ? OK : BAD_SIGNATURE;
  },
  read: async (body) => [{ type: 'order', event: parseOrderEvent(readJsonBody(body)) }],
  // our own scheme may be sent by a relay that forwards the shop's delivery id
  deliveryIdHeaders: ['x-wc-webhook-delivery-id', 'x-shopify-webhook-id'],
};
