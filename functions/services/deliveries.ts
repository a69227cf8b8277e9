import { conflict, notFound } from '../../domain/errors';
import type { Deps } from '../deps';
import { getDelivery, getDeliveryBody, listDeliveries, type Delivery } from '../store/deliveries';
import { getWebhookSource } from '../store/webhook-sources';
import { deliveryQueue, discardDelivery, replayDelivery } from './intake';

/** The owner's handling of stored webhook deliveries: read one, replay it, replay a source's parked ones, discard one. */

async function deliveryOf(deps: Deps, tenantId: string, deliveryId: string): Promise<Delivery> {
  const delivery = await getDelivery(deps.store, tenantId, deliveryId);
  if (!delivery) throw notFound('Delivery');
  return delivery;
}

/** A delivery with the bytes it brought, or 404. */
export async function deliveryWithBody(deps: Deps, tenantId: string, deliveryId: string) {
  const [delivery, body] = await Promise.all([
    getDelivery(deps.store, tenantId, deliveryId),
    getDeliveryBody(deps.store, tenantId, deliveryId),
  ]);
  if (!delivery) throw notFound('Delivery');
  return { delivery, body };
}

/** Process a stored delivery again (the intake's rules: it may be parked again). */
export async function replayDeliveryById(deps: Deps, tenantId: string, deliveryId: string): Promise<Delivery> {
  return replayDelivery(deps, await deliveryOf(deps, tenantId, deliveryId), deliveryQueue(deps));
}

/** Replayed one after another (each may write an order), a bounded number per call. */
const REPLAYED_PER_CALL = 25;

/**
 * Replay a source's parked deliveries, oldest first (an order's revisions are replayed in the order
 * they came), at most REPLAYED_PER_CALL; `more`: some are left for another call.
 */
export async function replayParkedDeliveries(deps: Deps, tenantId: string, sourceId: string) {
  if (!(await getWebhookSource(deps.store, tenantId, sourceId))) throw notFound('Webhook source');
  const page = await listDeliveries(deps.store, tenantId, { status: 'parked', sourceId }, { limit: REPLAYED_PER_CALL });
  const queue = deliveryQueue(deps);
  const results: { id: string; status: string }[] = [];
  for (const delivery of [...page.items].reverse()) {
    const after = await replayDelivery(deps, delivery, queue);
    results.push({ id: after.id, status: after.status });
  }
  return { replayed: results.length, results, more: page.nextCursor !== null };
}

/** Set a parked or waiting delivery aside for good, with the owner's reason (another status: 409). */
export async function discardDeliveryById(deps: Deps, tenantId: string, deliveryId: string, reason: string) {
  const before = await deliveryOf(deps, tenantId, deliveryId);
  const after = await discardDelivery(deps, before, reason);
  if (!after) throw conflict(`A ${before.status} delivery cannot be discarded: only parked or waiting ones`, 'status');
  return { before, after };
}
