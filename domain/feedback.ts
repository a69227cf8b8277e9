import type { Membership } from './entities/roster';
import { ruleViolation } from './errors';
import type { OrderRecord } from './orders/order';
import { accrues } from './orders/pricing';

/** Only a confirmed order (approved, completed or returned) can be rated: a processing or void order was not bought (422). */
export function assertRateable(order: Pick<OrderRecord, 'state'>): void {
  if (!accrues(order)) throw ruleViolation(`A ${order.state} order cannot be rated; only confirmed orders can`, 'orderId');
}

/**
 * Whether a member records a customer's rating of an order as its staff: the owner, or the
 * manager or care staff the order was credited under. (The credited CTV records it too, as the
 * collaborator; a seller who only worked on the order may see it but not rate it.)
 */
export function isOrderStaff(
  membership: Membership,
  attribution: { managerUserId: string | null; careStaffUserId: string | null } | null,
): boolean {
  const { roles, userId } = membership;
  return (
    roles.includes('owner') ||
    (roles.includes('manager') && attribution?.managerUserId === userId) ||
    (roles.includes('care_staff') && attribution?.careStaffUserId === userId)
  );
}
