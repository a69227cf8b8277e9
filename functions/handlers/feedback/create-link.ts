import { implement, json, toLambda } from '../../http/operation';
import { feedbackRoutes } from '../../routes/feedback';
import { createFeedbackLink, getFeedback } from '../../store/feedback';
import { visibleOrder } from '../../services/visibility';
import { alreadyRated, assertRateable, hashToken, LINK_VALID_DAYS } from './rate';

/**
 * A one-time link for the customer: 32 random bytes (base64url). Only its SHA-256 is stored, so
 * the token is shown once, here, and a table dump does not give usable links.
 */
export const operation = implement(feedbackRoutes.createLink, async ({ deps, tenantId, params, actor, membership }) => {
  const order = await visibleOrder(deps, tenantId, params.orderId ?? '', membership!);
  assertRateable(order);
  if (await getFeedback(deps.store, tenantId, order.id)) throw alreadyRated();
  const token = Buffer.from(deps.random(32)).toString('base64url');
  const now = deps.now();
  const validUntil = new Date(now.getTime() + LINK_VALID_DAYS * 24 * 3600 * 1000).toISOString();
  await createFeedbackLink(deps.store, hashToken(token), { tenantId, orderId: order.id, createdAt: now.toISOString(), createdBy: actor, validUntil });
  return json(201, { orderId: order.id, token, url: `/v1/feedback/${token}`, expiresAt: validUntil });
});

export const handler = toLambda(operation);
