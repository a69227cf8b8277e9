import { implement, json, toLambda } from '../../http/operation';
import { orderRoutes } from '../../routes/orders';
import { getOrderLedger } from '../../store/orders';
import { getSettings } from '../../store/tenants';
import { visibleOrder } from '../../services/visibility';
import { orderView } from '../../services/order-views';

export const operation = implement(orderRoutes.get, async ({ deps, tenantId, params, membership }) => {
  const order = await visibleOrder(deps, tenantId, params.orderId ?? '', membership!);
  const [ledger, settings] = await Promise.all([getOrderLedger(deps.store, tenantId, order.id), getSettings(deps.store, tenantId)]);
  return json(200, orderView(order, ledger, settings.holdingDays, deps.now().toISOString()), { etag: `"${order.version}"` });
});

export const handler = toLambda(operation);
