import { forbidden, ruleViolation } from '../../../domain/errors';
import { objectiveFromInput } from '../../../domain/okr/okr';
import { implement, json, toLambda } from '../../http/operation';
import { okrRoutes } from '../../routes/okr';
import { getRosterEntry } from '../../store/members';
import { createObjective, type StoredObjective } from '../../store/okr';
import { canSeeObjectivesOf, objectiveView } from './view';

/** The owner sets any manager's objectives; a manager may set their own. Key results are numbered 1, 2, … in the objective. */
export const operation = implement(okrRoutes.createObjective, async ({ deps, tenantId, body, actor, membership }) => {
  if (!canSeeObjectivesOf(membership!, body.managerUserId)) throw forbidden('A manager sets only their own objectives');
  if (!(await getRosterEntry(deps.store, tenantId, 'manager', body.managerUserId))) {
    throw ruleViolation('This account is not on the manager roster', 'managerUserId');
  }
  const now = deps.now().toISOString();
  const objective = objectiveFromInput(body);
  const stored: StoredObjective = {
    id: deps.newId(),
    tenantId,
    managerUserId: body.managerUserId,
    period: body.period,
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
  return json(201, objectiveView(stored), { location: `/v1/tenants/${tenantId}/okrs/${stored.id}`, etag: '"1"' });
});

export const handler = toLambda(operation);
