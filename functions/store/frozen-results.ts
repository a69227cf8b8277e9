import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionFailure, stripKeys, type Store } from './client';
import { keys } from './keys';
import { batchGet, byPrefix, queryAll, queryPage, type Page, type PageRequest } from './paging';

/**
 * The results a month's close froze for each period ending in it (issue 15): one partition per
 * period, `T#t#FROZEN#<period>`, with an item per care staff (`STAFF#<user>`: counters, KPI result,
 * commission owed), one per manager (`MANAGER#<user>`: team, CSAT and OKR) and `HEAD`, written last.
 * Every item is write-once (`attribute_not_exists`): a retried or repeated close keeps what the
 * first computation froze. A period whose HEAD exists is read from here, never live.
 */
export type FrozenKind = 'STAFF' | 'MANAGER';

export interface FrozenHead {
  tenantId: string;
  periodId: string;
  /** the month whose close froze it */
  month: string;
  /** the period's cut-off: the results are as of this instant */
  asOf: string;
  frozenAt: string;
  jobId: string;
  staff: number;
  managers: number;
}

async function putOnce(store: Store, item: Record<string, unknown>): Promise<boolean> {
  try {
    await store.db.send(new PutCommand({ TableName: store.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }));
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

export async function getFrozenHead(store: Store, tenantId: string, periodId: string): Promise<FrozenHead | null> {
  const out = await store.db.send(
    new GetCommand({ TableName: store.tableName, Key: keys.frozenResultsHead(tenantId, periodId), ConsistentRead: true }),
  );
  return out.Item ? stripKeys<FrozenHead>(out.Item) : null;
}

/** Write-once; false when the period was frozen already. */
export function putFrozenHead(store: Store, head: FrozenHead): Promise<boolean> {
  return putOnce(store, { ...keys.frozenResultsHead(head.tenantId, head.periodId), entity: 'frozenResultsHead', ...head });
}

/** Write-once; false when a result of this person was frozen already (the first one stands). */
export function putFrozenResult<T extends object>(
  store: Store,
  tenantId: string,
  periodId: string,
  kind: FrozenKind,
  userId: string,
  value: T,
): Promise<boolean> {
  return putOnce(store, {
    ...keys.frozenResult(tenantId, periodId, kind, userId),
    entity: kind === 'STAFF' ? 'frozenStaffResult' : 'frozenManagerResult',
    ...value,
  });
}

export async function getFrozenResult<T>(
  store: Store,
  tenantId: string,
  periodId: string,
  kind: FrozenKind,
  userId: string,
): Promise<T | null> {
  const out = await store.db.send(
    new GetCommand({ TableName: store.tableName, Key: keys.frozenResult(tenantId, periodId, kind, userId), ConsistentRead: true }),
  );
  return out.Item ? stripKeys<T>(out.Item) : null;
}

/** The frozen results of some people (BatchGet; missing ones are left out), in no particular order. */
export function frozenResultsOf<T>(
  store: Store,
  tenantId: string,
  periodId: string,
  kind: FrozenKind,
  userIds: readonly string[],
): Promise<T[]> {
  return batchGet<T>(
    store,
    [...new Set(userIds)].map((u) => keys.frozenResult(tenantId, periodId, kind, u)),
    true,
  );
}

/** Every frozen result of a kind, by user id (a period's results: one partition, read whole by the close and the period view). */
export function allFrozenResults<T>(store: Store, tenantId: string, periodId: string, kind: FrozenKind): Promise<T[]> {
  const { pk, skPrefix } = keys.frozenResultsOf(tenantId, periodId, kind);
  return queryAll<T>(store, { ...byPrefix(pk, skPrefix), ConsistentRead: true });
}

export interface FrozenFilter {
  /** only the care staff who were on this manager's team at the close */
  managerUserId?: string;
  /** only the care staff with a KPI result */
  withKpi?: boolean;
}

/** One page of a period's frozen results of a kind, by user id, optionally filtered (within the one partition). */
export function frozenResultsPage<T>(
  store: Store,
  tenantId: string,
  periodId: string,
  kind: FrozenKind,
  filter: FrozenFilter,
  page: PageRequest,
): Promise<Page<T>> {
  const { pk, skPrefix } = keys.frozenResultsOf(tenantId, periodId, kind);
  const conditions: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  if (filter.managerUserId !== undefined) {
    conditions.push('#manager = :manager');
    names['#manager'] = 'managerUserId';
    values[':manager'] = filter.managerUserId;
  }
  if (filter.withKpi) {
    conditions.push('attribute_exists(#kpi)');
    names['#kpi'] = 'kpi';
  }
  return queryPage<T>(
    store,
    { pk, skPrefix, ...(conditions.length ? { filter: { expression: conditions.join(' AND '), names, values } } : {}) },
    page,
  );
}
