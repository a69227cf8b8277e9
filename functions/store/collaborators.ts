import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Collaborator, CollaboratorFilter } from '../../domain/entities/collaborator';
import { preconditionFailed } from '../../domain/errors';
import { cancellationReasons, stripKeys, type Store } from './client';
import { keys } from './keys';
import { addCollaboratorRoleItem } from './members';
import { careStaffMoveItems } from './kpi';
import { changeMarkerItems } from './snapshots';
import { careLoadItems, careStaffGoneIn, careStaffNotOnRoster } from './care-load';
import { transact, type TransactItem } from './transactions';
import { batchGet, batchGetItems, encodeCursor, queryPage, type Page, type PageRequest, type QueryPageOptions } from './paging';

export type CreateCollaboratorOutcome =
  | { ok: true }
  | { ok: false; reason: 'ref_id_taken' }
  | { ok: false; reason: 'phone_taken'; existingId: string | null }
  | { ok: false; reason: 'account_taken'; existingId: string | null };

function collaboratorItem(ctv: Collaborator) {
  return {
    ...keys.collaborator(ctv.tenantId, ctv.id),
    ...keys.collaboratorIndexes(ctv.tenantId, ctv.id, ctv.status, ctv.careStaffUserId, ctv.managerUserId, ctv.referrerId),
    entity: 'collaborator',
    ...ctv,
  };
}

/** The items that make a CTV: the record, its REF ID and phone claims, and (with an account) the account claim. */
function creationItems(store: Store, ctv: Collaborator, batchId?: string) {
  const put = (Item: Record<string, unknown>) => ({
    Put: { TableName: store.tableName, Item, ConditionExpression: 'attribute_not_exists(pk)' },
  });
  const items: any[] = [
    put(collaboratorItem(ctv)),
    put({ ...keys.refIdClaim(ctv.tenantId, ctv.refId), entity: 'refIdClaim', collaboratorId: ctv.id }),
    put({ ...keys.phoneClaim(ctv.tenantId, ctv.phone), entity: 'phoneClaim', collaboratorId: ctv.id, ...(batchId ? { batchId } : {}) }),
  ];
  if (ctv.userId) {
    items.push(put({ ...keys.accountClaim(ctv.tenantId, ctv.userId), entity: 'accountClaim', collaboratorId: ctv.id }));
    items.push(addCollaboratorRoleItem(store, ctv.tenantId, ctv.userId));
  }
  return items;
}

/**
 * Store a new CTV with its REF ID and phone claimed in the same transaction: two CTVs can never
 * share a REF ID or a phone in one business, however many requests race. A CTV with an account
 * (`userId`) also claims the account and gives it the collaborator role, in the same transaction;
 * a CTV given to a care staff counts in their load (care-load.ts), and is a 422 when they are no
 * longer on the roster.
 */
export async function createCollaborator(store: Store, ctv: Collaborator): Promise<CreateCollaboratorOutcome> {
  const items = [...creationItems(store, ctv), ...changeMarkerItems(store, ctv.tenantId, [ctv.id], ctv.createdAt)];
  const careLoadAt = items.length;
  try {
    // marked changed: the next nightly run gives the new CTV its (empty) month snapshot
    await transact(store, [...items, ...careLoadItems(store, ctv.tenantId, [{ to: ctv.careStaffUserId }])]);
    return { ok: true };
  } catch (error) {
    const reasons = cancellationReasons(error);
    if (careStaffGoneIn(reasons, careLoadAt)) throw careStaffNotOnRoster();
    if (reasons?.[2] === 'ConditionalCheckFailed') {
      return { ok: false, reason: 'phone_taken', existingId: await getCollaboratorIdByPhone(store, ctv.tenantId, ctv.phone) };
    }
    if (reasons?.[3] === 'ConditionalCheckFailed' && ctv.userId) {
      return { ok: false, reason: 'account_taken', existingId: await getCollaboratorIdByAccount(store, ctv.tenantId, ctv.userId) };
    }
    if (reasons?.[1] === 'ConditionalCheckFailed') return { ok: false, reason: 'ref_id_taken' };
    throw error;
  }
}

/**
 * TransactWriteItems takes at most 100 items; an imported CTV is 3, its change marker 1, and its
 * care staff's count up to 2 more (the roster check and the count, when each row names another).
 */
export const IMPORT_CHUNK = 16;

export type ImportChunkOutcome = { ok: true } | { ok: false; refIdTaken: string[]; phoneTaken: string[] };

/**
 * Store a chunk of imported CTVs (at most IMPORT_CHUNK) in one transaction; each phone claim
 * remembers the batch, so a retry of the batch recognises its own rows. On a clash nothing of the
 * chunk is written, and the clashing CTVs are named (by id for a REF ID, by phone for a phone).
 */
export async function createImportedCollaborators(store: Store, ctvs: Collaborator[], batchId: string): Promise<ImportChunkOutcome> {
  if (ctvs.length > IMPORT_CHUNK) throw new RangeError(`at most ${IMPORT_CHUNK} collaborators per transaction`);
  const items = [
    ...ctvs.flatMap((c) => creationItems(store, c, batchId)),
    ...ctvs.flatMap((c) => changeMarkerItems(store, c.tenantId, [c.id], c.createdAt)),
  ];
  const careLoadAt = items.length;
  const tenantId = ctvs[0]?.tenantId ?? '';
  try {
    const given = ctvs.map((c) => ({ to: c.careStaffUserId }));
    await transact(store, [...items, ...careLoadItems(store, tenantId, given)]);
    return { ok: true };
  } catch (error) {
    const reasons = cancellationReasons(error);
    if (!reasons) throw error;
    if (careStaffGoneIn(reasons, careLoadAt)) throw careStaffNotOnRoster();
    const refIdTaken: string[] = [];
    const phoneTaken: string[] = [];
    reasons.forEach((code, i) => {
      // the change markers follow the CTVs' items and carry no condition
      if (code !== 'ConditionalCheckFailed' || i >= ctvs.length * 3) return;
      const ctv = ctvs[Math.floor(i / 3)]!;
      if (i % 3 === 1) refIdTaken.push(ctv.id);
      else if (i % 3 === 2) phoneTaken.push(ctv.phone);
    });
    if (refIdTaken.length === 0 && phoneTaken.length === 0) throw error;
    return { ok: false, refIdTaken, phoneTaken };
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

/** The CTV record linked to an account in a business, if any. */
export const getCollaboratorIdByAccount = (store: Store, tenantId: string, userId: string) =>
  claimedId(store, keys.accountClaim(tenantId, userId));

/** The phones already claimed in a business, with the import batch that claimed each, if any. */
export async function getPhoneClaims(
  store: Store,
  tenantId: string,
  phones: string[],
): Promise<Map<string, { collaboratorId: string; batchId?: string }>> {
  const items = await batchGetItems(
    store,
    [...new Set(phones)].map((p) => keys.phoneClaim(tenantId, p)),
    { consistent: true },
  );
  const out = new Map<string, { collaboratorId: string; batchId?: string }>();
  const prefix = keys.phoneClaim(tenantId, '').pk;
  for (const item of items) {
    const phone = (item.pk as string).slice(prefix.length);
    out.set(phone, { collaboratorId: item.collaboratorId as string, ...(item.batchId ? { batchId: item.batchId as string } : {}) });
  }
  return out;
}

/** The CTVs of these ids that exist, by id (one BatchGetItem per 100). */
export async function getCollaboratorsById(store: Store, tenantId: string, ids: readonly string[]): Promise<Map<string, Collaborator>> {
  const found = await batchGet<Collaborator>(
    store,
    [...new Set(ids)].map((id) => keys.collaborator(tenantId, id)),
  );
  return new Map(found.map((c) => [c.id, c]));
}

/** The CTVs that hold these REF IDs (those that exist). */
export async function getCollaboratorsByRefIds(store: Store, tenantId: string, refIds: string[]): Promise<Map<string, Collaborator>> {
  const claims = await batchGetItems(
    store,
    [...new Set(refIds)].map((r) => keys.refIdClaim(tenantId, r)),
    { consistent: true },
  );
  const ids = claims.map((c) => c.collaboratorId as string);
  const ctvs = await batchGetItems(
    store,
    [...new Set(ids)].map((id) => keys.collaborator(tenantId, id)),
    { consistent: true },
  );
  const byId = new Map(ctvs.map((item) => [item.id as string, stripKeys<Collaborator>(item)]));
  const out = new Map<string, Collaborator>();
  for (const ctv of byId.values()) out.set(ctv.refId, ctv);
  return out;
}

/** Every SET/REMOVE for writing `next` over the stored CTV, index keys included. */
const OPTIONAL_ATTRIBUTES = [
  'email',
  'careStaffUserId',
  'managerUserId',
  'referrerId',
  'referrerRefId',
  'userId',
  'bank',
  'note',
  'approvedAt',
  'careStaffHistory',
  'levelHistory',
  'importBatchId',
  'updatedAt',
  'updatedBy',
  'gsi3pk',
  'gsi3sk',
  'gsi4pk',
  'gsi4sk',
  'gsi5pk',
  'gsi5sk',
];

function collaboratorUpdate(store: Store, next: Collaborator, extraCondition?: string) {
  const { pk: _pk, sk: _sk, ...attributes } = collaboratorItem(next) as Record<string, unknown>;
  const names: Record<string, string> = { '#version': 'version' };
  const values: Record<string, unknown> = { ':expected': next.version - 1 };
  const sets: string[] = [];
  const removes: string[] = [];
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined) continue;
    names[`#${name}`] = name;
    values[`:${name}`] = value;
    sets.push(`#${name} = :${name}`);
  }
  for (const name of OPTIONAL_ATTRIBUTES) {
    if (attributes[name] !== undefined) continue;
    names[`#${name}`] = name;
    removes.push(`#${name}`);
  }
  return {
    TableName: store.tableName,
    Key: keys.collaborator(next.tenantId, next.id),
    UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
    ConditionExpression: `attribute_exists(pk) AND #version = :expected${extraCondition ? ` AND ${extraCondition}` : ''}`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

/**
 * Write a changed CTV over the version it was made from (`next.version - 1`), index keys moving
 * with it (status, care staff, manager, referrer) in the same write; a lost update is a 412.
 * `uplineUnchanged`: a new referrer's upline as read, checked unchanged in the same transaction,
 * so two concurrent referrer changes cannot close a cycle between them. `before`: the version read,
 * whose care staff the change may move the CTV from (care-load.ts keeps both counts; a care staff
 * no longer on the roster is a 422).
 */
export async function saveCollaborator(
  store: Store,
  before: Pick<Collaborator, 'careStaffUserId'>,
  next: Collaborator,
  uplineUnchanged: readonly { id: string; referrerId?: string }[] = [],
): Promise<void> {
  const items: TransactItem[] = [
    { Update: collaboratorUpdate(store, next) },
    // name, status, level and assignments are in the CTV's snapshot: the nightly run recomputes it
    ...changeMarkerItems(store, next.tenantId, [next.id], next.updatedAt ?? new Date().toISOString()),
    // moved to other care staff: a note under the care staff left, for their stock of past cut-offs
    ...careStaffMoveItems(store, next),
    ...uplineUnchanged.map((u) => ({
      ConditionCheck: {
        TableName: store.tableName,
        Key: keys.collaborator(next.tenantId, u.id),
        ConditionExpression: u.referrerId ? 'referrerId = :r' : 'attribute_exists(pk) AND attribute_not_exists(referrerId)',
        ...(u.referrerId ? { ExpressionAttributeValues: { ':r': u.referrerId } } : {}),
      },
    })),
  ];
  const careLoadAt = items.length;
  try {
    const move = { from: before.careStaffUserId, to: next.careStaffUserId };
    await transact(store, [...items, ...careLoadItems(store, next.tenantId, [move])]);
  } catch (error) {
    const reasons = cancellationReasons(error);
    if (reasons?.[0] === 'ConditionalCheckFailed') throw preconditionFailed();
    if (careStaffGoneIn(reasons, careLoadAt)) throw careStaffNotOnRoster();
    if (reasons?.some((r) => r === 'ConditionalCheckFailed')) {
      throw preconditionFailed('The referral tree changed while this change was checked; read it again and retry');
    }
    throw error;
  }
}

export type LinkOutcome = 'linked' | 'changed' | 'account_taken';

/**
 * Link an existing CTV record (that has no account) to an account: the record, the account claim
 * and the collaborator role, in one transaction.
 */
export async function linkCollaboratorAccount(store: Store, next: Collaborator & { userId: string }): Promise<LinkOutcome> {
  try {
    await transact(store, [
      { Update: collaboratorUpdate(store, next, 'attribute_not_exists(userId)') },
      {
        Put: {
          TableName: store.tableName,
          Item: { ...keys.accountClaim(next.tenantId, next.userId), entity: 'accountClaim', collaboratorId: next.id },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      addCollaboratorRoleItem(store, next.tenantId, next.userId),
    ]);
    return 'linked';
  } catch (error) {
    const reasons = cancellationReasons(error);
    if (reasons?.[1] === 'ConditionalCheckFailed') return 'account_taken';
    if (reasons?.[0] === 'ConditionalCheckFailed') return 'changed';
    throw error;
  }
}

/** A CTV's direct referees (F1), oldest first (GSI5 `T#t#REFEREES#<id>`). */
export function listReferees(store: Store, tenantId: string, referrerId: string, page: PageRequest): Promise<Page<Collaborator>> {
  const source = keys.refereesOf(tenantId, referrerId);
  return queryPage<Collaborator>(store, { index: source.index, pk: source.pk }, page);
}

/** A cursor into a referrer's F1 list that resumes right after `referee`. */
export function refereeCursorAfter(referee: Collaborator): string {
  const index = keys.collaboratorIndexes(referee.tenantId, referee.id, referee.status, undefined, undefined, referee.referrerId);
  return encodeCursor({ ...keys.collaborator(referee.tenantId, referee.id), gsi5pk: index.gsi5pk, gsi5sk: index.gsi5sk })!;
}

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
