import { implement, json, toLambda } from '../../http/operation';
import { staffGroupRoutes } from '../../routes/staff-groups';
import { removeStaffGroupMember } from '../../store/staff-groups';

export const operation = implement(staffGroupRoutes.removeMember, async ({ deps, tenantId, params }) => {
  await removeStaffGroupMember(deps.store, tenantId, params.groupId ?? '', params.userId ?? '');
  return json(204);
});

export const handler = toLambda(operation);
