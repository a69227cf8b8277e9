import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { StoredPlanVersion } from '../../domain/commission/plan';
import { conflict } from '../../domain/errors';
import { isConditionFailure, stripKeys, type Store } from './client';
import { keys } from './keys';
import { queryPage, queryPrefix, type Page, type PageRequest } from './paging';

/** A business's commission plan is one sequence of immutable versions; a new version never edits an old one. */
export type PlanVersionItem = StoredPlanVersion & { id: string; tenantId: string; createdBy: string };

export async function putPlanVersion(store: Store, item: PlanVersionItem): Promise<void> {
  try {
    await store.db.send(
      new PutCommand({
        TableName: store.tableName,
        Item: { ...keys.planVersion(item.tenantId, item.version), entity: 'planVersion', ...item },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (error) {
    if (isConditionFailure(error)) throw conflict('Another version was created at the same time; retry');
    throw error;
  }
}

/** Every version, oldest first: what pricing needs to pick the one in force at an order's approval. */
export async function allPlanVersions(store: Store, tenantId: string): Promise<PlanVersionItem[]> {
  const { pk, skPrefix } = keys.planVersionsPrefix(tenantId);
  return (await queryPrefix(store, pk, skPrefix)).map((item) => stripKeys<PlanVersionItem>(item));
}

/** Businesses whose plan versions a container keeps (least recently used first out). */
export const PLAN_CACHE_BUSINESSES = 256;
const keptPlans = new Map<string, readonly PlanVersionItem[]>();

/**
 * Every version, oldest first, as allPlanVersions, from this container's copy while it is still
 * whole. Versions are immutable and numbered 1, 2, 3… without gaps (createPlanVersion writes the
 * latest + 1, conditionally), so a copy ending at version n is whole exactly while n + 1 is not
 * stored: that one consistent GetItem (which readTogether batches with the caller's other reads)
 * replaces the Query; a version created since makes it read the list again. Never stale, whatever
 * the copy's age.
 */
export async function currentPlanVersions(store: Store, tenantId: string): Promise<readonly PlanVersionItem[]> {
  const id = `${store.tableName}\n${tenantId}`;
  const kept = keptPlans.get(id);
  if (kept) {
    const next = await store.db.send(
      new GetCommand({
        TableName: store.tableName,
        Key: keys.planVersion(tenantId, (kept.at(-1)?.version ?? 0) + 1),
        ConsistentRead: true,
      }),
    );
    keptPlans.delete(id);
    if (!next.Item) {
      keptPlans.set(id, kept);
      return kept;
    }
  }
  const versions = Object.freeze(await allPlanVersions(store, tenantId));
  if (keptPlans.size >= PLAN_CACHE_BUSINESSES) keptPlans.delete(keptPlans.keys().next().value!);
  keptPlans.set(id, versions);
  return versions;
}

export async function latestPlanVersionNumber(store: Store, tenantId: string): Promise<number> {
  const { pk, skPrefix } = keys.planVersionsPrefix(tenantId);
  const out = await store.db.send(
    new QueryCommand({
      TableName: store.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: { ':pk': pk, ':sk': skPrefix },
      ScanIndexForward: false,
      Limit: 1,
      ConsistentRead: true,
      ProjectionExpression: 'version',
    }),
  );
  return (out.Items?.[0]?.version as number | undefined) ?? 0;
}

export async function getPlanVersion(store: Store, tenantId: string, version: number): Promise<PlanVersionItem | null> {
  const out = await store.db.send(new GetCommand({ TableName: store.tableName, Key: keys.planVersion(tenantId, version) }));
  return out.Item ? stripKeys<PlanVersionItem>(out.Item) : null;
}

export function listPlanVersions(store: Store, tenantId: string, page: PageRequest): Promise<Page<PlanVersionItem>> {
  const { pk, skPrefix } = keys.planVersionsPrefix(tenantId);
  return queryPage<PlanVersionItem>(store, { pk, skPrefix, descending: true }, page);
}
