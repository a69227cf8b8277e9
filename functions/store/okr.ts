import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { preconditionFailed } from '../../domain/errors';
import type { KeyResult } from '../../domain/okr/okr';
import { isConditionFailure, stripKeys, storedVersionIs, type Store } from './client';
import { keys } from './keys';
import { queryAll } from './paging';
import { queryPage, type Page, type PageRequest } from './paging';

/**
 * A manager's objective for one period, with its key results inside the item (an objective has at
 * most 10). Its own partition (`T#t#OBJ#<id>`), found by id for updates; GSI1 lists a period's
 * objectives, of every manager or (sort-key prefix) of one.
 */
export interface StoredObjective {
  id: string;
  tenantId: string;
  managerUserId: string;
  period: string;
  title: string;
  weightBp: number;
  keyResults: (KeyResult & { id: string; updatedAt?: string; updatedBy?: string })[];
  version: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
}

function objectiveItem(o: StoredObjective) {
  return {
    ...keys.objective(o.tenantId, o.id),
    ...keys.objectiveIndex(o.tenantId, o.period, o.managerUserId, o.id),
    entity: 'objective',
    ...o,
  };
}

export async function createObjective(store: Store, o: StoredObjective): Promise<void> {
  await store.db.send(
    new PutCommand({ TableName: store.tableName, Item: objectiveItem(o), ConditionExpression: 'attribute_not_exists(pk)' }),
  );
}

export async function getObjective(store: Store, tenantId: string, id: string): Promise<StoredObjective | null> {
  const out = await store.db.send(new GetCommand({ TableName: store.tableName, Key: keys.objective(tenantId, id), ConsistentRead: true }));
  return out.Item ? stripKeys<StoredObjective>(out.Item) : null;
}

/** Write a changed objective over the version it was made from (`next.version − 1`); a lost update is a 412. */
export async function saveObjective(store: Store, next: StoredObjective): Promise<void> {
  try {
    await store.db.send(
      new PutCommand({
        TableName: store.tableName,
        Item: objectiveItem(next),
        ...storedVersionIs(next.version - 1),
      }),
    );
  } catch (error) {
    if (isConditionFailure(error)) throw preconditionFailed();
    throw error;
  }
}

/** One page of a period's objectives, by manager (GSI1). */
export function listObjectives(
  store: Store,
  tenantId: string,
  period: string,
  managerUserId: string | undefined,
  page: PageRequest,
): Promise<Page<StoredObjective>> {
  const source = keys.objectivesOfPeriod(tenantId, period);
  return queryPage<StoredObjective>(
    store,
    { index: source.index, pk: source.pk, ...(managerUserId ? { skPrefix: `${managerUserId}#` } : {}) },
    page,
  );
}

/** Every objective of a manager in a period (a handful). */
export function objectivesOf(store: Store, tenantId: string, period: string, managerUserId: string): Promise<StoredObjective[]> {
  const source = keys.objectivesOfPeriod(tenantId, period);
  return queryAll<StoredObjective>(store, {
    IndexName: source.index,
    KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :sk)',
    ExpressionAttributeValues: { ':pk': source.pk, ':sk': `${managerUserId}#` },
  });
}
