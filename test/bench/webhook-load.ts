/**
 * Webhook load with a fault: thousands of signed order events against the local API, with
 * DynamoDB Local stopped and restarted (same port, same on-disk data) in the middle.
 *
 *   - its own DynamoDB Local (on disk, in a temp dir) and its own local server, loopback only;
 *   - a business with a commission plan (10%, serum 12%), CTVs and a webhook source;
 *   - ORDERS orders of 1–4 revisions each (processing → approved → completed → returned, the
 *     content changing between revisions), a share of every event sent again, all shuffled, sent by
 *     CONCURRENCY workers that retry on 5xx, 409, 429 and connection errors as an order system does
 *     (backoff up to 1 s), each delivery signed afresh;
 *   - when FAULT_AT of the events are acknowledged, DynamoDB Local is stopped (FAULT_SIGNAL,
 *     default SIGTERM), left down for OUTAGE_MS, and started again on the same port and data;
 *   - bounded: everything stops by itself at DEADLINE_S (then the missing events count as lost).
 *
 * Afterwards, from the API: every order is listed exactly once and holds its newest revision; its
 * ledger equals what the pure engine computes from scratch (applyRevision over the revisions,
 * netRevenueOf, priceOrderAt with the stored plan); each CTV's earnings equal the sum of its
 * orders' recomputed lines. Lost, duplicated and mismatched must all be 0.
 *
 * One command: npm run bench -- webhook-load   (env: ORDERS, CONCURRENCY, DUP_RATE, FAULT_AT,
 * OUTAGE_MS, FAULT_SIGNAL, DEADLINE_S, SEED)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { priceOrderAt } from '../../domain/commission/engine';
import type { StoredPlanVersion } from '../../domain/commission/plan';
import { parseOrderEvent } from '../../domain/orders/event';
import { applyRevision, type OrderRecord } from '../../domain/orders/order';
import { netRevenueOf, toPricedOrder, type OrderAttribution } from '../../domain/orders/pricing';
import { orderIdFor } from '../../functions/services/orders';
import { signCtv } from '../../functions/webhooks/adapters/signatures';
import { envNumber, percentile, prng, round, shuffle, startApi, startDdb, type BenchResult } from './support';

const TZ = 'Asia/Ho_Chi_Minh';
const STATES = ['processing', 'approved', 'completed', 'returned'] as const;
const PRODUCTS = [
  { productId: 'SERUM-30', unit: 'chai', category: 'serum' },
  { productId: 'CREAM-50', unit: 'hũ', category: 'cream' },
  { productId: 'MASK-10', unit: 'hộp', category: 'mask' },
  { productId: 'TONER-100', unit: 'chai', category: 'toner' },
];

interface Event {
  externalId: string;
  revision: number;
  state: (typeof STATES)[number];
  occurredAt: string;
  customer: { phone: string; name: string };
  lines: { lineId: string; productId: string; unit: string; category: string; quantity: number; unitPrice: number; discount: number; addOn: boolean; returnedQuantity: number }[];
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
    const lines = Array.from({ length: int(1, 3) }, (_, l) => ({
      lineId: String(l + 1),
      ...PRODUCTS[int(0, PRODUCTS.length - 1)]!,
      quantity: int(1, 5),
      unitPrice: int(10, 50) * 10_000,
      discount: 0,
      addOn: false,
      returnedQuantity: 0,
    }));
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

export async function benchWebhookLoad(): Promise<BenchResult[]> {
  const ORDERS = envNumber('ORDERS', 700);
  const CONCURRENCY = envNumber('CONCURRENCY', 16);
  const DUP_RATE = Math.min(1, envNumber('DUP_RATE', 0.3));
  const FAULT_AT = Math.min(0.95, envNumber('FAULT_AT', 0.4));
  const OUTAGE_MS = envNumber('OUTAGE_MS', 3_000);
  const FAULT_SIGNAL = (process.env.FAULT_SIGNAL ?? 'SIGTERM') as NodeJS.Signals;
  const DEADLINE_S = envNumber('DEADLINE_S', 420);
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
      if (res.status >= 300) throw new Error(`load setup: ${what} → ${res.status} ${res.text.slice(0, 300)}`);
      return res.body;
    };
    const runTag = String(SEED);
    const tenant = await must(owner.post('/v1/tenants', { name: 'Tải thử', pageId: `load-${runTag}-${Date.now()}` }), 'tenant');
    const base = `/v1/tenants/${tenant.id}`;
    await must(
      owner.post(`${base}/commission-plans`, { effectiveFrom: '2026-01-01', basic: { default: { percentBp: 1000 }, rules: [{ category: 'serum', percentBp: 1200 }] } }),
      'plan',
    );
    const ctvIds: string[] = [];
    for (let i = 0; i < 30; i++) {
      const ctv = await must(owner.post(`${base}/collaborators`, { name: `CTV ${i}`, phone: `090${String(1_000_000 + i).slice(-7)}` }), 'CTV');
      ctvIds.push(ctv.id);
    }
    const source = await must(owner.post(`${base}/webhook-sources`, { name: 'Hệ thống đơn' }), 'source');
    const plans = (await must(owner.get(`${base}/commission-plans`), 'plans')).items as StoredPlanVersion[];

    // ---- the events: revisions, duplicates, shuffled
    const orders = ordersFor(ORDERS, ctvIds, rnd, runTag);
    const deliveries: Event[] = [];
    for (const events of orders) {
      for (const e of events) {
        deliveries.push(e);
        if (rnd() < DUP_RATE) deliveries.push(e);
        if (rnd() < DUP_RATE / 4) deliveries.push(e);
      }
    }
    shuffle(deliveries, rnd);

    // ---- send
    const path = `/v1/webhooks/${tenant.id}/${source.id}/orders`;
    const url = app.server.url + path;
    const latencies: number[] = [];
    const errors = { http5xx: 0, http409: 0, http429: 0, connection: 0, rejected4xx: 0, timeouts: 0 };
    const rejectedSamples: string[] = [];
    let acked = 0;
    let next = 0;
    let fault = null as Promise<void> | null;
    const outage = { downAt: 0, upAt: 0 };
    const faultAfter = Math.floor(deliveries.length * FAULT_AT);

    const injectFault = async () => {
      outage.downAt = performance.now();
      await ddb.stop(FAULT_SIGNAL);
      await new Promise((r) => setTimeout(r, OUTAGE_MS));
      ddb = await startDdb({ port: ddb.port, dbPath });
      outage.upAt = performance.now();
    };

    const deliver = async (event: Event): Promise<boolean> => {
      const raw = JSON.stringify(event);
      for (let attempt = 0; Date.now() < deadline; attempt++) {
        const t0 = performance.now();
        try {
          const res = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-ctv-signature': signCtv(raw, source.secret, Math.floor(Date.now() / 1000)) },
            body: raw,
            signal: AbortSignal.timeout(30_000),
          });
          const text = await res.text();
          if (res.status === 200) {
            latencies.push(performance.now() - t0);
            return true;
          }
          if (res.status >= 500) errors.http5xx++;
          else if (res.status === 409) errors.http409++;
          else if (res.status === 429) errors.http429++;
          else {
            errors.rejected4xx++;
            if (rejectedSamples.length < 3) rejectedSamples.push(`${res.status} ${text.slice(0, 200)}`);
            return false;
          }
        } catch (error) {
          if ((error as Error).name === 'TimeoutError') errors.timeouts++;
          else errors.connection++;
        }
        await new Promise((r) => setTimeout(r, Math.min(1_000, 50 * 2 ** Math.min(attempt, 5)) * (0.5 + rnd())));
      }
      return false;
    };

    const started = performance.now();
    const worker = async () => {
      while (next < deliveries.length && Date.now() < deadline) {
        const event = deliveries[next++]!;
        if (await deliver(event)) acked++;
        if (!fault && acked >= faultAfter) fault = injectFault();
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const sendMs = performance.now() - started;
    if (fault) await fault;

    // ---- verify, from the API
    const orderIds = new Map(orders.map((events) => [events[0]!.externalId, orderIdFor(source.id, events[0]!.externalId)] as const));
    const listed: { id: string; externalId: string }[] = [];
    for (let cursor: string | null = null, pages = 0; pages < 1000; pages++) {
      const page: any = await must(owner.get(`${base}/orders?from=2026-11-01&to=2026-11-30&limit=200${cursor ? `&cursor=${cursor}` : ''}`), 'list orders');
      listed.push(...page.items.map((o: any) => ({ id: o.id, externalId: o.externalId })));
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    const listedIds = new Set(listed.map((o) => o.id));
    const duplicated = listed.length - listedIds.size;
    const lost = [...orderIds.values()].filter((id) => !listedIds.has(id)).length;

    let wrongRevision = 0;
    let ledgerMismatch = 0;
    const mismatchSamples: string[] = [];
    const expectedByCtv = new Map<string, number>();
    const nowIso = new Date().toISOString();
    const queue = [...orders];
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let events = queue.shift(); events; events = queue.shift()) {
          const newest = events[events.length - 1]!;
          const orderId = orderIds.get(newest.externalId)!;
          // from scratch: the revisions in order, once each
          let record: OrderRecord | null = null;
          for (const e of events) record = applyRevision(record, parseOrderEvent(e), source.id, nowIso).order;
          const attribution: OrderAttribution = {
            collaboratorId: newest.attribution.collaboratorId,
            rule: 'collaborator_id',
            reason: 'credited',
            selfOrder: false,
            frozen: true,
            collaboratorLevel: 1,
            isRepurchase: false,
            careStaffUserId: null,
            managerUserId: null,
          };
          const priced = priceOrderAt(toPricedOrder(orderId, record!, attribution, netRevenueOf(record!)), plans, { timeZone: TZ });
          const expected = new Map<string, number>();
          for (const l of priced.lines) {
            const key = `${l.kind}|${l.beneficiary.type}:${l.beneficiary.id}`;
            expected.set(key, (expected.get(key) ?? 0) + l.amount);
            if (l.beneficiary.type === 'collaborator') expectedByCtv.set(l.beneficiary.id, (expectedByCtv.get(l.beneficiary.id) ?? 0) + l.amount);
          }

          const res = await owner.get(`${base}/orders/${orderId}`);
          if (res.status !== 200) continue; // counted as lost above
          const o = res.body;
          const sameLines =
            JSON.stringify(o.lines.map((l: any) => [l.lineId, l.quantity, l.discount, l.returnedQuantity])) ===
            JSON.stringify(newest.lines.map((l) => [l.lineId, l.quantity, l.discount, l.returnedQuantity]));
          if (o.revision !== newest.revision || o.state !== newest.state || !sameLines) wrongRevision++;
          const actual = new Map<string, number>();
          for (const l of o.commissionLines as { kind: string; beneficiary: { type: string; id: string }; amount: number }[]) {
            const key = `${l.kind}|${l.beneficiary.type}:${l.beneficiary.id}`;
            actual.set(key, (actual.get(key) ?? 0) + l.amount);
          }
          for (const [k, v] of actual) if (v === 0) actual.delete(k);
          const same = actual.size === expected.size && [...expected].every(([k, v]) => actual.get(k) === v);
          if (!same) {
            ledgerMismatch++;
            if (mismatchSamples.length < 3) mismatchSamples.push(`${newest.externalId}: expected ${JSON.stringify([...expected])}, ledger ${JSON.stringify([...actual])}`);
          }
        }
      }),
    );

    let earningsMismatch = 0;
    for (const id of ctvIds) {
      const e = await must(owner.get(`${base}/collaborators/${id}/earnings?period=2026-11`), 'earnings');
      if (e.total !== (expectedByCtv.get(id) ?? 0)) {
        earningsMismatch++;
        if (mismatchSamples.length < 6) mismatchSamples.push(`CTV ${id}: earnings ${e.total}, recomputed ${expectedByCtv.get(id) ?? 0}`);
      }
    }

    const unacked = deliveries.length - acked;
    const revisions = orders.reduce((n, e) => n + e.length, 0);
    const details = [...rejectedSamples, ...mismatchSamples].join(' | ');
    if (details) console.error(`webhook-load: ${details}`);
    const outageS = outage.upAt ? round((outage.upAt - outage.downAt) / 1000) : 0;
    return [
      { name: 'load.events_sent', value: deliveries.length, unit: 'events', note: `${ORDERS} orders, ${revisions} revisions, ${deliveries.length - revisions} duplicates, shuffled; ${CONCURRENCY} senders` },
      { name: 'load.events_per_s', value: round((acked / sendMs) * 1000), unit: 'events/s', note: `acknowledged ÷ send time (${round(sendMs / 1000)} s, outage included)` },
      { name: 'load.latency_p50', value: round(percentile(latencies, 50)), unit: 'ms', note: 'per successful delivery attempt' },
      { name: 'load.latency_p99', value: round(percentile(latencies, 99)), unit: 'ms' },
      { name: 'load.outage', value: outageS, unit: 's', note: `DynamoDB Local stopped (${FAULT_SIGNAL}) after ${faultAfter} acks, restarted on port ${ddb.port} with the same -dbPath` },
      {
        name: 'load.errors_seen',
        value: errors.http5xx + errors.http409 + errors.http429 + errors.connection + errors.timeouts,
        unit: 'responses',
        note: `5xx ${errors.http5xx}, 409 ${errors.http409}, 429 ${errors.http429}, connection ${errors.connection}, timeouts ${errors.timeouts}; all retried; ${app.errors.length} logged by handlers`,
      },
      { name: 'load.rejected_4xx', value: errors.rejected4xx, unit: 'events', failed: errors.rejected4xx > 0, note: rejectedSamples[0] },
      { name: 'load.unacknowledged', value: unacked, unit: 'events', failed: unacked > 0, note: 'not acknowledged before the deadline' },
      { name: 'load.lost_orders', value: lost, unit: 'orders', failed: lost > 0 },
      { name: 'load.duplicated_orders', value: duplicated, unit: 'orders', failed: duplicated > 0, note: `${listed.length} listed for ${orderIds.size} sent` },
      { name: 'load.wrong_revision', value: wrongRevision, unit: 'orders', failed: wrongRevision > 0, note: 'not at the newest revision (state, lines)' },
      { name: 'load.ledger_mismatch', value: ledgerMismatch, unit: 'orders', failed: ledgerMismatch > 0, note: 'ledger ≠ priceOrderAt from scratch' },
      { name: 'load.earnings_mismatch', value: earningsMismatch, unit: 'CTVs', failed: earningsMismatch > 0, note: `earnings ≠ Σ recomputed lines, over ${ctvIds.length} CTVs` },
    ];
  } finally {
    await app.close();
    await ddb.stop();
    rmSync(dbPath, { recursive: true, force: true });
  }
}
