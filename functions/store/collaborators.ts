import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Collaborator, CollaboratorFilter } from '../../domain/entities/collaborator';
import { cancellationReasons, stripKeys, type Store } from './client';
import { keys } from './keys';
import { queryPage, type Page, type PageRequest, type QueryPageOptions } from './paging';

export type CreateCollaboratorOutcome =
  | { ok: true }
  | { ok: false; reason: 'ref_id_taken' }
  | { ok: false; reason: 'phone_taken'; existingId: string | null };

function collaboratorItem(ctv: Collaborator) {
  return {
    ...keys.collaborator(ctv.tenantId, ctv.id),
    ...keys.collaboratorIndexes(ctv.tenantId, ctv.id, ctv.status, ctv.careStaffUserId, ctv.managerUserId),
    entity: 'collaborator',
    ...ctv,
  };
}

/**
 * Store a new CTV with its REF ID and phone claimed in the same transaction: two CTVs can never
 * share a REF ID or a phone in one business, however many requests race.
 */
export async function createCollaborator(store: Store, ctv: Collaborator): Promise<CreateCollaboratorOutcome> {
  try {
    await store.db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: store.tableName,
              Item: collaboratorItem(ctv),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName: store.tableName,
              Item: { ...keys.refIdClaim(ctv.tenantId, ctv.refId), entity: 'refIdClaim', collaboratorId: ctv.id },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName: store.tableName,
              Item: { ...keys.phoneClaim(ctv.tenantId, ctv.phone), entity: 'phoneClaim', collaboratorId: ctv.id },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ],
      }),
    );
    return { ok: true };
  } catch (error) {
    const reasons = cancellationReasons(error);
    if (reasons?.[2] === 'ConditionalCheckFailed') {
      return { ok: false, reason: 'phone_taken', existingId: await getCollaboratorIdByPhone(store, ctv.tenantId, ctv.phone) };
    }
    if (reasons?.[1] === 'ConditionalCheckFailed') return { ok: false, reason: 'ref_id_taken' };
    throw error;
  }
}

export async function getCollaborator(store: Store, tenantId: string, id: string): Promise<Collaborator | null> {
  const out = await store.db.send(
    new GetCommand({ TableName: store.tableName, Key: keys.collaborator(tenantId, id), ConsistentRead: true }),
  );
  return out.Item ? stripKeys<Collaborator>(out.Item) : null;
}

async function claimedId(store: Store, key: { pk: string; sk: string }): Promise<string | null> {
  const out = await store.db.send(new GetCommand({ TableName: store.tableName, Key: key, ConsistentRead: true }));
  return (out.Item?.collaboratorId as string | undefined) ?? null;
}

export const getCollaboratorIdByRefId = (store: Store, tenantId: string, refId: string) =>
  claimedId(store, keys.refIdClaim(tenantId, refId));

export const getCollaboratorIdByPhone = (store: Store, tenantId: string, phone: string) =>
  claimedId(store, keys.phoneClaim(tenantId, phone));

/**
 * CTVs of a business, oldest first. The most selective index serves the query (care staff, then
 * status, then all); the other filters are applied within that one partition.
 */
export function listCollaborators(
  store: Store,
  tenantId: string,
  filter: CollaboratorFilter & { managerUserId?: string },
  page: PageRequest,
): Promise<Page<Collaborator>> {
  const source = filter.careStaffUserId
    ? keys.collaboratorsByCareStaff(tenantId, filter.careStaffUserId)
    : filter.managerUserId
      ? keys.collaboratorsByManager(tenantId, filter.managerUserId)
      : filter.status
        ? keys.collaboratorsByStatus(tenantId, filter.status)
        : keys.collaboratorsAll(tenantId);
  const conditions: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  if (filter.careStaffUserId && filter.managerUserId) {
    conditions.push('#managerUserId = :managerUserId');
    names['#managerUserId'] = 'managerUserId';
    values[':managerUserId'] = filter.managerUserId;
  }
  if ((filter.careStaffUserId || filter.managerUserId) && filter.status) {
    conditions.push('#status = :status');
    names['#status'] = 'status';
    values[':status'] = filter.status;
  }
  if (filter.level) {
    conditions.push('#level = :level');
    names['#level'] = 'level';
    values[':level'] = filter.level;
  }
  const options: QueryPageOptions = { index: source.index, pk: source.pk };
  if (conditions.length) options.filter = { expression: conditions.join(' AND '), names, values };
  return queryPage<Collaborator>(store, options, page);
}
