import { implement, json, toLambda } from '../../http/operation';
import { etag, expectedVersion } from '../../http/versions';
import { webhookSourceRoutes } from '../../routes/webhook-sources';
import { rotateWebhookSecret } from '../../services/webhook-sources';
import { viewOf } from './view';

/**
 * A new signing secret: the owner's (`secret`, never shown back) or generated (shown once). It
 * needs If-Match with the version read; with an Idempotency-Key a retry answers the first result again.
 */
export const operation = implement(webhookSourceRoutes.rotate, async ({ deps, tenantId, params, body, headers }) => {
  const { source, generated, at } = await rotateWebhookSecret(
    deps,
    tenantId,
    params.sourceId ?? '',
    expectedVersion(headers, undefined),
    body,
  );
  return json(200, viewOf(source, at, generated), etag(source.version));
});

export const handler = toLambda(operation);
