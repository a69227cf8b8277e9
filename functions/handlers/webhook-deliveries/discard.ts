import { conflict, notFound } from '../../../domain/errors';
import { implement, json, toLambda } from '../../http/operation';
import { webhookDeliveryRoutes } from '../../routes/webhook-deliveries';
import { discardDelivery } from '../../services/intake';
import { getDelivery } from '../../store/deliveries';
import { deliveryView } from './view';

export const operation = implement(webhookDeliveryRoutes.discard, async ({ deps, tenantId, params, body }) => {
  const delivery = await getDelivery(deps.store, tenantId, params.deliveryId ?? '');
  if (!delivery) throw notFound('Delivery');
  const after = await discardDelivery(deps, delivery, body.reason);
  if (!after) throw conflict(`A ${delivery.status} delivery cannot be discarded: only parked or waiting ones`, 'status');
  return { status: 200, body: deliveryView(after), audit: { before: deliveryView(delivery), after: deliveryView(after) } };
});

export const handler = toLambda(operation);
