import { canSeeCollaborator, collaboratorScope } from '../../../domain/access';
import { planInForce } from '../../../domain/commission/plan';
import type { Collaborator } from '../../../domain/entities/collaborator';
import type { Membership } from '../../../domain/entities/roster';
import { calendarOf } from '../../../domain/entities/tenant';
import { conflict, DomainError, forbidden } from '../../../domain/errors';
import { decideAttribution } from '../../../domain/orders/attribution';
import { isBindingActive } from '../../../domain/orders/binding';
import { vnPhoneOf } from '../../../domain/phone';
import type { Deps } from '../../deps';
import { parseOrderEvent } from '../../../domain/orders/event';
import { MANUAL_SOURCE } from '../../../domain/orders/manual';
import { implement, json, toLambda } from '../../http/operation';
import { orderRoutes } from '../../routes/orders';
import { applyOrderEvent } from '../../services/orders';
import { getCollaborator } from '../../store/collaborators';
import { getBinding, getOrderLedger } from '../../store/orders';
import { allPlanVersions } from '../../store/plans';
import { getSettings } from '../../store/tenants';
import { visibleCollaborator } from '../../services/visibility';
import { orderView } from '../../services/order-views';

export const operation = implement(orderRoutes.create, async ({ deps, tenantId, body, membership }) => {
  // care staff and managers enter orders for the CTVs they look after (a manager: their team's), named
  // explicitly, so an order they enter never credits, nor binds a customer to, a CTV outside their care
  const scope = collaboratorScope(membership!);
  if (scope.careStaffUserId || scope.managerUserId) {
    const who = scope.careStaffUserId ? 'Care staff' : 'A manager';
    const named = body.attribution?.collaboratorId;
    if (!named) throw forbidden(`${who} name the collaborator (attribution.collaboratorId) of an order they enter`);
    const ctv = await visibleCollaborator(deps, tenantId, named, membership!).catch(() => {
      throw forbidden(`${who} enter orders only for the collaborators in their care`);
    });
    if (await boundOutsideCare(deps, tenantId, body.customer.phone, ctv, membership!)) {
      // the binding would credit a CTV outside their care (and show it to them): the owner enters such an order
      throw new DomainError('forbidden', 'This customer is bound to a collaborator outside your care; the owner enters this order', [
        { path: 'customer.phone', message: 'bound to a collaborator outside your care' },
      ]);
    }
  }
  const now = deps.now().toISOString();
  const event = parseOrderEvent({ ...body, externalId: body.externalId ?? deps.newId(), revision: 1, occurredAt: now });
  const outcome = await applyOrderEvent(deps, tenantId, MANUAL_SOURCE, event);
  if (!outcome.applied) throw conflict('An order with this externalId was already entered', 'externalId');
  const settings = await getSettings(deps.store, tenantId);
  const ledger = await getOrderLedger(deps.store, tenantId, outcome.orderId);
  return json(201, orderView(outcome.order, ledger, settings.holdingDays, now), {
    location: `/v1/tenants/${tenantId}/orders/${outcome.orderId}`,
  });
});

export const handler = toLambda(operation);

/**
 * Whether the customer's binding would take this order from the CTV it names to one outside the
 * caller's care (DOMAIN.md, Repurchase: the binding wins unless the plan says last-touch), as the
 * order service would decide it now (`decideAttribution`, the same rules).
 */
async function boundOutsideCare(deps: Deps, tenantId: string, phone: string | null | undefined, named: Collaborator, membership: Membership): Promise<boolean> {
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
