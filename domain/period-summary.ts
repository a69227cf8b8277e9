import type { Membership } from './entities/roster';

/** The close's business-wide summary of a month: every team's statements, counted and summed. */
const OWNER_ONLY: readonly string[] = ['statements', 'total', 'byKind'];

/**
 * A month's record as a member sees it: the close's business-wide summary is the owner's; managers
 * and care staff see the month, its state and dates (their team's numbers are in the statements,
 * snapshots and reports they may read). The summary's fields are optional in the answer.
 */
export function periodSeenBy<T extends object>(membership: Membership, record: T): T {
  if (membership.roles.includes('owner')) return record;
  return Object.fromEntries(Object.entries(record).filter(([k]) => !OWNER_ONLY.includes(k))) as T;
}
