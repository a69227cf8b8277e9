import type { RosterEntry, RosterRole } from '../../domain/entities/roster';
import { ruleViolation } from '../../domain/errors';
import type { Deps } from '../deps';
import { addRosterEntry, getRosterEntry } from '../store/members';
import type { TransactItem } from '../store/transactions';

/** A manager named for care staff must be on the manager roster (else 422 naming `managerUserId`). */
export async function assertOnManagerRoster(deps: Deps, tenantId: string, managerUserId: string): Promise<void> {
  if (!(await getRosterEntry(deps.store, tenantId, 'manager', managerUserId))) {
    throw ruleViolation('managerUserId is not on the manager roster', 'managerUserId');
  }
}

/**
 * Put an account on a roster (managers, care staff, sellers). Care staff may name their manager,
 * who must be on the manager roster (422 naming `managerUserId`). `also`: a write that must happen
 * with the entry, in its transaction (see addRosterEntry).
 */
export async function addToRoster(
  deps: Deps,
  tenantId: string,
  role: RosterRole,
  input: { userId: string; name: string; email?: string | undefined; managerUserId?: string | undefined },
  actor: string,
  also?: { write: TransactItem; refused: () => Error },
): Promise<RosterEntry> {
  const { managerUserId } = input;
  if (managerUserId) await assertOnManagerRoster(deps, tenantId, managerUserId);
  const entry: RosterEntry = {
    tenantId,
    role,
    userId: input.userId,
    name: input.name,
    ...(input.email ? { email: input.email } : {}),
    ...(managerUserId ? { managerUserId } : {}),
    addedAt: deps.now().toISOString(),
    addedBy: actor,
  };
  await addRosterEntry(deps.store, entry, also);
  return entry;
}
