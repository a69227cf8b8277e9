import { notFound, ruleViolation } from '../../../domain/errors';
import { implement, json, toLambda } from '../../http/operation';
import { kpiRoutes } from '../../routes/kpi';
import { getKpiPlan, putKpiPlanVersion, type StoredKpiPlanVersion } from '../../store/kpi';

/**
 * The next version of a plan. Versions are immutable and in force from their effectiveFrom, which
 * may not be before the latest version's (the same day replaces it from then on), so the version in
 * force on a day is always the highest one that has started, and a past period keeps its numbers.
 */
export const operation = implement(kpiRoutes.addPlanVersion, async ({ deps, tenantId, params, body, actor }) => {
  const latest = await getKpiPlan(deps.store, tenantId, params.planId ?? '');
  if (!latest) throw notFound('KPI plan');
  if (body.effectiveFrom < latest.effectiveFrom) {
    throw ruleViolation(`A new version takes effect on or after the latest one (${latest.effectiveFrom})`, 'effectiveFrom');
  }
  const version: StoredKpiPlanVersion = {
    ...body,
    id: latest.id,
    tenantId,
    version: latest.version + 1,
    createdAt: deps.now().toISOString(),
    createdBy: actor,
  };
  await putKpiPlanVersion(deps.store, version);
  return json(201, version, { location: `/v1/tenants/${tenantId}/kpi-plans/${version.id}` });
});

export const handler = toLambda(operation);
