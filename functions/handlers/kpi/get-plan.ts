import { implement, json, toLambda } from '../../http/operation';
import { kpiRoutes } from '../../routes/kpi';
import { kpiPlanWithVersions } from '../../services/kpi-plans';
import { getKpiPlan } from '../../store/kpi';

export const operation = implement(
  kpiRoutes.getPlan,
  async ({ deps, tenantId, params }) => json(200, await kpiPlanWithVersions(deps, tenantId, params.planId ?? '')),
  {
    serves: ({ store, tenantId, params }) => getKpiPlan(store, tenantId, params.planId ?? ''),
  },
);

export const handler = toLambda(operation);
