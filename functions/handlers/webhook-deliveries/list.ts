import { implement, json, toLambda } from '../../http/operation';
import { webhookDeliveryRoutes } from '../../routes/webhook-deliveries';
import { listDeliveries } from '../../store/deliveries';
import { deliveryView } from './view';

export const operation = implement(webhookDeliveryRoutes.list, async ({ deps, tenantId, query }) => {
  const page = await listDeliveries(
    deps.store,
    tenantId,
    { status: query.status, ...(query.sourceId ? { sourceId: query.sourceId } : {}) },
    query,
  );
  return json(200, { items: page.items.map(deliveryView), nextCursor: page.nextCursor });
});

export const handler = toLambda(operation);
