import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Invitation, InvitationStatus } from '../../domain/invitations';
import { isConditionFailure, stripKeys, type Store } from './client';
import { keys } from './keys';
import type { TransactItem } from './transactions';
import { queryPage, type Page, type PageRequest } from './paging';

/**
 * Invitations to the rosters, one partition per business (`T#t#INVITE`), newest last by key. An
 * invitation holds the SHA-256 of its token, never the token. Its use is one conditional write
 * (unused, not revoked, not expired at that instant) in the transaction that puts the account on
 * its roster, so of two accepts racing, one wins, and an invitation is used only by an account
 * that joined.
 */

/** Kept this long after an invitation stops working (TTL), so the owner's list still shows it and a late click gets 410, not 404. */
const TTL_GRACE_SECONDS = 30 * 24 * 3600;

export async function putInvitation(store: Store, inv: Invitation): Promise<void> {
  await store.db.send(
    new PutCommand({
      TableName: store.tableName,
      Item: {
        ...keys.invitation(inv.tenantId, inv.id),
        entity: 'invitation',
        ...inv,
        expiresAt: Math.floor(Date.parse(inv.validUntil) / 1000) + TTL_GRACE_SECONDS,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}

export async function getInvitation(store: Store, tenantId: string, invitationId: string): Promise<Invitation | null> {
  const out = await store.db.send(
    new GetCommand({ TableName: store.tableName, Key: keys.invitation(tenantId, invitationId), ConsistentRead: true }),
  );
  return out.Item ? stripKeys<Invitation>(out.Item) : null;
}

/** What each status is, as a filter on the stored attributes (the same rule as domain `invitationStatus`). */
const NOT_ENDED = 'attribute_not_exists(usedAt) AND attribute_not_exists(revokedAt)';
const STATUS_FILTERS: Record<InvitationStatus, string> = {
  pending: `${NOT_ENDED} AND validUntil > :now`,
  accepted: 'attribute_exists(usedAt)',
  revoked: 'attribute_not_exists(usedAt) AND attribute_exists(revokedAt)',
  expired: `${NOT_ENDED} AND validUntil <= :now`,
};

/** A business's invitations, newest first, optionally those with one status at `now`. */
export function listInvitations(
  store: Store,
  tenantId: string,
  filter: { status?: InvitationStatus | undefined; now: string },
  page: PageRequest,
): Promise<Page<Invitation>> {
  const expression = filter.status ? STATUS_FILTERS[filter.status] : undefined;
  return queryPage<Invitation>(
    store,
    {
      pk: keys.invitationsOf(tenantId).pk,
      descending: true,
      ...(expression ? { filter: { expression, names: {}, values: expression.includes(':now') ? { ':now': filter.now } : {} } } : {}),
    },
    page,
  );
}

/**
 * The write that marks the invitation used by `userId` at `now`, for the transaction that puts the
 * account on its roster: its condition fails when the invitation was already used, revoked, has
 * expired or is gone (read it again to say which).
 */
export function invitationUseWrite(store: Store, tenantId: string, invitationId: string, userId: string, now: string): TransactItem {
  return {
    Update: {
      TableName: store.tableName,
      Key: keys.invitation(tenantId, invitationId),
      UpdateExpression: 'SET usedAt = :now, usedBy = :user',
      ConditionExpression: `attribute_exists(pk) AND ${NOT_ENDED} AND validUntil > :now`,
      ExpressionAttributeValues: { ':now': now, ':user': userId },
    },
  };
}

/**
 * Revoke an invitation nobody has used: 'revoked' (now, or already before), 'used', or 'missing'.
 * A revoked invitation is kept (the owner's list shows it, its link answers 410) until its TTL.
 */
export async function revokeInvitation(
  store: Store,
  tenantId: string,
  invitationId: string,
  by: string,
  now: string,
): Promise<'revoked' | 'used' | 'missing'> {
  try {
    await store.db.send(
      new UpdateCommand({
        TableName: store.tableName,
        Key: keys.invitation(tenantId, invitationId),
        UpdateExpression: 'SET revokedAt = :now, revokedBy = :by',
        ConditionExpression: `attribute_exists(pk) AND ${NOT_ENDED}`,
        ExpressionAttributeValues: { ':now': now, ':by': by },
      }),
    );
    return 'revoked';
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
  const stored = await getInvitation(store, tenantId, invitationId);
  return !stored ? 'missing' : stored.usedAt ? 'used' : 'revoked';
}
