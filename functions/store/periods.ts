import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ByKind } from '../../domain/commission/ledger';
import { isConditionFailure, stripKeys, type Store } from './client';
import { keys } from './keys';
import { byPrefix, queryAll } from './snapshots';

/** The statement periods of a business that are closed (frozen): later changes go to the open period. */
export async function getClosedPeriods(store: Store, tenantId: string): Promise<string[]> {
  const out = await store.db.send(
    new GetCommand({ TableName: store.tableName, Key: keys.periods(tenantId), ConsistentRead: true }),
  );
  return (out.Item?.closed as string[] | undefined) ?? [];
}

/**
 * The closed list and its version. Every freeze bumps `version`, so a writer that must not book
 * into a month frozen after it read the list can make its transaction conditional on the version
 * (see README, "Period close").
 */
export async function getPeriodsState(store: Store, tenantId: string): Promise<{ closed: string[]; version: number }> {
  const out = await store.db.send(new GetCommand({ TableName: store.tableName, Key: keys.periods(tenantId), ConsistentRead: true }));
  return { closed: (out.Item?.closed as string[] | undefined) ?? [], version: (out.Item?.version as number | undefined) ?? 0 };
}

/**
 * Freeze a month: add it to the closed list that every ledger writer reads. Idempotent: a month
 * already in the list is left alone (false).
 */
export async function freezeMonth(store: Store, tenantId: string, month: string, at: string): Promise<boolean> {
  try {
    await store.db.send(
      new UpdateCommand({
        TableName: store.tableName,
        Key: keys.periods(tenantId),
        UpdateExpression:
          'SET #closed = list_append(if_not_exists(#closed, :empty), :month), #version = if_not_exists(#version, :zero) + :one, #entity = :entity, #updatedAt = :at',
        ConditionExpression: 'attribute_not_exists(#closed) OR NOT contains(#closed, :m)',
        ExpressionAttributeNames: { '#closed': 'closed', '#version': 'version', '#entity': 'entity', '#updatedAt': 'updatedAt' },
        ExpressionAttributeValues: { ':empty': [], ':month': [month], ':m': month, ':zero': 0, ':one': 1, ':entity': 'periods', ':at': at },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** What a month's close recorded: who closed it, when, and the totals of its statements. */
export interface PeriodRecord {
  tenantId: string;
  id: string;
  /** closing: frozen, statements being written; closed: every statement written */
  state: 'closing' | 'closed';
  frozenAt: string;
  closedAt?: string;
  jobId: string;
  requestedBy: string;
  /** the periods whose period-level lines (awards, referral) this close booked */
  settledPeriods: string[];
  statements?: number;
  total?: number;
  byKind?: ByKind;
}

export async function getPeriodRecord(store: Store, tenantId: string, month: string): Promise<PeriodRecord | null> {
  const out = await store.db.send(new GetCommand({ TableName: store.tableName, Key: keys.periodRecord(tenantId, month), ConsistentRead: true }));
  return out.Item ? stripKeys<PeriodRecord>(out.Item) : null;
}

/** The first write of a record wins (`closing`); `closed` replaces only a `closing` record. */
export async function putPeriodRecord(store: Store, record: PeriodRecord): Promise<boolean> {
  try {
    await store.db.send(
      new PutCommand({
        TableName: store.tableName,
        Item: { ...keys.periodRecord(tenantId(record), record.id), entity: 'periodRecord', ...record },
        ConditionExpression: record.state === 'closing' ? 'attribute_not_exists(pk)' : 'attribute_not_exists(pk) OR #state = :closing',
        ExpressionAttributeNames: record.state === 'closing' ? undefined : { '#state': 'state' },
        ExpressionAttributeValues: record.state === 'closing' ? undefined : { ':closing': 'closing' },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}
const tenantId = (r: PeriodRecord) => r.tenantId;

/** Every period record of a business, oldest first (one per closed month: small). */
export function listPeriodRecords(store: Store, tenant: string): Promise<PeriodRecord[]> {
  const { pk, skPrefix } = keys.periodRecordsPrefix(tenant);
  return queryAll<PeriodRecord>(store, { ...byPrefix(pk, skPrefix), ConsistentRead: true });
}
