import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DeliveryStatus } from '../../domain/entities/delivery';
import type { FieldError } from '../../domain/errors';
import { cancellationReasons, cancelledItem, stripKeys, type Store } from './client';
import { keys } from './keys';
import { queryPage, type Page, type PageRequest } from './paging';
import { transact, type TransactItem } from './transactions';

/**
 * Webhook deliveries, stored before they are processed (docs/orders.md, "Order intake"). Two items per
 * delivery: the record (status, attempts, orders, errors; small, listed through the indexes) and
 * its raw body (up to 256 KB, read only when the owner opens the delivery or it is processed).
 */

/** Deliveries are kept this long after they were received (TTL); parked ones until resolved. */
export const DELIVERY_RETENTION_SECONDS = 90 * 86_400;

export interface Delivery {
  id: string;
  tenantId: string;
  sourceId: string;
  receivedAt: string;
  status: DeliveryStatus;
  /** processing attempts so far (the request's own, the worker's, replays) */
  attempts: number;
  orderIds: string[];
  errors: FieldError[];
  /** the headers that matter (content type, the vendor's ids and topic), never a secret */
  headers: Record<string, string>;
  /** why the owner discarded it */
  discardReason?: string;
  /**
   * what the delivery answers when sent again once processed (each with applied false), without
   * being processed again: the orders its whole-order changes reached, with the revision each held
   * then (a refund or a deletion sent again is already included, and answers nothing)
   */
  outcomes?: { orderId: string; revision: number }[];
  updatedAt: string;
  version: number;
}

const BODY_SK = 'BODY';

/** A parked or waiting delivery is kept until resolved; any other expires with its retention. */
const keptUntilResolved = (status: DeliveryStatus) => status === 'parked' || status === 'accepted';
/** The TTL (epoch seconds) of a delivery and its body: 90 days after it was received. */
const expiresAtOf = (d: Pick<Delivery, 'receivedAt'>) => Math.floor(Date.parse(d.receivedAt) / 1000) + DELIVERY_RETENTION_SECONDS;

function indexed(d: Delivery) {
  const ttl = keptUntilResolved(d.status) ? {} : { expiresAt: expiresAtOf(d) };
  const waiting = d.status === 'accepted' ? keys.waitingDeliveryIndex(d.tenantId, d.receivedAt, d.id) : {};
  return {
    ...keys.delivery(d.tenantId, d.id),
    ...keys.deliveryIndexes(d.tenantId, d.sourceId, d.status, d.receivedAt, d.id),
    ...waiting,
    entity: 'delivery',
    ...d,
    ...ttl,
  };
}

/**
 * Store a new delivery and its body in one conditional write: true. When a delivery with this id is
 * already stored (the same delivery sent again), nothing is written and that delivery is answered,
 * as the failed condition returned it (no second read).
 */
export async function putNewDelivery(store: Store, delivery: Delivery, body: Uint8Array): Promise<true | Delivery> {
  try {
    await transact(store, [
      {
        Put: {
          TableName: store.tableName,
          Item: indexed(delivery),
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
      // the body expires with the delivery; saveDelivery keeps both while the delivery waits or is parked
      {
        Put: {
          TableName: store.tableName,
          Item: {
            pk: keys.delivery(delivery.tenantId, delivery.id).pk,
            sk: BODY_SK,
            entity: 'delivery-body',
            bytes: body,
            expiresAt: expiresAtOf(delivery),
          },
        },
      },
    ]);
    return true;
  } catch (error) {
    if (cancellationReasons(error)?.[0] !== 'ConditionalCheckFailed') throw error;
    const stored = cancelledItem(error, 0);
    const existing = stored ? stripKeys<Delivery>(stored) : await getDelivery(store, delivery.tenantId, delivery.id);
    if (!existing) throw new Error('a delivery reported as stored cannot be read');
    return existing;
  }
}

export async function getDelivery(store: Store, tenantId: string, deliveryId: string): Promise<Delivery | null> {
  const out = await store.db.send(
    new GetCommand({ TableName: store.tableName, Key: keys.delivery(tenantId, deliveryId), ConsistentRead: true }),
  );
  return out.Item ? stripKeys<Delivery>(out.Item) : null;
}

export async function getDeliveryBody(store: Store, tenantId: string, deliveryId: string): Promise<Uint8Array | null> {
  const key = { pk: keys.delivery(tenantId, deliveryId).pk, sk: BODY_SK };
  const out = await store.db.send(new GetCommand({ TableName: store.tableName, Key: key, ConsistentRead: true }));
  return out.Item?.bytes instanceof Uint8Array ? out.Item.bytes : null;
}

/**
 * The writes that move a delivery to its next state, conditional on the version read (optimistic
 * lock), for a transaction of their own (saveDelivery) or of the change they record (an order's).
 * A parked or accepted delivery (and its body) is kept until resolved; a processed or discarded
 * one expires 90 days after it was received.
 */
export function deliveryWrites(store: Store, next: Delivery): TransactItem[] {
  const keep = keptUntilResolved(next.status);
  const bodyKey = { pk: keys.delivery(next.tenantId, next.id).pk, sk: BODY_SK };
  return [
    {
      Put: {
        TableName: store.tableName,
        Item: indexed(next),
        ConditionExpression: 'version = :v',
        ExpressionAttributeValues: { ':v': next.version - 1 },
      },
    },
    {
      Update: {
        TableName: store.tableName,
        Key: bodyKey,
        UpdateExpression: keep ? 'REMOVE expiresAt' : 'SET expiresAt = :e',
        ConditionExpression: 'attribute_exists(pk)',
        ...(keep ? {} : { ExpressionAttributeValues: { ':e': expiresAtOf(next) } }),
      },
    },
  ];
}

/** Move a delivery to its next state (deliveryWrites): false when another writer moved it first. */
export async function saveDelivery(store: Store, next: Delivery): Promise<boolean> {
  try {
    await transact(store, deliveryWrites(store, next));
    return true;
  } catch (error) {
    const reasons = cancellationReasons(error);
    if (reasons && reasons[0] === 'ConditionalCheckFailed') return false;
    throw error;
  }
}

/** One page of a business's deliveries in a status, newest first (by source when given). */
export function listDeliveries(
  store: Store,
  tenantId: string,
  filter: { status: DeliveryStatus; sourceId?: string },
  page: PageRequest,
): Promise<Page<Delivery>> {
  const index = filter.sourceId
    ? keys.deliveriesOfSource(tenantId, filter.sourceId, filter.status)
    : keys.deliveriesByStatus(tenantId, filter.status);
  return queryPage<Delivery>(store, { ...index, descending: true }, page);
}

/** How many deliveries of a business are in a status (a COUNT query of its index partition), up to `cap`. */
export async function countDeliveries(store: Store, tenantId: string, status: DeliveryStatus, cap = 10_000): Promise<number> {
  const { index, pk } = keys.deliveriesByStatus(tenantId, status);
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const out = await store.db.send(
      new QueryCommand({
        TableName: store.tableName,
        IndexName: index,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': `${index}pk` },
        ExpressionAttributeValues: { ':pk': pk },
        Select: 'COUNT',
        ExclusiveStartKey: start,
      }),
    );
    count += out.Count ?? 0;
    start = out.LastEvaluatedKey;
  } while (start && count < cap);
  return Math.min(count, cap);
}

/** Deliveries of any business still waiting (accepted) since before `receivedBefore`, oldest first. */
export async function listWaitingDeliveries(
  store: Store,
  receivedBefore: string,
  limit: number,
): Promise<{ tenantId: string; id: string }[]> {
  const { index, pk } = keys.waitingDeliveries();
  const out = await store.db.send(
    new QueryCommand({
      TableName: store.tableName,
      IndexName: index,
      KeyConditionExpression: '#pk = :pk AND #sk < :before',
      ExpressionAttributeNames: { '#pk': `${index}pk`, '#sk': `${index}sk` },
      ExpressionAttributeValues: { ':pk': pk, ':before': receivedBefore },
      Limit: limit,
    }),
  );
  return (out.Items ?? []).map((i) => ({ tenantId: String(i.tenantId), id: String(i.id) }));
}
