import { implement, json, toLambda } from '../../http/operation';
import { okrRoutes } from '../../routes/okr';
import { objectivesOf } from '../../services/okr';
import { objectiveView } from './view';

/** A period's objectives: the owner's view of every manager (or one); a manager sees their own. */
export const operation = implement(okrRoutes.listObjectives, async ({ deps, tenantId, query, membership }) => {
  const page = await objectivesOf(deps, tenantId, membership!, query);
  return json(200, { items: page.items.map(objectiveView), nextCursor: page.nextCursor });
});

export const handler = toLambda(operation);
