import { collaboratorSeenBy } from '../../../domain/access';
import { implement, json, toLambda } from '../../http/operation';
import { etag } from '../../http/versions';
import { collaboratorRoutes } from '../../routes/collaborators';
import { visibleCollaborator } from '../../services/visibility';
import { getCollaborator } from '../../store/collaborators';

export const operation = implement(
  collaboratorRoutes.get,
  async ({ deps, tenantId, params, membership }) => {
    // someone who may not see this CTV is told it does not exist, as for another business's data
    const ctv = await visibleCollaborator(deps, tenantId, params.collaboratorId ?? '', membership!);
    return json(200, collaboratorSeenBy(membership!, ctv), etag(ctv.version));
  },
  { serves: ({ store, tenantId, params }) => getCollaborator(store, tenantId, params.collaboratorId ?? '') },
);

export const handler = toLambda(operation);
