import { createHash } from 'node:crypto';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { RatingStats, VolumeRecord, PeriodMember } from '../../domain/commission/period';
import type { ByKind } from '../../domain/commission/ledger';
import type { CommissionLine } from '../../domain/commission/lines';
import { isConditionFailure, stripKeys, type Store } from './client';
import { keys } from './keys';
import type { TransactItem } from './transactions';
import { batchGet, byPartition, byPrefix, queryAll, queryPage, type Page, type PageRequest } from './paging';

// ---------------------------------------------------------------------------------------------
// "Changed since": change markers

/**
 * Markers of a day are spread over this many partitions: a sale day of tens of thousands of orders
 * an hour is ~10 writes a second, far below one partition's 1,000 WCU/s; four give headroom for
 * 4,000/s while a run reads only four small partitions per day.
 */
export const MARKER_SHARDS = 4;
const MARKER_TTL_SECONDS = 90 * 86_400;

export const markerShard = (collaboratorId: string) =>
  (createHash('sha1').update(collaboratorId).digest()[0]! % MARKER_SHARDS).toString(16);

/**
 * The writes that mark CTVs as changed at `at` (ISO instant), for the transaction of the change
 * itself (an order change, a rating, a voucher): one small item per (UTC day, CTV), overwritten by
 * later changes the same day, expired by TTL after 90 days. The nightly run reads the days since its
 * last run and recomputes only these CTVs' snapshots. Ids are de-duplicated (a transaction may not
 * touch one item twice).
 */
export function changeMarkerItems(
  store: Store,
  tenantId: string,
  collaboratorIds: Iterable<string | null | undefined>,
  at: string,
): TransactItem[] {
  const day = at.slice(0, 10);
  const expiresAt = Math.floor(Date.parse(at) / 1000) + MARKER_TTL_SECONDS;
  const ids = [...new Set([...collaboratorIds].filter((id): id is string => typeof id === 'string' && id.length > 0))].sort();
  return ids.map((id) => ({
    Put: {
      TableName: store.tableName,
      Item: { ...keys.changeMarker(tenantId, day, markerShard(id), id), entity: 'changeMarker', collaboratorId: id, at, expiresAt },
    },
  }));
}

/** The CTVs marked as changed after `since` (exclusive) and up to `until` (inclusive), ISO instants. */
export async function changedSince(store: Store, tenantId: string, since: string, until: string): Promise<string[]> {
  const ids = new Set<string>();
  const days: string[] = [];
  for (let d = Date.parse(since.slice(0, 10)); d <= Date.parse(until.slice(0, 10)); d += 86_400_000)
    days.push(new Date(d).toISOString().slice(0, 10));
  if (days.length > 400) throw new RangeError('more than 400 days of change markers to read');
  const shards = Array.from({ length: MARKER_SHARDS }, (_, i) => i.toString(16));
  await Promise.all(
    days.flatMap((day) =>
      shards.map(async (shard) => {
        const { pk, skPrefix } = keys.changeMarkersOf(tenantId, day, shard);
        const items = await queryAll<{ collaboratorId: string; at: string }>(store, {
          ...byPrefix(pk, skPrefix),
          FilterExpression: '#at > :since AND #at <= :until',
          ExpressionAttributeNames: { '#at': 'at' },
          ExpressionAttributeValues: { ':pk': pk, ':sk': skPrefix, ':since': since, ':until': until },
        });
        for (const item of items) ids.add(item.collaboratorId);
      }),
    ),
  );
  return [...ids].sort();
}

// ---------------------------------------------------------------------------------------------
// Period facts: what a close froze for each CTV

export interface PeriodFacts {
  tenantId: string;
  month: string;
  collaboratorId: string;
  member: PeriodMember;
  /** per period ending in the month: the CTV's volume records and ratings */
  periods: Record<string, { records: VolumeRecord[]; ratings: RatingStats | null }>;
  computedAt: string;
}

/** Write-once: a retry, or a second run, keeps what the first computation froze. */
export async function putPeriodFacts(store: Store, facts: PeriodFacts): Promise<boolean> {
  try {
    await store.db.send(
      new PutCommand({
        TableName: store.tableName,
        Item: { ...keys.periodFacts(facts.tenantId, facts.month, facts.collaboratorId), entity: 'periodFacts', ...facts },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

export async function existingFactIds(store: Store, tenantId: string, month: string, ids: readonly string[]): Promise<Set<string>> {
  const found = await batchGet<{ collaboratorId: string }>(
    store,
    ids.map((id) => keys.periodFacts(tenantId, month, id)),
    true,
  );
  return new Set(found.map((f) => f.collaboratorId));
}

export function allPeriodFacts(store: Store, tenantId: string, month: string): Promise<PeriodFacts[]> {
  return queryAll<PeriodFacts>(store, { ...byPartition(keys.periodFactsOf(tenantId, month).pk), ConsistentRead: true });
}

// ---------------------------------------------------------------------------------------------
// Snapshots of the open month

export interface CollaboratorSnapshot {
  tenantId: string;
  periodId: string;
  collaboratorId: string;
  name: string;
  refId: string;
  status: string;
  careStaffUserId: string | null;
  managerUserId: string | null;
  /** the run's asOf (ISO instant) */
  asOf: string;
  /** what the CTV earned on orders approved in the month so far (the running totals), by kind */
  earnings: { byKind: ByKind; total: number };
  /** the month's volume so far: Σ kept R and quantity of credited orders approved in it */
  volume: { revenue: number; quantity: number; orders: number };
  ratings: { count: number; starsSum: number };
  /** the awards the CTV would get if each period in progress closed now */
  projected: { lines: Pick<CommissionLine, 'key' | 'kind' | 'amount' | 'trace'>[]; total: number };
  projectedTotal: number;
}

/** Put a snapshot unless an identical one is stored (a repeated run writes nothing). */
export async function putSnapshot(store: Store, s: CollaboratorSnapshot): Promise<'written' | 'unchanged'> {
  const key = keys.snapshot(s.tenantId, s.periodId, s.collaboratorId);
  const fingerprint = createHash('sha256').update(JSON.stringify(s)).digest('base64url');
  try {
    await store.db.send(
      new PutCommand({
        TableName: store.tableName,
        Item: { ...key, entity: 'snapshot', ...s, fingerprint },
        ConditionExpression: 'attribute_not_exists(pk) OR fingerprint <> :f',
        ExpressionAttributeValues: { ':f': fingerprint },
      }),
    );
    return 'written';
  } catch (error) {
    if (isConditionFailure(error)) return 'unchanged';
    throw error;
  }
}

export async function getSnapshot(
  store: Store,
  tenantId: string,
  month: string,
  collaboratorId: string,
): Promise<CollaboratorSnapshot | null> {
  const out = await store.db.send(new GetCommand({ TableName: store.tableName, Key: keys.snapshot(tenantId, month, collaboratorId) }));
  if (!out.Item) return null;
  const { fingerprint: _f, ...rest } = stripKeys<CollaboratorSnapshot & { fingerprint?: string }>(out.Item);
  return rest;
}

export async function listSnapshots(
  store: Store,
  tenantId: string,
  month: string,
  page: PageRequest,
  scope: { managerUserId?: string; careStaffUserId?: string } = {},
): Promise<Page<CollaboratorSnapshot>> {
  const { pk, skPrefix } = keys.snapshotsOf(tenantId, month);
  const filter = scope.managerUserId
    ? { expression: 'managerUserId = :who', names: {}, values: { ':who': scope.managerUserId } }
    : scope.careStaffUserId
      ? { expression: 'careStaffUserId = :who', names: {}, values: { ':who': scope.careStaffUserId } }
      : undefined;
  const result = await queryPage<CollaboratorSnapshot & { fingerprint?: string }>(
    store,
    { pk, skPrefix, ...(filter ? { filter } : {}) },
    page,
  );
  return { items: result.items.map(({ fingerprint: _f, ...s }) => s), nextCursor: result.nextCursor };
}

export interface StaffSnapshot {
  tenantId: string;
  periodId: string;
  kind: 'KPI' | 'OKR';
  asOf: string;
  items: unknown[] | null;
  /** set when the results could not be computed (the reason, for the job's report) */
  unavailable?: string;
}

export async function putStaffSnapshot(store: Store, s: StaffSnapshot): Promise<void> {
  await store.db.send(
    new PutCommand({
      TableName: store.tableName,
      Item: { ...keys.staffSnapshot(s.tenantId, s.periodId, s.kind), entity: 'staffSnapshot', ...s },
    }),
  );
}

export async function getStaffSnapshot(store: Store, tenantId: string, month: string, kind: 'KPI' | 'OKR'): Promise<StaffSnapshot | null> {
  const out = await store.db.send(new GetCommand({ TableName: store.tableName, Key: keys.staffSnapshot(tenantId, month, kind) }));
  return out.Item ? stripKeys<StaffSnapshot>(out.Item) : null;
}

// ---------------------------------------------------------------------------------------------
// The nightly state of a business: what the last successful run saw

export interface NightlyState {
  tenantId: string;
  /** the last successful run */
  lastJobId: string;
  lastAsOf: string;
  /** change markers up to this instant are reflected in the snapshots */
  changesReadUpTo: string;
  /** see snapshotFingerprint */
  fingerprint: string;
  updatedAt: string;
}

export async function getNightlyState(store: Store, tenantId: string): Promise<NightlyState | null> {
  const out = await store.db.send(new GetCommand({ TableName: store.tableName, Key: keys.nightlyState(tenantId), ConsistentRead: true }));
  return out.Item ? stripKeys<NightlyState>(out.Item) : null;
}

/** Only moves forward: a late, older run does not undo what a newer one recorded. */
export async function putNightlyState(store: Store, s: NightlyState): Promise<void> {
  try {
    await store.db.send(
      new PutCommand({
        TableName: store.tableName,
        Item: { ...keys.nightlyState(s.tenantId), entity: 'nightlyState', ...s },
        ConditionExpression: 'attribute_not_exists(pk) OR changesReadUpTo <= :c',
        ExpressionAttributeValues: { ':c': s.changesReadUpTo },
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
}
