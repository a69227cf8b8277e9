import type { Collaborator } from './entities/collaborator';
import type { Membership } from './entities/roster';
import { maskAccountNumber } from './privacy';

/**
 * Who sees which CTV (DOMAIN.md, Who uses it): the owner sees all; a manager sees the CTVs of the
 * care staff on their team; care staff see the CTVs assigned to them; a CTV sees only themselves.
 * A member may hold several roles; any role that grants sight is enough.
 */
export function canSeeCollaborator(
  membership: Membership,
  ctv: Pick<Collaborator, 'careStaffUserId' | 'managerUserId' | 'userId'>,
): boolean {
  const { roles, userId } = membership;
  if (roles.includes('owner')) return true;
  if (roles.includes('manager') && ctv.managerUserId === userId) return true;
  if (roles.includes('care_staff') && ctv.careStaffUserId === userId) return true;
  if (roles.includes('collaborator') && ctv.userId === userId) return true;
  return false;
}

/**
 * The narrowing of a CTV list for a member: nothing for the owner, the manager's team for a
 * manager, their own CTVs for care staff.
 */
export function collaboratorScope(membership: Membership): { managerUserId?: string; careStaffUserId?: string } {
  const { roles, userId } = membership;
  if (roles.includes('owner')) return {};
  if (roles.includes('manager')) return { managerUserId: userId };
  return { careStaffUserId: userId };
}

/**
 * Who sees an order: the owner; the manager and care staff of the credited CTV (as they were when
 * the order was credited); the credited CTV; the seller who worked on it.
 */
export function canSeeOrder(
  membership: Membership,
  order: { careStaffUserId: string | null; managerUserId: string | null; sellerId: string | null },
  creditedCollaboratorUserId: string | null,
): boolean {
  const { roles, userId } = membership;
  if (roles.includes('owner')) return true;
  if (roles.includes('manager') && order.managerUserId === userId) return true;
  if (roles.includes('care_staff') && order.careStaffUserId === userId) return true;
  if (roles.includes('seller') && order.sellerId === userId) return true;
  if (roles.includes('collaborator') && creditedCollaboratorUserId === userId) return true;
  return false;
}

/**
 * A CTV's record as a member sees it: whole to the owner and to the CTV themself; to care staff
 * and managers, the bank account number masked to its last 4 digits (they need to recognise the
 * account, not to pay into it: payouts are the owner's).
 */
export function collaboratorSeenBy<T extends { userId?: string; bank?: { accountNumber: string } }>(membership: Membership, ctv: T): T {
  if (!ctv.bank || membership.roles.includes('owner') || (ctv.userId !== undefined && ctv.userId === membership.userId)) return ctv;
  return { ...ctv, bank: { ...ctv.bank, accountNumber: maskAccountNumber(ctv.bank.accountNumber) } };
}
