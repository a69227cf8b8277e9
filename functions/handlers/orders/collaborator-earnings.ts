import { implement, json, toLambda } from '../../http/operation';
import { orderRoutes } from '../../routes/orders';
import { collaboratorEarnings } from '../../services/earnings';

export const operation = implement(orderRoutes.collaboratorEarnings, async ({ deps, tenantId, params, query, membership }) =>
  json(200, await collaboratorEarnings(deps, tenantId, params.collaboratorId ?? '', membership!, query.period)),
);

export const handler = toLambda(operation);
