import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Store } from './client';
import { TenantFenceError } from './guard';
import { batchGetItems } from './paging';
import { TABLE_DEFINITION } from './table';

/**
 * Reads that share one round trip (issue 17). The reads are store functions as they are
 * (getMembership, getCollaborator, getOrder, …), each building its own key, so the key design stays
 * in its module: run against a holding store, the GetItem each sends first is held back, and the
 * held ones go out as one BatchGetItem.
 *
 * - `readTogether(store, reads)`: their results, as if each had been called alone. What a read
 *   sends besides its first GetItem (a Query, a second step) goes out as usual.
 * - `readAhead(store, first, ahead)`: for a read route, the caller's membership (`first`) and the
 *   item the route serves (`ahead`): `first`'s result, and a store for the rest of the request that
 *   answers each GetItem of `ahead` once from what the batch brought, so the handler reads its item
 *   as before. `ahead` may send its GetItems and nothing else: nothing else is read before the
 *   caller is let in, and nothing of it is used unless the caller goes on with that store.
 */
export type StoreRead<T> = (store: Store) => Promise<T>;

/** A read ahead sent something else than a GetItem, or sent after the batch: a bug in its declaration. */
export class ReadAheadRefused extends Error {
  override name = 'ReadAheadRefused';
}

type GetInput = GetCommand['input'];
type GetOutput = { Item?: Record<string, unknown> };

interface Held {
  input: GetInput;
  /** what the read that sent it is given */
  answer: Promise<GetOutput>;
  resolve: (out: GetOutput) => void;
  reject: (error: unknown) => void;
}

/** A GetItem held back: its answer comes when `resolve` or `reject` is called. */
function held(input: GetInput): Held {
  const settle: Pick<Held, 'resolve' | 'reject'> = { resolve: () => undefined, reject: () => undefined };
  const answer = new Promise<GetOutput>((resolve, reject) => Object.assign(settle, { resolve, reject }));
  return { input, answer, ...settle };
}

const { partitionKey, sortKey } = TABLE_DEFINITION;
const keyId = (input: Pick<GetInput, 'TableName' | 'Key'>) =>
  JSON.stringify([input.TableName, input.Key?.[partitionKey], input.Key?.[sortKey]]);
/** A GetItem whose answer is the whole item: it may join a batch or be answered from one. */
const isPlainGet = (command: unknown): command is GetCommand =>
  command instanceof GetCommand && command.input.ProjectionExpression === undefined && command.input.AttributesToGet === undefined;

/** `store` with another `send`; the guard's store (store/guard.ts) stays underneath. */
function withSend(store: Store, send: (command: unknown) => Promise<unknown>): Store {
  const db = Object.create(store.db) as DynamoDBDocumentClient;
  Object.defineProperty(db, 'send', { value: send, enumerable: false });
  return { ...store, db };
}

/**
 * The held GetItems in one BatchGetItem (batchGetItems; a GetItem when they name one key),
 * strongly consistent when any of them asked, so no read is weaker than the one it replaces. When
 * the batch fails, each key is sent alone, so that a read fails only for what fails it, as it
 * would without a batch (a non-member's answer never depends on the item); but a key the tenant
 * fence refuses fails them all. Answers whether the reads were consistent.
 */
async function sendHeld(store: Store, holds: Held[]): Promise<boolean> {
  const consistent = holds.some((h) => h.input.ConsistentRead === true);
  // one read per key, whoever asked for it
  const byKey = new Map<string, { input: GetInput; asked: Held[] }>();
  for (const h of holds) {
    const id = keyId(h.input);
    byKey.set(id, { input: h.input, asked: [...(byKey.get(id)?.asked ?? []), h] });
  }
  const eachAlone = () =>
    Promise.all(
      [...byKey.values()].map(async ({ input, asked }) => {
        try {
          const out = (await store.db.send(new GetCommand({ ...input, ConsistentRead: consistent }))) as GetOutput;
          for (const h of asked) h.resolve(out.Item ? { Item: out.Item } : {});
        } catch (error) {
          for (const h of asked) h.reject(error);
        }
      }),
    );
  // the store's table only (a GetItem of another, none is made, goes alone)
  if (byKey.size <= 1 || holds.some((h) => h.input.TableName !== store.tableName)) {
    await eachAlone();
    return consistent;
  }
  const found = new Map<string, Record<string, unknown>>();
  try {
    const keyList = [...byKey.values()].map(({ input }) => input.Key as { pk: string; sk: string });
    for (const item of await batchGetItems(store, keyList, { consistent }))
      found.set(keyId({ TableName: store.tableName, Key: item }), item);
  } catch (error) {
    // a key outside the business is a bug: the whole read fails, nothing of it is sent
    if (error instanceof TenantFenceError) for (const h of holds) h.reject(error);
    // each alone meets its own answer: a key DynamoDB refuses (too long) or a stored number past
    // the safe range (AmountOutOfRange, thrown while the whole answer is read) fails only its read
    else await eachAlone();
    return consistent;
  }
  for (const [id, { asked }] of byKey) {
    const item = found.get(id);
    for (const h of asked) h.resolve(item ? { Item: item } : {});
  }
  return consistent;
}

/**
 * A store that holds the plain GetItems sent to it while `holding()` says so. Anything else goes
 * out as usual, unless `strict`: then it is refused (ReadAheadRefused).
 */
function holdingStore(store: Store, holds: Held[], holding: () => boolean, strict: boolean): Store {
  return withSend(store, (command) => {
    if (holding() && isPlainGet(command)) {
      const hold = held(command.input);
      holds.push(hold);
      return hold.answer;
    }
    if (strict) {
      const what = (command as object | null)?.constructor?.name ?? typeof command;
      return Promise.reject(new ReadAheadRefused(`a read ahead sends its GetItems only, all at once (${what})`));
    }
    return store.db.send(command as GetCommand);
  });
}

/** Call each read on `on`; a read that throws before it returns a promise fails like one that rejects. */
const start = <T>(read: StoreRead<T>, on: Store): Promise<T> => {
  try {
    return read(on);
  } catch (error) {
    return Promise.reject(error);
  }
};

/** Run store reads together: their first GetItems in one round trip; their results, in order. */
export async function readTogether<T extends unknown[]>(store: Store, reads: { [K in keyof T]: StoreRead<T[K]> }): Promise<T> {
  const holds: Held[] = [];
  let holding = true;
  const on = holdingStore(store, holds, () => holding, false);
  const running = (reads as StoreRead<unknown>[]).map((read) => start(read, on));
  holding = false;
  // settled from now on, so that a read failing during the batch is never unhandled
  const all = Promise.all(running);
  all.catch(() => undefined);
  await sendHeld(store, holds);
  return (await all) as T;
}

/**
 * Run `first` and the reads `ahead` together: their GetItems in one round trip (see above).
 * Answers `first`'s result (its errors are thrown) and the store that answers `ahead`'s GetItems
 * once. An error of a read ahead is left to the handler's own read, which meets it again; a read
 * ahead that sends anything but its GetItems is a bug, thrown.
 */
export async function readAhead<T>(store: Store, first: StoreRead<T>, ahead: StoreRead<unknown>[]): Promise<{ value: T; store: Store }> {
  const holds: Held[] = [];
  let holding = true;
  const on = holdingStore(store, holds, () => holding, true);
  const firstRead = start(first, on);
  const heldByFirst = holds.length;
  const aheadReads = ahead.map((read) => start(read, on));
  holding = false;
  // settled from now on, so that a read failing during the batch is never unhandled
  firstRead.catch(() => undefined);
  const aheadDone = Promise.allSettled(aheadReads);
  const consistent = await sendHeld(store, holds);

  const settled = await aheadDone;
  const value = await firstRead;
  for (const s of settled) if (s.status === 'rejected' && s.reason instanceof ReadAheadRefused) throw s.reason;
  const answers = new Map(holds.slice(heldByFirst).map((h) => [keyId(h.input), h.answer]));
  return { value, store: answeringOnce(store, answers, consistent) };
}

/** `store`, but a plain GetItem of a key in `answers` (no stronger than they were read) is answered from there, once. */
function answeringOnce(store: Store, answers: Map<string, Promise<GetOutput>>, consistent: boolean): Store {
  if (answers.size === 0) return store;
  return withSend(store, (command) => {
    if (isPlainGet(command) && (consistent || command.input.ConsistentRead !== true)) {
      const id = keyId(command.input);
      const answer = answers.get(id);
      if (answer) {
        answers.delete(id);
        return answer;
      }
    }
    return store.db.send(command as GetCommand);
  });
}
