import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
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
  });
  return { db, tableName: options.tableName };
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
