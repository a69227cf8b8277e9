import { rotate } from '../../../domain/entities/webhook-source';
import { notFound } from '../../../domain/errors';
import { implement, json, toLambda } from '../../http/operation';
import { webhookSourceRoutes } from '../../routes/webhook-sources';
import { getWebhookSource, saveWebhookSource } from '../../store/webhook-sources';
import { newSigningSecret, sealSecret, secretContext } from '../../webhooks/secrets';
import { viewOf } from './view';

/** A new signing secret: the owner's (`secret`, never shown back) or generated (shown once). */
export const operation = implement(webhookSourceRoutes.rotate, async ({ deps, tenantId, params, body }) => {
  const source = await getWebhookSource(deps.store, tenantId, params.sourceId ?? '');
  if (!source) throw notFound('Webhook source');
  const now = deps.now();
  const generated = body.secret === undefined ? newSigningSecret() : undefined;
  const secret = body.secret ?? generated!;
  const overlapUntil = new Date(now.getTime() + body.overlapHours * 3600_000).toISOString();
  const next = rotate(source, sealSecret(deps.secretsKey(), secret, secretContext(tenantId, source.id)), now.toISOString(), overlapUntil);
  await saveWebhookSource(deps.store, next);
  return json(200, viewOf(next, generated));
});

export const handler = toLambda(operation);
