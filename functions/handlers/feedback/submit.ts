import { implement, json, toLambda } from '../../http/operation';
import { feedbackRoutes } from '../../routes/feedback';
import { submitRatingByLink } from '../../services/feedback';
import { gone } from './gone';

/** The customer rates through the one-time link: once (a second use is 409), before it expires (410). */
export const operation = implement(feedbackRoutes.submitByLink, async ({ deps, params, body }) => {
  const feedback = await submitRatingByLink(deps, params.token ?? '', body);
  if ('expired' in feedback) return gone('This feedback link has expired');
  const { orderId, stars, comment, ratedAt, recordedAt, channel } = feedback;
  return json(201, { orderId, stars, ...(comment !== undefined ? { comment } : {}), ratedAt, recordedAt, channel });
});

export const handler = toLambda(operation);
