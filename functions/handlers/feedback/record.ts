import { implement, json, toLambda } from '../../http/operation';
import { feedbackRoutes } from '../../routes/feedback';
import { recordRatingAs } from '../../services/feedback';

/**
 * The customer's rating recorded by the credited CTV, the order's care staff or manager, or the
 * owner (a seller who only worked on the order may see it but not rate it).
 */
export const operation = implement(feedbackRoutes.record, async ({ deps, tenantId, params, body, membership }) => {
  const feedback = await recordRatingAs(deps, tenantId, params.orderId ?? '', membership!, body);
  return json(201, feedback, { location: `/v1/tenants/${tenantId}/orders/${feedback.orderId}/feedback` });
});

export const handler = toLambda(operation);
