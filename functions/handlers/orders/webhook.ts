import { implement, json, toLambda } from '../../http/operation';
import { orderRoutes } from '../../routes/orders';
import { deliveryQueue, receiveDelivery } from '../../services/intake';

/**
 * An order system's delivery: stored, then processed (200 as an order answer), or accepted for the
 * worker or parked for the owner (202). Only a bad signature or an unknown source is refused (401).
 */
export const operation = implement(orderRoutes.webhook, async ({ deps, params, headers, rawBytes }) => {
  const input = { tenantId: params.tenantId ?? '', sourceId: params.sourceId ?? '', headers, body: rawBytes };
  const answer = await receiveDelivery(deps, input, deliveryQueue(deps));
  switch (answer.status) {
    case 'ping':
      return json(200, { ok: true });
    case 'processed': {
      // the first order's fields at the top (API.md's fixed point for one order); every order in `orders`
      const [first] = answer.orders;
      return json(200, { ...(first ?? {}), orders: answer.orders });
    }
    default:
      return json(202, answer);
  }
});

export const handler = toLambda(operation);
