import { implement, json, toLambda } from '../../http/operation';
import { okrRoutes } from '../../routes/okr';
import { listObjectives } from '../../store/okr';
import { objectiveView } from './view';

/** A period's objectives: the owner's view of every manager (or one); a manager sees their own. */
export const operation = implement(okrRoutes.listObjectives, async ({ deps, tenantId, query, membership }) => {
  const m = membership!;
  const own = m.roles.includes('owner') ? query.managerUserId : m.userId;
  if (!m.roles.includes('owner') && query.managerUserId !== undefined && query.managerUserId !== m.userId) {
    return json(200, { items: [], nextCursor: null });
  }
  const page = await listObjectives(deps.store, tenantId, query.period, own, { limit: query.limit, cursor: query.cursor });
  return json(200, { items: page.items.map(objectiveView), nextCursor: page.nextCursor });
});

export const handler = toLambda(operation);
