import { collaboratorSeenBy } from '../../../domain/access';
import { assignCareStaff, careStaffAssignmentRefusal } from '../../../domain/entities/collaborator';
import { forbidden, ruleViolation } from '../../../domain/errors';
import { implement, json, toLambda } from '../../http/operation';
import { etag } from '../../http/versions';
import { collaboratorRoutes } from '../../routes/collaborators';
import { changeCollaborator } from '../../services/collaborators';
import { getRosterEntry } from '../../store/members';

export const operation = implement(collaboratorRoutes.assignCareStaff, async ({ deps, tenantId, params, membership, headers, body, actor }) => {
  const next = await changeCollaborator(
    deps,
    { tenantId, collaboratorId: params.collaboratorId ?? '', membership: membership!, headers, bodyVersion: body.version },
    ['assignCareStaff'],
    async (ctv, at) => {
      const staff = await getRosterEntry(deps.store, tenantId, 'care_staff', body.careStaffUserId);
      if (!staff) throw ruleViolation('careStaffUserId is not on the care staff roster', 'careStaffUserId');
      const refusal = careStaffAssignmentRefusal(membership!, staff);
      if (refusal) throw forbidden(refusal);
      return { next: assignCareStaff(ctv, { careStaffUserId: staff.userId, managerUserId: staff.managerUserId }, at, actor, body.reason) };
    },
  );
  return json(200, collaboratorSeenBy(membership!, next), etag(next.version));
});

export const handler = toLambda(operation);
