import { GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Settings, Tenant } from '../../domain/entities/tenant';
import { conflict, notFound, preconditionFailed } from '../../domain/errors';
import { cancellationReasons, isConditionFailure, stripKeys, type Store } from './client';
import { keys } from './keys';

/** Create a business, claim its page id, store its settings and make the caller its owner: one transaction. */
export async function createTenant(store: Store, tenant: Tenant, settings: Settings): Promise<void> {
  const member = keys.membership(tenant.id, tenant.ownerUserId);
  try {
    await store.db.send(
      new TransactWriteCommand({
        TransactItems: [
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
        ],
      }),
    );
  } catch (error) {
    if (cancellationReasons(error)?.[0] === 'ConditionalCheckFailed') {
      throw conflict('This page id is already taken by another business', 'pageId');
    }
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

export async function getSettings(store: Store, tenantId: string): Promise<Settings> {
  const out = await store.db.send(
    new GetCommand({ TableName: store.tableName, Key: keys.settings(tenantId), ConsistentRead: true }),
  );
  if (!out.Item) throw notFound('Business');
  return stripKeys<Settings>(out.Item);
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
