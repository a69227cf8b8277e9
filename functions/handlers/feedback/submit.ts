import { conflict, notFound } from '../../../domain/errors';
import { implement, json, toLambda } from '../../http/operation';
import { feedbackRoutes } from '../../routes/feedback';
import { getFeedbackLink } from '../../store/feedback';
import { getOrder } from '../../store/orders';
import { alreadyRated, gone, hashToken, rateOrder, TOKEN_PATTERN } from './rate';

const used = () => conflict('This feedback link has already been used');

/**
 * The customer rates through the one-time link: once (a second use is 409), before it expires
 * (410). The link is marked used in the rating's own transaction, so two racing submissions
 * record one rating.
 */
export const operation = implement(feedbackRoutes.submitByLink, async ({ deps, params, body }) => {
  const token = params.token ?? '';
  const tokenHash = TOKEN_PATTERN.test(token) ? hashToken(token) : null;
  const link = tokenHash ? await getFeedbackLink(deps.store, tokenHash) : null;
  if (!link || !tokenHash) throw notFound('Feedback link');
  if (link.usedAt) throw used();
  if (link.validUntil <= deps.now().toISOString()) return gone('This feedback link has expired');
  const order = await getOrder(deps.store, link.tenantId, link.orderId);
  if (!order) throw notFound('Feedback link');
  const { outcome, feedback } = await rateOrder(deps, order, body, { recordedBy: 'customer', channel: 'customer_link' }, { tokenHash });
  switch (outcome) {
    case 'recorded':
      return json(201, { orderId: feedback.orderId, stars: feedback.stars, ...(feedback.comment !== undefined ? { comment: feedback.comment } : {}), ratedAt: feedback.ratedAt, recordedAt: feedback.recordedAt, channel: feedback.channel });
    case 'link_used':
      throw used();
    case 'link_expired':
      return gone('This feedback link has expired');
    case 'already_rated':
      throw alreadyRated();
    case 'link_unknown':
      throw notFound('Feedback link');
  }
});

export const handler = toLambda(operation);
