import type { Membership } from '../../domain/entities/roster';
import { forbidden, notFound, preconditionFailed, ruleViolation } from '../../domain/errors';
import { ULID_PATTERN } from '../../domain/ids';
import { canSeeObjectivesOf, objectiveListScope } from '../../domain/okr/access';
import { objectiveFromInput, type CreateObjectiveInput } from '../../domain/okr/okr';
import type { Deps } from '../deps';
import { getRosterEntry } from '../store/members';
import { createObjective, getObjective, listObjectives, saveObjective, type StoredObjective } from '../store/okr';
import type { Page, PageRequest } from '../store/paging';

/** A manager's objectives for a period: the owner sets any manager's, a manager may set their own. */

/** An objective the caller may see, or the same 404 as one that does not exist. */
export async function visibleObjective(
  deps: Deps,
  tenantId: string,
  objectiveId: string,
  membership: Membership,
): Promise<StoredObjective> {
  const o = ULID_PATTERN.test(objectiveId) ? await getObjective(deps.store, tenantId, objectiveId) : null;
  if (!o || !canSeeObjectivesOf(membership, o.managerUserId)) throw notFound('Objective');
  return o;
}

/** A new objective of a manager on the roster; its key results are numbered 1, 2, … */
export async function createObjectiveAs(
  deps: Deps,
  tenantId: string,
  membership: Membership,
  input: CreateObjectiveInput,
  actor: string,
): Promise<StoredObjective> {
  if (!canSeeObjectivesOf(membership, input.managerUserId)) throw forbidden('A manager sets only their own objectives');
  if (!(await getRosterEntry(deps.store, tenantId, 'manager', input.managerUserId))) {
    throw ruleViolation('This account is not on the manager roster', 'managerUserId');
  }
  const now = deps.now().toISOString();
  const objective = objectiveFromInput(input);
  const stored: StoredObjective = {
    id: deps.newId(),
    tenantId,
    managerUserId: input.managerUserId,
    period: input.period,
    title: objective.title,
    weightBp: objective.weightBp,
    keyResults: objective.keyResults.map((kr, i) => ({ ...kr, id: String(i + 1) })),
    version: 1,
    createdAt: now,
    createdBy: actor,
    updatedAt: now,
    updatedBy: actor,
  };
  await createObjective(deps.store, stored);
  return stored;
}

/** A period's objectives: the owner's view of every manager (or one); a manager sees their own. */
export async function objectivesOf(
  deps: Deps,
  tenantId: string,
  membership: Membership,
  query: PageRequest & { period: string; managerUserId?: string | undefined },
): Promise<Page<StoredObjective>> {
  const scope = objectiveListScope(membership, query.managerUserId);
  if (!scope) return { items: [], nextCursor: null };
  return listObjectives(deps.store, tenantId, query.period, scope.managerUserId, { limit: query.limit, cursor: query.cursor });
}

/** Record a key result's current value over the objective's version read (else 412). */
export async function updateKeyResult(
  deps: Deps,
  tenantId: string,
  membership: Membership,
  target: { objectiveId: string; keyResultId: string; expectedVersion: number },
  current: number,
  actor: string,
): Promise<StoredObjective> {
  const o = await visibleObjective(deps, tenantId, target.objectiveId, membership);
  const index = o.keyResults.findIndex((kr) => kr.id === target.keyResultId);
  if (index < 0) throw notFound('Key result');
  if (o.version !== target.expectedVersion) throw preconditionFailed();
  const now = deps.now().toISOString();
  const next: StoredObjective = {
    ...o,
    keyResults: o.keyResults.map((kr, i) => (i === index ? { ...kr, current, updatedAt: now, updatedBy: actor } : kr)),
    version: o.version + 1,
    updatedAt: now,
    updatedBy: actor,
  };
  await saveObjective(deps.store, next);
  return next;
}
