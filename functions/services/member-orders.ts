import { canSeeCollaborator, collaboratorScope } from '../../domain/access';
import { planInForce } from '../../domain/commission/plan';
import type { Collaborator } from '../../domain/entities/collaborator';
import type { Membership } from '../../domain/entities/roster';
import { calendarOf } from '../../domain/entities/tenant';
import { conflict, DomainError, forbidden, invalid, preconditionFailed, ruleViolation } from '../../domain/errors';
import { decideAttribution } from '../../domain/orders/attribution';
import { isBindingActive } from '../../domain/orders/binding';
import { parseOrderEvent, type OrderState } from '../../domain/orders/event';
import { checkOrderRange, orderListMonths } from '../../domain/orders/listing';
import { MANUAL_SOURCE, type CreateManualOrderInput } from '../../domain/orders/manual';
import { manualRevision, type ManualOrderChange } from '../../domain/orders/order';
import { addDays, localDay, startOfLocalDay } from '../../domain/period';
import { vnPhoneOf } from '../../domain/phone';
import type { Deps } from '../deps';
import { getCollaborator } from '../store/collaborators';
import { getBinding, getOrderLedger, listOrders, type StoredOrder } from '../store/orders';
import type { PageRequest } from '../store/paging';
import { allPlanVersions } from '../store/plans';
import { getSettings } from '../store/tenants';
import { orderView } from './order-views';
import { applyOrderEvent, orderIdFor } from './orders';
import { visibleCollaborator, visibleOrder } from './visibility';

/**
 * Orders as the business's members enter, change and read them (the order systems' own come
 * through the webhook intake). Every order a member reads is one they may see (services/visibility.ts).
 */

/** An order with its commission lines as clients see them (API.md), as of now. */
async function viewWithLedger(deps: Deps, tenantId: string, order: StoredOrder, asOf: string) {
  const [ledger, settings] = await Promise.all([getOrderLedger(deps.store, tenantId, order.id), getSettings(deps.store, tenantId)]);
  return orderView(order, ledger, settings.holdingDays, asOf);
}

/** An order the caller may see, with its commission lines (and its version, for the ETag). */
export async function orderDetail(deps: Deps, tenantId: string, orderId: string, membership: Membership) {
  const order = await visibleOrder(deps, tenantId, orderId, membership);
  return { version: order.version, view: await viewWithLedger(deps, tenantId, order, deps.now().toISOString()) };
}

/**
 * An order entered by hand. Care staff and managers enter orders for the CTVs they look after (a
 * manager: their team's), named explicitly, so an order they enter never credits, nor binds a
 * customer to, a CTV outside their care. An externalId entered before is a 409.
 */
export async function enterOrder(deps: Deps, tenantId: string, membership: Membership, input: CreateManualOrderInput) {
  const scope = collaboratorScope(membership);
  if (scope.careStaffUserId || scope.managerUserId) {
    const who = scope.careStaffUserId ? 'Care staff' : 'A manager';
    const named = input.attribution?.collaboratorId;
    if (!named) throw forbidden(`${who} name the collaborator (attribution.collaboratorId) of an order they enter`);
    const ctv = await visibleCollaborator(deps, tenantId, named, membership).catch(() => {
      throw forbidden(`${who} enter orders only for the collaborators in their care`);
    });
    if (await boundOutsideCare(deps, tenantId, input.customer.phone, ctv, membership)) {
      // the binding would credit a CTV outside their care (and show it to them): the owner enters such an order
      throw new DomainError('forbidden', 'This customer is bound to a collaborator outside your care; the owner enters this order', [
        { path: 'customer.phone', message: 'bound to a collaborator outside your care' },
      ]);
    }
  }
  const now = deps.now().toISOString();
  const event = parseOrderEvent({ ...input, externalId: input.externalId ?? deps.newId(), revision: 1, occurredAt: now });
  const outcome = await applyOrderEvent(deps, tenantId, MANUAL_SOURCE, event);
  if (!outcome.applied) throw conflict('An order with this externalId was already entered', 'externalId');
  return { id: outcome.orderId, view: await viewWithLedger(deps, tenantId, outcome.order, now) };
}

/**
 * Whether the customer's binding would take this order from the CTV it names to one outside the
 * caller's care (DOMAIN.md, Repurchase: the binding wins unless the plan says last-touch), as the
 * order service would decide it now (`decideAttribution`, the same rules).
 */
async function boundOutsideCare(
  deps: Deps,
  tenantId: string,
  phone: string | null | undefined,
  named: Collaborator,
  membership: Membership,
): Promise<boolean> {
  const customerPhone = vnPhoneOf(phone);
  if (!customerPhone) return false;
  const binding = await getBinding(deps.store, tenantId, customerPhone);
  const now = deps.now().toISOString();
  if (!binding || binding.collaboratorId === named.id || !isBindingActive(binding, now)) return false;
  const [bound, plans, settings] = await Promise.all([
    getCollaborator(deps.store, tenantId, binding.collaboratorId),
    allPlanVersions(deps.store, tenantId),
    getSettings(deps.store, tenantId),
  ]);
  if (!bound || canSeeCollaborator(membership, bound)) return false;
  const decision = decideAttribution({
    binding: { collaboratorId: bound.id, status: bound.status, endsAt: binding.endsAt, phone: bound.phone },
    planAttribution: planInForce(plans, now, calendarOf(settings))?.repurchase?.attribution ?? 'binding',
    candidates: { collaboratorId: { id: named.id, status: named.status, phone: named.phone } },
    customerPhone: phone ?? '',
    at: now,
  });
  return decision.overriddenHint !== undefined;
}

/**
 * A state change of an order entered by hand, as its next revision. `ifMatch` (the version the
 * caller read, as sent; optional here) must be the order's. An order system's own orders change
 * through its webhooks: our revision would collide with its next one (422).
 */
export async function changeOrderState(
  deps: Deps,
  tenantId: string,
  orderId: string,
  membership: Membership,
  change: ManualOrderChange,
  ifMatch: string | undefined,
) {
  const order = await visibleOrder(deps, tenantId, orderId, membership);
  if (order.record.sourceId !== MANUAL_SOURCE) {
    throw ruleViolation('This order comes from an order system; change it there', 'orderId');
  }
  if (ifMatch !== undefined && ifMatch !== String(order.version)) throw preconditionFailed();
  const now = deps.now().toISOString();
  const outcome = await applyOrderEvent(deps, tenantId, MANUAL_SOURCE, manualRevision(order.record, change, now));
  // two changes made from the same revision: the second one finds its revision taken, a stale version (412)
  if (!outcome.applied) throw preconditionFailed('The order changed meanwhile; read it again');
  return { version: outcome.order.version, view: await viewWithLedger(deps, tenantId, outcome.order, now) };
}

export interface OrderListRequest extends PageRequest {
  /** first and last local day of creation (default: the 30 days to today) */
  from?: string | undefined;
  to?: string | undefined;
  collaboratorId?: string | undefined;
  careStaffUserId?: string | undefined;
  state?: OrderState | undefined;
  /** together: the one order an order system knows by this id (the other filters do not apply) */
  sourceId?: string | undefined;
  externalId?: string | undefined;
}

/** One page of the orders a member may see (their scope narrows the filter), without their commission lines. */
export async function ordersFor(deps: Deps, tenantId: string, membership: Membership, query: OrderListRequest) {
  const settings = await getSettings(deps.store, tenantId);
  const { holdingDays, timeZone } = settings;
  const now = deps.now();
  const asOf = now.toISOString();
  if (query.sourceId !== undefined || query.externalId !== undefined) {
    if (query.sourceId === undefined || query.externalId === undefined) {
      const missing = query.sourceId === undefined ? 'sourceId' : 'externalId';
      throw invalid([{ path: missing, message: 'sourceId and externalId go together' }]);
    }
    // the order's id is derived from the pair: one read, and the same visibility as reading it by id
    const found = await visibleOrder(deps, tenantId, orderIdFor(query.sourceId, query.externalId), membership).catch((error: unknown) => {
      if (error instanceof DomainError && error.kind === 'not_found') return null;
      throw error;
    });
    return { items: found ? [orderView(found, [], holdingDays, asOf)] : [], nextCursor: null };
  }
  const to = query.to ?? localDay(now.getTime(), timeZone);
  const from = query.from ?? addDays(to, -30);
  checkOrderRange(from, to);
  const months = orderListMonths(from, to, calendarOf(settings));
  const scope = collaboratorScope(membership);
  const filter = {
    collaboratorId: query.collaboratorId,
    careStaffUserId: scope.careStaffUserId ?? query.careStaffUserId,
    managerUserId: scope.managerUserId,
    state: query.state,
    from: new Date(startOfLocalDay(from, timeZone)).toISOString(),
    to: new Date(startOfLocalDay(addDays(to, 1), timeZone) - 1).toISOString(),
  };
  const page = await listOrders(deps.store, tenantId, filter, months, { limit: query.limit, cursor: query.cursor });
  return { items: page.items.map((o) => orderView(o, [], holdingDays, asOf)), nextCursor: page.nextCursor };
}
