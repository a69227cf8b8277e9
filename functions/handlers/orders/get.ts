import { implement, json, toLambda } from '../../http/operation';
import { etag } from '../../http/versions';
import { orderRoutes } from '../../routes/orders';
import { orderDetail } from '../../services/member-orders';
import { getOrder } from '../../store/orders';
import { getSettings } from '../../store/tenants';

export const operation = implement(
  orderRoutes.get,
  async ({ deps, tenantId, params, membership }) => {
    const { version, view } = await orderDetail(deps, tenantId, params.orderId ?? '', membership!);
    return json(200, view, etag(version));
  },
  { serves: ({ store, tenantId, params }) => Promise.all([getOrder(store, tenantId, params.orderId ?? ''), getSettings(store, tenantId)]) },
);

export const handler = toLambda(operation);
