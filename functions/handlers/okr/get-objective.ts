import { implement, json, toLambda } from '../../http/operation';
import { etag } from '../../http/versions';
import { okrRoutes } from '../../routes/okr';
import { visibleObjective } from '../../services/okr';
import { getObjective } from '../../store/okr';
import { objectiveView } from './view';

export const operation = implement(
  okrRoutes.getObjective,
  async ({ deps, tenantId, params, membership }) => {
    const o = await visibleObjective(deps, tenantId, params.objectiveId ?? '', membership!);
    return json(200, objectiveView(o), etag(o.version));
  },
  { serves: ({ store, tenantId, params }) => getObjective(store, tenantId, params.objectiveId ?? '') },
);

export const handler = toLambda(operation);
