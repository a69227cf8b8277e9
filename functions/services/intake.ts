import type { Settings } from '../../domain/entities/tenant';
import { METRIC } from '../../infra/metrics';
import { ULID_PATTERN } from '../../domain/ids';
import { createHash } from 'node:crypto';
import { activeSecrets } from '../../domain/entities/webhook-source';
import { DomainError, type FieldError } from '../../domain/errors';
import { AmountOutOfRange } from '../../domain/money';
import type { Deps } from '../deps';
import { SqsQueue } from '../jobs/queue';
import { cancellationReasons } from '../store/client';
import {
  deliveryWrites,
  getDelivery,
  getDeliveryBody,
  listWaitingDeliveries,
  putNewDelivery,
  saveDelivery,
  type Delivery,
} from '../store/deliveries';
import { getWebhookSource, type StoredWebhookSource } from '../store/webhook-sources';
import { adapterFor } from '../webhooks/adapters/registry';
import { openSecret, secretContext, type SealedSecret } from '../webhooks/secrets';
import { applyDeliveredChange, orderIdFor } from './orders';
import { findSettings } from '../store/tenants';
import { readTogether } from '../store/read-ahead';
import type { OrderChange } from '../../domain/orders/adapters/change';
import { vendorApiOf } from '../webhooks/vendor-api';

/**
 * Order intake (docs/orders.md, "Order intake"): a delivery whose signature checks out is stored first, raw
 * bytes and the headers that matter, in one conditional write; then it is processed. What cannot
 * be read or mapped is parked for the owner (202), what may pass (a conflict, a throttle, an
 * outage) is retried by a worker with backoff (202): a signed delivery is never refused for its
 * content, so no order system stops sending, and none is lost.
 */

/** Processing attempts of one delivery before it is parked for the owner (the worker's backoff doubles each time). */
export const MAX_DELIVERY_ATTEMPTS = 6;

/** Kept with a delivery: what it is and who sent it; `x-…` vendor headers unless they may hold a key. */
const KEPT_HEADER = /^(content-type|user-agent|x-[\w-]+)$/;
const SECRET_HEADER = /token|secret|auth|key|password|cookie/i;

/** An order a delivery changed (or repeated: `applied` false). */
export interface AppliedOrder {
  orderId: string;
  revision: number;
  applied: boolean;
}

export type IntakeAnswer =
  | { status: 'processed'; orders: AppliedOrder[] }
  | { status: 'accepted'; deliveryId: string; orderId?: string }
  | { status: 'parked'; deliveryId: string; errors: FieldError[] }
  | { status: 'discarded'; deliveryId: string }
  | { status: 'ping' };

/** The worker that finishes what could not be finished in the request (SQS in AWS, in-process locally). */
export interface DeliveryRetryQueue {
  later(tenantId: string, deliveryId: string, attempt: number): Promise<void>;
}

/** Backoff before the worker's attempt n (1-based): 5 s, 10 s, 20 s … up to SQS's 15 minutes. */
export const retryDelaySeconds = (attempt: number) => Math.min(900, 5 * 2 ** Math.max(0, attempt - 1));

export interface DeliveryMessage {
  tenantId: string;
  deliveryId: string;
  attempt: number;
}

export function isDeliveryMessage(value: unknown): value is DeliveryMessage {
  const m = value as Record<string, unknown> | null;
  return !!m && typeof m.tenantId === 'string' && typeof m.deliveryId === 'string' && Number.isSafeInteger(m.attempt);
}

/** AWS: the delivery queue named by DELIVERY_QUEUE_URL (set by CDK); null elsewhere. */
export function deliveryQueueFromEnv(env: NodeJS.ProcessEnv = process.env): DeliveryRetryQueue | null {
  const url = env.DELIVERY_QUEUE_URL;
  if (!url) return null;
  const sqs = new SqsQueue<DeliveryMessage>(url, env.AWS_REGION);
  return {
    later: (tenantId, deliveryId, attempt) => sqs.send([{ tenantId, deliveryId, attempt }], { delaySeconds: retryDelaySeconds(attempt) }),
  };
}

/**
 * Locally and in tests: the same processing over the same stored deliveries, run by a timer in
 * this process (milliseconds instead of seconds, so a test sees the retry). Nothing is lost if the
 * process dies: the delivery stays `accepted` in the table, listed for the owner to replay.
 */
export function inProcessDeliveryQueue(deps: () => Deps, baseDelayMs = 50): DeliveryRetryQueue {
  const queue: DeliveryRetryQueue = {
    async later(tenantId, deliveryId, attempt) {
      const timer = setTimeout(
        () => {
          processStoredDelivery(deps(), tenantId, deliveryId, queue).catch((error: unknown) =>
            deps().log({
              level: 'error',
              msg: 'delivery retry failed',
              deliveryId,
              error: (error as Error)?.name,
              message: (error as Error)?.message?.slice(0, 200),
            }),
          );
        },
        baseDelayMs * 2 ** Math.max(0, attempt - 1),
      );
      timer.unref();
    },
  };
  return queue;
}

let envQueue: DeliveryRetryQueue | null | undefined;
/** The retry queue of this process: SQS where CDK set DELIVERY_QUEUE_URL, else in-process. */
export function deliveryQueue(deps: Deps): DeliveryRetryQueue {
  if (envQueue === undefined) envQueue = deliveryQueueFromEnv();
  return envQueue ?? inProcessDeliveryQueue(() => deps);
}

/** One answer for an unknown source and a bad signature: a caller learns nothing about which sources exist. */
const rejected = (detail: string) => new DomainError('unauthenticated', detail);
const UNKNOWN_OR_BAD = 'Unknown webhook source or bad signature';

/**
 * The delivery's id: the vendor's delivery id where it sends one (the headers its adapter names),
 * else the hash of the signed bytes.
 */
export function deliveryIdFor(
  sourceId: string,
  headers: Record<string, string>,
  body: Uint8Array,
  idHeaders: readonly string[] = [],
): string {
  const vendorId = idHeaders.map((h) => headers[h]?.trim()).find((v) => v);
  const basis = vendorId ? `id:${vendorId}` : `sha256:${createHash('sha256').update(body).digest('hex')}`;
  return `D${createHash('sha256').update(`${sourceId}\n${basis}`).digest('hex').slice(0, 31).toUpperCase()}`;
}

function keptHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([k, v]) => KEPT_HEADER.test(k) && !SECRET_HEADER.test(k) && v.length <= 512));
}

/**
 * The order changes a stored delivery carries, read by its source's adapter with what it may need
 * besides the body: the delivery's headers and time, the business's time zone, and the vendor's
 * REST API when the source holds credentials for it.
 */
export async function readDeliveryChanges(
  deps: Deps,
  source: StoredWebhookSource,
  delivery: Delivery,
  body: Uint8Array,
  settings: Settings,
): Promise<OrderChange[]> {
  const context = {
    headers: delivery.headers,
    receivedAt: delivery.receivedAt,
    timeZone: settings.timeZone,
    api: vendorApiOf(deps, source),
  };
  return adapterFor(source.kind).read(body, context);
}

/**
 * Errors that another attempt cannot fix: the content cannot be read or mapped, its commission is
 * past the largest amount kept, or the order would pass DynamoDB's item-size limit. Everything
 * else (a conflict still losing, a throttle, a timeout, an outage) may pass.
 */
function permanentErrors(error: unknown): FieldError[] | null {
  if (error instanceof DomainError && (error.kind === 'validation' || error.kind === 'rule_violation')) {
    return error.errors.length ? error.errors : [{ path: 'body', message: error.message }];
  }
  if (error instanceof AmountOutOfRange) return [{ path: 'lines', message: 'the commission is past the largest amount kept' }];
  const e = error as { name?: string; message?: string } | null;
  const tooLarge = /item size|size has exceeded/i.test(e?.message ?? '') || cancellationReasons(error)?.includes('ValidationError');
  if (e?.name === 'ValidationException' || tooLarge) {
    return [
      { path: 'body', message: tooLarge ? 'the order is too large to keep (DynamoDB item-size limit)' : 'the order cannot be stored' },
    ];
  }
  return null;
}

/** `next`, stored over `d`: its next version. */
const over = (deps: Deps, d: Delivery, next: Delivery): Delivery => ({
  ...next,
  version: d.version + 1,
  updatedAt: deps.now().toISOString(),
});

/** An order a delivery's change reached, and whether that change was a whole order (not a refund or a deletion). */
interface Reached extends AppliedOrder {
  wholeOrder: boolean;
}

/**
 * A delivery processed: the orders it reached, and what it answers when sent again. A whole order
 * sent again answers its order (applied false); a refund or a deletion sent again is already
 * included and answers nothing, as when it is processed again.
 */
const processedAs = (d: Delivery, reached: readonly Reached[]): Delivery => ({
  ...d,
  status: 'processed',
  attempts: d.attempts + 1,
  orderIds: [...new Set(reached.map((o) => o.orderId))],
  errors: [],
  outcomes: reached.filter((o) => o.wholeOrder).map(({ orderId, revision }) => ({ orderId, revision })),
});

/** Move a stored delivery on, re-reading it when another writer moved it first. */
async function updateDelivery(deps: Deps, current: Delivery, change: (d: Delivery) => Delivery | null): Promise<Delivery> {
  let d = current;
  for (let attempt = 0; attempt < 5; attempt++) {
    const next = change(d);
    if (!next) return d;
    const saved = over(deps, d, next);
    if (await saveDelivery(deps.store, saved)) return saved;
    const fresh = await getDelivery(deps.store, d.tenantId, d.id);
    if (!fresh) return d;
    d = fresh;
  }
  return d;
}

/**
 * The writes that mark a delivery processed inside its last order's transaction, with the orders
 * answered before and this one. Asked again after a concurrent change, it reads the delivery again
 * first; a delivery no longer waiting (processed by the same delivery sent twice at once, discarded)
 * is left out of the transaction, and recorded on its own as before.
 */
function markedProcessed(deps: Deps, delivery: Delivery, before: readonly Reached[], wholeOrder: boolean) {
  let current = delivery;
  let asked = false;
  return async (outcome: { orderId: string; revision: number }) => {
    if (asked) current = (await getDelivery(deps.store, current.tenantId, current.id)) ?? current;
    asked = true;
    if (current.status !== 'accepted') return [];
    return deliveryWrites(deps.store, over(deps, current, processedAs(current, [...before, { ...outcome, applied: true, wholeOrder }])));
  };
}

/**
 * Process a stored delivery once: read it, apply its order, and record the outcome. Parks it when
 * its content cannot be taken; leaves it `accepted` and asks the queue for another attempt when the
 * failure may pass (parked after MAX_DELIVERY_ATTEMPTS).
 */
export async function processDelivery(
  deps: Deps,
  delivery: Delivery,
  read: { source: StoredWebhookSource; settings: Settings; body: Uint8Array },
  queue: DeliveryRetryQueue,
): Promise<IntakeAnswer> {
  const { source, settings, body } = read;
  // the orders this delivery named so far, kept with it whatever the outcome (support finds them)
  const touched: string[] = [];
  try {
    // the settings, read with the source: the adapter's time zone, and every change's pricing and periods
    const changes = await readDeliveryChanges(deps, source, delivery, body, settings);
    const reached: Reached[] = [];
    let marked = false;
    // in the delivery's order: a later change of the same order sees the earlier one applied
    for (const [i, change] of changes.entries()) {
      touched.push(orderIdFor(delivery.sourceId, change.type === 'order' ? change.event.externalId : change.externalId));
      const wholeOrder = change.type === 'order';
      // the last change's transaction also marks the delivery processed (no write of its own)
      const alongside = i === changes.length - 1 ? markedProcessed(deps, delivery, reached, wholeOrder) : undefined;
      const outcome = await applyDeliveredChange(deps, delivery.tenantId, delivery.sourceId, change, {
        settings,
        ...(alongside ? { alongside } : {}),
      });
      if (outcome) reached.push({ orderId: outcome.orderId, revision: outcome.revision, applied: outcome.applied, wholeOrder });
      marked = outcome?.alongsideWritten ?? false;
    }
    // nothing written (a repeated or older revision) or the delivery moved meanwhile: marked on its own
    if (!marked) await updateDelivery(deps, delivery, (d) => (d.status === 'discarded' ? null : processedAs(d, reached)));
    return { status: 'processed', orders: reached.map(({ orderId, revision, applied }) => ({ orderId, revision, applied })) };
  } catch (error) {
    const orderIds = [...new Set(touched)];
    const orderId = orderIds.at(-1);
    const permanent = permanentErrors(error);
    const attempts = delivery.attempts + 1;
    if (permanent || attempts >= MAX_DELIVERY_ATTEMPTS) {
      const errors = permanent ?? [
        { path: 'delivery', message: `processing failed ${attempts} times (${reasonOf(error)}); replay it once the cause is fixed` },
      ];
      await updateDelivery(deps, delivery, (d) =>
        d.status === 'accepted' ? { ...d, status: 'parked', attempts: d.attempts + 1, errors, orderIds } : null,
      );
      deps.log({
        level: 'warn',
        msg: 'delivery parked',
        tenantId: delivery.tenantId,
        deliveryId: delivery.id,
        paths: errors.map((e) => e.path),
      });
      deps.metric(METRIC.deliveriesParked);
      return { status: 'parked', deliveryId: delivery.id, errors };
    }
    deps.log({
      level: 'warn',
      msg: 'delivery accepted for a retry',
      tenantId: delivery.tenantId,
      deliveryId: delivery.id,
      attempts,
      error: reasonOf(error),
    });
    const errors = [{ path: 'delivery', message: `attempt ${attempts} did not finish (${reasonOf(error)}); it is retried` }];
    await updateDelivery(deps, delivery, (d) => (d.status === 'accepted' ? { ...d, attempts: d.attempts + 1, errors, orderIds } : null));
    await queue.later(delivery.tenantId, delivery.id, attempts);
    return { status: 'accepted', deliveryId: delivery.id, ...(orderId ? { orderId } : {}) };
  }
}

function reasonOf(error: unknown): string {
  if (error instanceof DomainError) return error.kind;
  return ((error as { name?: string } | null)?.name ?? 'Error').slice(0, 60);
}

/**
 * The source a webhook URL names, with its business's settings (read together, one round trip),
 * or the one 401 that does not say whether it exists.
 */
async function sourceOrRefuse(
  deps: Deps,
  tenantId: string,
  sourceId: string,
): Promise<{ source: StoredWebhookSource; settings: Settings }> {
  const named = ULID_PATTERN.test(tenantId) && ULID_PATTERN.test(sourceId);
  const [source, settings] = named
    ? await readTogether(deps.store, [(store) => getWebhookSource(store, tenantId, sourceId), (store) => findSettings(store, tenantId)])
    : [null, null];
  if (!source || !settings) throw rejected(UNKNOWN_OR_BAD);
  return { source, settings };
}

/** A secret of a source (a signing secret, a verify token), opened with the key and the source's context. */
function openSourceSecret(deps: Deps, source: StoredWebhookSource, sealed: SealedSecret): string {
  return openSecret(deps.secretsKey(), sealed, secretContext(source.tenantId, source.id));
}

/**
 * The webhook: verify, store, process. An unknown source and a bad signature answer the same 401
 * (thrown); a failure to store answers 5xx (thrown), so the sender retries what we did not keep.
 */
export async function receiveDelivery(
  deps: Deps,
  input: { tenantId: string; sourceId: string; headers: Record<string, string>; body: Uint8Array },
  queue: DeliveryRetryQueue,
): Promise<IntakeAnswer> {
  const { tenantId, sourceId, headers, body } = input;
  const { source, settings } = await sourceOrRefuse(deps, tenantId, sourceId);
  const now = deps.now();
  const secrets = activeSecrets(source, now.toISOString()).map((s) => openSourceSecret(deps, source, s.sealed));
  const adapter = adapterFor(source.kind);
  // the signature is checked on the bytes as received, before anything is parsed; a ping is answered without storing
  const verdict = adapter.verify({ headers, body, secrets, nowSeconds: Math.floor(now.getTime() / 1000) });
  if (verdict.result === 'refused') throw rejected(verdict.reason);
  if (verdict.result === 'ping') return { status: 'ping' };

  const at = now.toISOString();
  // what is kept, processed and replayed: the bytes, minus a token a vendor puts in the body
  const kept = adapter.storedBody?.(body) ?? body;
  const fresh: Delivery = {
    id: deliveryIdFor(sourceId, headers, kept, adapter.deliveryIdHeaders),
    tenantId,
    sourceId,
    receivedAt: at,
    status: 'accepted',
    attempts: 0,
    orderIds: [],
    errors: [],
    headers: keptHeaders(headers),
    updatedAt: at,
    version: 1,
  };
  const put = await putNewDelivery(deps.store, fresh, kept);
  const stored = put === true ? fresh : put;
  // the same delivery again: a parked or discarded one stays so until the owner acts on it; a
  // processed one changed what it changes already: its answer again, nothing processed or written
  // (a delivery processed before its answer was kept is processed again: a repeated revision changes nothing)
  if (stored.status === 'parked') return { status: 'parked', deliveryId: stored.id, errors: stored.errors };
  if (stored.status === 'discarded') return { status: 'discarded', deliveryId: stored.id };
  if (stored.status === 'processed' && stored.outcomes)
    return { status: 'processed', orders: stored.outcomes.map((o) => ({ ...o, applied: false })) };
  return processDelivery(deps, stored, { source, settings, body: kept }, queue);
}

/**
 * A vendor's subscription handshake (a GET on the webhook URL): the text its adapter answers, when
 * the source's kind makes one and the request carries the source's verify token. Anything else
 * (an unknown source, a kind without a handshake, no token kept, a wrong token, a parameter
 * missing) is the same 401 as a bad signature.
 */
export async function answerHandshake(
  deps: Deps,
  input: { tenantId: string; sourceId: string; query: Record<string, string | undefined> },
): Promise<string> {
  const { source } = await sourceOrRefuse(deps, input.tenantId, input.sourceId);
  const handshake = adapterFor(source.kind).handshake;
  if (!handshake) throw rejected(UNKNOWN_OR_BAD);
  const verifyToken = source.verifyToken ? openSourceSecret(deps, source, source.verifyToken) : undefined;
  const query = input.query;
  const answer = handshake({ query, verifyToken });
  if (answer === null) throw rejected(UNKNOWN_OR_BAD);
  return answer;
}

/** The worker's step (a retry, the sweep): process a stored delivery if it still waits. */
export async function processStoredDelivery(
  deps: Deps,
  tenantId: string,
  deliveryId: string,
  queue: DeliveryRetryQueue,
): Promise<IntakeAnswer | null> {
  const delivery = await getDelivery(deps.store, tenantId, deliveryId);
  return delivery ? processWaiting(deps, delivery, queue) : null;
}

/** Process a delivery read just before, if it waits (accepted), with its source and stored body. */
async function processWaiting(deps: Deps, delivery: Delivery, queue: DeliveryRetryQueue): Promise<IntakeAnswer | null> {
  if (delivery.status !== 'accepted') return null;
  const { tenantId } = delivery;
  const [source, body, settings] = await readTogether(deps.store, [
    (store) => getWebhookSource(store, tenantId, delivery.sourceId),
    (store) => getDeliveryBody(store, tenantId, delivery.id),
    (store) => findSettings(store, tenantId),
  ]);
  if (!source || !body || !settings) {
    const errors = [{ path: source ? 'body' : 'sourceId', message: source ? 'the stored body is gone' : 'the webhook source was deleted' }];
    await updateDelivery(deps, delivery, (d) => (d.status === 'accepted' ? { ...d, status: 'parked', errors } : null));
    deps.metric(METRIC.deliveriesParked);
    return { status: 'parked', deliveryId: delivery.id, errors };
  }
  return processDelivery(deps, delivery, { source, settings, body }, queue);
}

/** The owner's replay: with today's code and settings, whatever its status (a processed one changes nothing). */
export async function replayDelivery(deps: Deps, delivery: Delivery, queue: DeliveryRetryQueue): Promise<Delivery> {
  const reopened = await updateDelivery(deps, delivery, (d) => ({ ...d, status: 'accepted', attempts: 0, errors: [] }));
  await processWaiting(deps, reopened, queue);
  // what processing made of it (processed, parked, or still waiting for the worker)
  return (await getDelivery(deps.store, delivery.tenantId, delivery.id)) ?? reopened;
}

/** The owner's discard, with a reason: a parked or waiting delivery is set aside (kept 90 days). */
export async function discardDelivery(deps: Deps, delivery: Delivery, reason: string): Promise<Delivery | null> {
  let refused = false;
  const out = await updateDelivery(deps, delivery, (d) => {
    if (d.status !== 'parked' && d.status !== 'accepted') {
      refused = true;
      return null;
    }
    return { ...d, status: 'discarded', discardReason: reason };
  });
  return refused ? null : out;
}

/** How long a delivery may wait as `accepted` before the sweep takes it (longer than a request lives). */
export const SWEEP_AFTER_MS = 5 * 60_000;

/**
 * The sweep (every few minutes in AWS; a timer locally): deliveries left `accepted` by a process
 * that died between storing and processing, when the sender never retries and no message was
 * queued, are processed again. A delivery waiting for its queued retry may be taken early: harmless,
 * processing is idempotent and the later message finds it done.
 */
export async function sweepWaitingDeliveries(
  deps: Deps,
  queue: DeliveryRetryQueue,
  limit = 100,
): Promise<{ found: number; processed: number }> {
  const before = new Date(deps.now().getTime() - SWEEP_AFTER_MS).toISOString();
  const waiting = await listWaitingDeliveries(deps.store, before, limit);
  let processed = 0;
  for (const d of waiting) {
    const answer = await processStoredDelivery(deps, d.tenantId, d.id, queue);
    if (answer?.status === 'processed') processed += 1;
  }
  return { found: waiting.length, processed };
}
