import type { Zone } from '../../domain/period';
import { METRIC } from '../../infra/metrics';
import { calendarOf, type Settings } from '../../domain/entities/tenant';
import { createHash } from 'node:crypto';
import { priceOrderAt } from '../../domain/commission/engine';
import { planInForce, type StoredPlanVersion } from '../../domain/commission/plan';
import { ruleViolation } from '../../domain/errors';
import { AmountOutOfRange } from '../../domain/money';
import { normalizeRefId, ULID_PATTERN } from '../../domain/ids';
import { decideAttribution, type ResolvedHint } from '../../domain/orders/attribution';
import { isBindingActive } from '../../domain/orders/binding';
import { attributionOf, bindingAfter } from '../../domain/orders/credit';
import { eventOfChange, type OrderChange as DeliveredChange } from '../../domain/orders/adapters/change';
import type { OrderEvent } from '../../domain/orders/event';
import { applyRevision, type OrderRecord } from '../../domain/orders/order';
import { netRevenueOf, toPricedOrder, type OrderAttribution } from '../../domain/orders/pricing';
import { returnStepsAfter } from '../../domain/orders/returns';
import { periodIdAt } from '../../domain/period';
import { vnPhoneOf } from '../../domain/phone';
import type { Deps } from '../deps';
import { getCollaborator, getCollaboratorIdByRefId } from '../store/collaborators';
import {
  ConcurrentOrderChange,
  getBinding,
  getOrder,
  getOrderLedger,
  saveOrderChange,
  type OrderChange,
  type StoredBinding,
  type StoredOrder,
} from '../store/orders';
import { getOpportunity } from '../store/opportunities';
import { getPeriodsState } from '../store/periods';
import { currentPlanVersions } from '../store/plans';
import { readTogether } from '../store/read-ahead';
import { StoreBusy, type Store } from '../store/client';
import { getSettings } from '../store/tenants';
import { postToLedger } from './ledger-posting';
import type { TransactItem } from '../store/transactions';
import { orderSideEffects } from './order-effects';

/** Concurrent deliveries of one order serialise on its version; a loser reads again and retries. */
const ATTEMPTS = 6;
/** One order per (source, external id): the id is derived, so the first delivery needs no lookup. */
export function orderIdFor(sourceId: string, externalId: string): string {
  return `O${createHash('sha256').update(`${sourceId}\n${externalId}`).digest('hex').slice(0, 31).toUpperCase()}`;
}

export interface ApplyOutcome {
  orderId: string;
  /** the newest revision the order now holds */
  revision: number;
  /** false for a repeated or older revision */
  applied: boolean;
  order: StoredOrder;
  /** the caller's `alongside` writes were stored, in the order's transaction */
  alongsideWritten: boolean;
}

export interface ApplyOptions {
  /** the business's settings, when the caller has read them already (the intake, with the source) */
  settings?: Settings;
  /**
   * Writes that belong in the order's transaction when it writes one (the intake's delivery
   * record, marked processed), given what it will answer. Asked again for each attempt after a
   * concurrent change (they may have to be read again); none: the order alone. Left out when they
   * would not fit in the transaction.
   */
  alongside?: (outcome: { orderId: string; revision: number }) => Promise<TransactItem[]>;
}

/**
 * Apply one order event (from a webhook or a manual change): merge the revision, decide the credit,
 * price it with the plan in force at approval, and store the order with the ledger's difference in
 * one transaction. At-least-once, out-of-order delivery ends in the state of the newest revision,
 * with each ledger effect exactly once.
 */
export async function applyOrderEvent(
  deps: Deps,
  tenantId: string,
  sourceId: string,
  event: OrderEvent,
  options: ApplyOptions = {},
): Promise<ApplyOutcome> {
  const orderId = orderIdFor(sourceId, event.externalId);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    try {
      return await applyOnce(deps, tenantId, sourceId, orderId, event, options);
    } catch (error) {
      // an order whose commission under the plan in force is past the largest amount kept (only a
      // plan's fixed per-unit amounts times huge quantities get there): 422, not a 500 that an
      // order system would retry forever; nothing is stored
      if (error instanceof AmountOutOfRange) {
        throw ruleViolation(
          'The commission of this order under the plan in force is past the largest amount kept (9,007 tỷ đồng); check the plan’s fixed per-unit amounts',
          'lines',
        );
      }
      if (!(error instanceof ConcurrentOrderChange)) throw error;
      // a short random pause, growing with each attempt, so a burst of writers to the same order
      // or the same counters does not collide again in lockstep
      const jitter = deps.random(1)[0]! / 255;
      await new Promise((resolve) => setTimeout(resolve, Math.round((attempt + 1) * 20 * (0.5 + jitter))));
    }
  }
  // still losing to other writers of the same order: busy (503 over HTTP, a later attempt at the intake)
  throw new StoreBusy('the order is being changed by other deliveries right now');
}

/**
 * Apply one change an order system delivered: a whole order as it is; a deletion or a refund made
 * into the next revision of the stored order (domain/orders/adapters/change.ts). Null when it
 * changes nothing (a deletion of an order we never had, a refund the order already includes).
 */
export async function applyDeliveredChange(
  deps: Deps,
  tenantId: string,
  sourceId: string,
  change: DeliveredChange,
  options: ApplyOptions = {},
): Promise<ApplyOutcome | null> {
  if (change.type === 'order') return applyOrderEvent(deps, tenantId, sourceId, change.event, options);
  const stored = await getOrder(deps.store, tenantId, orderIdFor(sourceId, change.externalId));
  const event = eventOfChange(stored?.record ?? null, change);
  return event ? applyOrderEvent(deps, tenantId, sourceId, event, options) : null;
}

/** The most writes one TransactWriteItems holds (DynamoDB's limit). */
const TRANSACTION_ITEMS = 100;

/**
 * One attempt's reads, each made at most once (a second ask is answered by the first), so that
 * what several steps need (a CTV named by a hint and then credited) is read once; `on` is the
 * store of the first ask (readTogether's, to batch it).
 */
function readsOnce(deps: Deps, tenantId: string) {
  const made = new Map<string, Promise<unknown>>();
  const once =
    <T>(key: string, read: (store: Store) => Promise<T>) =>
    (on: Store = deps.store): Promise<T> => {
      if (!made.has(key)) made.set(key, read(on));
      return made.get(key) as Promise<T>;
    };
  return {
    collaborator: (id: string) => once(`ctv ${id}`, (store) => getCollaborator(store, tenantId, id)),
    refIdOwner: (code: string) =>
      once(`ref ${normalizeRefId(code)}`, (store) => getCollaboratorIdByRefId(store, tenantId, normalizeRefId(code))),
    opportunity: (id: string) => once(`opportunity ${id}`, (store) => getOpportunity(store, tenantId, id)),
    binding: (phone: string) => once(`binding ${phone}`, (store) => getBinding(store, tenantId, phone)),
  };
}
type Reads = ReturnType<typeof readsOnce>;

/**
 * What the event names, read ahead: the customer's binding and the CTVs, REF IDs and opportunity
 * its hints name (the credit decision asks for them again, and is answered from these reads).
 */
function namedByEvent(reads: Reads, event: OrderEvent): ((store: Store) => Promise<unknown>)[] {
  const hints = event.attribution;
  const phone = vnPhoneOf(event.customer.phone);
  return [
    ...(phone ? [reads.binding(phone)] : []),
    ...[hints.collaboratorId].filter((id): id is string => !!id && ULID_PATTERN.test(id)).map((id) => reads.collaborator(id)),
    ...[hints.refId, hints.couponCode].filter((code): code is string => !!code).map((code) => reads.refIdOwner(code)),
    ...[hints.opportunityId].filter((id): id is string => !!id && ULID_PATTERN.test(id)).map((id) => reads.opportunity(id)),
  ];
}

async function applyOnce(
  deps: Deps,
  tenantId: string,
  sourceId: string,
  orderId: string,
  event: OrderEvent,
  options: ApplyOptions,
): Promise<ApplyOutcome> {
  const nowIso = deps.now().toISOString();
  const reads = readsOnce(deps, tenantId);
  // one round trip (one BatchGetItem): the order, the settings, the closed list, the check that the
  // plan versions this container keeps are whole, and what the event names. The closed list is
  // read here, each time, not kept: it says where a change lands, and an order's transaction does
  // not hold its version (services/ledger-posting.ts, the closed-period rule): the close fences
  // orders by time, which holds only for what an order change read within its own run
  const given = options.settings;
  const [stored, settings, plans, closed] = await readTogether(deps.store, [
    (store) => getOrder(store, tenantId, orderId),
    (store) => (given ? Promise.resolve(given) : getSettings(store, tenantId)),
    (store) => currentPlanVersions(store, tenantId),
    (store) => getPeriodsState(store, tenantId),
    ...namedByEvent(reads, event),
  ] as const);
  const merged = applyRevision(stored?.record ?? null, event, sourceId, nowIso);
  if (!merged.changed && stored)
    return { orderId, revision: stored.record.revision, applied: false, order: stored, alongsideWritten: false };
  const record = merged.order;
  const tz = calendarOf(settings);

  const credit = await creditOf(deps, reads, orderId, record, stored?.attribution ?? null, plans, tz);
  const revenue = netRevenueOf(record);
  const priced = priceOrderAt(toPricedOrder(orderId, record, credit.attribution, revenue), plans, { timeZone: tz });
  const applies = stored?.applies ?? 0;
  const held = stored ? await getOrderLedger(deps.store, tenantId, orderId) : [];
  const posting = postToLedger(deps.store, {
    tenantId,
    source: {
      type: 'order',
      orderId,
      revision: record.revision,
      apply: applies + 1,
      approvedAt: record.approvedAt,
      // the delivery before this change: whether what a change to a closed month reverses was payable
      delivery: { completedAt: stored?.record.completedAt ?? stored?.record.returnedAt ?? null, holdingDays: settings.holdingDays },
    },
    desired: priced.lines,
    held,
    at: nowIso,
    timeZone: tz,
    closed,
    // the nightly run recomputes the CTVs whose volume this change moved, as well as those its entries pay
    alsoChanged: [stored?.attribution?.collaboratorId, credit.attribution.collaboratorId],
  });

  const order: StoredOrder = {
    id: orderId,
    tenantId,
    record,
    attribution: credit.attribution,
    revenue,
    plan: priced.plan ? { planId: priced.plan.planId, version: priced.plan.version } : (stored?.plan ?? null),
    applies: posting.entries.length > 0 ? applies + 1 : applies,
    ...returnsOf(stored, record),
    version: (stored?.version ?? 0) + 1,
    updatedAt: nowIso,
  };
  const effects = await orderSideEffects(deps, tenantId, stored, order, tz);
  const alongside = (await options.alongside?.({ orderId, revision: record.revision })) ?? [];
  const own = 1 + posting.items.length + effects.length + (credit.binding ? 1 : 0);
  const fits = own + alongside.length <= TRANSACTION_ITEMS;
  const change: OrderChange = {
    order,
    // the local month of its creation: the bucket of the business-wide order list
    createdMonth: periodIdAt(Date.parse(record.createdAt), 'month', tz),
    ledger: posting.items,
    extraItems: fits ? [...effects, ...alongside] : effects,
    ...(credit.binding ? { binding: credit.binding } : {}),
  };
  await saveOrderChange(deps.store, change);
  if (!stored) deps.metric(METRIC.ordersTaken);
  return { orderId, revision: record.revision, applied: merged.applied, order, alongsideWritten: fits && alongside.length > 0 };
}

/** The order's return steps after this change: each return at its own time, for what counts by a cut-off. */
function returnsOf(stored: StoredOrder | null, record: OrderRecord): Pick<StoredOrder, 'returns'> {
  const steps = returnStepsAfter(stored?.returns, stored?.record ?? null, record);
  return steps.length > 0 ? { returns: steps } : {};
}

/**
 * Who is credited, decided from the facts of now until the order first accrues, then frozen.
 * Also the binding this order creates (its completion binds the customer) or counts against.
 */
async function creditOf(
  deps: Deps,
  reads: Reads,
  orderId: string,
  record: OrderRecord,
  previous: OrderAttribution | null,
  plans: readonly StoredPlanVersion[],
  tz: Zone,
): Promise<{ attribution: OrderAttribution; binding?: { value: StoredBinding; replaces: number } }> {
  const plan = planInForce(plans, record.approvedAt ?? record.createdAt, tz);
  // only a Vietnamese phone names a customer who can be bound: with none (or a foreign one) there is
  // no binding to look up, none to create, and the order is credited by its hints alone
  const customerPhone = vnPhoneOf(record.customer.phone);
  const stored = customerPhone ? await reads.binding(customerPhone)() : null;
  let attribution = previous;
  const decidedNow = !attribution?.frozen;

  if (!attribution?.frozen) {
    const at = record.approvedAt ?? record.occurredAt;
    const active = stored && isBindingActive(stored, at) ? stored : null;
    // the CTVs only the first reads name (bound, behind a REF ID or an opportunity): one more round trip, when any
    await readTogether(deps.store, await namedByReads(reads, record, active));
    const bound = active ? await reads.collaborator(active.collaboratorId)() : null;
    const decision = decideAttribution({
      binding: active && bound ? { collaboratorId: bound.id, status: bound.status, endsAt: active.endsAt, phone: bound.phone } : null,
      planAttribution: plan?.repurchase?.attribution ?? 'binding',
      candidates: await resolveHints(reads, record),
      // the self-order check; a CTV's phone is Vietnamese, so no phone or a foreign one is never theirs
      customerPhone: record.customer.phone ?? '',
      at,
    });
    const ctv = decision.collaboratorId ? await reads.collaborator(decision.collaboratorId)() : null;
    attribution = attributionOf(decision, { orderId, record }, ctv, active);
  }

  const next = bindingAfter({
    orderId,
    record,
    attribution,
    decidedNow,
    customerPhone,
    stored,
    terms: { bindingDays: plan?.repurchase?.bindingDays, maxRepurchases: plan?.repurchase?.maxRepurchases ?? null },
  });
  if (!next) return { attribution };
  return { attribution, binding: { value: { ...next, version: (stored?.version ?? 0) + 1 }, replaces: stored?.version ?? 0 } };
}

/** The CTVs that the binding, the REF IDs and the opportunity read first name (to read them together). */
async function namedByReads(
  reads: Reads,
  record: OrderRecord,
  active: StoredBinding | null,
): Promise<((store: Store) => Promise<unknown>)[]> {
  const hints = record.attributionHints;
  const [refOwner, couponOwner, opportunity] = await Promise.all([
    hints.refId ? reads.refIdOwner(hints.refId)() : null,
    hints.couponCode ? reads.refIdOwner(hints.couponCode)() : null,
    hints.opportunityId && ULID_PATTERN.test(hints.opportunityId) ? reads.opportunity(hints.opportunityId)() : null,
  ]);
  const ids = [active?.collaboratorId, refOwner, couponOwner, opportunity?.collaboratorId];
  return ids.filter((id): id is string => !!id && ULID_PATTERN.test(id)).map((id) => reads.collaborator(id));
}

/**
 * The CTV each hint names. A coupon code is a CTV's REF ID (each CTV's own code); an opportunity
 * names the CTV who filed it.
 */
async function resolveHints(reads: Reads, record: OrderRecord) {
  const hints = record.attributionHints;
  const byId = async (id: string | null | undefined): Promise<ResolvedHint> => {
    if (!id) return null;
    const ctv = ULID_PATTERN.test(id) ? await reads.collaborator(id)() : null;
    return ctv ? { id: ctv.id, status: ctv.status, phone: ctv.phone } : 'unknown';
  };
  const byRefId = async (code: string | null | undefined): Promise<ResolvedHint> => {
    if (!code) return null;
    const id = await reads.refIdOwner(code)();
    return id ? byId(id) : 'unknown';
  };
  const byOpportunity = async (id: string | null | undefined): Promise<ResolvedHint> => {
    if (!id) return null;
    const opportunity = ULID_PATTERN.test(id) ? await reads.opportunity(id)() : null;
    return opportunity ? byId(opportunity.collaboratorId) : 'unknown';
  };
  const [collaboratorId, refId, couponCode, opportunityId] = await Promise.all([
    byId(hints.collaboratorId),
    byRefId(hints.refId),
    byRefId(hints.couponCode),
    byOpportunity(hints.opportunityId),
  ]);
  return { collaboratorId, refId, couponCode, opportunityId };
}
