import { implement, json, toLambda } from '../../http/operation';
import { kpiRoutes } from '../../routes/kpi';
import { createKpiPlan } from '../../services/kpi-plans';

/** A new plan is its version 1; later versions come through `…/kpi-plans/{planId}/versions`. */
export const operation = implement(kpiRoutes.createPlan, async ({ deps, tenantId, body, actor }) => {
  const plan = await createKpiPlan(deps, tenantId, body, actor);
  return json(201, plan, { location: `/v1/tenants/${tenantId}/kpi-plans/${plan.id}` });
});

export const handler = toLambda(operation);
