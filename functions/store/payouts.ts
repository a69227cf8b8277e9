import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { preconditionFailed } from '../../domain/errors';
import type { PayoutState } from '../../domain/payouts';
import { isConditionFailure, stripKeys, type Store } from './client';
import { keys } from './keys';
import { byPrefix, queryAll } from './paging';
import { queryPage, type Page, type PageRequest } from './paging';

export interface PayoutBatch {
  id: string;
  tenantId: string;
  periodId: string;
  /** building: statements are being added; ready: complete, exportable; paid: transferred */
  status: PayoutState;
  count: number;
  total: number;
  minimumPayout: number;
  createdAt: string;
  createdBy: string;
  paidAt?: string;
  paidBy?: string;
  reference?: string;
  skipped?: { collaboratorId: string; balance: number; reason: string }[];
  version: number;
}

export async function putNewPayout(store: Store, b: PayoutBatch): Promise<void> {
  await store.db.send(
    new PutCommand({
      TableName: store.tableName,
      Item: { ...keys.payout(b.tenantId, b.id), entity: 'payout', ...b },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}

export async function getPayout(store: Store, tenantId: string, batchId: string): Promise<PayoutBatch | null> {
  const out = await store.db.send(
    new GetCommand({ TableName: store.tableName, Key: keys.payout(tenantId, batchId), ConsistentRead: true }),
  );
  return out.Item ? stripKeys<PayoutBatch>(out.Item) : null;
}

/** A batch of the month still being built (a request that died half-way): the next request finishes it. */
export async function buildingPayout(store: Store, tenantId: string, month: string): Promise<PayoutBatch | null> {
  const { pk, skPrefix } = keys.payoutsPrefix(tenantId);
  const items = await queryAll<PayoutBatch>(store, {
    ...byPrefix(pk, skPrefix),
    FilterExpression: '#status = :building AND periodId = :month',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':pk': pk, ':sk': skPrefix, ':building': 'building', ':month': month },
    ConsistentRead: true,
  });
  return items.sort((a, b) => (a.id < b.id ? -1 : 1))[0] ?? null;
}

/** building → ready, with the totals of the statements it holds. */
export async function finishPayout(
  store: Store,
  b: PayoutBatch,
  totals: { count: number; total: number; skipped: PayoutBatch['skipped'] },
): Promise<PayoutBatch> {
  const out = await store.db.send(
    new UpdateCommand({
      TableName: store.tableName,
      Key: keys.payout(b.tenantId, b.id),
      UpdateExpression: 'SET #status = :ready, #count = :count, #total = :total, skipped = :skipped, #version = #version + :one',
      ConditionExpression: '#status = :building',
      ExpressionAttributeNames: { '#status': 'status', '#count': 'count', '#total': 'total', '#version': 'version' },
      ExpressionAttributeValues: {
        ':ready': 'ready',
        ':building': 'building',
        ':count': totals.count,
        ':total': totals.total,
        ':skipped': totals.skipped ?? [],
        ':one': 1,
      },
      ReturnValues: 'ALL_NEW',
    }),
  );
  return stripKeys<PayoutBatch>(out.Attributes!);
}

/** ready → paid at the version read; a batch already paid is a 412 (paid lines never change). */
export async function markPayoutPaid(
  store: Store,
  b: PayoutBatch,
  expectedVersion: number,
  by: string,
  at: string,
  reference?: string,
): Promise<PayoutBatch> {
  try {
    const out = await store.db.send(
      new UpdateCommand({
        TableName: store.tableName,
        Key: keys.payout(b.tenantId, b.id),
        UpdateExpression: `SET #status = :paid, paidAt = :at, paidBy = :by, #version = #version + :one${reference ? ', #reference = :reference' : ''}`,
        ConditionExpression: '#status = :ready AND #version = :expected',
        ExpressionAttributeNames: { '#status': 'status', '#version': 'version', ...(reference ? { '#reference': 'reference' } : {}) },
        ExpressionAttributeValues: {
          ':paid': 'paid',
          ':ready': 'ready',
          ':at': at,
          ':by': by,
          ':one': 1,
          ':expected': expectedVersion,
          ...(reference ? { ':reference': reference } : {}),
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return stripKeys<PayoutBatch>(out.Attributes!);
  } catch (error) {
    if (isConditionFailure(error)) throw preconditionFailed();
    throw error;
  }
}

export function listPayouts(store: Store, tenantId: string, page: PageRequest): Promise<Page<PayoutBatch>> {
  const { pk, skPrefix } = keys.payoutsPrefix(tenantId);
  return queryPage<PayoutBatch>(store, { pk, skPrefix, descending: true }, page);
}
