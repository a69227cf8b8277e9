import { implement, toLambda } from '../../http/operation';
import { webhookDeliveryRoutes } from '../../routes/webhook-deliveries';
import { discardDeliveryById } from '../../services/deliveries';
import { deliveryView } from './view';

export const operation = implement(webhookDeliveryRoutes.discard, async ({ deps, tenantId, params, body }) => {
  const { before, after } = await discardDeliveryById(deps, tenantId, params.deliveryId ?? '', body.reason);
  return { status: 200, body: deliveryView(after), audit: { before: deliveryView(before), after: deliveryView(after) } };
});

export const handler = toLambda(operation);
