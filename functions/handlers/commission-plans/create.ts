import { implement, json, toLambda } from '../../http/operation';
import { commissionPlanRoutes } from '../../routes/commission-plans';
import { createPlanVersion } from '../../services/commission-plans';

export const operation = implement(commissionPlanRoutes.create, async ({ deps, tenantId, body, actor }) => {
  const item = await createPlanVersion(deps, tenantId, body, actor);
  return json(201, item, { location: `/v1/tenants/${tenantId}/commission-plans/${item.version}` });
});

export const handler = toLambda(operation);
