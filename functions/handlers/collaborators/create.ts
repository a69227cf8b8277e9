import { collaboratorScope } from '../../../domain/access';
import { conflict, forbidden } from '../../../domain/errors';
import { implement, json, toLambda } from '../../http/operation';
import { collaboratorRoutes } from '../../routes/collaborators';
import { addCollaborator } from '../../services/collaborators';

export const operation = implement(collaboratorRoutes.create, async ({ deps, tenantId, body, membership, actor }) => {
  // care staff add CTVs to their own care; owners and managers may name any care staff
  const scope = collaboratorScope(membership!);
  if (scope.careStaffUserId && body.careStaffUserId && body.careStaffUserId !== scope.careStaffUserId) {
    throw forbidden('Care staff can add collaborators only to their own care');
  }
  const input = scope.careStaffUserId ? { ...body, careStaffUserId: scope.careStaffUserId } : body;
  const outcome = await addCollaborator(deps, tenantId, input, { status: 'approved', source: 'manual', actor });
  if (!outcome.created) throw conflict('A collaborator with this phone already exists in this business', 'phone');
  return json(201, outcome.collaborator, { location: `/v1/tenants/${tenantId}/collaborators/${outcome.collaborator.id}` });
});

export const handler = toLambda(operation);
