import { implement, json, toLambda } from '../../http/operation';
import { webhookSourceRoutes } from '../../routes/webhook-sources';
import { listWebhookSources } from '../../store/webhook-sources';
import { viewOf } from './view';

export const operation = implement(webhookSourceRoutes.list, async ({ deps, tenantId, query }) => {
  const page = await listWebhookSources(deps.store, tenantId, query);
  return json(200, { items: page.items.map((s) => viewOf(s, deps.now().toISOString())), nextCursor: page.nextCursor });
});

export const handler = toLambda(operation);
