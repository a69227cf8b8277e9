import type { Membership } from '../entities/roster';

/** The owner sees (and sets) every manager's objectives; a manager only their own. */
export const canSeeObjectivesOf = (membership: Membership, managerUserId: string): boolean =>
  membership.roles.includes('owner') || (membership.roles.includes('manager') && membership.userId === managerUserId);

/**
 * Whose objectives a list answers with: the owner's choice (`requested`, or every manager's when
 * undefined); for anyone else their own, and null (nothing to list) when they ask for another's.
 */
export function objectiveListScope(membership: Membership, requested: string | undefined): { managerUserId: string | undefined } | null {
  if (membership.roles.includes('owner')) return { managerUserId: requested };
  if (requested !== undefined && requested !== membership.userId) return null;
  return { managerUserId: membership.userId };
}
