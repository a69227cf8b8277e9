import type { StaffGroupMember } from '../../../domain/entities/staff-group';
import { ruleViolation } from '../../../domain/errors';
import { implement, json, toLambda } from '../../http/operation';
import { staffGroupRoutes } from '../../routes/staff-groups';
import { getRosterEntry } from '../../store/members';
import { addStaffGroupMember } from '../../store/staff-groups';

export const operation = implement(staffGroupRoutes.addMember, async ({ deps, tenantId, params, body, actor }) => {
  const staff = await getRosterEntry(deps.store, tenantId, 'care_staff', body.userId);
  if (!staff) throw ruleViolation('userId is not on the care staff roster', 'userId');
  const member: StaffGroupMember = {
    tenantId,
    groupId: params.groupId ?? '',
    userId: staff.userId,
    name: staff.name,
    addedAt: deps.now().toISOString(),
    addedBy: actor,
  };
  await addStaffGroupMember(deps.store, member);
  return json(201, member);
});

export const handler = toLambda(operation);
