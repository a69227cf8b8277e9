import { canSeeCollaborator, canSeeOrder } from '../../domain/access';
import type { Membership } from '../../domain/entities/roster';
import { notFound } from '../../domain/errors';
import type { Deps } from '../deps';
import { getCollaborator } from '../store/collaborators';
import { getOrder, type StoredOrder } from '../store/orders';

/** An order the caller may see, or the same 404 as for an order that does not exist. */
export async function visibleOrder(deps: Deps, tenantId: string, orderId: string, membership: Membership): Promise<StoredOrder> {
  const order = /^O[0-9A-F]{31}$/.test(orderId) ? await getOrder(deps.store, tenantId, orderId) : null;
  if (!order) throw notFound('Order');
  const a = order.attribution;
  let ctvUserId: string | null = null;
  if (membership.roles.includes('collaborator') && a?.collaboratorId) {
    ctvUserId = (await getCollaborator(deps.store, tenantId, a.collaboratorId))?.userId ?? null;
  }
  const who = { careStaffUserId: a?.careStaffUserId ?? null, managerUserId: a?.managerUserId ?? null, sellerId: order.record.sellerId };
  if (!canSeeOrder(membership, who, ctvUserId)) throw notFound('Order');
  return order;
}

/** A CTV the caller may see (owner, their manager or care staff, themselves), or 404. */
export async function visibleCollaborator(deps: Deps, tenantId: string, collaboratorId: string, membership: Membership) {
  const ctv = await getCollaborator(deps.store, tenantId, collaboratorId);
  if (!ctv || !canSeeCollaborator(membership, ctv)) throw notFound('Collaborator');
  return ctv;
}
