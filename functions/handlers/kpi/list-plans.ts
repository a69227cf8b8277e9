import { implement, json, toLambda } from '../../http/operation';
import { kpiRoutes } from '../../routes/kpi';
import { listKpiPlans } from '../../store/kpi';

export const operation = implement(kpiRoutes.listPlans, async ({ deps, tenantId, query }) =>
  json(200, await listKpiPlans(deps.store, tenantId, query)),
);

export const handler = toLambda(operation);
