import { implement, json, toLambda } from '../../http/operation';
import { webhookDeliveryRoutes } from '../../routes/webhook-deliveries';
import { deliveryWithBody } from '../../services/deliveries';
import { deliveryDetail } from './view';

export const operation = implement(webhookDeliveryRoutes.get, async ({ deps, tenantId, params }) => {
  const { delivery, body } = await deliveryWithBody(deps, tenantId, params.deliveryId ?? '');
  return json(200, deliveryDetail(delivery, body));
});

export const handler = toLambda(operation);
