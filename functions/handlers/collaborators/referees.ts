import { implement, json, toLambda } from '../../http/operation';
import { collaboratorRoutes } from '../../routes/collaborators';
import { refereesOf } from '../../services/collaborators';

/** Whoever may see a CTV may see its referees, without their contact or bank details. */
export const operation = implement(collaboratorRoutes.referees, async ({ deps, tenantId, params, membership, query }) => {
  const { depth, limit, cursor } = query;
  return json(200, await refereesOf(deps, tenantId, membership!, params.collaboratorId ?? '', depth, { limit, cursor }));
});

export const handler = toLambda(operation);
