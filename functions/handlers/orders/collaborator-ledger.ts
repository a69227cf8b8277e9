import { implement, json, toLambda } from '../../http/operation';
import { orderRoutes } from '../../routes/orders';
import { collaboratorLedger } from '../../services/earnings';

export const operation = implement(orderRoutes.collaboratorLedger, async ({ deps, tenantId, params, query, membership }) =>
  json(200, await collaboratorLedger(deps, tenantId, params.collaboratorId ?? '', membership!, query)),
);

export const handler = toLambda(operation);
