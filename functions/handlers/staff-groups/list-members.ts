import { notFound } from '../../../domain/errors';
import { implement, json, toLambda } from '../../http/operation';
import { staffGroupRoutes } from '../../routes/staff-groups';
import { getStaffGroup, listStaffGroupMembers } from '../../store/staff-groups';

export const operation = implement(staffGroupRoutes.listMembers, async ({ deps, tenantId, params, query }) => {
  const groupId = params.groupId ?? '';
  if (!(await getStaffGroup(deps.store, tenantId, groupId))) throw notFound('Staff group');
  return json(200, await listStaffGroupMembers(deps.store, tenantId, groupId, query));
});

export const handler = toLambda(operation);
