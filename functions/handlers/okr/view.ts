import { ULID_PATTERN } from '../../../domain/ids';
import type { Membership } from '../../../domain/entities/roster';
import { notFound } from '../../../domain/errors';
import { okrScore } from '../../../domain/okr/okr';
import type { Deps } from '../../deps';
import { getObjective, type StoredObjective } from '../../store/okr';

/** An objective as clients see it: each key result's progress and the objective's score. */
export function objectiveView(o: StoredObjective) {
  const scored = okrScore([o]).objectives[0]!;
  return { ...o, keyResults: scored.keyResults, scoreBp: scored.scoreBp };
}

/** The owner sees every manager's objectives; a manager only their own. */
export const canSeeObjectivesOf = (membership: Membership, managerUserId: string) =>
  membership.roles.includes('owner') || (membership.roles.includes('manager') && membership.userId === managerUserId);

/** An objective the caller may see, or the same 404 as one that does not exist. */
export async function visibleObjective(deps: Deps, tenantId: string, objectiveId: string, membership: Membership): Promise<StoredObjective> {
  const o = ULID_PATTERN.test(objectiveId) ? await getObjective(deps.store, tenantId, objectiveId) : null;
  if (!o || !canSeeObjectivesOf(membership, o.managerUserId)) throw notFound('Objective');
  return o;
}
