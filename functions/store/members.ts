import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Membership, Role, RosterEntry, RosterRole } from '../../domain/entities/roster';
import { conflict, notFound } from '../../domain/errors';
import { cancellationReasons, stripKeys, type Store } from './client';
import { keys } from './keys';
import { queryAll, queryPage, type Page, type PageRequest } from './paging';
import { careLoadRemoval } from './care-load';
import { transact, type TransactItem } from './transactions';

/**
 * A member item per (business, account) holds the account's roles as a string set; the roster
 * entries hold the details. Both change in one transaction, so authorisation (one strongly
 * consistent GetItem) always agrees with the rosters.
 */
export async function getMembership(store: Store, tenantId: string, userId: string): Promise<Membership | null> {
  const out = await store.db.send(
    new GetCommand({ TableName: store.tableName, Key: keys.membership(tenantId, userId), ConsistentRead: true }),
  );
  const roles = out.Item?.roles as Set<Role> | undefined;
  if (!out.Item || !roles || roles.size === 0) return null;
  return { tenantId, userId, roles: [...roles].sort() };
}

/** Every business an account belongs to (GSI1 `USER#<sub>`), one page at a time. */
export async function listMembershipsOfUser(store: Store, userId: string, page: PageRequest): Promise<Page<Membership>> {
  const result = await queryPage<{ tenantId: string; userId: string; roles?: Set<Role> }>(
    store,
    { index: 'gsi1', pk: keys.membershipsOfUser(userId).gsi1pk },
    page,
  );
  return {
    items: result.items
      .filter((m) => m.roles && m.roles.size > 0)
      .map((m) => ({ tenantId: m.tenantId, userId: m.userId, roles: [...m.roles!].sort() })),
    nextCursor: result.nextCursor,
  };
}

function memberRoleUpdate(store: Store, tenantId: string, userId: string, role: Role, op: 'ADD' | 'DELETE') {
  return {
    Update: {
      TableName: store.tableName,
      Key: keys.membership(tenantId, userId),
      UpdateExpression:
        op === 'ADD'
          ? 'ADD #roles :role SET #tenantId = :tenantId, #userId = :userId, #entity = :entity, gsi1pk = :gsi1pk, gsi1sk = :gsi1sk'
          : 'DELETE #roles :role',
      ExpressionAttributeNames: {
        '#roles': 'roles',
        ...(op === 'ADD' ? { '#tenantId': 'tenantId', '#userId': 'userId', '#entity': 'entity' } : {}),
      },
      ExpressionAttributeValues: {
        ':role': new Set([role]),
        ...(op === 'ADD'
          ? {
              ':tenantId': tenantId,
              ':userId': userId,
              ':entity': 'membership',
              ...Object.fromEntries(Object.entries(keys.membershipGsi(tenantId, userId)).map(([k, v]) => [`:${k}`, v])),
            }
          : {}),
      },
    },
  };
}

/** The write that gives an account the collaborator role, for a transaction that links it to its CTV record. */
export const addCollaboratorRoleItem = (store: Store, tenantId: string, userId: string) =>
  memberRoleUpdate(store, tenantId, userId, 'collaborator', 'ADD');

/**
 * Put `entry` on its roster, with its role. `also`: a write that must happen with it, in the same
 * transaction (an invitation's use); when its condition fails, nothing is written and `refused()`
 * is thrown. An account already on the roster is a 409 on `userId`. Sent through `transact`, so two
 * accepts of one invitation at the same moment end in a condition failure, not a 500.
 */
export async function addRosterEntry(
  store: Store,
  entry: RosterEntry,
  also?: { write: TransactItem; refused: () => Error },
): Promise<void> {
  const team = entry.role === 'care_staff' && entry.managerUserId ? keys.teamMember(entry.tenantId, entry.managerUserId, entry.userId) : {};
  try {
    await transact(store, [
      {
        Put: {
          TableName: store.tableName,
          Item: { ...keys.rosterEntry(entry.tenantId, entry.role, entry.userId), ...team, entity: 'roster', ...entry },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      memberRoleUpdate(store, entry.tenantId, entry.userId, entry.role, 'ADD'),
      ...(also ? [also.write] : []),
    ]);
  } catch (error) {
    const reasons = cancellationReasons(error);
    if (also && reasons?.[2] === 'ConditionalCheckFailed') throw also.refused();
    if (reasons?.[0] === 'ConditionalCheckFailed') {
      throw conflict(`This account is already on the ${entry.role.replace('_', ' ')} roster`, 'userId');
    }
    throw error;
  }
}

export async function getRosterEntry(store: Store, tenantId: string, role: RosterRole, userId: string): Promise<RosterEntry | null> {
  const out = await store.db.send(
    new GetCommand({ TableName: store.tableName, Key: keys.rosterEntry(tenantId, role, userId), ConsistentRead: true }),
  );
  return out.Item ? stripKeys<RosterEntry>(out.Item) : null;
}

/**
 * Take an account off a roster, with its role. A care staff who still looks after CTVs stays (409
 * on `userId`: move the CTVs to someone else first, so no CTV is left without care); one who
 * leaves also leaves their staff group, in the same transaction, so their group's KPI plan stops
 * counting them. "Still looks after CTVs" is their count (care-load.ts), checked in the removal's
 * transaction, and the care staff index, which also finds CTVs given to them before the count
 * was kept.
 */
export async function removeRosterEntry(store: Store, tenantId: string, role: RosterRole, userId: string): Promise<void> {
  const stillCaring = () => conflict('This care staff still looks after CTVs; assign them to another care staff first', 'userId');
  if (role === 'care_staff') {
    const source = keys.collaboratorsByCareStaff(tenantId, userId);
    const assigned = await queryPage(store, { index: source.index, pk: source.pk }, { limit: 1 });
    if (assigned.items.length > 0) throw stillCaring();
  }
  const careStaffItems: TransactItem[] =
    role === 'care_staff'
      ? [{ Delete: { TableName: store.tableName, Key: keys.staffGroupMember(tenantId, userId) } }, careLoadRemoval(store, tenantId, userId)]
      : [];
  try {
    await transact(store, [
      {
        Delete: {
          TableName: store.tableName,
          Key: keys.rosterEntry(tenantId, role, userId),
          ConditionExpression: 'attribute_exists(pk)',
        },
      },
      memberRoleUpdate(store, tenantId, userId, role, 'DELETE'),
      ...careStaffItems,
    ]);
  } catch (error) {
    const reasons = cancellationReasons(error);
    if (reasons?.[0] === 'ConditionalCheckFailed') throw notFound('Roster entry');
    // the count's removal is the transaction's last item
    if (role === 'care_staff' && reasons?.at(-1) === 'ConditionalCheckFailed') throw stillCaring();
    throw error;
  }
}

export function listRoster(store: Store, tenantId: string, role: RosterRole, page: PageRequest): Promise<Page<RosterEntry>> {
  const { pk, skPrefix } = keys.rosterPrefix(tenantId, role);
  return queryPage<RosterEntry>(store, { pk, skPrefix }, page);
}

const teamPk = (tenantId: string, managerUserId: string) => keys.teamMember(tenantId, managerUserId, '').gsi1pk;

/** One page of the care staff on a manager's team (their roster entries, GSI1 `T#t#TEAM#<manager>`). */
export function teamStaffPage(store: Store, tenantId: string, managerUserId: string, page: PageRequest): Promise<Page<RosterEntry>> {
  return queryPage<RosterEntry>(store, { index: 'gsi1', pk: teamPk(tenantId, managerUserId) }, page);
}

/** The care staff on a manager's team, all of them (a team is a handful of people). */
export function listTeamStaff(store: Store, tenantId: string, managerUserId: string): Promise<RosterEntry[]> {
  return queryAll<RosterEntry>(store, {
    IndexName: 'gsi1',
    KeyConditionExpression: 'gsi1pk = :pk',
    ExpressionAttributeValues: { ':pk': teamPk(tenantId, managerUserId) },
  });
}

/** The user ids of the care staff on a manager's team, all of them. */
export async function listTeamStaffIds(store: Store, tenantId: string, managerUserId: string): Promise<string[]> {
  const items = await queryAll<{ userId: string }>(store, {
    IndexName: 'gsi1',
    KeyConditionExpression: 'gsi1pk = :pk',
    ExpressionAttributeValues: { ':pk': teamPk(tenantId, managerUserId) },
    ProjectionExpression: 'userId',
  });
  return items.map((item) => item.userId);
}
