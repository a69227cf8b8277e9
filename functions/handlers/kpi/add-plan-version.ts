import { implement, json, toLambda } from '../../http/operation';
import { kpiRoutes } from '../../routes/kpi';
import { addKpiPlanVersion } from '../../services/kpi-plans';

/** The next version of a plan, in force from its effectiveFrom (not before the latest version's). */
export const operation = implement(kpiRoutes.addPlanVersion, async ({ deps, tenantId, params, body, actor }) => {
  const version = await addKpiPlanVersion(deps, tenantId, params.planId ?? '', body, actor);
  return json(201, version, { location: `/v1/tenants/${tenantId}/kpi-plans/${version.id}` });
});

export const handler = toLambda(operation);
