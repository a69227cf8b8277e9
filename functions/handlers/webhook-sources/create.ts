import { implement, json, toLambda } from '../../http/operation';
import { etag } from '../../http/versions';
import { webhookSourceRoutes } from '../../routes/webhook-sources';
import { createWebhookSource } from '../../services/webhook-sources';
import { viewOf } from './view';

/** Register an order system; the answer shows a generated signing secret, once. */
export const operation = implement(webhookSourceRoutes.create, async ({ deps, tenantId, body, actor }) => {
  const { source, generated, at } = await createWebhookSource(deps, tenantId, body, actor);
  return json(201, viewOf(source, at, generated), etag(source.version));
});

export const handler = toLambda(operation);
