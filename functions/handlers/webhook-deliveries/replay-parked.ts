import { notFound } from '../../../domain/errors';
import { implement, json, toLambda } from '../../http/operation';
import { webhookDeliveryRoutes } from '../../routes/webhook-deliveries';
import { deliveryQueue, replayDelivery } from '../../services/intake';
import { listDeliveries } from '../../store/deliveries';
import { getWebhookSource } from '../../store/webhook-sources';

/** Replayed one after another (each may write an order), a bounded number per call. */
const PER_CALL = 25;

export const operation = implement(webhookDeliveryRoutes.replayParked, async ({ deps, tenantId, params }) => {
  const sourceId = params.sourceId ?? '';
  if (!(await getWebhookSource(deps.store, tenantId, sourceId))) throw notFound('Webhook source');
  const page = await listDeliveries(deps.store, tenantId, { status: 'parked', sourceId }, { limit: PER_CALL });
  const queue = deliveryQueue(deps);
  const results: { id: string; status: string }[] = [];
  // oldest first: an order's revisions are replayed in the order they came
  for (const delivery of [...page.items].reverse()) {
    const after = await replayDelivery(deps, delivery, queue);
    results.push({ id: after.id, status: after.status });
  }
  return json(202, { replayed: results.length, results, more: page.nextCursor !== null });
});

export const handler = toLambda(operation);
