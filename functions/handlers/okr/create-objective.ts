import { implement, json, toLambda } from '../../http/operation';
import { etag } from '../../http/versions';
import { okrRoutes } from '../../routes/okr';
import { createObjectiveAs } from '../../services/okr';
import { objectiveView } from './view';

/** The owner sets any manager's objectives; a manager may set their own. */
export const operation = implement(okrRoutes.createObjective, async ({ deps, tenantId, body, actor, membership }) => {
  const stored = await createObjectiveAs(deps, tenantId, membership!, body, actor);
  return json(201, objectiveView(stored), { location: `/v1/tenants/${tenantId}/okrs/${stored.id}`, ...etag(stored.version) });
});

export const handler = toLambda(operation);
