/**
 * The benchmarks' capacity meter (test/bench/support.ts): the item-size and unit rules with
 * hand-worked numbers, then the meter on the run's DynamoDB Local, where it must correct Local's
 * answer for transactions (Local counts the items of a TransactWriteItems that cost the same once).
 * Here rather than in test/bench/ (no project runs *.test.ts there) or test/domain/ (not domain code).
 */
import { randomUUID } from 'node:crypto';
import { BatchWriteCommand, PutCommand, TransactGetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createStore } from '../../functions/store/client';
import {
  indexWriteUnits,
  itemSize,
  meterCapacity,
  meterSince,
  newMeter,
  numberSize,
  transactionalReadUnits,
  transactionalWriteUnits,
  transactWriteItemUnits,
  valueSize,
  writeUnits,
} from '../bench/support';

/** an item of exactly `bytes` bytes: pk, sk and a padding string `d` */
function sized(pk: string, sk: string, bytes: number, extra: Record<string, unknown> = {}) {
  const bare = { pk, sk, ...extra, d: '' };
  const item = { ...bare, d: 'x'.repeat(bytes - itemSize(bare)) };
  expect(itemSize(item)).toBe(bytes);
  return item;
}

describe('item size (AWS: names + values)', () => {
  it('numbers: 1 byte per two significant digits + 1, leading / trailing zeros trimmed', () => {
    expect(numberSize(0)).toBe(1);
    expect(numberSize(7)).toBe(2);
    expect(numberSize(1000)).toBe(2); // one significant digit
    expect(numberSize(250_000)).toBe(2); // "25"
    expect(numberSize(123_456)).toBe(4); // 6 digits → 3 + 1
    expect(numberSize(-12.5)).toBe(4); // "125" → 2 + 1, + 1 negative
    expect(numberSize(0.000001)).toBe(2);
  });

  it('strings in UTF-8 bytes, booleans and null 1 byte, lists and maps 3 + 1 per element', () => {
    expect(valueSize('Đo')).toBe(3); // Đ is 2 bytes in UTF-8
    expect(valueSize(true)).toBe(1);
    expect(valueSize(null)).toBe(1);
    expect(valueSize(['x', 1])).toBe(3 + (1 + 1) + (1 + 2));
    expect(valueSize({ a: 'xy', b: true })).toBe(3 + (1 + 1 + 2) + (1 + 1 + 1));
    expect(valueSize([])).toBe(3);
    expect(valueSize(new Set(['ab', 'c']))).toBe(3);
    expect(valueSize(new Uint8Array(10))).toBe(10);
  });

  it('an item is Σ name + value; undefined attributes are not stored', () => {
    expect(itemSize({ pk: 'a', n: 0 })).toBe(2 + 1 + (1 + 1));
    expect(itemSize({ pk: 'a', gone: undefined })).toBe(3);
    expect(itemSize(undefined)).toBe(0);
  });
});

describe('units', () => {
  it('transactional writes: 2 per KB of each item, at least 2', () => {
    expect(transactionalWriteUnits(100)).toBe(2);
    expect(transactionalWriteUnits(1024)).toBe(2);
    expect(transactionalWriteUnits(1025)).toBe(4);
    expect(transactionalWriteUnits(1500)).toBe(4);
    expect(transactionalWriteUnits(3 * 1024)).toBe(6);
    expect(transactionalWriteUnits(0)).toBe(2);
    expect(writeUnits(100)).toBe(1);
    expect(writeUnits(2049)).toBe(3);
  });

  it('transactional reads: 2 per 4 KB of each item, at least 2', () => {
    expect(transactionalReadUnits(100)).toBe(2);
    expect(transactionalReadUnits(4096)).toBe(2);
    expect(transactionalReadUnits(4097)).toBe(4);
    expect(transactionalReadUnits(0)).toBe(2);
  });

  it('per action: Put / Update the larger of before and after, Delete / ConditionCheck the stored item', () => {
    const small = sized('p', 's', 100);
    const mid = sized('p', 's', 1500);
    expect(transactWriteItemUnits('Put', undefined, small)).toBe(2); // a 100-byte item
    expect(transactWriteItemUnits('Put', undefined, mid)).toBe(4); // a 1,500-byte item
    expect(transactWriteItemUnits('Put', mid, small)).toBe(4); // replaces a larger one
    expect(transactWriteItemUnits('Update', sized('p', 's', 900), sized('p', 's', 1100))).toBe(4);
    expect(transactWriteItemUnits('Delete', sized('p', 's', 2048), undefined)).toBe(4);
    expect(transactWriteItemUnits('Delete', sized('p', 's', 2049), undefined)).toBe(6);
    expect(transactWriteItemUnits('ConditionCheck', small, small)).toBe(2);
    expect(transactWriteItemUnits('ConditionCheck', mid, mid)).toBe(4);
    expect(transactWriteItemUnits('ConditionCheck')).toBe(2); // nothing known: up to 1 KB
  });

  it('GSI writes: 1 per KB per index entry added, removed or changed; 2 when its key changes', () => {
    const item = sized('p', 's', 100, { gsi1pk: 'A', gsi1sk: '1' });
    expect(indexWriteUnits(undefined, item)).toBe(1);
    expect(indexWriteUnits(item, undefined)).toBe(1);
    expect(indexWriteUnits(item, item)).toBe(0);
    expect(indexWriteUnits(item, { ...item, d: 'changed' })).toBe(1);
    expect(indexWriteUnits(item, { ...item, gsi1sk: '2' })).toBe(2);
    expect(indexWriteUnits(undefined, { ...item, gsi2pk: 'B', gsi2sk: '1' })).toBe(2); // two indexes
    expect(indexWriteUnits(undefined, { pk: 'p', sk: 's', gsi1pk: 'A' })).toBe(0); // no sort key: not in the index
    expect(indexWriteUnits(undefined, sized('p', 's', 1500, { gsi1pk: 'A', gsi1sk: '1' }))).toBe(2);
  });
});

describe('the meter on DynamoDB Local', () => {
  const tableName = inject('tableName');
  const store = createStore({ tableName, endpoint: inject('ddbEndpoint') });
  const meter = newMeter();
  meterCapacity(store, meter);
  afterAll(() => store.db.destroy());
  // a fixed-length partition (a UUID) so the hand-worked sizes hold
  const pk = () => `bench-meter#${randomUUID()}`;

  it('counts every item of a transaction (Local: items that cost the same, once)', async () => {
    const p = pk();
    let before = { ...meter };
    await store.db.send(
      new TransactWriteCommand({
        TransactItems: ['a', 'b', 'c'].map((sk) => ({ Put: { TableName: tableName, Item: sized(p, sk, 100) } })),
      }),
    );
    let used = meterSince(meter, before);
    expect(used.writes).toBe(6); // 3 × 2
    expect(used.localTransactWrites).toBe(2);
    expect(used.indexWrites).toBe(0);

    await store.db.send(new PutCommand({ TableName: tableName, Item: sized(p, 'big', 1500) }));
    before = { ...meter };
    await store.db.send(
      new TransactWriteCommand({
        TransactItems: [
          // 1,500 bytes + "n" (1) + 1 (2 bytes) before / after: 4
          {
            Update: {
              TableName: tableName,
              Key: { pk: p, sk: 'big' },
              UpdateExpression: 'SET n = :one',
              ExpressionAttributeValues: { ':one': 1 },
            },
          },
          { ConditionCheck: { TableName: tableName, Key: { pk: p, sk: 'a' }, ConditionExpression: 'attribute_exists(pk)' } }, // 2
          { Delete: { TableName: tableName, Key: { pk: p, sk: 'b' } } }, // 2
        ],
      }),
    );
    used = meterSince(meter, before);
    expect(used.writes).toBe(8);
    expect(used.localTransactWrites).toBeLessThan(8); // Local: 6 (4 + one of the 2-unit actions)
    expect(used.calls).toBe(1); // the meter's own reads are not metered
  });

  it('keeps GSI writes apart: computed for transactions and batches, as Local reports them for single items', async () => {
    const p = pk();
    let before = { ...meter };
    await store.db.send(
      new TransactWriteCommand({
        TransactItems: [{ Put: { TableName: tableName, Item: sized(p, 'g', 100, { gsi1pk: 'bench-meter', gsi1sk: '1' }) } }],
      }),
    );
    let used = meterSince(meter, before);
    expect(used.writes).toBe(2);
    expect(used.indexWrites).toBe(1);

    before = { ...meter };
    await store.db.send(
      new BatchWriteCommand({
        RequestItems: {
          [tableName]: ['x', 'y'].map((sk) => ({ PutRequest: { Item: sized(p, sk, 100, { gsi1pk: 'bench-meter', gsi1sk: sk }) } })),
        },
      }),
    );
    used = meterSince(meter, before);
    expect(used.writes).toBe(2);
    expect(used.indexWrites).toBe(2);

    before = { ...meter };
    await store.db.send(new PutCommand({ TableName: tableName, Item: sized(p, 'x', 100, { gsi1pk: 'bench-meter', gsi1sk: 'moved' }) }));
    used = meterSince(meter, before);
    expect(used.writes).toBe(1);
    expect(used.indexWrites).toBe(2); // the index key changed: old entry deleted, new one put
  });

  it('reads of a transaction: 2 per 4 KB of each item', async () => {
    const p = pk();
    await store.db.send(new PutCommand({ TableName: tableName, Item: sized(p, 'one', 1500) }));
    await store.db.send(new PutCommand({ TableName: tableName, Item: sized(p, 'two', 5000) }));
    const before = { ...meter };
    await store.db.send(
      new TransactGetCommand({
        TransactItems: ['one', 'two', 'none'].map((sk) => ({ Get: { TableName: tableName, Key: { pk: p, sk } } })),
      }),
    );
    expect(meterSince(meter, before).reads).toBe(2 + 4 + 2);
  });
});
