/**
 * When DynamoDB is busy — a write that keeps meeting other writes to the same items after every
 * retry, or a throttle the SDK gave up on — the request was fine and may pass in a moment: the
 * answer is 503 `busy` with Retry-After, never the 500 of a fault, and sending it again works.
 * DynamoDB Local is never busy: the server's own store is made to answer so (support/conflicts.ts),
 * over real HTTP.
 */
import { describe, expect, it } from 'vitest';
import { isStoreBusy, StoreBusy } from '../../functions/store/client';
import { METRIC } from '../../infra/metrics';
import { batchGetItems, batchPutItems } from '../../functions/store/paging';
import { conflictTimes, failNext } from './support/conflicts';
import { fileClockServer, ok, uid } from './support/periods';
import { uniquePhone } from './support/api';

const s = fileClockServer('2026-11-10T09:00:00+07:00');

async function business() {
  const owner = await s.as(uid('owner-'));
  const tenant = (await ok(owner.post('/v1/tenants', { name: 'Mỹ phẩm Hoa Sen', pageId: uid('page-') }), 201)).body;
  return { owner, tenantId: tenant.id as string, base: `/v1/tenants/${tenant.id}` };
}

const throttled = () => Object.assign(new Error('Rate of requests exceeds the allowed throughput.'), { name: 'ThrottlingException' });

const busyCount = () => s.metrics.filter((m) => m === METRIC.busyAnswers).length;

function expectBusy(res: { status: number; body: any; headers: Headers }) {
  expect(res.status, JSON.stringify(res.body)).toBe(503);
  expect(res.body).toMatchObject({ type: 'urn:ctv-cloud:problem:busy', status: 503 });
  expect(res.body.instance).toMatch(/^urn:ctv-cloud:request:/);
  expect(res.headers.get('retry-after')).toBe('1');
}

describe('a busy store answers 503 with Retry-After, and the same request passes later', () => {
  it('a create whose transaction keeps conflicting: 503, nothing stored, and its Idempotency-Key free for the retry', async () => {
    const b = await business();
    const body = { name: 'Nguyễn Thị Hoa', phone: uniquePhone() };
    const headers = { 'Idempotency-Key': uid('busy-') };
    // transact() sends a conflicting transaction 5 times in all before it gives up
    const cancelled = conflictTimes(s.store, ['None', 'TransactionConflict', 'None'], 5);
    const counted = busyCount();
    expectBusy(await b.owner.post(`${b.base}/collaborators`, body, headers));
    expect(cancelled()).toBe(5);
    expect(busyCount()).toBe(counted + 1); // the dashboard's BusyAnswers
    expect((await ok(b.owner.get(`${b.base}/collaborators`), 200)).body.items).toEqual([]);

    const created = await ok(b.owner.post(`${b.base}/collaborators`, body, headers), 201);
    expect(created.body).toMatchObject({ name: 'Nguyễn Thị Hoa', version: 1 });
    expect((await ok(b.owner.get(`${b.base}/collaborators`), 200)).body.items.map((c: { id: string }) => c.id)).toEqual([created.body.id]);
  });

  it('a read the table throttles: 503, and the next one answers', async () => {
    const b = await business();
    const ctv = (await ok(b.owner.post(`${b.base}/collaborators`, { name: 'Trần Văn Bình', phone: uniquePhone() }), 201)).body;
    // the read ahead's BatchGetItem, then each of its two GetItems sent alone (store/read-ahead.ts)
    const batch = failNext(s.store, 'BatchGetItemCommand', 1, throttled);
    const alone = failNext(s.store, 'GetItemCommand', 2, throttled);
    expectBusy(await b.owner.get(`${b.base}/collaborators/${ctv.id}`));
    expect([batch(), alone()]).toEqual([1, 2]);
    expect((await ok(b.owner.get(`${b.base}/collaborators/${ctv.id}`), 200)).body).toMatchObject({ id: ctv.id, version: 1 });
  });

  it('a condition that failed is still the answer of the write, not busy', async () => {
    const b = await business();
    const ctv = (await ok(b.owner.post(`${b.base}/collaborators`, { name: 'Lê Văn Tám', phone: uniquePhone() }), 201)).body;
    // a conflict on one item and a condition failed on another: the condition decides (412)
    conflictTimes(s.store, ['ConditionalCheckFailed', 'TransactionConflict'], 1);
    const res = await b.owner.patch(`${b.base}/collaborators/${ctv.id}`, { name: 'Lê Văn Tám B' }, { 'If-Match': '"1"' });
    expect(res.status, JSON.stringify(res.body)).not.toBe(503);
    expect(res.status).toBeLessThan(500);
  });
});

describe('isStoreBusy: what DynamoDB answers when the request was fine but the store was busy', () => {
  const named = (name: string, extra: object = {}) => Object.assign(new Error(name), { name, ...extra });
  const cancelled = (...codes: string[]) => named('TransactionCanceledException', { CancellationReasons: codes.map((Code) => ({ Code })) });

  it('busy: throttles, conflicts alone, and a write that gave up', () => {
    for (const e of [
      named('ThrottlingException'),
      named('ProvisionedThroughputExceededException'),
      named('RequestLimitExceeded'),
      named('TransactionConflictException'),
      cancelled('None', 'TransactionConflict'),
      cancelled('ThrottlingError'),
      cancelled('ProvisionedThroughputExceeded', 'None'),
      new StoreBusy('the order is being changed'),
    ])
      expect(isStoreBusy(e), e.name).toBe(true);
  });

  it('not busy: a condition failed, a bad request, a fault, nothing said', () => {
    for (const e of [
      cancelled('ConditionalCheckFailed', 'TransactionConflict'),
      cancelled('ValidationError', 'TransactionConflict'),
      cancelled('None', 'None'),
      cancelled(),
      named('ConditionalCheckFailedException'),
      named('ValidationException'),
      named('InternalServerError'),
      new Error('boom'),
      null,
      undefined,
    ])
      expect(isStoreBusy(e), String((e as Error | null)?.name)).toBe(false);
  });
});

describe('a batch DynamoDB keeps leaving unprocessed', () => {
  it('batchPutItems sends the rest again, and fails as busy when DynamoDB never takes it', async () => {
    const pk = `T#${uid('batch-')}`;
    const items = Array.from({ length: 30 }, (_, i) => ({ pk, sk: `ITEM#${String(i).padStart(2, '0')}`, n: i }));
    // the first call: DynamoDB takes 10 of its 25 puts and leaves the other 15 unprocessed
    let calls = 0;
    s.store.db.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName !== 'BatchWriteItemCommand' || calls++ > 0) return next(args);
        const input = args.input as { RequestItems: Record<string, unknown[]> };
        const [table, requests] = Object.entries(input.RequestItems)[0]!;
        const out = await next({ ...args, input: { ...input, RequestItems: { [table]: requests.slice(0, 10) } } });
        const answer = { ...out, output: { ...(out.output as object), UnprocessedItems: { [table]: requests.slice(10) } } };
        return answer as typeof out;
      },
      { step: 'initialize', name: uid('unprocessed-') },
    );
    await batchPutItems(s.store, items);
    expect(calls).toBe(3);
    const stored = await batchGetItems(
      s.store,
      items.map(({ pk, sk }) => ({ pk, sk })),
      { consistent: true },
    );
    expect(stored.map((i) => i.n).sort((a, b) => Number(a) - Number(b))).toEqual(items.map((i) => i.n));

    // DynamoDB takes nothing, call after call: after its retries (~3.5 s of backoff) the write is busy
    let refusing = true;
    let refused = 0;
    s.store.db.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName !== 'BatchWriteItemCommand' || !refusing) return next(args);
        refused++;
        const input = args.input as { RequestItems: Record<string, unknown[]> };
        const answer = { response: {}, output: { $metadata: {}, UnprocessedItems: input.RequestItems } };
        return answer as unknown as Awaited<ReturnType<typeof next>>;
      },
      { step: 'initialize', name: uid('refusing-') },
    );
    try {
      const failure = await batchPutItems(s.store, [{ pk, sk: 'ITEM#never', n: -1 }]).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(StoreBusy);
      expect(refused).toBe(8);
    } finally {
      refusing = false;
    }
    expect(await batchGetItems(s.store, [{ pk, sk: 'ITEM#never' }], { consistent: true })).toEqual([]);
  });
});
