import { implement, json, toLambda } from '../../http/operation';
import { commissionPlanRoutes } from '../../routes/commission-plans';
import { listPlanVersions } from '../../store/plans';

export const operation = implement(commissionPlanRoutes.list, async ({ deps, tenantId, query }) =>
  json(200, await listPlanVersions(deps.store, tenantId, query)),
);

export const handler = toLambda(operation);
