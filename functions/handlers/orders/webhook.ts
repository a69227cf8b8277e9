import { activeSecrets } from '../../../domain/entities/webhook-source';
import { DomainError, invalid } from '../../../domain/errors';
import { haravanOrderToEvent } from '../../../domain/orders/adapters/haravan';
import { wooCommerceOrderToEvent } from '../../../domain/orders/adapters/woocommerce';
import { parseOrderEvent } from '../../../domain/orders/event';
import { implement, json, toLambda } from '../../http/operation';
import { orderRoutes } from '../../routes/orders';
import { applyOrderEvent } from '../../services/orders';
import { getWebhookSource } from '../../store/webhook-sources';
import {
  CTV_SIGNATURE_HEADER,
  HARAVAN_SIGNATURE_HEADER,
  verifyCtvSignature,
  verifyHaravanSignature,
  verifyWooCommerceSignature,
  WOOCOMMERCE_SIGNATURE_HEADER,
} from '../../webhooks/adapters/signatures';
import { openSecret } from '../../webhooks/secrets';
import { secretContext } from '../webhook-sources/view';

const ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
/** One answer for an unknown source and a bad signature: a caller learns nothing about which sources exist. */
const rejected = (detail: string) => new DomainError('unauthenticated', detail);

export const operation = implement(orderRoutes.webhook, async ({ deps, params, headers, rawBody }) => {
  const tenantId = params.tenantId ?? '';
  const sourceId = params.sourceId ?? '';
  const source = ID.test(tenantId) && ID.test(sourceId) ? await getWebhookSource(deps.store, tenantId, sourceId) : null;
  if (!source) throw rejected('Unknown webhook source or bad signature');
  const now = deps.now();
  const secrets = activeSecrets(source, now.toISOString()).map((s) => openSecret(deps.secretsKey(), s.sealed, secretContext(tenantId, sourceId)));

  if (source.kind === 'ctv') {
    const check = verifyCtvSignature(rawBody, headers[CTV_SIGNATURE_HEADER], secrets, Math.floor(now.getTime() / 1000));
    if (check.result === 'stale') throw rejected('The signature timestamp is more than 5 minutes off');
    if (check.result !== 'ok') throw rejected('Unknown webhook source or bad signature');
  } else if (source.kind === 'haravan') {
    if (verifyHaravanSignature(rawBody, headers[HARAVAN_SIGNATURE_HEADER], secrets) !== 'ok') throw rejected('Bad signature');
  } else {
    // WooCommerce pings a new webhook with a form body (webhook_id=…) before sending orders
    if (/^webhook_id=\d+$/.test(rawBody.trim())) return json(200, { ok: true });
    if (verifyWooCommerceSignature(rawBody, headers[WOOCOMMERCE_SIGNATURE_HEADER], secrets) !== 'ok') throw rejected('Bad signature');
  }

  let payload: unknown;
  try {
    payload = JSON.parse(rawBody);
  } catch {
    throw invalid([{ path: 'body', message: 'malformed JSON' }], 'The body is not valid JSON');
  }
  const event =
    source.kind === 'haravan' ? haravanOrderToEvent(payload) : source.kind === 'woocommerce' ? wooCommerceOrderToEvent(payload) : parseOrderEvent(payload);
  const outcome = await applyOrderEvent(deps, tenantId, sourceId, event);
  return json(200, { orderId: outcome.orderId, revision: outcome.revision, applied: outcome.applied });
});

export const handler = toLambda(operation);
