import { implement, json, toLambda } from '../../http/operation';
import { meCtvRoutes } from '../../routes/me-ctv';
import { myOrders } from '../../services/me-ctv';

export const operation = implement(meCtvRoutes.orders, async ({ deps, tenantId, query, caller }) =>
  json(200, await myOrders(deps, tenantId, caller!.sub, query)),
);

export const handler = toLambda(operation);
