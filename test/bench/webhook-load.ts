/**
 * Webhook load with a fault (issue 13): thousands of signed order deliveries against the local API,
 * with DynamoDB Local stopped and restarted (same port, same on-disk data) in the middle, and a
 * sender that never retries: the webhook's promise (docs/orders.md, "Order intake") is that what it
 * acknowledges is kept, and what it cannot keep it refuses with a 5xx.
 *
 *   - its own DynamoDB Local (on disk, in a temp dir) and its own local server, loopback only;
 *   - a business with a commission plan (10%, serum 12%), CTVs and a webhook source;
 *   - ORDERS orders of 1–4 revisions each (processing → approved → completed → returned, the
 *     content changing between revisions), UNREADABLE_RATE as many signed deliveries we cannot read
 *     (malformed JSON, a currency other than VND, a refused field), a share of every delivery sent
 *     again, all shuffled, sent by CONCURRENCY senders, each delivery once, signed afresh; after a
 *     refusal (anything but 200 or 202) a sender drops the delivery and waits PAUSE_MS;
 *   - when FAULT_AT of the deliveries are acknowledged, DynamoDB Local is stopped (FAULT_SIGNAL,
 *     default SIGTERM), left down for OUTAGE_MS, and started again on the same port and data;
 *   - bounded: sending stops by itself at DEADLINE_S (what is left counts as unsent: FAIL).
 *
 * Acknowledged: every 200 and every 202 (accepted or parked). Afterwards (once the in-process worker
 * has finished the accepted ones, up to WORKER_WAIT_S), from the API: no acknowledged order is lost
 * (it is in GET orders at that revision or later, or its delivery is listed as accepted or parked
 * with the order's id); every refusal was a 5xx (never a 4xx, a timeout, a reset); every 202 parked
 * is listed under status=parked; no unreadable delivery was taken as an order. What the worker left
 * accepted is then replayed by the owner, and the state checked: every order listed once, at a
 * revision no lower than one acknowledged with 200, its content that revision's, its ledger what
 * the pure engine computes from scratch, each CTV's earnings the sum. Throughput: acknowledged
 * events per second against raw PutItem/s (items as large as a stored delivery, CONCURRENCY writers)
 * on the same DynamoDB Local after the run.
 *
 * One command: npm run bench -- webhook-load   (env: ORDERS, CONCURRENCY, DUP_RATE,
 * UNREADABLE_RATE, FAULT_AT, OUTAGE_MS, PAUSE_MS, FAULT_SIGNAL, DEADLINE_S, WORKER_WAIT_S, PUT_S, SEED)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { priceOrderAt } from '../../domain/commission/engine';
import type { StoredPlanVersion } from '../../domain/commission/plan';
import { parseOrderEvent } from '../../domain/orders/event';
import { applyRevision, type OrderRecord } from '../../domain/orders/order';
import { netRevenueOf, toPricedOrder, type OrderAttribution } from '../../domain/orders/pricing';
import { orderIdFor } from '../../functions/services/orders';
import { createStore } from '../../functions/store/client';
import { keys } from '../../functions/store/keys';
import { signCtv } from '../../functions/webhooks/adapters/signatures';
import { envNumber, itemSize, percentile, prng, randomLines, round, shuffle, startApi, startDdb, type BenchResult } from './support';

const TZ = 'Asia/Ho_Chi_Minh';
const STATES = ['processing', 'approved', 'completed', 'returned'] as const;

interface Event {
  externalId: string;
  revision: number;
  state: (typeof STATES)[number];
  occurredAt: string;
  customer: { phone: string; name: string };
  lines: {
    lineId: string;
    productId: string;
    unit: string;
    category: string;
    quantity: number;
    unitPrice: number;
    discount: number;
    addOn: boolean;
    returnedQuantity: number;
  }[];
  orderDiscount: number;
  shippingFee: number;
  attribution: { collaboratorId: string | null; refId: null; couponCode: null; opportunityId: null };
  sellerId: null;
}

function ordersFor(count: number, ctvIds: string[], rnd: () => number, runTag: string): Event[][] {
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const orders: Event[][] = [];
  for (let i = 0; i < count; i++) {
    const revisions = int(1, 4);
    const lines = randomLines(int);
    const day = String(2 + (i % 20)).padStart(2, '0');
    const events: Event[] = [];
    for (let r = 1; r <= revisions; r++) {
      const state = revisions === 1 ? 'approved' : STATES[r - 1]!;
      // the content changes between revisions: the newest one must win
      const revLines = lines.map((line, l) => ({
        ...line,
        quantity: line.quantity + (l === 0 && r >= 2 ? 1 : 0),
        discount: r >= 3 && l === 0 ? 5_000 : 0,
        returnedQuantity: state === 'returned' && l === 0 ? 1 : 0,
      }));
      events.push({
        externalId: `LOAD-${runTag}-${String(i).padStart(5, '0')}`,
        revision: r,
        state,
        occurredAt: `2026-11-${day}T${String(8 + r).padStart(2, '0')}:00:00+07:00`,
        customer: { phone: `091${String(1_000_000 + i).slice(-7)}`, name: `Khách ${i}` },
        lines: revLines,
        orderDiscount: r >= 2 ? 10_000 : 0,
        shippingFee: 30_000,
        attribution: { collaboratorId: ctvIds[i % ctvIds.length]!, refId: null, couponCode: null, opportunityId: null },
        sellerId: null,
      });
    }
    orders.push(events);
  }
  return orders;
}

type UnreadableKind = 'malformed_json' | 'currency' | 'bad_field';
const UNREADABLE_KINDS: UnreadableKind[] = ['malformed_json', 'currency', 'bad_field'];

/** One delivery as the order system sends it: a revision of an order, or content we cannot read. */
interface Delivery {
  kind: 'order' | UnreadableKind;
  event: Event;
  raw: string;
}

/** Signed content we cannot read: malformed JSON (the last byte cut), another currency, a field the event refuses. */
function unreadable(kind: UnreadableKind, event: Event): string {
  if (kind === 'malformed_json') return JSON.stringify(event).slice(0, -1);
  if (kind === 'currency') return JSON.stringify({ ...event, currency: 'USD' });
  return JSON.stringify({ ...event, lines: event.lines.map((l) => ({ ...l, quantity: 0 })) });
}

/** What the sender saw for one delivery (it never sends a delivery twice). */
interface Outcome {
  status: number | 'timeout' | 'connection';
  body: any;
  t0: number;
  t1: number;
}

const isAck = (o: Outcome | undefined) =>
  !!o && (o.status === 200 || (o.status === 202 && ['accepted', 'parked'].includes(o.body?.status)));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function benchWebhookLoad(): Promise<BenchResult[]> {
  const ORDERS = envNumber('ORDERS', 300);
  const CONCURRENCY = envNumber('CONCURRENCY', 16);
  const DUP_RATE = Math.min(1, envNumber('DUP_RATE', 0.3));
  const UNREADABLE_RATE = Math.min(0.5, envNumber('UNREADABLE_RATE', 0.05));
  const FAULT_AT = Math.min(0.95, envNumber('FAULT_AT', 0.4));
  const OUTAGE_MS = envNumber('OUTAGE_MS', 3_000);
  const PAUSE_MS = envNumber('PAUSE_MS', 1_000);
  const FAULT_SIGNAL = (process.env.FAULT_SIGNAL ?? 'SIGTERM') as NodeJS.Signals;
  const DEADLINE_S = envNumber('DEADLINE_S', 420);
  const WORKER_WAIT_S = envNumber('WORKER_WAIT_S', 30);
  const PUT_S = envNumber('PUT_S', 10);
  const SEED = envNumber('SEED', 20_261_128);
  const rnd = prng(SEED);

  const dbPath = mkdtempSync(join(tmpdir(), 'ctv-load-ddb-'));
  let ddb = await startDdb({ dbPath });
  const app = await startApi(ddb.endpoint);
  const deadline = Date.now() + DEADLINE_S * 1000;
  try {
    // ---- the business
    const { api } = app;
    const owner = await api.as('load-owner');
    const must = async (p: Promise<{ status: number; body: any; text: string }>, what: string) => {
      const res = await p;
      if (res.status >= 300) throw new Error(`load: ${what} → ${res.status} ${res.text.slice(0, 300)}`);
      return res.body;
    };
    const runTag = String(SEED);
    const tenant = await must(owner.post('/v1/tenants', { name: 'Tải thử', pageId: `load-${runTag}-${Date.now()}` }), 'tenant');
    const base = `/v1/tenants/${tenant.id}`;
    await must(
      owner.post(`${base}/commission-plans`, {
        effectiveFrom: '2026-01-01',
        basic: { default: { percentBp: 1000 }, rules: [{ category: 'serum', percentBp: 1200 }] },
      }),
      'plan',
    );
    const ctvIds: string[] = [];
    for (let i = 0; i < 30; i++) {
      const ctv = await must(
        owner.post(`${base}/collaborators`, { name: `CTV ${i}`, phone: `090${String(1_000_000 + i).slice(-7)}` }),
        'CTV',
      );
      ctvIds.push(ctv.id);
    }
    const source = await must(owner.post(`${base}/webhook-sources`, { name: 'Hệ thống đơn' }), 'source');
    const plans = (await must(owner.get(`${base}/commission-plans`), 'plans')).items as StoredPlanVersion[];
    const listAll = async (path: string, what: string) => {
      const items: any[] = [];
      for (let cursor: string | null = null, pages = 0; pages < 1000; pages++) {
        const page: any = await must(
          owner.get(`${path}${path.includes('?') ? '&' : '?'}limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`),
          what,
        );
        items.push(...page.items);
        cursor = page.nextCursor;
        if (!cursor) break;
      }
      return items;
    };
    const deliveriesIn = (status: string) => listAll(`${base}/webhook-deliveries?status=${status}`, `list ${status} deliveries`);

    // ---- the deliveries: revisions, unreadable content, duplicates, shuffled
    const orders = ordersFor(ORDERS, ctvIds, rnd, runTag);
    const revisions = orders.reduce((n, e) => n + e.length, 0);
    const distinct: Delivery[] = orders.flatMap((events) =>
      events.map((event) => ({ kind: 'order' as const, event, raw: JSON.stringify(event) })),
    );
    const badCount = Math.round(revisions * UNREADABLE_RATE);
    for (let b = 0; b < badCount; b++) {
      const kind = UNREADABLE_KINDS[b % UNREADABLE_KINDS.length]!;
      const event = { ...orders[Math.floor(rnd() * orders.length)]![0]!, externalId: `LOAD-${runTag}-BAD-${String(b).padStart(4, '0')}` };
      distinct.push({ kind, event, raw: unreadable(kind, event) });
    }
    const deliveries: Delivery[] = [];
    for (const d of distinct) {
      deliveries.push(d);
      if (rnd() < DUP_RATE) deliveries.push(d);
      if (rnd() < DUP_RATE / 4) deliveries.push(d);
    }
    shuffle(deliveries, rnd);

    // ---- send: each delivery once, never retried; after a refusal the sender waits PAUSE_MS before its next one
    const url = `${app.server.url}/v1/webhooks/${tenant.id}/${source.id}/orders`;
    const outcomes: (Outcome | undefined)[] = new Array(deliveries.length);
    let acked = 0;
    let next = 0;
    let fault = null as Promise<void> | null;
    const outage = { downAt: Number.POSITIVE_INFINITY, upAt: Number.POSITIVE_INFINITY };
    const faultAfter = Math.floor(deliveries.length * FAULT_AT);
    const injectFault = async () => {
      outage.downAt = performance.now();
      await ddb.stop(FAULT_SIGNAL);
      await sleep(OUTAGE_MS);
      ddb = await startDdb({ port: ddb.port, dbPath });
      outage.upAt = performance.now();
    };
    const send = async (d: Delivery): Promise<Outcome> => {
      const t0 = performance.now();
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-ctv-signature': signCtv(d.raw, source.secret, Math.floor(Date.now() / 1000)) },
          body: d.raw,
          signal: AbortSignal.timeout(30_000),
        });
        const text = await res.text();
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // kept as text
        }
        return { status: res.status, body, t0, t1: performance.now() };
      } catch (error) {
        return { status: (error as Error).name === 'TimeoutError' ? 'timeout' : 'connection', body: null, t0, t1: performance.now() };
      }
    };
    const loadAtStart = loadavg()[0]!;
    const started = performance.now();
    const sender = async () => {
      while (next < deliveries.length && Date.now() < deadline) {
        const i = next++;
        const outcome = await send(deliveries[i]!);
        outcomes[i] = outcome;
        if (isAck(outcome)) acked++;
        else await sleep(PAUSE_MS);
        if (!fault && acked >= faultAfter) fault = injectFault();
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, sender));
    const sendMs = performance.now() - started;
    if (fault) await fault;

    // ---- the in-process worker finishes the accepted ones: wait until the accepted list is empty or stops changing
    const waitStarted = performance.now();
    let accepted = await deliveriesIn('accepted');
    for (
      let stableSince = performance.now(), last = accepted.length;
      accepted.length > 0 && performance.now() - waitStarted < WORKER_WAIT_S * 1000;
    ) {
      await sleep(500);
      accepted = await deliveriesIn('accepted');
      if (accepted.length !== last) [stableSince, last] = [performance.now(), accepted.length];
      else if (performance.now() - stableSince > 5_000) break;
    }
    const workerWaitS = round((performance.now() - waitStarted) / 1000);
    const parked = await deliveriesIn('parked');
    const parkedById = new Map(parked.map((d) => [d.id as string, d]));
    const acceptedById = new Map(accepted.map((d) => [d.id as string, d]));

    // ---- the orders as the API lists them, each read
    const orderIdOf = (externalId: string) => orderIdFor(source.id, externalId);
    const readOrders = async (ids: string[]) => {
      const found = new Map<string, any>();
      const queue = [...ids];
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          for (let id = queue.shift(); id; id = queue.shift()) {
            const res = await owner.get(`${base}/orders/${id}`);
            if (res.status === 200) found.set(id, res.body);
            else if (res.status !== 404) throw new Error(`load: GET orders/${id} → ${res.status} ${res.text.slice(0, 200)}`);
          }
        }),
      );
      return found;
    };
    const listOrders = () => listAll(`${base}/orders?from=2026-11-01&to=2026-11-30`, 'list orders');
    let listed = await listOrders();
    let stored = await readOrders([...new Set(listed.map((o) => o.id as string))]);

    // ---- the promises: nothing acknowledged is lost, refusals are 5xx, parked ones are listed
    const inOutage = (o: Outcome) => o.t1 >= outage.downAt && o.t0 <= outage.upAt;
    let lost = 0;
    let waitingWithOrder = 0;
    let misread = 0;
    let parkedNotListed = 0;
    let refusedNot5xx = 0;
    let refusedOutsideOutage = 0;
    let unsent = 0;
    const lostSamples: string[] = [];
    const count = {
      processed: 0,
      accepted: 0,
      parked: 0,
      parkedUnreadable: 0,
      refused: 0,
      http5xx: 0,
      http4xx: 0,
      timeouts: 0,
      connection: 0,
      other: 0,
    };
    const ackLatencies: number[] = [];
    const refusalLatencies: number[] = [];
    const refusalsByStatus = new Map<string, number>();
    let ackedInOutage = 0;
    const ackedInOutageBy = new Map<string, number>();
    const ackedRevision = new Map<string, number>(); // orderId → highest revision acknowledged as processed (200)
    deliveries.forEach((d, i) => {
      const o = outcomes[i];
      if (!o) {
        unsent++;
        return;
      }
      const orderId = orderIdOf(d.event.externalId);
      if (isAck(o)) {
        ackLatencies.push(o.t1 - o.t0);
        if (inOutage(o)) {
          ackedInOutage++;
          const k = o.status === 200 ? '200' : `202 ${o.body.status}`;
          ackedInOutageBy.set(k, (ackedInOutageBy.get(k) ?? 0) + 1);
        }
        if (d.kind !== 'order') {
          // content we cannot read: parked (202) and listed, never taken as an order
          if (o.status !== 202 || o.body.status !== 'parked') {
            misread++;
            if (lostSamples.length < 5)
              lostSamples.push(`unreadable ${d.kind} answered ${o.status} ${JSON.stringify(o.body).slice(0, 120)}`);
          } else count.parkedUnreadable++;
        }
        if (o.status === 200) {
          count.processed++;
          if (d.kind === 'order') ackedRevision.set(orderId, Math.max(ackedRevision.get(orderId) ?? 0, d.event.revision));
        } else if (o.body.status === 'accepted') count.accepted++;
        else count.parked++;
        if (o.status === 202 && o.body.status === 'parked' && !parkedById.has(o.body.deliveryId)) parkedNotListed++;
        if (d.kind !== 'order') return;
        // an acknowledged order is in the orders at this revision or later, or its delivery is listed as waiting or parked with the order's id
        if ((stored.get(orderId)?.revision ?? 0) >= d.event.revision) return;
        const waiting = o.status === 202 ? (acceptedById.get(o.body.deliveryId) ?? parkedById.get(o.body.deliveryId)) : undefined;
        if (waiting && (waiting.orderIds as string[]).includes(orderId)) return void waitingWithOrder++;
        lost++;
        if (lostSamples.length < 5)
          lostSamples.push(
            `${d.event.externalId} r${d.event.revision} answered ${o.status} ${JSON.stringify(o.body).slice(0, 120)}; stored r${stored.get(orderId)?.revision ?? '-'}`,
          );
        return;
      }
      count.refused++;
      refusalLatencies.push(o.t1 - o.t0);
      refusalsByStatus.set(String(o.status), (refusalsByStatus.get(String(o.status)) ?? 0) + 1);
      if (typeof o.status === 'number' && o.status >= 500) count.http5xx++;
      else {
        refusedNot5xx++;
        if (o.status === 'timeout') count.timeouts++;
        else if (o.status === 'connection') count.connection++;
        else if (o.status >= 400) count.http4xx++;
        else count.other++;
        if (lostSamples.length < 5) lostSamples.push(`refused with ${o.status} ${JSON.stringify(o.body).slice(0, 160)}`);
      }
      if (!inOutage(o)) refusedOutsideOutage++;
    });
    const parkedAnswered = new Set(
      deliveries.flatMap((_, i) =>
        outcomes[i]?.status === 202 && outcomes[i]!.body.status === 'parked' ? [outcomes[i]!.body.deliveryId as string] : [],
      ),
    );

    // ---- what the worker left accepted (the outage broke its timer chain), finished the owner's way: a replay
    const replayed = accepted.length;
    const ackedAccepted = new Set(
      deliveries.flatMap((_, i) =>
        outcomes[i]?.status === 202 && outcomes[i]!.body.status === 'accepted' ? [outcomes[i]!.body.deliveryId as string] : [],
      ),
    );
    const leftAcknowledged = accepted.filter((d) => ackedAccepted.has(d.id)).length;
    let replayNotProcessed = 0;
    for (const d of accepted) {
      const res = await owner.post(`${base}/webhook-deliveries/${d.id}/replay`);
      if (res.status !== 202 || res.body.status !== 'processed') {
        replayNotProcessed++;
        if (lostSamples.length < 8) lostSamples.push(`replay of ${d.id} → ${res.status} ${res.text.slice(0, 160)}`);
      }
    }
    if (replayed) {
      listed = await listOrders();
      stored = await readOrders([...new Set(listed.map((o) => o.id as string))]);
    }

    // ---- the state after: each order once, at a revision at least the acknowledged one, its ledger as recomputed from scratch
    const listedIds = new Set(listed.map((o) => o.id as string));
    const duplicated = listed.length - listedIds.size;
    const eventsByOrder = new Map(orders.map((events) => [orderIdOf(events[0]!.externalId), events] as const));
    let behindAcknowledged = 0;
    let wrongContent = 0;
    let ledgerMismatch = 0;
    let appliedThoughRefused = 0;
    let strangers = 0;
    const mismatchSamples: string[] = [];
    const expectedByCtv = new Map<string, number>();
    const nowIso = new Date().toISOString();
    for (const [orderId, o] of stored) {
      const events = eventsByOrder.get(orderId);
      if (!events) {
        strangers++;
        continue;
      }
      if (!ackedRevision.has(orderId)) appliedThoughRefused++;
      if (o.revision < (ackedRevision.get(orderId) ?? 0)) behindAcknowledged++;
      const at = events.find((e) => e.revision === o.revision);
      const sameLines =
        at &&
        JSON.stringify(o.lines.map((l: any) => [l.lineId, l.quantity, l.discount, l.returnedQuantity])) ===
          JSON.stringify(at.lines.map((l) => [l.lineId, l.quantity, l.discount, l.returnedQuantity]));
      if (!at || o.state !== at.state || !sameLines) wrongContent++;
      // from scratch: the revisions up to the stored one, in order (the newest content wins; those refused are not all known)
      let record: OrderRecord | null = null;
      for (const e of events.filter((e) => e.revision <= o.revision))
        record = applyRevision(record, parseOrderEvent(e), source.id, nowIso).order;
      if (!record) continue;
      const attribution: OrderAttribution = {
        collaboratorId: events[0]!.attribution.collaboratorId,
        rule: 'collaborator_id',
        reason: 'credited',
        selfOrder: false,
        frozen: true,
        collaboratorLevel: 1,
        isRepurchase: false,
        careStaffUserId: null,
        managerUserId: null,
      };
      const priced = priceOrderAt(toPricedOrder(orderId, record, attribution, netRevenueOf(record)), plans, { timeZone: TZ });
      const expected = new Map<string, number>();
      for (const l of priced.lines) {
        const key = `${l.kind}|${l.beneficiary.type}:${l.beneficiary.id}`;
        expected.set(key, (expected.get(key) ?? 0) + l.amount);
        if (l.beneficiary.type === 'collaborator')
          expectedByCtv.set(l.beneficiary.id, (expectedByCtv.get(l.beneficiary.id) ?? 0) + l.amount);
      }
      const actual = new Map<string, number>();
      for (const l of o.commissionLines as { kind: string; beneficiary: { type: string; id: string }; amount: number }[]) {
        const key = `${l.kind}|${l.beneficiary.type}:${l.beneficiary.id}`;
        actual.set(key, (actual.get(key) ?? 0) + l.amount);
      }
      for (const [k, v] of actual) if (v === 0) actual.delete(k);
      if (!(actual.size === expected.size && [...expected].every(([k, v]) => actual.get(k) === v))) {
        ledgerMismatch++;
        if (mismatchSamples.length < 3)
          mismatchSamples.push(
            `${orderId} r${o.revision}: expected ${JSON.stringify([...expected])}, ledger ${JSON.stringify([...actual])}`,
          );
      }
    }
    let earningsMismatch = 0;
    for (const id of ctvIds) {
      const e = await must(owner.get(`${base}/collaborators/${id}/earnings?period=2026-11`), 'earnings');
      if (e.total !== (expectedByCtv.get(id) ?? 0)) {
        earningsMismatch++;
        if (mismatchSamples.length < 6) mismatchSamples.push(`CTV ${id}: earnings ${e.total}, recomputed ${expectedByCtv.get(id) ?? 0}`);
      }
    }

    // ---- raw PutItem/s on the same DynamoDB Local: CONCURRENCY writers, items as large as a stored delivery (record + body)
    const raw = createStore({ tableName: app.tableName, endpoint: ddb.endpoint });
    let putPerS = Number.NaN;
    let putBytes = 0;
    let putCount = 0;
    try {
      const sample = (await must(owner.get(`${base}/webhook-deliveries?status=processed&limit=50`), 'processed deliveries')).items as {
        id: string;
      }[];
      const sizes = await Promise.all(
        sample.map(async (d) => {
          const key = keys.delivery(tenant.id, d.id);
          const [record, body] = await Promise.all([
            raw.db.send(new GetCommand({ TableName: raw.tableName, Key: key, ConsistentRead: true })),
            raw.db.send(new GetCommand({ TableName: raw.tableName, Key: { pk: key.pk, sk: 'BODY' }, ConsistentRead: true })),
          ]);
          return itemSize(record.Item) + itemSize(body.Item);
        }),
      );
      putBytes = Math.round(sizes.reduce((s, v) => s + v, 0) / Math.max(1, sizes.length));
      const padded = (pk: string) => {
        const item = { pk, sk: 'PUT', entity: 'bench-put', pad: new Uint8Array(0) };
        return { ...item, pad: new Uint8Array(Math.max(0, putBytes - itemSize(item))) };
      };
      let k = 0;
      const t0 = performance.now();
      const until = t0 + PUT_S * 1000;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (performance.now() < until)
            await raw.db.send(new PutCommand({ TableName: raw.tableName, Item: padded(`BENCH#PUT#${k++}`) }));
        }),
      );
      putCount = k;
      putPerS = (k / (performance.now() - t0)) * 1000;
    } finally {
      raw.db.destroy();
    }

    const details = [...lostSamples, ...mismatchSamples].join(' | ');
    if (details) console.error(`webhook-load: ${details}`);
    const outageMs = Number.isFinite(outage.upAt) ? outage.upAt - outage.downAt : 0;
    const eventsPerS = (acked / sendMs) * 1000;
    const steadyPerS = ((acked - ackedInOutage) / Math.max(1, sendMs - outageMs)) * 1000;
    const refusals = [...refusalsByStatus].map(([s, n]) => `${s} ×${n}`).join(', ') || 'none';
    const dupCount = deliveries.length - distinct.length;
    return [
      {
        name: 'load.events_sent',
        value: deliveries.length,
        unit: 'events',
        note: `${ORDERS} orders, ${revisions} revisions, ${badCount} unreadable (${UNREADABLE_KINDS.join(', ')}), ${dupCount} sent again, shuffled; ${CONCURRENCY} senders that never retry (a refusal: ${PAUSE_MS} ms pause, the delivery dropped)`,
      },
      {
        name: 'load.acknowledged',
        value: acked,
        unit: 'events',
        note: `200 ×${count.processed}, 202 accepted ×${count.accepted}, 202 parked ×${count.parked} (${count.parkedUnreadable} unreadable)`,
      },
      {
        name: 'load.events_per_s',
        value: round(eventsPerS),
        unit: 'events/s',
        note: `acknowledged ÷ send time (${round(sendMs / 1000)} s, outage included); 1-min load average ${round(loadAtStart, 2)} at the start, ${round(loadavg()[0]!, 2)} at the end`,
      },
      {
        name: 'load.events_per_s_steady',
        value: round(steadyPerS),
        unit: 'events/s',
        note: `acknowledged outside the outage ÷ send time outside it`,
      },
      {
        name: 'load.putitem_per_s',
        value: round(putPerS),
        unit: 'puts/s',
        note: `raw PutItem of ${putCount} new ${putBytes} B items in ${PUT_S} s (a stored delivery's record + body), ${CONCURRENCY} writers, same DynamoDB Local after the run`,
      },
      {
        name: 'load.events_vs_putitem',
        value: round(eventsPerS / putPerS, 3),
        unit: 'x',
        note: `events/s ÷ PutItem/s; steady ${round(steadyPerS / putPerS, 3)}x`,
      },
      {
        name: 'load.ack_latency_p50',
        value: round(percentile(ackLatencies, 50)),
        unit: 'ms',
        note: `per acknowledged delivery; p99 ${round(percentile(ackLatencies, 99))} ms`,
      },
      { name: 'load.ack_latency_p99', value: round(percentile(ackLatencies, 99)), unit: 'ms' },
      {
        name: 'load.outage',
        value: round(outageMs / 1000),
        unit: 's',
        note: `DynamoDB Local stopped (${FAULT_SIGNAL}) after ${faultAfter} acks, restarted on port ${ddb.port} with the same -dbPath; ${ackedInOutage} acknowledged by requests that overlapped the stop or the outage (${[...ackedInOutageBy].map(([k, n]) => `${k} ×${n}`).join(', ') || 'none'})`,
      },
      {
        name: 'load.refused',
        value: count.refused,
        unit: 'events',
        note: `${refusals}; ${refusedOutsideOutage} outside the outage; refusal p50 ${round(percentile(refusalLatencies, 50))} ms; ${app.errors.length} errors logged by handlers`,
      },
      {
        name: 'load.refused_not_5xx',
        value: refusedNot5xx,
        unit: 'events',
        failed: refusedNot5xx > 0,
        note: `4xx ${count.http4xx}, timeouts ${count.timeouts}, connection ${count.connection}, other ${count.other}: every refusal must be a 5xx`,
      },
      { name: 'load.unsent', value: unsent, unit: 'events', failed: unsent > 0, note: `not sent before the deadline (${DEADLINE_S} s)` },
      {
        name: 'load.lost_acknowledged',
        value: lost,
        unit: 'events',
        failed: lost > 0,
        note: `acknowledged orders neither in GET orders (at that revision or later) nor listed as accepted / parked with the order id; ${waitingWithOrder} listed waiting or parked`,
      },
      {
        name: 'load.unreadable_misread',
        value: misread,
        unit: 'events',
        failed: misread > 0,
        note: 'an unreadable delivery acknowledged otherwise than 202 parked',
      },
      {
        name: 'load.parked_not_listed',
        value: parkedNotListed,
        unit: 'events',
        failed: parkedNotListed > 0,
        note: `202 parked answers whose delivery is not in GET webhook-deliveries?status=parked (${parkedAnswered.size} distinct parked, ${parked.length} listed)`,
      },
      {
        name: 'load.worker_left_accepted',
        value: replayed,
        unit: 'deliveries',
        failed: replayNotProcessed > 0,
        note: `still accepted ${workerWaitS} s after the run: ${leftAcknowledged} answered 202 accepted (counted as not lost above), ${replayed - leftAcknowledged} stored but answered 5xx; replayed by the owner: ${replayed - replayNotProcessed} processed`,
      },
      {
        name: 'load.duplicated_orders',
        value: duplicated,
        unit: 'orders',
        failed: duplicated > 0,
        note: `${listed.length} listed; ${appliedThoughRefused} taken though no delivery of theirs was acknowledged`,
      },
      {
        name: 'load.strangers',
        value: strangers,
        unit: 'orders',
        failed: strangers > 0,
        note: 'orders listed that were never sent (an unreadable delivery taken)',
      },
      {
        name: 'load.behind_acknowledged',
        value: behindAcknowledged,
        unit: 'orders',
        failed: behindAcknowledged > 0,
        note: 'stored revision below one acknowledged with 200',
      },
      {
        name: 'load.wrong_content',
        value: wrongContent,
        unit: 'orders',
        failed: wrongContent > 0,
        note: 'state or lines not those of the stored revision',
      },
      {
        name: 'load.ledger_mismatch',
        value: ledgerMismatch,
        unit: 'orders',
        failed: ledgerMismatch > 0,
        note: 'ledger ≠ priceOrderAt from scratch (revisions up to the stored one)',
      },
      {
        name: 'load.earnings_mismatch',
        value: earningsMismatch,
        unit: 'CTVs',
        failed: earningsMismatch > 0,
        note: `earnings ≠ Σ recomputed lines, over ${ctvIds.length} CTVs`,
      },
    ];
  } finally {
    await app.close();
    await ddb.stop();
    rmSync(dbPath, { recursive: true, force: true });
  }
}
