import { implement, json, toLambda } from '../../http/operation';
import { feedbackRoutes } from '../../routes/feedback';
import { feedbackOfOrder } from '../../services/feedback';

export const operation = implement(feedbackRoutes.get, async ({ deps, tenantId, params, membership }) =>
  json(200, await feedbackOfOrder(deps, tenantId, params.orderId ?? '', membership!)),
);

export const handler = toLambda(operation);
