import { notFound } from '../../../domain/errors';
import { implement, json, toLambda } from '../../http/operation';
import { webhookSourceRoutes } from '../../routes/webhook-sources';
import { getWebhookSource, saveWebhookSource } from '../../store/webhook-sources';
import { secretContext } from '../../webhooks/secrets';
import { checkVendorApi, sealVendorApi } from '../../webhooks/vendor-api';
import { viewOf } from './view';

/** The vendor's REST API credentials for a source, sealed (replacing any it held); parked deliveries can then be replayed. */
export const operation = implement(webhookSourceRoutes.setApi, async ({ deps, tenantId, params, body }) => {
  const source = await getWebhookSource(deps.store, tenantId, params.sourceId ?? '');
  if (!source) throw notFound('Webhook source');
  checkVendorApi(source.kind, body);
  const next = { ...source, api: sealVendorApi(deps.secretsKey(), body, secretContext(tenantId, source.id)), version: source.version + 1 };
  await saveWebhookSource(deps.store, next);
  return json(200, viewOf(next, deps.now().toISOString()), { etag: `"${next.version}"` });
});

export const handler = toLambda(operation);
