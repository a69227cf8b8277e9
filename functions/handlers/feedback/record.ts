import { forbidden } from '../../../domain/errors';
import { implement, json, toLambda } from '../../http/operation';
import { feedbackRoutes } from '../../routes/feedback';
import { getCollaborator } from '../../store/collaborators';
import { visibleOrder } from '../../services/visibility';
import { alreadyRated, assertRateable, rateOrder } from './rate';

/**
 * The customer's rating recorded by the credited CTV, the order's care staff or manager, or the
 * owner (a seller who only worked on the order may see it but not rate it).
 */
export const operation = implement(feedbackRoutes.record, async ({ deps, tenantId, params, body, membership }) => {
  const m = membership!;
  const order = await visibleOrder(deps, tenantId, params.orderId ?? '', m);
  const a = order.attribution;
  let channel: 'staff' | 'collaborator' | null = null;
  if (m.roles.includes('owner') || (m.roles.includes('manager') && a?.managerUserId === m.userId) || (m.roles.includes('care_staff') && a?.careStaffUserId === m.userId)) {
    channel = 'staff';
  } else if (m.roles.includes('collaborator') && a?.collaboratorId) {
    const ctv = await getCollaborator(deps.store, tenantId, a.collaboratorId);
    if (ctv?.userId === m.userId) channel = 'collaborator';
  }
  if (!channel) throw forbidden('Only the credited CTV, the care staff or manager of the order, or the owner record its rating');
  assertRateable(order);
  const { outcome, feedback } = await rateOrder(deps, order, body, { recordedBy: m.userId, channel });
  if (outcome !== 'recorded') throw alreadyRated();
  return json(201, feedback, { location: `/v1/tenants/${tenantId}/orders/${order.id}/feedback` });
});

export const handler = toLambda(operation);
