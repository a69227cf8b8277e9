import { notFound } from '../../../domain/errors';
import { implement, json, toLambda } from '../../http/operation';
import { feedbackRoutes } from '../../routes/feedback';
import { getFeedback } from '../../store/feedback';
import { visibleOrder } from '../../services/visibility';

export const operation = implement(feedbackRoutes.get, async ({ deps, tenantId, params, membership }) => {
  const order = await visibleOrder(deps, tenantId, params.orderId ?? '', membership!);
  const feedback = await getFeedback(deps.store, tenantId, order.id);
  if (!feedback) throw notFound('Feedback');
  return json(200, feedback);
});

export const handler = toLambda(operation);
