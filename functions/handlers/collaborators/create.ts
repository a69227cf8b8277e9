import { collaboratorSeenBy } from '../../../domain/access';
import { implement, json, toLambda } from '../../http/operation';
import { collaboratorRoutes } from '../../routes/collaborators';
import { createCollaboratorAs } from '../../services/collaborators';

export const operation = implement(collaboratorRoutes.create, async ({ deps, tenantId, body, membership, actor }) => {
  const ctv = await createCollaboratorAs(deps, tenantId, membership!, body, actor);
  return json(201, collaboratorSeenBy(membership!, ctv), { location: `/v1/tenants/${tenantId}/collaborators/${ctv.id}` });
});

export const handler = toLambda(operation);
