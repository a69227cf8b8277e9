import * as z from 'zod';
import { text } from '../text';

/**
 * Roles in a business. Authorisation follows from the rosters stored in the table, never from a
 * claim the caller sends. `owner` is whoever created the business.
 */
export const ROLES = ['owner', 'manager', 'care_staff', 'seller', 'collaborator'] as const;
export type Role = (typeof ROLES)[number];
export const Role = z.enum(ROLES);

/** The rosters the owner manages by HTTP (the owner and CTV memberships come from other operations). */
export const ROSTER_ROLES = ['manager', 'care_staff', 'seller'] as const;
export type RosterRole = (typeof ROSTER_ROLES)[number];

export const UserId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[\w.@:|+-]+$/, 'a user id is the account subject (sub)');

const rosterBase = {
  userId: UserId.meta({ description: "The account's `sub`" }),
  name: text(200),
  email: z.email().max(254).optional(),
};

export const AddManagerInput = z.strictObject(rosterBase).meta({ id: 'AddManagerInput' });
export const AddCareStaffInput = z
  .strictObject({ ...rosterBase, managerUserId: UserId.optional().meta({ description: 'the manager whose team this is' }) })
  .meta({ id: 'AddCareStaffInput' });
export const AddSellerInput = z.strictObject(rosterBase).meta({ id: 'AddSellerInput' });
export type AddRosterInput = z.infer<typeof AddCareStaffInput>;

export interface RosterEntry {
  tenantId: string;
  role: RosterRole;
  userId: string;
  name: string;
  email?: string;
  managerUserId?: string;
  addedAt: string;
  addedBy: string;
}
export const RosterEntryView = z
  .object({
    tenantId: z.string(),
    role: z.enum(ROSTER_ROLES),
    userId: z.string(),
    name: z.string(),
    email: z.string().optional(),
    managerUserId: z.string().optional(),
    addedAt: z.string(),
    addedBy: z.string(),
  })
  .meta({ id: 'RosterEntry' });

export interface Membership {
  tenantId: string;
  userId: string;
  roles: Role[];
}

export function hasAnyRole(membership: Membership | null, allowed: readonly Role[]): boolean {
  return !!membership && membership.roles.some((r) => allowed.includes(r));
}
