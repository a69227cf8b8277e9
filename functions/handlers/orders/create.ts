import { implement, json, toLambda } from '../../http/operation';
import { orderRoutes } from '../../routes/orders';
import { enterOrder } from '../../services/member-orders';

export const operation = implement(orderRoutes.create, async ({ deps, tenantId, body, membership }) => {
  const { id, view } = await enterOrder(deps, tenantId, membership!, body);
  return json(201, view, { location: `/v1/tenants/${tenantId}/orders/${id}` });
});

export const handler = toLambda(operation);
