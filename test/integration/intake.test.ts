/**
 * The order intake over HTTP on DynamoDB Local (docs/orders.md, "Order intake"): a signed delivery is
 * stored first, then processed (200); what cannot be read is parked (202), what may pass is
 * accepted and finished by the worker (202); the owner lists, reads, replays and discards. Faults
 * are injected below the handlers, in the SDK's middleware stack of a test server's own store.
 */
import { readFileSync } from 'node:fs';
import type { SQSEvent } from 'aws-lambda';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveryIdFor, inProcessDeliveryQueue, processStoredDelivery, sweepWaitingDeliveries } from '../../functions/services/intake';
import { processDeliveryBatch } from '../../functions/jobs/delivery-worker';
import { putNewDelivery } from '../../functions/store/deliveries';
import { keys } from '../../functions/store/keys';
import { signBase64Hmac, signCtv } from '../../functions/webhooks/adapters/signatures';
import { suiteNow, suiteNowSeconds } from './support/clock';
import { orderLine } from './support/orders';
import { unique, type ApiClient, type ApiResponse, type Caller } from './support/http';
import { testServer } from './support/servers';

/** What the next order transactions (TransactWriteItems holding an order item) do instead of running. */
let orderWriteFaults: (() => Error)[] = [];
/** What the next delivery-status writes (TransactWriteItems holding a delivery record) do instead of running. */
let deliveryWriteFaults: (() => Error)[] = [];
/** What the next reads of one delivery record (GetItem on its key) do instead of running. */
let deliveryReadFaults: { deliveryId: string; error: () => Error }[] = [];

let api: ApiClient;
let close: () => Promise<void>;
let server: Awaited<ReturnType<typeof testServer>>;

const throttle = () =>
  Object.assign(new Error('Throughput exceeds the current capacity'), { name: 'ProvisionedThroughputExceededException' });
const crash = () => Object.assign(new Error('Task timed out after 29.00 seconds'), { name: 'TimeoutError' });

beforeAll(async () => {
  server = await testServer({
    instrument: (store) => {
      store.db.middlewareStack.add(
        (next, context) => async (args) => {
          if (/^Get(Item)?Command$/.test(String(context.commandName)) && deliveryReadFaults.length) {
            const text = JSON.stringify(args.input);
            const i = deliveryReadFaults.findIndex((f) => text.includes(`#DLV#${f.deliveryId}`) && text.includes('"DLV"'));
            if (i >= 0) throw deliveryReadFaults.splice(i, 1)[0]!.error();
          }
          if (/^TransactWrite(Items)?Command$/.test(String(context.commandName))) {
            const text = JSON.stringify(args.input);
            const isOrder = text.includes('#ORDER#');
            // a delivery's status write: its record and its body's TTL (a new delivery also writes the body itself)
            const isDeliveryUpdate = text.includes('"DLV"') && text.includes('expiresAt') && !text.includes('delivery-body');
            if (isOrder && orderWriteFaults.length) throw orderWriteFaults.shift()!();
            if (isDeliveryUpdate && deliveryWriteFaults.length) throw deliveryWriteFaults.shift()!();
          }
          return next(args);
        },
        { step: 'initialize', name: 'injectFaults' },
      );
    },
  });
  api = server.api;
  close = server.close;
});

afterAll(async () => close?.());

/** A business with a 10% plan, a CTV, and a source of our own kind (X-Ctv-Signature). */
async function business(plan: Record<string, unknown> = { basic: { default: { percentBp: 1000 } } }) {
  const owner = await api.as(unique('owner-'));
  const tenant = (await owner.post('/v1/tenants', { name: 'Mỹ phẩm Sen Vàng', pageId: unique('sen-') })).body;
  const base = `/v1/tenants/${tenant.id}`;
  expect((await owner.post(`${base}/commission-plans`, { effectiveFrom: '2026-01-01', ...plan })).status).toBe(201);
  const source = (await owner.post(`${base}/webhook-sources`, { name: 'Website' })).body as { id: string; secret: string };
  const ctv = (
    await owner.post(`${base}/collaborators`, {
      name: 'Nguyễn Thị Hoa',
      phone: `091${String(Math.floor(suiteNow() % 1e7)).padStart(7, '0')}`,
    })
  ).body;
  const url = `/v1/webhooks/${tenant.id}/${source.id}/orders`;
  const send = (raw: string | Uint8Array, headers: Record<string, string> = {}) =>
    fetchRaw(url, raw, { 'x-ctv-signature': signCtv(raw, source.secret, suiteNowSeconds()), ...headers });
  const event = (externalId: string, revision: number, overrides: Record<string, unknown> = {}) => ({
    externalId,
    revision,
    state: 'approved',
    occurredAt: '2026-11-03T10:15:00+07:00',
    customer: { phone: '0912345678', name: 'Khách' },
    lines: [orderLine('1', 2, 350_000)],
    orderDiscount: 0,
    shippingFee: 0,
    attribution: { collaboratorId: ctv.id, refId: null, couponCode: null, opportunityId: null },
    sellerId: null,
    ...overrides,
  });
  return { owner, tenantId: tenant.id as string, base, source, ctv, url, send, event };
}
type Business = Awaited<ReturnType<typeof business>>;

/** POST a body exactly as given (a string, or bytes that need not be UTF-8). */
const fetchRaw = (path: string, body: string | Uint8Array, headers: Record<string, string>): Promise<ApiResponse> =>
  api.request('POST', path, { body, headers });

/**
 * What a request that died right after its first write leaves: an order delivery of `b` stored as
 * `accepted` (received `minutesAgo` on the suite clock) with its body, and nothing else.
 */
async function strandedDelivery(b: Business, minutesAgo = 0): Promise<{ raw: string; id: string }> {
  const raw = JSON.stringify(b.event(unique('HD-'), 1));
  const body = new TextEncoder().encode(raw);
  const at = new Date(suiteNow() - minutesAgo * 60_000).toISOString();
  const id = deliveryIdFor(b.source.id, {}, body);
  const delivery = {
    id,
    tenantId: b.tenantId,
    sourceId: b.source.id,
    receivedAt: at,
    status: 'accepted' as const,
    attempts: 0,
    orderIds: [],
    errors: [],
    headers: {},
    updatedAt: at,
    version: 1,
  };
  expect(await putNewDelivery(server.store, delivery, body)).toBe(true);
  return { raw, id };
}

const deliveries = async (b: Business, status: string) => {
  const res = await b.owner.get(`${b.base}/webhook-deliveries?status=${status}`);
  expect(res.status, res.text).toBe(200);
  return res.body.items as any[];
};

async function until<T>(what: string, read: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await read();
    if (done(v)) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${what}: not reached in 5 s`);
}

const storedItem = async (key: { pk: string; sk: string }) =>
  (await server.store.db.send(new GetCommand({ TableName: server.store.tableName, Key: key, ConsistentRead: true }))).Item;

describe('store first, then process', () => {
  it('a signed delivery is stored with its raw body, processed at once (200), and kept 90 days', async () => {
    const b = await business();
    const raw = JSON.stringify(b.event(unique('HD-'), 1));
    const res = await b.send(raw, { 'user-agent': 'Haravan-Webhook/1.0', 'x-shop-domain': 'sen-vang.myharavan.com' });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({
      orderId: expect.any(String),
      revision: 1,
      applied: true,
      orders: [{ orderId: res.body.orderId, revision: 1, applied: true }],
    });

    const [delivery] = await deliveries(b, 'processed');
    expect(delivery).toMatchObject({ sourceId: b.source.id, status: 'processed', attempts: 1, orderIds: [res.body.orderId], errors: [] });
    const detail = (await b.owner.get(`${b.base}/webhook-deliveries/${delivery.id}`)).body;
    expect(detail.body).toBe(raw);
    expect(detail.headers).toMatchObject({
      'user-agent': 'Haravan-Webhook/1.0',
      'x-shop-domain': 'sen-vang.myharavan.com',
      'x-ctv-signature': expect.any(String),
    });
    // 90 days after it was received, the record and its body expire
    const ttl = Math.floor(Date.parse(delivery.receivedAt) / 1000) + 90 * 86_400;
    expect((await storedItem(keys.delivery(b.tenantId, delivery.id)))?.expiresAt).toBe(ttl);
    expect((await storedItem({ pk: keys.delivery(b.tenantId, delivery.id).pk, sk: 'BODY' }))?.expiresAt).toBe(ttl);
    // the order is there, 10% of 700,000
    const order = (await b.owner.get(`${b.base}/orders/${res.body.orderId}`)).body;
    expect(order.commissionLines.map((l: any) => l.amount)).toEqual([70_000]);
  });

  it('the same delivery sent again is stored once and changes nothing; a vendor delivery id names it whatever the bytes', async () => {
    const b = await business();
    const raw = JSON.stringify(b.event(unique('HD-'), 1));
    const [first, again] = [await b.send(raw), await b.send(raw)];
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(again.body).toEqual({
      orderId: first.body.orderId,
      revision: 1,
      applied: false,
      orders: [{ orderId: first.body.orderId, revision: 1, applied: false }],
    });
    expect(await deliveries(b, 'processed')).toHaveLength(1);

    // two bodies under one vendor delivery id (a redelivery re-serialised): one delivery
    const id = unique('wc-');
    const e = b.event(unique('HD-'), 1);
    const one = await b.send(JSON.stringify(e), { 'x-wc-webhook-delivery-id': id });
    const two = await b.send(JSON.stringify(e, null, 2), { 'x-wc-webhook-delivery-id': id });
    expect([one.status, two.status]).toEqual([200, 200]);
    expect(two.body.applied).toBe(false);
    expect(await deliveries(b, 'processed')).toHaveLength(2);
  });

  it('a failure to store answers 5xx, so the order system retries; nothing is kept', async () => {
    const b = await business();
    // the store's first write (the delivery and its body) fails as during an outage
    const spy = server.store.db.middlewareStack;
    let fail = true;
    spy.add(
      (next, context) => async (args) => {
        const first =
          /^TransactWrite(Items)?Command$/.test(String(context.commandName)) && JSON.stringify(args.input).includes('delivery-body');
        if (first && fail) {
          fail = false;
          throw Object.assign(new Error('connect ECONNREFUSED'), { name: 'Error' });
        }
        return next(args);
      },
      { step: 'initialize', name: 'outage' },
    );
    try {
      const raw = JSON.stringify(b.event(unique('HD-'), 1));
      const res = await b.send(raw);
      expect(res.status).toBeGreaterThanOrEqual(500);
      for (const status of ['accepted', 'processed', 'parked']) expect(await deliveries(b, status)).toEqual([]);
      // the retry is taken
      expect((await b.send(raw)).status).toBe(200);
    } finally {
      spy.remove('outage');
    }
  });
});

describe('park, never refuse', () => {
  it('malformed JSON, a body that is not UTF-8, a foreign currency, a payload that cannot be mapped: 202 parked, listed, counted for the owner', async () => {
    const b = await business();
    const cases: [string | Uint8Array, string][] = [
      ['{"externalId": "HD-1", ', 'body'],
      [new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), 'body'], // not UTF-8: the signature over the bytes still verifies
      [JSON.stringify({ ...b.event(unique('HD-'), 1), currency: 'USD' }), 'currency'],
      [JSON.stringify({ ...b.event(unique('HD-'), 1), revision: 'two' }), 'revision'],
    ];
    const parked: string[] = [];
    for (const [raw, path] of cases) {
      const res = await b.send(raw);
      expect(res.status, res.text).toBe(202);
      expect(res.body).toMatchObject({ status: 'parked', deliveryId: expect.any(String) });
      expect(res.body.errors.map((e: any) => e.path)).toContain(path);
      parked.push(res.body.deliveryId);
    }
    const listed = await deliveries(b, 'parked');
    expect(listed.map((d) => d.id).sort()).toEqual([...parked].sort());
    expect((await b.owner.get(b.base)).body.parkedDeliveries).toBe(4);
    // the raw bytes are there to read: as text, and as base64 where they are not UTF-8
    const bytes = (await b.owner.get(`${b.base}/webhook-deliveries/${parked[1]}`)).body;
    expect(Buffer.from(bytes.bodyBase64, 'base64')).toEqual(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]));
    // a parked delivery sent again is still parked, not stored twice
    expect((await b.send(cases[0]![0])).body).toMatchObject({ status: 'parked', deliveryId: parked[0] });
    expect(await deliveries(b, 'parked')).toHaveLength(4);
    // a parked one is kept until resolved (no TTL), and only the owner sees the count
    expect((await storedItem(keys.delivery(b.tenantId, parked[0]!)))?.expiresAt).toBeUndefined();
  });

  it('an order whose commission is past 2^53 is parked (202) naming the lines, and a replay after the plan is fixed takes it', async () => {
    // 10^9 đ per unit on 10 lines of 10^6 units: 10^16 đ > 2^53 − 1
    const b = await business({ basic: { default: { fixedPerUnit: 1_000_000_000 } } });
    const externalId = unique('HD-HUGE-');
    const raw = JSON.stringify(
      b.event(externalId, 1, { lines: Array.from({ length: 10 }, (_, i) => orderLine(String(i + 1), 1_000_000, 1)) }),
    );
    const res = await b.send(raw);
    expect(res.status, res.text).toBe(202);
    expect(res.body).toMatchObject({ status: 'parked', errors: [expect.objectContaining({ path: 'lines' })] });
    expect((await b.owner.get(`${b.base}/orders?from=2026-11-01&to=2026-11-30`)).body.items).toEqual([]);

    // the owner fixes the plan (a new version from the same day), then replays: 1% of 10 × 10^6 đ
    expect(
      (await b.owner.post(`${b.base}/commission-plans`, { effectiveFrom: '2026-01-01', basic: { default: { percentBp: 100 } } })).status,
    ).toBe(201);
    const replayed = await b.owner.post(`${b.base}/webhook-deliveries/${res.body.deliveryId}/replay`);
    expect(replayed.status, replayed.text).toBe(202);
    expect(replayed.body).toMatchObject({ status: 'processed', errors: [], orderIds: [expect.any(String)] });
    const order = (await b.owner.get(`${b.base}/orders/${replayed.body.orderIds[0]}`)).body;
    expect(order.commissionLines.reduce((s: number, l: any) => s + l.amount, 0)).toBe(100_000);
    expect((await b.owner.get(b.base)).body.parkedDeliveries).toBe(0);
  });

  it('an order DynamoDB refuses for its item size is parked (202) with that reason, not retried', async () => {
    const b = await business();
    const tooLarge = () =>
      Object.assign(new Error('Transaction cancelled, please refer cancellation reasons for specific reasons [ValidationError]'), {
        name: 'TransactionCanceledException',
        CancellationReasons: [{ Code: 'ValidationError', Message: 'Item size has exceeded the maximum allowed size' }],
      });
    orderWriteFaults = [tooLarge];
    const res = await b.send(JSON.stringify(b.event(unique('HD-'), 1)));
    expect(res.status, res.text).toBe(202);
    expect(res.body).toMatchObject({ status: 'parked', errors: [{ path: 'body', message: expect.stringMatching(/item-size/) }] });
    expect(orderWriteFaults).toEqual([]);
    expect((await b.owner.get(`${b.base}/webhook-deliveries/${res.body.deliveryId}`)).body.attempts).toBe(1);
  });

  it('unsigned, badly signed and unknown sources get one identical 401 and nothing is stored; over 256 KB is 413', async () => {
    const b = await business();
    const raw = JSON.stringify(b.event(unique('HD-'), 1));
    const answers = [
      await fetchRaw(b.url, raw, {}),
      await fetchRaw(b.url, raw, { 'x-ctv-signature': signCtv(raw, 'not-the-secret', suiteNowSeconds()) }),
      await fetchRaw(`/v1/webhooks/${b.tenantId}/01KZZZZZZZZZZZZZZZZZZZZZZZ/orders`, raw, {
        'x-ctv-signature': signCtv(raw, b.source.secret, suiteNowSeconds()),
      }),
    ];
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401]);
    expect(new Set(answers.map((a) => JSON.stringify({ ...a.body, detail: undefined, instance: undefined }))).size).toBe(1);
    const big = JSON.stringify({ ...b.event(unique('HD-'), 1), note: 'x'.repeat(256 * 1024) });
    expect((await b.send(big)).status).toBe(413);
    for (const status of ['accepted', 'processed', 'parked']) expect(await deliveries(b, status)).toEqual([]);
  });
});

describe('what may pass is finished later', () => {
  it('a throttle on the order write: 202 accepted with the order id, then the worker takes it', async () => {
    const b = await business();
    orderWriteFaults = [throttle, throttle];
    const raw = JSON.stringify(b.event(unique('HD-'), 1));
    const res = await b.send(raw);
    expect(res.status, res.text).toBe(202);
    expect(res.body).toEqual({ deliveryId: expect.any(String), status: 'accepted', orderId: expect.any(String) });
    const done = await until(
      'the worker processes it',
      async () => (await b.owner.get(`${b.base}/webhook-deliveries/${res.body.deliveryId}`)).body,
      (d) => d.status === 'processed',
    );
    expect(done).toMatchObject({ attempts: 3, orderIds: [res.body.orderId], errors: [] });
    expect(orderWriteFaults).toEqual([]);
    const order = (await b.owner.get(`${b.base}/orders/${res.body.orderId}`)).body;
    expect(order.commissionLines.map((l: any) => l.amount)).toEqual([70_000]);
  });

  it('a crash right after the delivery was stored: it waits as accepted; the worker step or the retry finishes it', async () => {
    const b = await business();
    const first = await strandedDelivery(b);
    expect((await deliveries(b, 'accepted')).map((d) => d.id)).toEqual([first.id]);
    // the order system retries: the same delivery, processed now
    const retried = await b.send(first.raw);
    expect(retried.status, retried.text).toBe(200);
    expect(retried.body.applied).toBe(true);
    expect((await b.owner.get(`${b.base}/webhook-deliveries/${first.id}`)).body).toMatchObject({ status: 'processed', attempts: 1 });
    // no retry comes: the worker's step (SQS in AWS) takes it from the table
    const second = await strandedDelivery(b);
    expect(
      await processStoredDelivery(
        server.deps,
        b.tenantId,
        second.id,
        inProcessDeliveryQueue(() => server.deps),
      ),
    ).toMatchObject({ status: 'processed', orders: [{ applied: true }] });
    expect(await deliveries(b, 'accepted')).toEqual([]);
  });

  it('the sweep processes what a crash left waiting longer than 5 minutes, across businesses, and only that', async () => {
    const b = await business();
    const c = await business();
    const old = [(await strandedDelivery(b, 30)).id, (await strandedDelivery(c, 6)).id];
    const recent = (await strandedDelivery(b, 1)).id;
    // other tests' waiting deliveries may be swept too: sweep until ours are done
    for (let i = 0; i < 20 && (await deliveries(b, 'accepted')).length + (await deliveries(c, 'accepted')).length > 1; i++) {
      await sweepWaitingDeliveries(
        server.deps,
        inProcessDeliveryQueue(() => server.deps),
      );
    }
    expect((await deliveries(b, 'processed')).map((d) => d.id)).toEqual([old[0]]);
    expect((await deliveries(c, 'processed')).map((d) => d.id)).toEqual([old[1]]);
    expect((await deliveries(b, 'accepted')).map((d) => d.id)).toEqual([recent]);
  });

  it("the SQS worker's batch: drops what is not a delivery message, processes the rest, returns only the failed ones to SQS", async () => {
    const b = await business();
    const [ok, failing] = [(await strandedDelivery(b)).id, (await strandedDelivery(b)).id];
    deliveryReadFaults = [{ deliveryId: failing, error: throttle }];
    const record = (messageId: string, body: string) => ({ messageId, body, attributes: { ApproximateReceiveCount: '1' } });
    const event = {
      Records: [
        record('m1', 'not json'),
        record('m2', JSON.stringify({ tenantId: b.tenantId, deliveryId: ok, attempt: 1 })),
        record('m3', JSON.stringify({ tenantId: b.tenantId, deliveryId: failing, attempt: 1 })),
      ],
    } as unknown as SQSEvent;
    const answer = await processDeliveryBatch(
      server.deps,
      inProcessDeliveryQueue(() => server.deps),
      event,
    );
    expect(answer.batchItemFailures).toEqual([{ itemIdentifier: 'm3' }]);
    expect((await deliveries(b, 'processed')).map((d) => d.id)).toEqual([ok]);
    expect((await deliveries(b, 'accepted')).map((d) => d.id)).toEqual([failing]);
  });

  it('a crash between the order and the delivery record: 202, and the retry books nothing twice', async () => {
    const b = await business();
    deliveryWriteFaults = [crash];
    const res = await b.send(JSON.stringify(b.event(unique('HD-'), 1)));
    expect(res.status, res.text).toBe(202);
    expect(res.body.status).toBe('accepted');
    const done = await until(
      'processed',
      async () => (await b.owner.get(`${b.base}/webhook-deliveries/${res.body.deliveryId}`)).body,
      (d) => d.status === 'processed',
    );
    expect(done.attempts).toBe(2);
    const order = (await b.owner.get(`${b.base}/orders/${res.body.orderId}`)).body;
    expect(order.commissionLines.map((l: any) => l.amount)).toEqual([70_000]);
  });

  it('failing every time: parked after the last attempt, with the reason, for the owner to replay', async () => {
    const b = await business();
    orderWriteFaults = Array.from({ length: 6 }, () => throttle);
    const res = await b.send(JSON.stringify(b.event(unique('HD-'), 1)));
    expect(res.body.status).toBe('accepted');
    const parked = await until(
      'parked',
      async () => (await b.owner.get(`${b.base}/webhook-deliveries/${res.body.deliveryId}`)).body,
      (d) => d.status === 'parked',
    );
    expect(parked.attempts).toBe(6);
    expect(parked.errors[0].message).toMatch(/failed 6 times.*ProvisionedThroughputExceeded/);
    const replayed = await b.owner.post(`${b.base}/webhook-deliveries/${res.body.deliveryId}/replay`);
    expect(replayed.body.status).toBe('processed');
  });
});

describe("the owner's view", () => {
  it('discard with a reason (audited); a processed delivery cannot be discarded; only the owner reads deliveries', async () => {
    const b = await business();
    const bad = await b.send('not json');
    const good = await b.send(JSON.stringify(b.event(unique('HD-'), 1)));
    const path = `${b.base}/webhook-deliveries/${bad.body.deliveryId}`;
    expect((await b.owner.post(`${path}/discard`, {})).status).toBe(400);
    const discarded = await b.owner.post(`${path}/discard`, { reason: 'Đơn thử của Haravan' });
    expect(discarded.status, discarded.text).toBe(200);
    expect(discarded.body).toMatchObject({ status: 'discarded', discardReason: 'Đơn thử của Haravan' });
    expect((await b.owner.post(`${path}/discard`, { reason: 'lại' })).status).toBe(409);
    expect(await deliveries(b, 'discarded')).toHaveLength(1);
    expect(await deliveries(b, 'parked')).toEqual([]);
    // the same bytes again: still discarded, not re-parked
    expect((await b.send('not json')).body).toEqual({ deliveryId: bad.body.deliveryId, status: 'discarded' });
    const [processed] = await deliveries(b, 'processed');
    expect(processed.orderIds).toEqual([good.body.orderId]);
    expect((await b.owner.post(`${b.base}/webhook-deliveries/${processed.id}/discard`, { reason: 'x' })).status).toBe(409);

    const log = (await b.owner.get(`${b.base}/audit?limit=50`)).body.items.map((e: any) => e.action);
    expect(log).toContain('discardWebhookDelivery');

    // a manager of the business, and another business's owner, do not see deliveries
    const managerSub = unique('mgr-');
    expect((await b.owner.post(`${b.base}/managers`, { userId: managerSub, name: 'Lê Thị Mai' })).status).toBe(201);
    const manager: Caller = await api.as(managerSub);
    expect((await manager.get(`${b.base}/webhook-deliveries`)).status).toBe(403);
    expect((await manager.get(b.base)).body.parkedDeliveries).toBeUndefined();
    const other = await business();
    expect((await other.owner.get(`${b.base}/webhook-deliveries/${processed.id}`)).status).toBe(404);
    expect((await other.owner.get(`${other.base}/webhook-deliveries/${processed.id}`)).status).toBe(404);
  });

  it('replays every parked delivery of a source, oldest first; replays racing a newer revision end in the newest', async () => {
    // under the first plan (10^9 đ per unit) revisions 1 and 2 are parked: their commission is past 2^53
    const b = await business({ basic: { default: { fixedPerUnit: 1_000_000_000 } } });
    const externalId = unique('HD-');
    const huge = Array.from({ length: 10 }, (_, i) => orderLine(String(i + 1), 1_000_000, 1));
    const r1 = await b.send(JSON.stringify(b.event(externalId, 1, { lines: huge })));
    const r2 = await b.send(JSON.stringify(b.event(externalId, 2, { lines: huge, shippingFee: 30_000 })));
    expect([r1.body.status, r2.body.status]).toEqual(['parked', 'parked']);
    // the owner fixes the plan (10%); revision 3 arrives and is taken
    expect(
      (await b.owner.post(`${b.base}/commission-plans`, { effectiveFrom: '2026-01-01', basic: { default: { percentBp: 1000 } } })).status,
    ).toBe(201);
    const r3 = await b.send(JSON.stringify(b.event(externalId, 3, { lines: [orderLine('1', 3, 100_000)] })));
    expect(r3.status, r3.text).toBe(200);
    const processed3 = (await deliveries(b, 'processed'))[0];
    // the owner replays the parked ones, and the processed revision 3, while revision 4 arrives
    const [replay, again3, r4] = await Promise.all([
      b.owner.post(`${b.base}/webhook-sources/${b.source.id}/replay-parked`),
      b.owner.post(`${b.base}/webhook-deliveries/${processed3.id}/replay`),
      b.send(JSON.stringify(b.event(externalId, 4, { lines: [orderLine('1', 4, 100_000)] }))),
    ]);
    expect(replay.status, replay.text).toBe(202);
    // oldest first; older revisions than the order's change nothing, so they are simply processed
    expect(replay.body).toMatchObject({
      replayed: 2,
      results: [
        { id: r1.body.deliveryId, status: 'processed' },
        { id: r2.body.deliveryId, status: 'processed' },
      ],
      more: false,
    });
    expect(again3.body.status).toBe('processed');
    expect(r4.status, r4.text).toBe(200);
    const order = (await b.owner.get(`${b.base}/orders/${r3.body.orderId}`)).body;
    expect(order.revision).toBe(4);
    // 10% of 4 × 100,000: the ledger holds the newest revision only, once
    expect(order.commissionLines.reduce((sum: number, l: any) => sum + l.amount, 0)).toBe(40_000);
    expect(await deliveries(b, 'parked')).toEqual([]);
    const log = (await b.owner.get(`${b.base}/audit?limit=50`)).body.items.map((e: any) => e.action);
    expect(log).toEqual(expect.arrayContaining(['replayParkedDeliveries', 'replayWebhookDelivery']));
  });

  it('a WooCommerce delivery: the vendor signature over the raw bytes, then the same intake', async () => {
    const b = await business();
    const woo = (await b.owner.post(`${b.base}/webhook-sources`, { name: 'Woo', kind: 'woocommerce' })).body;
    const raw = readFileSync(new URL('../domain/orders/fixtures/woocommerce-order.json', import.meta.url), 'utf8');
    const url = `/v1/webhooks/${b.tenantId}/${woo.id}/orders`;
    const res = await fetchRaw(url, raw, {
      'x-wc-webhook-signature': signBase64Hmac(raw, woo.secret),
      'x-wc-webhook-delivery-id': unique('d-'),
      'x-wc-webhook-topic': 'order.updated',
    });
    expect(res.status, res.text).toBe(200);
    const [delivery] = await deliveries(b, 'processed');
    expect(delivery.sourceId).toBe(woo.id);
    expect((await b.owner.get(`${b.base}/webhook-deliveries/${delivery.id}`)).body.headers['x-wc-webhook-topic']).toBe('order.updated');
  });
});
