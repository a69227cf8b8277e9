import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionFailure, type Store } from './client';
import type { SealedSecret } from '../webhooks/secrets';
import { keys } from './keys';

/** How long a completed request's answer is replayed for the same Idempotency-Key. */
const RETENTION_SECONDS = 24 * 3600;
/** A reservation older than this is taken to be from a request that died. */
const PENDING_SECONDS = 60;

/** A completed request's answer: its body in clear, or sealed when it may show a secret. */
export type StoredResponse =
  | { statusCode: number; body: string; sealed?: undefined }
  | { statusCode: number; sealed: SealedSecret; body?: undefined };

export type Reservation =
  | { state: 'reserved' }
  | { state: 'replay'; response: StoredResponse }
  | { state: 'in_progress' }
  | { state: 'mismatch' };

/** Reserve a key for a request fingerprint, or find the answer already given for it. */
export async function reserveIdempotencyKey(
  store: Store,
  scope: string,
  callerId: string,
  key: string,
  fingerprint: string,
  nowSeconds: number,
): Promise<Reservation> {
  const itemKey = keys.idempotency(scope, callerId, key);
  try {
    await store.db.send(
      new PutCommand({
        TableName: store.tableName,
        Item: {
          ...itemKey,
          entity: 'idempotency',
          fingerprint,
          state: 'pending',
          reservedAt: nowSeconds,
          expiresAt: nowSeconds + RETENTION_SECONDS,
        },
        ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now OR (#state = :pending AND reservedAt < :stale)',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':now': nowSeconds, ':pending': 'pending', ':stale': nowSeconds - PENDING_SECONDS },
      }),
    );
    return { state: 'reserved' };
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
  const out = await store.db.send(new GetCommand({ TableName: store.tableName, Key: itemKey, ConsistentRead: true }));
  const item = out.Item;
  if (!item) return reserveIdempotencyKey(store, scope, callerId, key, fingerprint, nowSeconds);
  if (item.fingerprint !== fingerprint) return { state: 'mismatch' };
  if (item.state === 'done') return { state: 'replay', response: item.response as StoredResponse };
  return { state: 'in_progress' };
}

export async function completeIdempotencyKey(
  store: Store,
  scope: string,
  callerId: string,
  key: string,
  response: StoredResponse,
): Promise<void> {
  await store.db.send(
    new UpdateCommand({
      TableName: store.tableName,
      Key: keys.idempotency(scope, callerId, key),
      UpdateExpression: 'SET #state = :done, #response = :response',
      ExpressionAttributeNames: { '#state': 'state', '#response': 'response' },
      ExpressionAttributeValues: { ':done': 'done', ':response': response },
    }),
  );
}

/** A request that failed gives its key back, so the client's retry runs for real. */
export async function releaseIdempotencyKey(store: Store, scope: string, callerId: string, key: string): Promise<void> {
  await store.db.send(new DeleteCommand({ TableName: store.tableName, Key: keys.idempotency(scope, callerId, key) }));
}
