import { implement, json, toLambda } from '../../http/operation';
import { webhookSourceRoutes } from '../../routes/webhook-sources';
import { saveWebhookSource } from '../../store/webhook-sources';
import { newSigningSecret, sealSecret, secretContext } from '../../webhooks/secrets';
import { viewOf } from './view';

export const operation = implement(webhookSourceRoutes.create, async ({ deps, tenantId, body, actor }) => {
  const id = deps.newId();
  const secret = newSigningSecret();
  const createdAt = deps.now().toISOString();
  const source = {
    id,
    tenantId,
    name: body.name,
    kind: body.kind,
    secrets: [{ sealed: sealSecret(deps.secretsKey(), secret, secretContext(tenantId, id)), createdAt }],
    createdAt,
    createdBy: actor,
    version: 1,
  };
  await saveWebhookSource(deps.store, source);
  return json(201, viewOf(source, secret));
});

export const handler = toLambda(operation);
