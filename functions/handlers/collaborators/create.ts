import { collaboratorScope, collaboratorSeenBy } from '../../../domain/access';
import { careStaffAssignmentRefusal } from '../../../domain/entities/collaborator';
import { conflict, forbidden, ruleViolation } from '../../../domain/errors';
import { implement, json, toLambda } from '../../http/operation';
import { collaboratorRoutes } from '../../routes/collaborators';
import { addCollaborator } from '../../services/collaborators';
import { getRosterEntry } from '../../store/members';

export const operation = implement(collaboratorRoutes.create, async ({ deps, tenantId, body, membership, actor }) => {
  // care staff add CTVs to their own care; a manager names care staff of their own team; the owner any
  const scope = collaboratorScope(membership!);
  if (scope.careStaffUserId && body.careStaffUserId && body.careStaffUserId !== scope.careStaffUserId) {
    throw forbidden('Care staff can add collaborators only to their own care');
  }
  if (scope.managerUserId && body.careStaffUserId) {
    const staff = await getRosterEntry(deps.store, tenantId, 'care_staff', body.careStaffUserId);
    if (!staff) throw ruleViolation('careStaffUserId is not on the care staff roster', 'careStaffUserId');
    const refusal = careStaffAssignmentRefusal(membership!, staff);
    if (refusal) throw forbidden(refusal);
  }
  const input = scope.careStaffUserId ? { ...body, careStaffUserId: scope.careStaffUserId } : body;
  const outcome = await addCollaborator(deps, tenantId, input, { status: 'approved', source: 'manual', actor });
  if (!outcome.created) throw conflict('A collaborator with this phone already exists in this business', 'phone');
  return json(201, collaboratorSeenBy(membership!, outcome.collaborator), { location: `/v1/tenants/${tenantId}/collaborators/${outcome.collaborator.id}` });
});

export const handler = toLambda(operation);
