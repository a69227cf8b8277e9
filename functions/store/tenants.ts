import { DEFAULT_SETTINGS } from '../../domain/entities/tenant';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Settings, Tenant } from '../../domain/entities/tenant';
import { conflict, notFound, preconditionFailed } from '../../domain/errors';
import { tooManyBusinesses } from '../../domain/tenant-limits';
import { cancellationReasons, isConditionFailure, stripKeys, type Store } from './client';
import { keys } from './keys';
import { listMembershipsOfUser } from './members';
import { transact } from './transactions';

/** Businesses an account owns, counted from its memberships (GSI1 `USER#<sub>`, eventually consistent). */
export async function countOwnedBusinesses(store: Store, userId: string): Promise<number> {
  let owned = 0;
  let cursor: string | undefined;
  do {
    const page = await listMembershipsOfUser(store, userId, { limit: 100, ...(cursor ? { cursor } : {}) });
    owned += page.items.filter((m) => m.roles.includes('owner')).length;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return owned;
}

/**
 * Create a business, claim its page id, store its settings and make the caller its owner: one
 * transaction. With `ownerLimit`, the same transaction counts the business on the account's
 * `OWNED` counter (starting from `counted`, the memberships counted before, when the account has
 * none yet) only while it is below `max`: concurrent creates cannot pass the limit together.
 */
export async function createTenant(
  store: Store,
  tenant: Tenant,
  settings: Settings,
  ownerLimit?: { max: number; counted: number },
): Promise<void> {
  const member = keys.membership(tenant.id, tenant.ownerUserId);
  try {
    // retried on a TransactionConflict (concurrent creates by one account meet on its counter)
    await transact(store, [
      {
        Put: {
          TableName: store.tableName,
          Item: { ...keys.pageClaim(tenant.pageId), entity: 'pageClaim', tenantId: tenant.id },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Put: {
          TableName: store.tableName,
          // in the nightly schedule's list of businesses (GSI1 TENANTS)
          Item: { ...keys.tenant(tenant.id), ...keys.tenantRegistry(tenant.id), entity: 'tenant', ...tenant },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      { Put: { TableName: store.tableName, Item: { ...keys.settings(tenant.id), entity: 'settings', ...settings } } },
      {
        Put: {
          TableName: store.tableName,
          Item: {
            ...member,
            ...keys.membershipGsi(tenant.id, tenant.ownerUserId),
            entity: 'membership',
            tenantId: tenant.id,
            userId: tenant.ownerUserId,
            roles: new Set(['owner']),
          },
        },
      },
      ...(ownerLimit
        ? [
            {
              Update: {
                TableName: store.tableName,
                Key: keys.ownedBusinesses(tenant.ownerUserId),
                UpdateExpression: 'SET #owned = if_not_exists(#owned, :counted) + :one, #entity = :entity',
                ConditionExpression: '(attribute_not_exists(#owned) AND :counted < :max) OR #owned < :max',
                ExpressionAttributeNames: { '#owned': 'owned', '#entity': 'entity' },
                ExpressionAttributeValues: {
                  ':counted': ownerLimit.counted,
                  ':one': 1,
                  ':max': ownerLimit.max,
                  ':entity': 'ownedBusinesses',
                },
              },
            },
          ]
        : []),
    ]);
  } catch (error) {
    const reasons = cancellationReasons(error);
    if (reasons?.[0] === 'ConditionalCheckFailed') {
      throw conflict('This page id is already taken by another business', 'pageId');
    }
    if (ownerLimit && reasons?.[4] === 'ConditionalCheckFailed') throw tooManyBusinesses(ownerLimit.max);
    if (reasons?.includes('TransactionConflict'))
      throw conflict('Another business is being created by this account at the same moment; please retry');
    throw error;
  }
}

export async function getTenant(store: Store, tenantId: string): Promise<Tenant | null> {
  const out = await store.db.send(new GetCommand({ TableName: store.tableName, Key: keys.tenant(tenantId) }));
  return out.Item ? stripKeys<Tenant>(out.Item) : null;
}

/** The business that owns a public page id (case-insensitive). */
export async function getTenantIdByPageId(store: Store, pageId: string): Promise<string | null> {
  const out = await store.db.send(new GetCommand({ TableName: store.tableName, Key: keys.pageClaim(pageId) }));
  return (out.Item?.tenantId as string | undefined) ?? null;
}

/** The business's settings; a 404 (Business) when there are none. */
export async function getSettings(store: Store, tenantId: string): Promise<Settings> {
  const settings = await findSettings(store, tenantId);
  if (!settings) throw notFound('Business');
  return settings;
}

/** The business's settings, or null when there is no such business. */
export async function findSettings(store: Store, tenantId: string): Promise<Settings | null> {
  const out = await store.db.send(new GetCommand({ TableName: store.tableName, Key: keys.settings(tenantId), ConsistentRead: true }));
  // a setting added after the business was created reads as its default
  return out.Item ? { ...DEFAULT_SETTINGS, ...stripKeys<Settings>(out.Item) } : null;
}

/** Replace the settings if the stored version is still `expectedVersion` (optimistic locking). */
export async function saveSettings(store: Store, tenantId: string, next: Settings, expectedVersion: number): Promise<void> {
  const { version, ...fields } = next;
  const names: Record<string, string> = { '#version': 'version' };
  const values: Record<string, unknown> = { ':expected': expectedVersion, ':version': version };
  const sets = ['#version = :version'];
  for (const [name, value] of Object.entries(fields)) {
    names[`#${name}`] = name;
    values[`:${name}`] = value;
    sets.push(`#${name} = :${name}`);
  }
  try {
    await store.db.send(
      new UpdateCommand({
        TableName: store.tableName,
        Key: keys.settings(tenantId),
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: '#version = :expected',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  } catch (error) {
    if (isConditionFailure(error)) throw preconditionFailed();
    throw error;
  }
}
