import { notFound } from '../../../domain/errors';
import { implement, json, toLambda } from '../../http/operation';
import { feedbackRoutes } from '../../routes/feedback';
import { getFeedbackLink } from '../../store/feedback';
import { getOrder } from '../../store/orders';
import { getTenant } from '../../store/tenants';
import { gone, hashToken, TOKEN_PATTERN } from './rate';

/** What the customer's rating page shows: the business and the order's items, nothing personal. */
export const operation = implement(feedbackRoutes.linkInfo, async ({ deps, params }) => {
  const token = params.token ?? '';
  const link = TOKEN_PATTERN.test(token) ? await getFeedbackLink(deps.store, hashToken(token)) : null;
  if (!link) throw notFound('Feedback link');
  if (!link.usedAt && link.validUntil <= deps.now().toISOString()) return gone('This feedback link has expired');
  const [order, tenant] = await Promise.all([getOrder(deps.store, link.tenantId, link.orderId), getTenant(deps.store, link.tenantId)]);
  if (!order || !tenant) throw notFound('Feedback link');
  return json(200, {
    businessName: tenant.name,
    orderExternalId: order.record.externalId,
    orderedAt: order.record.createdAt,
    items: order.record.lines.map((l) => ({ productId: l.productId, unit: l.unit, quantity: l.quantity })),
    expiresAt: link.validUntil,
    used: !!link.usedAt,
  });
});

export const handler = toLambda(operation);
