import { canSeeCollaborator } from '../../../domain/access';
import { notFound } from '../../../domain/errors';
import { implement, json, toLambda } from '../../http/operation';
import { collaboratorRoutes } from '../../routes/collaborators';
import { listRefereeTree } from '../../services/collaborators';
import { getCollaborator } from '../../store/collaborators';

/** Whoever may see a CTV may see its referees, without their contact or bank details. */
export const operation = implement(collaboratorRoutes.referees, async ({ deps, tenantId, params, membership, query }) => {
  const ctv = await getCollaborator(deps.store, tenantId, params.collaboratorId ?? '');
  if (!ctv || !canSeeCollaborator(membership!, ctv)) throw notFound('Collaborator');
  const { depth, limit, cursor } = query;
  return json(200, await listRefereeTree(deps, tenantId, ctv.id, depth, { limit, cursor }));
});

export const handler = toLambda(operation);
