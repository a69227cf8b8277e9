import { implement, json, toLambda } from '../../http/operation';
import { webhookDeliveryRoutes } from '../../routes/webhook-deliveries';
import { replayDeliveryById } from '../../services/deliveries';
import { deliveryView } from './view';

export const operation = implement(webhookDeliveryRoutes.replay, async ({ deps, tenantId, params }) =>
  json(202, deliveryView(await replayDeliveryById(deps, tenantId, params.deliveryId ?? ''))),
);

export const handler = toLambda(operation);
