import { notFound } from '../../../domain/errors';
import { implement, json, toLambda } from '../../http/operation';
import { kpiRoutes } from '../../routes/kpi';
import { getKpiPlan, kpiPlanVersions } from '../../store/kpi';

export const operation = implement(kpiRoutes.getPlan, async ({ deps, tenantId, params }) => {
  const planId = params.planId ?? '';
  const [latest, versions] = await Promise.all([getKpiPlan(deps.store, tenantId, planId), kpiPlanVersions(deps.store, tenantId, planId)]);
  if (!latest) throw notFound('KPI plan');
  return json(200, { ...latest, versions });
});

export const handler = toLambda(operation);
