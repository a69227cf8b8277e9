import { implement, json, toLambda } from '../../http/operation';
import { collaboratorRoutes } from '../../routes/collaborators';
import { importCollaborators } from '../../services/collaborators';

export const operation = implement(collaboratorRoutes.import, async ({ deps, tenantId, membership, body, actor }) => {
  const { status, report } = await importCollaborators(deps, tenantId, membership!, body, actor);
  return json(status, report);
});

export const handler = toLambda(operation);
