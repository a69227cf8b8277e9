import { implement, json, toLambda } from '../../http/operation';
import { webhookDeliveryRoutes } from '../../routes/webhook-deliveries';
import { replayParkedDeliveries } from '../../services/deliveries';

export const operation = implement(webhookDeliveryRoutes.replayParked, async ({ deps, tenantId, params }) =>
  json(202, await replayParkedDeliveries(deps, tenantId, params.sourceId ?? '')),
);

export const handler = toLambda(operation);
