import { notFound } from '../../../domain/errors';
import { implement, json, toLambda } from '../../http/operation';
import { webhookDeliveryRoutes } from '../../routes/webhook-deliveries';
import { deliveryQueue, replayDelivery } from '../../services/intake';
import { getDelivery } from '../../store/deliveries';
import { deliveryView } from './view';

export const operation = implement(webhookDeliveryRoutes.replay, async ({ deps, tenantId, params }) => {
  const delivery = await getDelivery(deps.store, tenantId, params.deliveryId ?? '');
  if (!delivery) throw notFound('Delivery');
  const after = await replayDelivery(deps, delivery, deliveryQueue(deps));
  return json(202, deliveryView(after), undefined);
});

export const handler = toLambda(operation);
