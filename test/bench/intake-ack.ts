/**
 * Acknowledgement latency of the order webhook (issue 13): how long an order system waits for its
 * answer now that each signed delivery is stored before it is processed (docs/orders.md, "Order intake").
 *
 *   (a) processed: a new order (revision 1, approved, 1–3 lines, credited to a CTV) → 200. The
 *       source and the settings read (one BatchGetItem), the delivery stored (one
 *       TransactWriteItems: record + raw body), the order's reads (one BatchGetItem), the order's
 *       transaction, which also marks the delivery processed: 4 calls;
 *   (b) stored only: the same kind of body, signed, but malformed JSON (its last byte cut) → 202
 *       parked. The source and settings read, the delivery stored, then parked (the second TransactWriteItems):
 *       the closest the API comes to "stored and answered";
 *   (c) a raw lib-dynamodb PutItem (a client configured like the store's) of one new item as large
 *       as what (a) stores (record + body, sizes read back from the table);
 *   (d) a raw TransactWriteItems of two new items sized like the record and the body, the first
 *       conditional as the store's is: the floor of "stored first".
 *
 * One DynamoDB Local (in memory), one local server, loopback; the four kinds are interleaved one at
 * a time (which goes first rotates), ACK_N samples each after ACK_WARMUP rounds; every sample is a
 * new delivery / a new item. Ratios (a)/(c) and (b)/(c) are the figures to carry over.
 *
 * One command: npm run bench -- intake-ack   (env: ACK_N, ACK_WARMUP, SEED)
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { createStore } from '../../functions/store/client';
import { keys } from '../../functions/store/keys';
import { signCtv } from '../../functions/webhooks/adapters/signatures';
import {
  envNumber,
  interleavedSamples,
  itemSize,
  percentile,
  prng,
  randomLines,
  round,
  startApi,
  startDdb,
  type BenchResult,
} from './support';

/** An item of `bytes` (itemSize) under a new key: `pad` makes up the size. */
function itemOfSize(pk: string, sk: string, bytes: number): Record<string, unknown> {
  const base = { pk, sk, entity: 'bench-put', pad: new Uint8Array(0) };
  return { ...base, pad: new Uint8Array(Math.max(0, bytes - itemSize(base))) };
}

export async function benchIntakeAck(): Promise<BenchResult[]> {
  const N = envNumber('ACK_N', 300);
  const WARMUP = envNumber('ACK_WARMUP', 40);
  const rnd = prng(envNumber('SEED', 20_261_205));
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));

  const ddb = await startDdb();
  const app = await startApi(ddb.endpoint);
  const raw = createStore({ tableName: app.tableName, endpoint: ddb.endpoint });
  try {
    const owner = await app.api.as('ack-owner');
    const must = async (p: Promise<{ status: number; body: any; text: string }>, what: string) => {
      const res = await p;
      if (res.status >= 300) throw new Error(`intake-ack setup: ${what} → ${res.status} ${res.text.slice(0, 300)}`);
      return res.body;
    };
    const tenant = await must(owner.post('/v1/tenants', { name: 'Đo xác nhận', pageId: `ack-${Date.now()}` }), 'tenant');
    const base = `/v1/tenants/${tenant.id}`;
    await must(owner.post(`${base}/commission-plans`, { effectiveFrom: '2026-01-01', basic: { default: { percentBp: 1000 } } }), 'plan');
    const ctvIds: string[] = [];
    for (let i = 0; i < 5; i++)
      ctvIds.push(
        (await must(owner.post(`${base}/collaborators`, { name: `CTV ${i}`, phone: `090${String(2_000_000 + i).slice(-7)}` }), 'CTV')).id,
      );
    const source = await must(owner.post(`${base}/webhook-sources`, { name: 'Hệ thống đơn' }), 'source');
    const url = `${app.server.url}/v1/webhooks/${tenant.id}/${source.id}/orders`;

    let seq = 0;
    /** a new order's first revision, as the CTV order system sends it */
    const newOrderBody = () => {
      const i = seq++;
      return JSON.stringify({
        externalId: `ACK-${String(i).padStart(6, '0')}`,
        revision: 1,
        state: 'approved',
        occurredAt: `2026-11-${String(2 + (i % 20)).padStart(2, '0')}T09:00:00+07:00`,
        customer: { phone: `091${String(3_000_000 + i).slice(-7)}`, name: `Khách ${i}` },
        lines: randomLines(int),
        orderDiscount: 0,
        shippingFee: 30_000,
        attribution: { collaboratorId: ctvIds[i % ctvIds.length]!, refId: null, couponCode: null, opportunityId: null },
        sellerId: null,
      });
    };
    const post = async (body: string) => {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-ctv-signature': signCtv(body, source.secret, Math.floor(Date.now() / 1000)) },
        body,
      });
      return { status: res.status, body: (await res.json()) as any };
    };

    // the sizes of what a processed delivery stores: its record and its body, read back
    const probe = await post(newOrderBody());
    if (probe.status !== 200)
      throw new Error(`intake-ack: a new order answered ${probe.status} ${JSON.stringify(probe.body).slice(0, 200)}`);
    const processed = await must(owner.get(`${base}/webhook-deliveries?status=processed&limit=1`), 'deliveries');
    const deliveryId = processed.items[0]?.id as string | undefined;
    if (!deliveryId) throw new Error('intake-ack: the processed delivery is not listed');
    const recordKey = keys.delivery(tenant.id, deliveryId);
    const [record, bodyItem] = await Promise.all([
      raw.db.send(new GetCommand({ TableName: raw.tableName, Key: recordKey, ConsistentRead: true })),
      raw.db.send(new GetCommand({ TableName: raw.tableName, Key: { pk: recordKey.pk, sk: 'BODY' }, ConsistentRead: true })),
    ]);
    if (!record.Item || !bodyItem.Item) throw new Error('intake-ack: the stored delivery (record, body) cannot be read back');
    const recordBytes = itemSize(record.Item);
    const bodyBytes = itemSize(bodyItem.Item);

    let putSeq = 0;
    const calls = {
      processed: async () => {
        const res = await post(newOrderBody());
        if (res.status !== 200 || res.body.applied !== true)
          throw new Error(`a new order answered ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
      },
      parked: async () => {
        const res = await post(newOrderBody().slice(0, -1)); // signed, stored, unreadable
        if (res.status !== 202 || res.body.status !== 'parked')
          throw new Error(`a malformed body answered ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
      },
      putItem: async () => {
        await raw.db.send(
          new PutCommand({ TableName: raw.tableName, Item: itemOfSize(`BENCH#PUT#${putSeq++}`, 'PUT', recordBytes + bodyBytes) }),
        );
      },
      transact: async () => {
        const pk = `BENCH#TX#${putSeq++}`;
        await raw.db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: raw.tableName,
                  Item: itemOfSize(pk, 'DLV', recordBytes),
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              { Put: { TableName: raw.tableName, Item: itemOfSize(pk, 'BODY', bodyBytes) } },
            ],
          }),
        );
      },
    };
    type Kind = keyof typeof calls;
    const loadAtStart = loadavg()[0]!;
    const started = performance.now();
    const samples = await interleavedSamples(calls, WARMUP, N);
    const seconds = round((performance.now() - started) / 1000);
    const p = (k: Kind, q: number) => round(percentile(samples[k], q), 2);
    const ratio = (a: Kind, b: Kind, q: number) => round(percentile(samples[a], q) / percentile(samples[b], q), 2);
    if (app.errors.length)
      console.error(`intake-ack: ${app.errors.length} errors logged by handlers, first: ${JSON.stringify(app.errors[0]).slice(0, 300)}`);
    const size = `${recordBytes + bodyBytes} B (record ${recordBytes} B + body ${bodyBytes} B)`;
    return [
      {
        name: 'ack.processed_p50',
        value: p('processed', 50),
        unit: 'ms',
        note: `(a) a new order → 200: source + settings read, delivery stored, order's reads, order transaction marking the delivery; n=${N} each`,
      },
      { name: 'ack.processed_p99', value: p('processed', 99), unit: 'ms' },
      {
        name: 'ack.stored_only_p50',
        value: p('parked', 50),
        unit: 'ms',
        note: `(b) a signed malformed body → 202 parked: source + settings read, delivery stored, parked`,
      },
      { name: 'ack.stored_only_p99', value: p('parked', 99), unit: 'ms' },
      { name: 'ack.putitem_p50', value: p('putItem', 50), unit: 'ms', note: `(c) raw PutItem of one new ${size}` },
      { name: 'ack.putitem_p99', value: p('putItem', 99), unit: 'ms' },
      {
        name: 'ack.transact_p50',
        value: p('transact', 50),
        unit: 'ms',
        note: `(d) raw TransactWriteItems of a ${recordBytes} B (conditional) + ${bodyBytes} B item; p99 ${p('transact', 99)} ms`,
      },
      { name: 'ack.processed_vs_putitem_p50', value: ratio('processed', 'putItem', 50), unit: 'x', note: '(a)/(c) at p50' },
      { name: 'ack.processed_vs_putitem_p99', value: ratio('processed', 'putItem', 99), unit: 'x', note: '(a)/(c) at p99' },
      { name: 'ack.stored_only_vs_putitem_p50', value: ratio('parked', 'putItem', 50), unit: 'x', note: '(b)/(c) at p50' },
      { name: 'ack.stored_only_vs_putitem_p99', value: ratio('parked', 'putItem', 99), unit: 'x', note: '(b)/(c) at p99' },
      {
        name: 'ack.handler_errors',
        value: app.errors.length,
        unit: 'errors',
        failed: app.errors.length > 0,
        note: `logged by the handlers over ${4 * (WARMUP + N)} calls (${seconds} s, sequential, after ${WARMUP} warm-up rounds; 1-min load average ${round(loadAtStart, 2)} at the start, ${round(loadavg()[0]!, 2)} at the end)`,
      },
    ];
  } finally {
    raw.db.destroy();
    await app.close();
    await ddb.stop();
  }
}
