import { calendarOf } from '../../../domain/entities/tenant';
import { createHash } from 'node:crypto';
import { conflict, invalid, ruleViolation } from '../../../domain/errors';
import { csatDelta } from '../../../domain/okr/csat';
import { accrues } from '../../../domain/orders/pricing';
import { CYCLES, periodIdAt } from '../../../domain/period';
import type { Deps } from '../../deps';
import { recordFeedback, type FeedbackChannel, type RecordFeedbackOutcome, type StoredFeedback } from '../../store/feedback';
import type { StoredOrder } from '../../store/orders';
import { getPeriodsState } from '../../store/periods';
import { getSettings } from '../../store/tenants';

/** A one-time link is valid this long. */
export const LINK_VALID_DAYS = 7;
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Only a confirmed order (approved, completed or returned) can be rated: a processing or void order was not bought. */
export function assertRateable(order: StoredOrder) {
  if (!accrues(order.record)) throw ruleViolation(`A ${order.record.state} order cannot be rated; only confirmed orders can`, 'orderId');
}

export interface Rating {
  stars: number;
  comment?: string | undefined;
  /** ISO 8601 as given, or absent for now */
  ratedAt?: string | undefined;
}

/**
 * Record the rating of an order with the increments it causes, exactly once: the CSAT counters of
 * the order's manager (`attribution.managerUserId`) and the stars counters of its CTV, per period of
 * each cycle of `ratedAt` (in the business's time zone), in the rating's own transaction.
 * `ratedAt` defaults to now; it may not be in the future (400), before the order was created, or
 * in a closed statement month (422).
 */
export async function rateOrder(
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
  const [settings, { closed, version }] = await Promise.all([getSettings(deps.store, order.tenantId), getPeriodsState(deps.store, order.tenantId)]);
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
  const csat = csatDelta(null, { ratingId: order.id, managerUserId: feedback.managerUserId, stars: rating.stars, ratedAt: ratedMs }, tz, CYCLES);
  const stars = collaboratorId ? CYCLES.map((cycle) => ({ collaboratorId, periodId: periodIdAt(ratedMs, cycle, tz) })) : [];
  const outcome = await recordFeedback(deps.store, feedback, csat, stars, version, link ? { tokenHash: link.tokenHash, now: now.toISOString() } : undefined);
  return { outcome, feedback };
}

export const alreadyRated = () => conflict('This order has already been rated', 'orderId');

/** 410 Gone as problem+json (no domain error kind maps to it: only the one-time link uses it). */
export const gone = (detail: string) => ({
  status: 410,
  body: { type: 'urn:ctv-cloud:problem:gone', title: 'Gone', status: 410, detail },
  headers: { 'content-type': 'application/problem+json' },
});
