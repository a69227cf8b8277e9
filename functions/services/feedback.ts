import { createHash } from 'node:crypto';
import type { Membership } from '../../domain/entities/roster';
import { calendarOf } from '../../domain/entities/tenant';
import { conflict, forbidden, invalid, notFound, ruleViolation } from '../../domain/errors';
import { assertRateable, isOrderStaff } from '../../domain/feedback';
import { csatDelta } from '../../domain/okr/csat';
import { CYCLES, periodIdAt } from '../../domain/period';
import type { Deps } from '../deps';
import { getCollaborator } from '../store/collaborators';
import {
  createFeedbackLink,
  getFeedback,
  getFeedbackLink,
  recordFeedback,
  type FeedbackChannel,
  type RecordFeedbackOutcome,
  type StoredFeedback,
  type StoredFeedbackLink,
} from '../store/feedback';
import { getOrder, type StoredOrder } from '../store/orders';
import { getPeriodsState } from '../store/periods';
import { getSettings, getTenant } from '../store/tenants';
import { visibleOrder } from './visibility';

/**
 * Customers' ratings of orders: recorded by the order's staff or its CTV, or given by the customer
 * through a one-time link. A link's token is 32 random bytes (base64url); only its SHA-256 is
 * stored, so the token is shown once, when made, and a table dump does not give usable links.
 */

/** A one-time link is valid this long. */
export const LINK_VALID_DAYS = 7;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

const alreadyRated = () => conflict('This order has already been rated', 'orderId');
const linkUsed = () => conflict('This feedback link has already been used');

export interface Rating {
  stars: number;
  comment?: string | undefined;
  /** ISO 8601 as given, or absent for now */
  ratedAt?: string | undefined;
}

/** A link past its validity: the route answers 410 Gone (no domain error kind maps to it). */
const LINK_EXPIRED = { expired: true } as const;

/** The link of a token (only well-formed tokens are looked up), with its hash. */
async function linkOf(deps: Deps, token: string): Promise<{ link: StoredFeedbackLink | null; tokenHash: string | null }> {
  const tokenHash = TOKEN_PATTERN.test(token) ? hashToken(token) : null;
  return { link: tokenHash ? await getFeedbackLink(deps.store, tokenHash) : null, tokenHash };
}

/** A one-time link for the customer of an order the caller may see, which is confirmed and not yet rated. */
export async function newFeedbackLink(deps: Deps, tenantId: string, orderId: string, membership: Membership, actor: string) {
  const order = await visibleOrder(deps, tenantId, orderId, membership);
  assertRateable(order.record);
  if (await getFeedback(deps.store, tenantId, order.id)) throw alreadyRated();
  const token = Buffer.from(deps.random(32)).toString('base64url');
  const now = deps.now();
  const validUntil = new Date(now.getTime() + LINK_VALID_DAYS * 24 * 3600 * 1000).toISOString();
  await createFeedbackLink(deps.store, hashToken(token), {
    tenantId,
    orderId: order.id,
    createdAt: now.toISOString(),
    createdBy: actor,
    validUntil,
  });
  return { orderId: order.id, token, url: `/v1/feedback/${token}`, expiresAt: validUntil };
}

/** The rating of an order the caller may see, or 404. */
export async function feedbackOfOrder(deps: Deps, tenantId: string, orderId: string, membership: Membership): Promise<StoredFeedback> {
  const order = await visibleOrder(deps, tenantId, orderId, membership);
  const feedback = await getFeedback(deps.store, tenantId, order.id);
  if (!feedback) throw notFound('Feedback');
  return feedback;
}

/** What the customer's rating page shows: the business and the order's items, nothing personal. */
export async function feedbackLinkInfo(deps: Deps, token: string) {
  const { link } = await linkOf(deps, token);
  if (!link) throw notFound('Feedback link');
  if (!link.usedAt && link.validUntil <= deps.now().toISOString()) return LINK_EXPIRED;
  const [order, tenant] = await Promise.all([getOrder(deps.store, link.tenantId, link.orderId), getTenant(deps.store, link.tenantId)]);
  if (!order || !tenant) throw notFound('Feedback link');
  return {
    businessName: tenant.name,
    orderExternalId: order.record.externalId,
    orderedAt: order.record.createdAt,
    items: order.record.lines.map((l) => ({ productId: l.productId, unit: l.unit, quantity: l.quantity })),
    expiresAt: link.validUntil,
    used: !!link.usedAt,
  };
}

/**
 * The customer's rating recorded by a member: the order's staff (owner, its manager or care staff)
 * or the credited CTV. A second rating of the order is a 409.
 */
export async function recordRatingAs(
  deps: Deps,
  tenantId: string,
  orderId: string,
  membership: Membership,
  rating: Rating,
): Promise<StoredFeedback> {
  const order = await visibleOrder(deps, tenantId, orderId, membership);
  const a = order.attribution;
  let channel: FeedbackChannel | null = isOrderStaff(membership, a) ? 'staff' : null;
  if (!channel && membership.roles.includes('collaborator') && a?.collaboratorId) {
    const ctv = await getCollaborator(deps.store, tenantId, a.collaboratorId);
    if (ctv?.userId === membership.userId) channel = 'collaborator';
  }
  if (!channel) throw forbidden('Only the credited CTV, the care staff or manager of the order, or the owner record its rating');
  assertRateable(order.record);
  const { outcome, feedback } = await rateOrder(deps, order, rating, { recordedBy: membership.userId, channel });
  if (outcome !== 'recorded') throw alreadyRated();
  return feedback;
}

/**
 * The customer rates through the one-time link: once (a second use is 409), before it expires
 * (LINK_EXPIRED). The link is marked used in the rating's own transaction, so two racing
 * submissions record one rating.
 */
export async function submitRatingByLink(deps: Deps, token: string, rating: Rating): Promise<StoredFeedback | typeof LINK_EXPIRED> {
  const { link, tokenHash } = await linkOf(deps, token);
  if (!link || !tokenHash) throw notFound('Feedback link');
  if (link.usedAt) throw linkUsed();
  if (link.validUntil <= deps.now().toISOString()) return LINK_EXPIRED;
  const order = await getOrder(deps.store, link.tenantId, link.orderId);
  if (!order) throw notFound('Feedback link');
  const { outcome, feedback } = await rateOrder(deps, order, rating, { recordedBy: 'customer', channel: 'customer_link' }, { tokenHash });
  switch (outcome) {
    case 'recorded':
      return feedback;
    case 'link_used':
      throw linkUsed();
    case 'link_expired':
      return LINK_EXPIRED;
    case 'already_rated':
      throw alreadyRated();
    case 'link_unknown':
      throw notFound('Feedback link');
  }
}

/**
 * Record the rating of an order with the increments it causes, exactly once: the CSAT counters of
 * the order's manager (`attribution.managerUserId`) and the stars counters of its CTV, per period of
 * each cycle of `ratedAt` (in the business's time zone), in the rating's own transaction.
 * `ratedAt` defaults to now; it may not be in the future (400), before the order was created, or
 * in a closed statement month (422).
 */
async function rateOrder(
  deps: Deps,
  order: StoredOrder,
  rating: Rating,
  who: { recordedBy: string; channel: FeedbackChannel },
  link?: { tokenHash: string },
): Promise<{ outcome: RecordFeedbackOutcome; feedback: StoredFeedback }> {
  const now = deps.now();
  const ratedMs = rating.ratedAt === undefined ? now.getTime() : Date.parse(rating.ratedAt);
  if (ratedMs > now.getTime()) throw invalid([{ path: 'ratedAt', message: 'cannot be in the future' }]);
  if (ratedMs < Date.parse(order.record.createdAt)) throw ruleViolation('A rating cannot be older than its order', 'ratedAt');
  const [settings, { closed, version }] = await Promise.all([
    getSettings(deps.store, order.tenantId),
    getPeriodsState(deps.store, order.tenantId),
  ]);
  const tz = calendarOf(settings);
  if (closed.includes(periodIdAt(ratedMs, 'month', tz))) {
    throw ruleViolation('That month is closed; a rating given then can no longer be recorded', 'ratedAt');
  }
  const a = order.attribution;
  const collaboratorId = a?.collaboratorId ?? null;
  const feedback: StoredFeedback = {
    tenantId: order.tenantId,
    orderId: order.id,
    stars: rating.stars,
    ...(rating.comment !== undefined ? { comment: rating.comment } : {}),
    ratedAt: new Date(ratedMs).toISOString(),
    recordedAt: now.toISOString(),
    recordedBy: who.recordedBy,
    channel: who.channel,
    collaboratorId,
    careStaffUserId: collaboratorId ? (a?.careStaffUserId ?? null) : null,
    managerUserId: collaboratorId ? (a?.managerUserId ?? null) : null,
  };
  const csat = csatDelta(
    null,
    { ratingId: order.id, managerUserId: feedback.managerUserId, stars: rating.stars, ratedAt: ratedMs },
    tz,
    CYCLES,
  );
  const stars = collaboratorId ? CYCLES.map((cycle) => ({ collaboratorId, periodId: periodIdAt(ratedMs, cycle, tz) })) : [];
  const outcome = await recordFeedback(
    deps.store,
    feedback,
    csat,
    stars,
    version,
    link ? { tokenHash: link.tokenHash, now: now.toISOString() } : undefined,
  );
  return { outcome, feedback };
}
