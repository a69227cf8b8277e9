import type { CreateStaffGroupInput, StaffGroup, StaffGroupMember } from '../../domain/entities/staff-group';
import { notFound, ruleViolation } from '../../domain/errors';
import type { Deps } from '../deps';
import { getRosterEntry } from '../store/members';
import type { Page, PageRequest } from '../store/paging';
import { addStaffGroupMember, createStaffGroup, getStaffGroup, listStaffGroupMembers } from '../store/staff-groups';

/** Staff groups: care staff grouped so a KPI plan can be assigned to all of them at once. */

export async function newStaffGroup(deps: Deps, tenantId: string, input: CreateStaffGroupInput, actor: string): Promise<StaffGroup> {
  const group: StaffGroup = {
    id: deps.newId(),
    tenantId,
    name: input.name,
    ...(input.description ? { description: input.description } : {}),
    createdAt: deps.now().toISOString(),
    createdBy: actor,
  };
  await createStaffGroup(deps.store, group);
  return group;
}

/** Put care staff on the roster (else 422 naming `userId`) into a group, under the name the roster gives them. */
export async function addToStaffGroup(
  deps: Deps,
  tenantId: string,
  groupId: string,
  userId: string,
  actor: string,
): Promise<StaffGroupMember> {
  const staff = await getRosterEntry(deps.store, tenantId, 'care_staff', userId);
  if (!staff) throw ruleViolation('userId is not on the care staff roster', 'userId');
  const member: StaffGroupMember = {
    tenantId,
    groupId,
    userId: staff.userId,
    name: staff.name,
    addedAt: deps.now().toISOString(),
    addedBy: actor,
  };
  await addStaffGroupMember(deps.store, member);
  return member;
}

/** One page of a group's members, or 404 for a group that does not exist. */
export async function staffGroupMembers(deps: Deps, tenantId: string, groupId: string, page: PageRequest): Promise<Page<StaffGroupMember>> {
  if (!(await getStaffGroup(deps.store, tenantId, groupId))) throw notFound('Staff group');
  return listStaffGroupMembers(deps.store, tenantId, groupId, page);
}
