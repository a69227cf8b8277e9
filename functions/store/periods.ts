import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ByKind } from '../../domain/commission/ledger';
import { conflict } from '../../domain/errors';
import { cancellationReasons, isConditionFailure, stripKeys, storedVersionIs, type Store } from './client';
import { keys } from './keys';
import type { TransactItem } from './transactions';
import { byPrefix, queryAll } from './paging';

/** The statement periods of a business that are closed (frozen): later changes go to the open period. */
export async function getClosedPeriods(store: Store, tenantId: string): Promise<string[]> {
  const out = await store.db.send(new GetCommand({ TableName: store.tableName, Key: keys.periods(tenantId), ConsistentRead: true }));
  return (out.Item?.closed as string[] | undefined) ?? [];
}

/**
 * The closed list and its version. Every freeze bumps `version`, so a writer that must not book
 * into a month frozen after it read the list can make its transaction conditional on the version
 * (see docs/nightly.md, "Period close").
 */
export interface ClosedList {
  closed: string[];
  version: number;
}

/** The closed list, read consistently (no list yet: none closed, version 0). */
export async function getPeriodsState(store: Store, tenantId: string): Promise<ClosedList> {
  const out = await store.db.send(new GetCommand({ TableName: store.tableName, Key: keys.periods(tenantId), ConsistentRead: true }));
  return { closed: (out.Item?.closed as string[] | undefined) ?? [], version: (out.Item?.version as number | undefined) ?? 0 };
}

/**
 * For the transaction of a low-rate ledger writer (a voucher, a rating, a dispute): the closed list
 * is still at the version the writer read. A month frozen in between cancels the transaction
 * instead of letting it book into the frozen month. Not for order changes: they would all hold this
 * one item and conflict with each other; the close fences them by time (FREEZE_SETTLE_SECONDS).
 */
export function closedListUnchanged(store: Store, tenantId: string, version: number): TransactItem {
  return {
    ConditionCheck: {
      TableName: store.tableName,
      Key: keys.periods(tenantId),
      ...storedVersionIs(version),
    },
  };
}

/** True when `error` cancelled `items` because their closedListUnchanged `check` failed. */
export function closedMeanwhile(error: unknown, items: readonly TransactItem[], check: TransactItem): boolean {
  const at = items.indexOf(check);
  const reason = at >= 0 ? cancellationReasons(error)?.[at] : undefined;
  return reason === 'ConditionalCheckFailed' || reason === 'TransactionConflict';
}

/** True when `error` cancelled `items` because a closedListUnchanged check among them failed. */
export function closedMeanwhileIn(error: unknown, items: readonly TransactItem[]): boolean {
  return items.some((item) => item.ConditionCheck !== undefined && closedMeanwhile(error, items, item));
}

/** The answer to a change that lost the race with a period close: nothing was stored; sending it again books it into the open month. */
export const closedMeanwhileConflict = () =>
  conflict('A month was closed while this change was being saved; nothing was stored, send it again');

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
  const out = await store.db.send(
    new GetCommand({ TableName: store.tableName, Key: keys.periodRecord(tenantId, month), ConsistentRead: true }),
  );
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
