import { implement, json, toLambda } from '../../http/operation';
import { commissionPlanRoutes } from '../../routes/commission-plans';
import { latestPlanVersionNumber, putPlanVersion, type PlanVersionItem } from '../../store/plans';

/** A business has one commission plan; every create is its next version. */
export const PLAN_ID = 'main';

export const operation = implement(commissionPlanRoutes.create, async ({ deps, tenantId, body, actor }) => {
  const version = (await latestPlanVersionNumber(deps.store, tenantId)) + 1;
  const item: PlanVersionItem = {
    ...body,
    id: `${PLAN_ID}.v${version}`,
    tenantId,
    planId: PLAN_ID,
    version,
    createdAt: deps.now().toISOString(),
    createdBy: actor,
  };
  await putPlanVersion(deps.store, item);
  return json(201, item, { location: `/v1/tenants/${tenantId}/commission-plans/${version}` });
});

export const handler = toLambda(operation);
