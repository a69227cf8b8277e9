import * as z from 'zod';
import { text } from '../text';
import { UserId } from './roster';

/**
 * Staff groups: care staff grouped for KPI plans (a plan assigned to a group applies to all its
 * members). A care staff is in at most one group, so which group plan applies is never ambiguous.
 */
export const CreateStaffGroupInput = z
  .strictObject({
    name: text(100).meta({ example: 'Nhóm chăm sóc miền Bắc' }),
    description: text(500).optional(),
  })
  .meta({ id: 'CreateStaffGroupInput' });
export type CreateStaffGroupInput = z.infer<typeof CreateStaffGroupInput>;

export interface StaffGroup {
  id: string;
  tenantId: string;
  name: string;
  description?: string;
  createdAt: string;
  createdBy: string;
}

export const StaffGroupView = z
  .object({
    id: z.string(),
    tenantId: z.string(),
    name: z.string(),
    description: z.string().optional(),
    createdAt: z.string(),
    createdBy: z.string(),
  })
  .meta({ id: 'StaffGroup' });

export const AddStaffGroupMemberInput = z
  .strictObject({ userId: UserId.meta({ description: "a care staff's account (`sub`), on the care staff roster" }) })
  .meta({ id: 'AddStaffGroupMemberInput' });

export interface StaffGroupMember {
  tenantId: string;
  groupId: string;
  userId: string;
  /** from the care staff roster when added */
  name: string;
  addedAt: string;
  addedBy: string;
}

export const StaffGroupMemberView = z
  .object({
    tenantId: z.string(),
    groupId: z.string(),
    userId: z.string(),
    name: z.string(),
    addedAt: z.string(),
    addedBy: z.string(),
  })
  .meta({ id: 'StaffGroupMember' });
