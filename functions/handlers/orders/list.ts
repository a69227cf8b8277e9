import { implement, json, toLambda } from '../../http/operation';
import { orderRoutes } from '../../routes/orders';
import { ordersFor } from '../../services/member-orders';

export const operation = implement(orderRoutes.list, async ({ deps, tenantId, query, membership }) =>
  json(200, await ordersFor(deps, tenantId, membership!, query)),
);

export const handler = toLambda(operation);
