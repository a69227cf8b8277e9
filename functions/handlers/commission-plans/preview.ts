import { implement, json, toLambda } from '../../http/operation';
import { commissionPlanRoutes } from '../../routes/commission-plans';
import { previewPlan } from '../../services/commission-plans';

/** A draft version priced against the orders approved in a range, beside the versions in force; writes nothing. */
export const operation = implement(commissionPlanRoutes.preview, async ({ deps, tenantId, body, membership }) =>
  json(200, await previewPlan(deps, tenantId, body, membership!)),
);

export const handler = toLambda(operation);
