import { BatchGetCommand, BatchWriteCommand, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { invalid } from '../../domain/errors';
import { StoreBusy, stripKeys, type Store } from './client';
import { indexKeys, TABLE_DEFINITION, type IndexName } from './table';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PageRequest {
  limit: number;
  cursor?: string | undefined;
}

/** Cursors are opaque to clients: the last evaluated key, base64url JSON. */
export function encodeCursor(key: Record<string, unknown> | undefined): string | null {
  return key ? Buffer.from(JSON.stringify(key), 'utf8').toString('base64url') : null;
}

/**
 * Decode a cursor and check that it points into the same partition the query reads, so a forged
 * cursor cannot steer a query anywhere else (and a bad one is a 400, not a 500).
 */
export function decodeCursor(cursor: string, partitionAttribute: string, partitionValue: string) {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    key = null;
  }
  const ok =
    !!key &&
    typeof key === 'object' &&
    !Array.isArray(key) &&
    Object.values(key).every((v) => typeof v === 'string' && v.length <= 1024) &&
    (key as Record<string, string>)[partitionAttribute] === partitionValue;
  if (!ok) throw invalid([{ path: 'cursor', message: 'not a cursor from this list' }]);
  return key as Record<string, string>;
}

export interface QueryPageOptions {
  index?: IndexName;
  pk: string;
  skPrefix?: string;
  /** inclusive sort-key range */
  skBetween?: { from: string; to: string };
  filter?: { expression: string; names: Record<string, string>; values: Record<string, unknown> };
  /** newest first */
  descending?: boolean;
  /** items a filtered query may evaluate for one page before it answers what it has (default READ_BUDGET) */
  readBudget?: number;
}

/**
 * How many items one request may read to fill a filtered page: past it, the page answers what it
 * found so far with a cursor (possibly no item at all), so a selective filter on a large partition
 * costs a bounded read per request instead of the whole partition.
 */
export const READ_BUDGET = 1000;

/**
 * One page of a Query on the table or a GSI. With a filter, DynamoDB may return short pages, so it
 * keeps reading (within the same partition) until the page is full, the partition ends, or the
 * read budget is spent (then the page is short, and the cursor goes on from where it stopped).
 * It reads one item past the page: the cursor is given only when that item exists, so a list that
 * ends on a page boundary does not send its client on to an empty page (DynamoDB's own
 * LastEvaluatedKey would); the cursor then names the page's last item, as that key would.
 */
export async function queryPage<T>(store: Store, options: QueryPageOptions, page: PageRequest): Promise<Page<T>> {
  const names = options.index ? indexKeys(options.index) : { pk: TABLE_DEFINITION.partitionKey, sk: TABLE_DEFINITION.sortKey };
  let startKey: Record<string, unknown> | undefined = page.cursor ? decodeCursor(page.cursor, names.pk, options.pk) : undefined;
  const items: T[] = [];
  const budget = options.readBudget ?? READ_BUDGET;
  let evaluated = 0;
  let lastKept: Record<string, unknown> | undefined;
  let more = false;
  for (;;) {
    const input: QueryCommandInput = {
      TableName: store.tableName,
      IndexName: options.index,
      KeyConditionExpression: options.skPrefix
        ? '#pk = :pk AND begins_with(#sk, :sk)'
        : options.skBetween
          ? '#pk = :pk AND #sk BETWEEN :from AND :to'
          : '#pk = :pk',
      ExpressionAttributeNames: {
        '#pk': names.pk,
        ...(options.skPrefix || options.skBetween ? { '#sk': names.sk } : {}),
        ...options.filter?.names,
      },
      ExpressionAttributeValues: {
        ':pk': options.pk,
        ...(options.skPrefix ? { ':sk': options.skPrefix } : {}),
        ...(options.skBetween ? { ':from': options.skBetween.from, ':to': options.skBetween.to } : {}),
        ...options.filter?.values,
      },
      FilterExpression: options.filter?.expression,
      Limit: Math.min(page.limit + 1 - items.length, budget - evaluated),
      ExclusiveStartKey: startKey,
      ScanIndexForward: !options.descending,
    };
    const out = await store.db.send(new QueryCommand(input));
    for (const item of out.Items ?? []) {
      if (items.length === page.limit) {
        more = true;
        break;
      }
      items.push(stripKeys<T>(item));
      lastKept = item;
    }
    evaluated += out.ScannedCount ?? out.Items?.length ?? 0;
    startKey = out.LastEvaluatedKey;
    if (more || !startKey || evaluated >= budget) break;
  }
  if (!more) return { items, nextCursor: encodeCursor(startKey) };
  const key: Record<string, unknown> = {
    [TABLE_DEFINITION.partitionKey]: lastKept![TABLE_DEFINITION.partitionKey],
    [TABLE_DEFINITION.sortKey]: lastKept![TABLE_DEFINITION.sortKey],
  };
  if (options.index) Object.assign(key, { [names.pk]: lastKept![names.pk], [names.sk]: lastKept![names.sk] });
  return { items, nextCursor: encodeCursor(key) };
}

/**
 * Every item of a Query, all pages, without key attributes (for partitions known to be small: one order's ledger, one
 * business's plan versions, a manager's team). Lists that can grow without bound use queryPage.
 */
export async function queryAll<T = Record<string, unknown>>(
  store: Store,
  input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>,
): Promise<T[]> {
  const items: T[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await store.db.send(new QueryCommand({ TableName: store.tableName, ...input, ExclusiveStartKey: start }));
    for (const item of out.Items ?? []) items.push(stripKeys<T>(item));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

/** A partition's items whose sort key starts with a prefix, strongly consistent, all pages. */
export function queryPrefix<T = Record<string, unknown>>(store: Store, pk: string, skPrefix: string): Promise<T[]> {
  return queryAll<T>(store, { ...byPrefix(pk, skPrefix), ConsistentRead: true });
}

/** Key conditions for queryAll: a partition's items whose sort key starts with a prefix. */
export const byPrefix = (pk: string, skPrefix: string) => ({
  KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
  ExpressionAttributeValues: { ':pk': pk, ':sk': skPrefix },
});
/** Key conditions for queryAll: a whole partition. */
export const byPartition = (pk: string) => ({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } });
/** Key conditions for queryAll: a whole partition of a GSI. */
export const byIndexPartition = (index: string, pk: string) => ({
  IndexName: index,
  KeyConditionExpression: '#pk = :pk',
  ExpressionAttributeNames: { '#pk': `${index}pk` },
  ExpressionAttributeValues: { ':pk': pk },
});

/** Sends of a batch's unprocessed keys or items (backoff 50 ms … 1 s) before it fails as busy. */
const BATCH_ATTEMPTS = 8;
const batchBackoff = (attempt: number) => new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt)));

/**
 * BatchGetItem of any number of keys (100 per call), items as stored (key attributes included);
 * missing keys are absent. Keys DynamoDB leaves unprocessed (throttling) are retried with backoff,
 * and still unprocessed after that the read fails: a short answer would read as "not there" or as
 * a zero total.
 */
export async function batchGetItems(
  store: Store,
  keyList: readonly { pk: string; sk: string }[],
  options: { consistent?: boolean; attributes?: readonly string[] } = {},
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  const projection = options.attributes?.length
    ? {
        ProjectionExpression: options.attributes.map((_, i) => `#a${i}`).join(', '),
        ExpressionAttributeNames: Object.fromEntries(options.attributes.map((a, i) => [`#a${i}`, a])),
      }
    : {};
  for (let i = 0; i < keyList.length; i += 100) {
    let request: Record<string, { Keys: Record<string, unknown>[]; ConsistentRead: boolean }> | undefined = {
      [store.tableName]: {
        Keys: keyList.slice(i, i + 100).map((k) => ({ pk: k.pk, sk: k.sk })),
        ConsistentRead: options.consistent ?? false,
        ...projection,
      },
    };
    for (let attempt = 0; request && Object.keys(request).length > 0; attempt++) {
      if (attempt === BATCH_ATTEMPTS) throw new StoreBusy('BatchGetItem left keys unprocessed after retries');
      if (attempt > 0) await batchBackoff(attempt);
      const out = await store.db.send(new BatchGetCommand({ RequestItems: request }));
      items.push(...((out.Responses?.[store.tableName] ?? []) as Record<string, unknown>[]));
      request = out.UnprocessedKeys as typeof request;
    }
  }
  return items;
}

/**
 * Put `items` with BatchWriteItem, 25 a call, in order. Items DynamoDB leaves unprocessed
 * (throttling) are sent again with backoff; still unprocessed after that, the write fails as busy,
 * with the calls before it done (each item is a whole put: sending them all again is safe).
 */
export async function batchPutItems(store: Store, items: readonly Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < items.length; i += 25) {
    let request: Record<string, { PutRequest: { Item: Record<string, unknown> } }[]> | undefined = {
      [store.tableName]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })),
    };
    for (let attempt = 0; request && Object.keys(request).length > 0; attempt++) {
      if (attempt === BATCH_ATTEMPTS) throw new StoreBusy('BatchWriteItem left items unprocessed after retries');
      if (attempt > 0) await batchBackoff(attempt);
      const out = await store.db.send(new BatchWriteCommand({ RequestItems: request }));
      request = out.UnprocessedItems as typeof request;
    }
  }
}

/** batchGetItems, without key attributes: the stored domain objects. */
export async function batchGet<T>(store: Store, keyList: readonly { pk: string; sk: string }[], consistent = false): Promise<T[]> {
  return (await batchGetItems(store, keyList, { consistent })).map((item) => stripKeys<T>(item));
}
