import { notFound } from '../../../domain/errors';
import { implement, json, toLambda } from '../../http/operation';
import { etag } from '../../http/versions';
import { collaboratorRoutes } from '../../routes/collaborators';
import { linkedCollaborator } from '../../services/pages';

export const operation = implement(collaboratorRoutes.me, async ({ deps, tenantId, caller }) => {
  const ctv = await linkedCollaborator(deps, tenantId, caller!.sub);
  if (!ctv) throw notFound('Collaborator');
  return json(200, ctv, etag(ctv.version));
});

export const handler = toLambda(operation);
