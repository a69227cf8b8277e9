import type { Membership } from '../entities/roster';

/** Whose KPI results a member sees: every care staff (owner), a manager's team, or themselves. */
export type StaffScope = { kind: 'all' } | { kind: 'team'; managerUserId: string } | { kind: 'self'; userId: string };

/** The care staff a member may see results of: everyone for the owner, the team for a manager, else themselves. */
export function staffScopeOf(membership: Membership): StaffScope {
  if (membership.roles.includes('owner')) return { kind: 'all' };
  if (membership.roles.includes('manager')) return { kind: 'team', managerUserId: membership.userId };
  return { kind: 'self', userId: membership.userId };
}

/**
 * Which managers a results query answers for: the owner any (`one` when they name one, else all),
 * a manager only themself (`visible` false when they name another).
 */
export function managerQueryOf(membership: Membership, requested: string | undefined): { one: string | undefined; visible: boolean } {
  const isOwner = membership.roles.includes('owner');
  return { one: isOwner ? requested : membership.userId, visible: isOwner || requested === undefined || requested === membership.userId };
}
