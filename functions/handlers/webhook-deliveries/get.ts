import { notFound } from '../../../domain/errors';
import { implement, json, toLambda } from '../../http/operation';
import { webhookDeliveryRoutes } from '../../routes/webhook-deliveries';
import { getDelivery, getDeliveryBody } from '../../store/deliveries';
import { deliveryDetail } from './view';

export const operation = implement(webhookDeliveryRoutes.get, async ({ deps, tenantId, params }) => {
  const id = params.deliveryId ?? '';
  const [delivery, body] = await Promise.all([getDelivery(deps.store, tenantId, id), getDeliveryBody(deps.store, tenantId, id)]);
  if (!delivery) throw notFound('Delivery');
  return json(200, deliveryDetail(delivery, body));
});

export const handler = toLambda(operation);
