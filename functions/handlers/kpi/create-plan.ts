import { implement, json, toLambda } from '../../http/operation';
import { kpiRoutes } from '../../routes/kpi';
import { putKpiPlanVersion, type StoredKpiPlanVersion } from '../../store/kpi';

/** A new plan is its version 1; later versions come through `…/kpi-plans/{planId}/versions`. */
export const operation = implement(kpiRoutes.createPlan, async ({ deps, tenantId, body, actor }) => {
  const plan: StoredKpiPlanVersion = { ...body, id: deps.newId(), tenantId, version: 1, createdAt: deps.now().toISOString(), createdBy: actor };
  await putKpiPlanVersion(deps.store, plan);
  return json(201, plan, { location: `/v1/tenants/${tenantId}/kpi-plans/${plan.id}` });
});

export const handler = toLambda(operation);
