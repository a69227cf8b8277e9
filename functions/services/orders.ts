import type { Zone } from '../../domain/period';
import { calendarOf, type Settings } from '../../domain/entities/tenant';
import { createHash } from 'node:crypto';
import { priceOrderAt } from '../../domain/commission/engine';
import { collaboratorsIn, diffLedger } from '../../domain/commission/ledger';
import { planInForce, type StoredPlanVersion } from '../../domain/commission/plan';
import { conflict, ruleViolation } from '../../domain/errors';
import { AmountOutOfRange } from '../../domain/money';
import { normalizeRefId, ULID_PATTERN } from '../../domain/ids';
import { decideAttribution, type ResolvedHint } from '../../domain/orders/attribution';
import { createBinding, isBindingActive, isRepurchase, recordRepurchase, shouldBind } from '../../domain/orders/binding';
import { eventOfChange, type OrderChange as DeliveredChange } from '../../domain/orders/adapters/change';
import type { OrderEvent } from '../../domain/orders/event';
import { applyRevision, type OrderRecord } from '../../domain/orders/order';
import { accrues, netRevenueOf, toPricedOrder, type OrderAttribution } from '../../domain/orders/pricing';
import { returnStepsAfter } from '../../domain/orders/returns';
import { nextPeriodId, periodIdAt } from '../../domain/period';
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
import { getClosedPeriods } from '../store/periods';
import { changeMarkerItems } from '../store/snapshots';
import { allPlanVersions } from '../store/plans';
import { orderSideEffects } from './order-effects';
import { getSettings } from '../store/tenants';

/** Concurrent deliveries of one order serialise on its version; a loser reads again and retries. */
const ATTEMPTS = 6;
/** Statements are monthly: an order's commission counts in the month of its approval. */
export const STATEMENT_CYCLE = 'month' as const;

/** The first period from `period` on that is not closed: where changes to closed periods land. */
export function openPeriodAfter(period: string, closed: readonly string[]): string {
  let p = period;
  while (closed.includes(p)) p = nextPeriodId(p);
  return p;
}

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
}

/**
 * Apply one order event (from a webhook or a manual change): merge the revision, decide the credit,
 * price it with the plan in force at approval, and store the order with the ledger's difference in
 * one transaction. At-least-once, out-of-order delivery ends in the state of the newest revision,
 * with each ledger effect exactly once.
 */
/** `settings`: the business's settings when the caller has read them already (the intake), else read here. */
export async function applyOrderEvent(deps: Deps, tenantId: string, sourceId: string, event: OrderEvent, settings?: Settings): Promise<ApplyOutcome> {
  const orderId = orderIdFor(sourceId, event.externalId);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    try {
      return await applyOnce(deps, tenantId, sourceId, orderId, event, settings);
    } catch (error) {
      // an order whose commission under the plan in force is past the largest amount kept (only a
      // plan's fixed per-unit amounts times huge quantities get there): 422, not a 500 that an
      // order system would retry forever; nothing is stored
      if (error instanceof AmountOutOfRange) {
        throw ruleViolation('The commission of this order under the plan in force is past the largest amount kept (9,007 tỷ đồng); check the plan’s fixed per-unit amounts', 'lines');
      }
      if (!(error instanceof ConcurrentOrderChange)) throw error;
      // a short random pause, growing with each attempt, so a burst of writers to the same order
      // or the same counters does not collide again in lockstep
      const jitter = deps.random(1)[0]! / 255;
      await new Promise((resolve) => setTimeout(resolve, Math.round((attempt + 1) * 20 * (0.5 + jitter))));
    }
  }
  throw conflict('The order is being changed by other deliveries right now; retry shortly');
}

/**
 * Apply one change an order system delivered: a whole order as it is; a deletion or a refund made
 * into the next revision of the stored order (domain/orders/adapters/change.ts). Null when it
 * changes nothing (a deletion of an order we never had, a refund the order already includes).
 */
export async function applyDeliveredChange(deps: Deps, tenantId: string, sourceId: string, change: DeliveredChange, settings?: Settings): Promise<ApplyOutcome | null> {
  if (change.type === 'order') return applyOrderEvent(deps, tenantId, sourceId, change.event, settings);
  const stored = await getOrder(deps.store, tenantId, orderIdFor(sourceId, change.externalId));
  const event = eventOfChange(stored?.record ?? null, change);
  return event ? applyOrderEvent(deps, tenantId, sourceId, event, settings) : null;
}

async function applyOnce(deps: Deps, tenantId: string, sourceId: string, orderId: string, event: OrderEvent, given?: Settings): Promise<ApplyOutcome> {
  const nowIso = deps.now().toISOString();
  // No check of the closed list's version in the transaction: every order change of a business
  // would then hold that one item, and DynamoDB cancels concurrent transactions on a shared item
  // (TransactionConflict), so a sale day's orders would queue behind each other. The close fences
  // by time instead (FREEZE_SETTLE_SECONDS > this function's timeout): see README, "Period close".
  const [stored, settings, plans, closedPeriodIds] = await Promise.all([
    getOrder(deps.store, tenantId, orderId),
    given ?? getSettings(deps.store, tenantId),
    allPlanVersions(deps.store, tenantId),
    getClosedPeriods(deps.store, tenantId),
  ]);
  const merged = applyRevision(stored?.record ?? null, event, sourceId, nowIso);
  if (!merged.changed && stored) return { orderId, revision: stored.record.revision, applied: false, order: stored };
  const record = merged.order;
  const tz = calendarOf(settings);

  const credit = await creditOf(deps, tenantId, orderId, record, stored?.attribution ?? null, plans, tz);
  const revenue = netRevenueOf(record);
  const priced = priceOrderAt(toPricedOrder(orderId, record, credit.attribution, revenue), plans, { timeZone: tz });
  const existing = stored ? await getOrderLedger(deps.store, tenantId, orderId) : [];
  const entries = record.approvedAt
    ? diffLedger(existing, priced.lines, {
        recordedAt: nowIso,
        periodId: periodIdAt(Date.parse(record.approvedAt), STATEMENT_CYCLE, tz),
        openPeriodId: openPeriodAfter(periodIdAt(Date.parse(nowIso), STATEMENT_CYCLE, tz), closedPeriodIds),
        closedPeriodIds,
        source: { type: 'order', orderId, revision: record.revision },
        // the delivery before this change: whether what a change to a closed month reverses was payable
        delivery: { completedAt: stored?.record.completedAt ?? stored?.record.returnedAt ?? null, holdingDays: settings.holdingDays },
      })
    : [];

  const order: StoredOrder = {
    id: orderId,
    tenantId,
    record,
    attribution: credit.attribution,
    revenue,
    plan: priced.plan ? { planId: priced.plan.planId, version: priced.plan.version } : (stored?.plan ?? null),
    applies: (stored?.applies ?? 0) + (entries.length ? 1 : 0),
    ...returnsOf(stored, record),
    version: (stored?.version ?? 0) + 1,
    updatedAt: nowIso,
  };
  const change: OrderChange = {
    order,
    createdMonth: periodIdAt(Date.parse(record.createdAt), STATEMENT_CYCLE, tz),
    entries,
    extraItems: [
      ...(await orderSideEffects(deps, tenantId, stored, order, tz)),
      // the nightly run recomputes the CTVs whose volume or ledger this change moved
      ...changeMarkerItems(
        deps.store,
        tenantId,
        [stored?.attribution?.collaboratorId, order.attribution?.collaboratorId, ...collaboratorsIn(entries)],
        nowIso,
      ),
    ],
    ...(credit.binding ? { binding: credit.binding } : {}),
  };
  await saveOrderChange(deps.store, change);
  return { orderId, revision: record.revision, applied: merged.applied, order };
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
  tenantId: string,
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
  const stored = customerPhone ? await getBinding(deps.store, tenantId, customerPhone) : null;
  let attribution = previous;

  if (!attribution?.frozen) {
    const at = record.approvedAt ?? record.occurredAt;
    const active = stored && isBindingActive(stored, at) ? stored : null;
    const bound = active ? await getCollaborator(deps.store, tenantId, active.collaboratorId) : null;
    const decision = decideAttribution({
      binding: active && bound ? { collaboratorId: bound.id, status: bound.status, endsAt: active.endsAt, phone: bound.phone } : null,
      planAttribution: plan?.repurchase?.attribution ?? 'binding',
      candidates: await resolveHints(deps, tenantId, record),
      // the self-order check; a CTV's phone is Vietnamese, so no phone or a foreign one is never theirs
      customerPhone: record.customer.phone ?? '',
      at,
    });
    const ctv = decision.collaboratorId ? await getCollaborator(deps.store, tenantId, decision.collaboratorId) : null;
    const frozen = accrues(record);
    attribution = {
      ...decision,
      frozen,
      collaboratorLevel: ctv?.level ?? 1,
      isRepurchase:
        frozen && record.approvedAt !== null
          ? isRepurchase(active, { orderId, collaboratorId: decision.collaboratorId, approvedAt: record.approvedAt })
          : false,
      careStaffUserId: ctv?.careStaffUserId ?? null,
      managerUserId: ctv?.managerUserId ?? null,
    };
    // a repurchase under a cap takes its place in the binding now, once
    if (attribution.isRepurchase && stored && stored.maxRepurchases !== null) {
      const counted = recordRepurchase(stored, orderId);
      if (counted !== stored) return { attribution, binding: { value: { ...counted, version: stored.version + 1 }, replaces: stored.version } };
    }
  }

  // the first completed, credited order binds its customer (a self-order binds nobody)
  const bindingOrder = {
    orderId,
    customerPhone,
    collaboratorId: attribution.selfOrder ? null : attribution.collaboratorId,
    completedAt: record.completedAt,
  };
  if (accrues(record) && !(stored && stored.orderId === orderId) && shouldBind(stored, bindingOrder)) {
    const terms = { bindingDays: plan?.repurchase?.bindingDays, maxRepurchases: plan?.repurchase?.maxRepurchases ?? null };
    const value = { ...createBinding(bindingOrder, terms), version: (stored?.version ?? 0) + 1 };
    return { attribution, binding: { value, replaces: stored?.version ?? 0 } };
  }
  return { attribution };
}

/**
 * The CTV each hint names. A coupon code is a CTV's REF ID (each CTV's own code); an opportunity
 * names the CTV who filed it.
 */
async function resolveHints(deps: Deps, tenantId: string, record: OrderRecord) {
  const hints = record.attributionHints;
  const byId = async (id: string | null | undefined): Promise<ResolvedHint> => {
    if (!id) return null;
    const ctv = ULID_PATTERN.test(id) ? await getCollaborator(deps.store, tenantId, id) : null;
    return ctv ? { id: ctv.id, status: ctv.status, phone: ctv.phone } : 'unknown';
  };
  const byRefId = async (code: string | null | undefined): Promise<ResolvedHint> => {
    if (!code) return null;
    const id = await getCollaboratorIdByRefId(deps.store, tenantId, normalizeRefId(code));
    return id ? byId(id) : 'unknown';
  };
  const [collaboratorId, refId, couponCode, opportunityId] = await Promise.all([
    byId(hints.collaboratorId),
    byRefId(hints.refId),
    byRefId(hints.couponCode),
    resolveOpportunity(deps, tenantId, hints.opportunityId, byId),
  ]);
  return { collaboratorId, refId, couponCode, opportunityId };
}

async function resolveOpportunity(
  deps: Deps,
  tenantId: string,
  opportunityId: string | null | undefined,
  byId: (id: string) => Promise<ResolvedHint>,
): Promise<ResolvedHint> {
  if (!opportunityId) return null;
  const opportunity = ULID_PATTERN.test(opportunityId) ? await getOpportunity(deps.store, tenantId, opportunityId) : null;
  return opportunity ? byId(opportunity.collaboratorId) : 'unknown';
}

