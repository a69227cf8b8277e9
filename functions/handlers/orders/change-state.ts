import { preconditionFailed, ruleViolation } from '../../../domain/errors';
import { MANUAL_SOURCE } from '../../../domain/orders/manual';
import { manualRevision } from '../../../domain/orders/order';
import { implement, json, toLambda } from '../../http/operation';
import { orderRoutes } from '../../routes/orders';
import { applyOrderEvent } from '../../services/orders';
import { getOrderLedger } from '../../store/orders';
import { getSettings } from '../../store/tenants';
import { visibleOrder } from '../../services/visibility';
import { orderView } from '../../services/order-views';

export const operation = implement(orderRoutes.changeState, async ({ deps, tenantId, params, body, headers, membership }) => {
  const order = await visibleOrder(deps, tenantId, params.orderId ?? '', membership!);
  // an order system's own orders change through its webhooks: our revision would collide with its next one
  if (order.record.sourceId !== MANUAL_SOURCE) {
    throw ruleViolation('This order comes from an order system; change it there', 'orderId');
  }
  const ifMatch = headers['if-match']?.replace(/^W\//, '').replace(/"/g, '').trim();
  if (ifMatch !== undefined && ifMatch !== String(order.version)) throw preconditionFailed();
  const now = deps.now().toISOString();
  const outcome = await applyOrderEvent(deps, tenantId, MANUAL_SOURCE, manualRevision(order.record, body, now));
  // two changes made from the same revision: the second one finds its revision taken, a stale version (412)
  if (!outcome.applied) throw preconditionFailed('The order changed meanwhile; read it again');
  const [ledger, settings] = await Promise.all([getOrderLedger(deps.store, tenantId, order.id), getSettings(deps.store, tenantId)]);
  return json(200, orderView(outcome.order, ledger, settings.holdingDays, now), { etag: `"${outcome.order.version}"` });
});

export const handler = toLambda(operation);
