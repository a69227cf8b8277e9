import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AmountOutOfRange } from '../../domain/money';
import { KEY_ATTRIBUTES } from './keys';

/** What every repository function takes: the document client and the table's name. */
export interface Store {
  db: DynamoDBDocumentClient;
  tableName: string;
}

export function createStore(options: { tableName: string; endpoint?: string; region?: string }): Store {
  const client = new DynamoDBClient({
    region: options.region ?? 'ap-southeast-1',
    ...(options.endpoint
      ? { endpoint: options.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
    maxAttempts: 3,
  });
  const db = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
    unmarshallOptions: { wrapNumbers: readStoredNumber },
  });
  return { db, tableName: options.tableName };
}

/**
 * Every number read from the table. lib-dynamodb turns a number past the safe-integer range into a
 * BigInt, which no sum or JSON answer survives; money is capped far below it (README, money
 * limits), so such a number is refused here with AmountOutOfRange, which the HTTP layer answers as
 * a 500 of its own type and logs, instead of a TypeError somewhere later.
 */
export function readStoredNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || Math.abs(n) > Number.MAX_SAFE_INTEGER) {
    throw new AmountOutOfRange(`a stored number is beyond the safe-integer range: ${value.slice(0, 40)}`);
  }
  return n;
}

/** An item without its key attributes: the stored domain object. */
export function stripKeys<T>(item: Record<string, unknown>): T {
  const copy: Record<string, unknown> = { ...item };
  for (const k of KEY_ATTRIBUTES) delete copy[k];
  return copy as T;
}

/** True when a write failed only because its condition did not hold. */
export function isConditionFailure(error: unknown): boolean {
  const name = (error as { name?: string } | null)?.name;
  return name === 'ConditionalCheckFailedException';
}

/** For a TransactWrite: the reasons per item, when it was cancelled. */
export function cancellationReasons(error: unknown): (string | undefined)[] | null {
  const e = error as { name?: string; CancellationReasons?: { Code?: string }[] } | null;
  if (e?.name !== 'TransactionCanceledException') return null;
  return (e.CancellationReasons ?? []).map((r) => r.Code);
}

/**
 * The optimistic lock of every versioned item: the stored item is at `version` (0: none is
 * stored). Spread into a Put, Update, Delete or ConditionCheck; a lost race fails its condition.
 */
export function storedVersionIs(version: number) {
  return version === 0
    ? { ConditionExpression: 'attribute_not_exists(pk)' }
    : { ConditionExpression: '#version = :version', ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':version': version } };
}
