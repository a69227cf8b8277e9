import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { CsatCountersDelta } from '../../domain/okr/csat';
import { cancellationReasons, stripKeys, type Store } from './client';
import { keys } from './keys';
import { queryPage, type Page, type PageRequest } from './paging';
import { closedListUnchanged, closedMeanwhile, closedMeanwhileConflict } from './periods';
import { changeMarkerItems } from './snapshots';
import { transact, type TransactItem } from './transactions';

/**
 * Customer feedback on orders. An order holds at most one rating (`T#t#ORDER#<id>` / `FEEDBACK`,
 * written with attribute_not_exists), whoever records it: the CTV, the care staff, the manager, the
 * owner, or the customer through a one-time link. The rating, the CSAT counters of the order's
 * manager and the stars counters of its CTV (each per period of every cycle of `ratedAt`) and the
 * link's use are one transaction, so counters move exactly once with the rating.
 */
export type FeedbackChannel = 'staff' | 'collaborator' | 'customer_link';

export interface StoredFeedback {
  tenantId: string;
  orderId: string;
  stars: number;
  comment?: string;
  /** when the customer gave it: UTC ISO 8601 (sortable, so a period is a key range) */
  ratedAt: string;
  recordedAt: string;
  /** the account that recorded it, or `customer` for the one-time link */
  recordedBy: string;
  channel: FeedbackChannel;
  /** the order's credit when it was rated: who the rating counts for */
  collaboratorId: string | null;
  careStaffUserId: string | null;
  managerUserId: string | null;
}

export interface StoredFeedbackLink {
  tenantId: string;
  orderId: string;
  createdAt: string;
  createdBy: string;
  /** ISO 8601: the link works before this instant */
  validUntil: string;
  usedAt?: string;
}

/** Kept this long after a link expires (TTL), so a late click still gets 410 rather than 404. */
const LINK_TTL_GRACE_SECONDS = 30 * 24 * 3600;

export type RecordFeedbackOutcome = 'recorded' | 'already_rated' | 'link_used' | 'link_expired' | 'link_unknown';

export interface StarsPeriod {
  collaboratorId: string;
  periodId: string;
}

/**
 * Record a rating with its counter increments (one transaction), the change marker of its CTV,
 * and the check that no month was frozen since `closedListVersion` was read. `link`: the token
 * hash of the one-time link being used (checked unused and unexpired at `now`, and marked used).
 */
export async function recordFeedback(
  store: Store,
  feedback: StoredFeedback,
  csat: readonly CsatCountersDelta[],
  stars: readonly StarsPeriod[],
  closedListVersion: number,
  link?: { tokenHash: string; now: string },
): Promise<RecordFeedbackOutcome> {
  const items: TransactItem[] = [];
  if (link) {
    items.push({
      Update: {
        TableName: store.tableName,
        Key: keys.feedbackLink(link.tokenHash),
        UpdateExpression: 'SET usedAt = :now',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(usedAt) AND validUntil > :now',
        ExpressionAttributeValues: { ':now': link.now },
      },
    });
  }
  items.push({
    Put: {
      TableName: store.tableName,
      Item: {
        ...keys.feedback(feedback.tenantId, feedback.orderId),
        ...keys.feedbackIndexes(feedback.tenantId, feedback.orderId, feedback.ratedAt, feedback),
        entity: 'feedback',
        ...feedback,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  });
  for (const d of csat) {
    items.push({
      Update: {
        TableName: store.tableName,
        Key: keys.csatCounters(feedback.tenantId, d.managerUserId, d.periodId),
        UpdateExpression: 'SET #entity = :entity, managerUserId = :m, periodId = :p ADD ratings :r, positive :pos',
        ExpressionAttributeNames: { '#entity': 'entity' },
        ExpressionAttributeValues: {
          ':entity': 'csatCounters',
          ':m': d.managerUserId,
          ':p': d.periodId,
          ':r': d.ratings,
          ':pos': d.positive,
        },
      },
    });
  }
  for (const s of stars) {
    items.push({
      Update: {
        TableName: store.tableName,
        Key: keys.starsCounters(feedback.tenantId, s.collaboratorId, s.periodId),
        UpdateExpression: 'SET #entity = :entity, collaboratorId = :c, periodId = :p ADD ratings :one, starsTotal :stars',
        ExpressionAttributeNames: { '#entity': 'entity' },
        ExpressionAttributeValues: {
          ':entity': 'starsCounters',
          ':c': s.collaboratorId,
          ':p': s.periodId,
          ':one': 1,
          ':stars': feedback.stars,
        },
      },
    });
  }
  items.push(...changeMarkerItems(store, feedback.tenantId, [feedback.collaboratorId], feedback.recordedAt));
  const check = closedListUnchanged(store, feedback.tenantId, closedListVersion);
  items.push(check);
  try {
    await transact(store, items);
    return 'recorded';
  } catch (error) {
    const reasons = cancellationReasons(error);
    if (!reasons) throw error;
    if (closedMeanwhile(error, items, check)) throw closedMeanwhileConflict();
    if (link && reasons[0] === 'ConditionalCheckFailed') {
      const stored = await getFeedbackLink(store, link.tokenHash);
      if (!stored) return 'link_unknown';
      return stored.usedAt ? 'link_used' : 'link_expired';
    }
    if (reasons[link ? 1 : 0] === 'ConditionalCheckFailed') return 'already_rated';
    throw error;
  }
}

export async function getFeedback(store: Store, tenantId: string, orderId: string): Promise<StoredFeedback | null> {
  const out = await store.db.send(
    new GetCommand({ TableName: store.tableName, Key: keys.feedback(tenantId, orderId), ConsistentRead: true }),
  );
  return out.Item ? stripKeys<StoredFeedback>(out.Item) : null;
}

export async function createFeedbackLink(store: Store, tokenHash: string, link: StoredFeedbackLink): Promise<void> {
  await store.db.send(
    new PutCommand({
      TableName: store.tableName,
      Item: {
        ...keys.feedbackLink(tokenHash),
        entity: 'feedbackLink',
        ...link,
        expiresAt: Math.floor(Date.parse(link.validUntil) / 1000) + LINK_TTL_GRACE_SECONDS,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}

export async function getFeedbackLink(store: Store, tokenHash: string): Promise<StoredFeedbackLink | null> {
  const out = await store.db.send(new GetCommand({ TableName: store.tableName, Key: keys.feedbackLink(tokenHash), ConsistentRead: true }));
  return out.Item ? stripKeys<StoredFeedbackLink>(out.Item) : null;
}

/** CSAT counters of a manager in a period (zeros when nothing was rated). */
export async function readCsatCounters(store: Store, tenantId: string, managerUserId: string, periodId: string) {
  const out = await store.db.send(
    new GetCommand({ TableName: store.tableName, Key: keys.csatCounters(tenantId, managerUserId, periodId), ConsistentRead: true }),
  );
  return { ratings: (out.Item?.ratings as number | undefined) ?? 0, positive: (out.Item?.positive as number | undefined) ?? 0 };
}

/**
 * A CTV's ratings in a period of any cycle, from the maintained counters: how many, and the sum of
 * their stars (average = starsTotal ÷ ratings). For the commission's star requirements.
 */
export async function readStarsCounters(store: Store, tenantId: string, collaboratorId: string, periodId: string) {
  const out = await store.db.send(
    new GetCommand({ TableName: store.tableName, Key: keys.starsCounters(tenantId, collaboratorId, periodId), ConsistentRead: true }),
  );
  return { ratings: (out.Item?.ratings as number | undefined) ?? 0, starsTotal: (out.Item?.starsTotal as number | undefined) ?? 0 };
}

/** The ratings on a CTV's orders given in [from, to) (UTC ISO instants), oldest first (GSI1). */
export function listRatingsOfCollaborator(
  store: Store,
  tenantId: string,
  collaboratorId: string,
  range: { from: string; to: string },
  page: PageRequest,
): Promise<Page<StoredFeedback>> {
  const source = keys.ratingsOfCollaborator(tenantId, collaboratorId);
  // `to` is exclusive: every key of an instant before it sorts below `<to>` (keys are `<ratedAt>#<orderId>`)
  return queryPage<StoredFeedback>(store, { index: source.index, pk: source.pk, skBetween: { from: range.from, to: range.to } }, page);
}
