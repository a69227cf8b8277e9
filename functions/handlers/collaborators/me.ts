import { implement, json, toLambda } from '../../http/operation';
import { etag } from '../../http/versions';
import { collaboratorRoutes } from '../../routes/collaborators';
import { myCollaborator } from '../../services/me-ctv';

export const operation = implement(collaboratorRoutes.me, async ({ deps, tenantId, caller }) => {
  const ctv = await myCollaborator(deps, tenantId, caller!.sub);
  return json(200, ctv, etag(ctv.version));
});

export const handler = toLambda(operation);
