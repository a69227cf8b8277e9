import { implement, json, toLambda } from '../../http/operation';
import { feedbackRoutes } from '../../routes/feedback';
import { newFeedbackLink } from '../../services/feedback';

/** A one-time link for the customer; its token is shown once, here (only its hash is stored). */
export const operation = implement(feedbackRoutes.createLink, async ({ deps, tenantId, params, actor, membership }) =>
  json(201, await newFeedbackLink(deps, tenantId, params.orderId ?? '', membership!, actor)),
);

export const handler = toLambda(operation);
