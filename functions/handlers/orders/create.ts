import { collaboratorScope } from '../../../domain/access';
import { conflict, forbidden } from '../../../domain/errors';
import { parseOrderEvent } from '../../../domain/orders/event';
import { MANUAL_SOURCE } from '../../../domain/orders/manual';
import { implement, json, toLambda } from '../../http/operation';
import { orderRoutes } from '../../routes/orders';
import { applyOrderEvent } from '../../services/orders';
import { getOrderLedger } from '../../store/orders';
import { getSettings } from '../../store/tenants';
import { visibleCollaborator } from './access';
import { orderView } from './view';

export const operation = implement(orderRoutes.create, async ({ deps, tenantId, body, membership }) => {
  // care staff enter orders for their own CTVs, named explicitly
  if (collaboratorScope(membership!).careStaffUserId) {
    const named = body.attribution?.collaboratorId;
    if (!named) throw forbidden('Care staff name the collaborator (attribution.collaboratorId) of an order they enter');
    await visibleCollaborator(deps, tenantId, named, membership!).catch(() => {
      throw forbidden('Care staff enter orders only for their own collaborators');
    });
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
