import { implement, json, toLambda } from '../../http/operation';
import { etag } from '../../http/versions';
import { okrRoutes } from '../../routes/okr';
import { objectiveView, visibleObjective } from './view';

export const operation = implement(okrRoutes.getObjective, async ({ deps, tenantId, params, membership }) => {
  const o = await visibleObjective(deps, tenantId, params.objectiveId ?? '', membership!);
  return json(200, objectiveView(o), etag(o.version));
});

export const handler = toLambda(operation);
