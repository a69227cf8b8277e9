import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { StaffGroup, StaffGroupMember } from '../../domain/entities/staff-group';
import { conflict, notFound } from '../../domain/errors';
import { cancellationReasons, isConditionFailure, stripKeys, type Store } from './client';
import { keys } from './keys';
import { queryPage, type Page, type PageRequest } from './paging';
import { transact } from './transactions';

/** Staff groups live in the business's partition (few, small); members are keyed by the member. */
export async function createStaffGroup(store: Store, group: StaffGroup): Promise<void> {
  await store.db.send(
    new PutCommand({
      TableName: store.tableName,
      Item: { ...keys.staffGroup(group.tenantId, group.id), entity: 'staffGroup', ...group },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}

export async function getStaffGroup(store: Store, tenantId: string, groupId: string): Promise<StaffGroup | null> {
  const out = await store.db.send(
    new GetCommand({ TableName: store.tableName, Key: keys.staffGroup(tenantId, groupId), ConsistentRead: true }),
  );
  return out.Item ? stripKeys<StaffGroup>(out.Item) : null;
}

export function listStaffGroups(store: Store, tenantId: string, page: PageRequest): Promise<Page<StaffGroup>> {
  const { pk, skPrefix } = keys.staffGroupsPrefix(tenantId);
  return queryPage<StaffGroup>(store, { pk, skPrefix }, page);
}

/** The group a care staff is in, if any. */
export async function getStaffGroupMembership(store: Store, tenantId: string, userId: string): Promise<StaffGroupMember | null> {
  const out = await store.db.send(
    new GetCommand({ TableName: store.tableName, Key: keys.staffGroupMember(tenantId, userId), ConsistentRead: true }),
  );
  return out.Item ? stripKeys<StaffGroupMember>(out.Item) : null;
}

/**
 * Add a care staff to a group: the group must exist and the person must not be in a group yet
 * (checked in the same transaction, so two concurrent adds cannot put them in two groups).
 */
export async function addStaffGroupMember(store: Store, member: StaffGroupMember): Promise<void> {
  try {
    await transact(store, [
      {
        ConditionCheck: {
          TableName: store.tableName,
          Key: keys.staffGroup(member.tenantId, member.groupId),
          ConditionExpression: 'attribute_exists(pk)',
        },
      },
      {
        Put: {
          TableName: store.tableName,
          Item: {
            ...keys.staffGroupMember(member.tenantId, member.userId),
            ...keys.staffGroupMemberIndex(member.tenantId, member.groupId, member.userId),
            entity: 'staffGroupMember',
            ...member,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ]);
  } catch (error) {
    const reasons = cancellationReasons(error);
    if (reasons?.[0] === 'ConditionalCheckFailed') throw notFound('Staff group');
    if (reasons?.[1] === 'ConditionalCheckFailed') {
      const current = await getStaffGroupMembership(store, member.tenantId, member.userId);
      throw conflict(
        current?.groupId === member.groupId
          ? 'This care staff is already in this group'
          : 'This care staff is already in another staff group; remove them there first',
        'userId',
      );
    }
    throw error;
  }
}

export async function removeStaffGroupMember(store: Store, tenantId: string, groupId: string, userId: string): Promise<void> {
  try {
    await store.db.send(
      new DeleteCommand({
        TableName: store.tableName,
        Key: keys.staffGroupMember(tenantId, userId),
        ConditionExpression: 'groupId = :g',
        ExpressionAttributeValues: { ':g': groupId },
      }),
    );
  } catch (error) {
    if (isConditionFailure(error)) throw notFound('Staff group member');
    throw error;
  }
}

export function listStaffGroupMembers(store: Store, tenantId: string, groupId: string, page: PageRequest): Promise<Page<StaffGroupMember>> {
  const source = keys.staffGroupMembers(tenantId, groupId);
  return queryPage<StaffGroupMember>(store, { index: source.index, pk: source.pk }, page);
}
