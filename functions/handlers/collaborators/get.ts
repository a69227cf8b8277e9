import { canSeeCollaborator, collaboratorSeenBy } from '../../../domain/access';
import { notFound } from '../../../domain/errors';
import { implement, json, toLambda } from '../../http/operation';
import { etag } from '../../http/versions';
import { collaboratorRoutes } from '../../routes/collaborators';
import { getCollaborator } from '../../store/collaborators';

export const operation = implement(collaboratorRoutes.get, async ({ deps, tenantId, params, membership }) => {
  const ctv = await getCollaborator(deps.store, tenantId, params.collaboratorId ?? '');
  // someone who may not see this CTV is told it does not exist, as for another business's data
  if (!ctv || !canSeeCollaborator(membership!, ctv)) throw notFound('Collaborator');
  return json(200, collaboratorSeenBy(membership!, ctv), etag(ctv.version));
});

export const handler = toLambda(operation);
