import { rotate } from '../../../domain/entities/webhook-source';
import { notFound, preconditionFailed } from '../../../domain/errors';
import { expectedVersion } from '../../http/versions';
import { implement, json, toLambda } from '../../http/operation';
import { webhookSourceRoutes } from '../../routes/webhook-sources';
import { getWebhookSource, saveWebhookSource } from '../../store/webhook-sources';
import { newSigningSecret, sealSecret, secretContext } from '../../webhooks/secrets';
import { viewOf } from './view';

/**
 * A new signing secret: the owner's (`secret`, never shown back) or generated (shown once). It
 * needs If-Match with the version read, so a retried call cannot rotate twice and push out the
 * secret the order system still signs with; with an Idempotency-Key the retry answers the first
 * result again.
 */
export const operation = implement(webhookSourceRoutes.rotate, async ({ deps, tenantId, params, body, headers }) => {
  const expected = expectedVersion(headers, undefined);
  const source = await getWebhookSource(deps.store, tenantId, params.sourceId ?? '');
  if (!source) throw notFound('Webhook source');
  if (source.version !== expected) throw preconditionFailed();
  const now = deps.now();
  const generated = body.secret === undefined ? newSigningSecret() : undefined;
  const secret = body.secret ?? generated!;
  const overlapUntil = new Date(now.getTime() + body.overlapHours * 3600_000).toISOString();
  const next = rotate(source, sealSecret(deps.secretsKey(), secret, secretContext(tenantId, source.id)), now.toISOString(), overlapUntil);
  await saveWebhookSource(deps.store, next);
  return json(200, viewOf(next, now.toISOString(), generated), { etag: `"${next.version}"` });
});

export const handler = toLambda(operation);
