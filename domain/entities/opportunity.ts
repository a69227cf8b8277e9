import * as z from 'zod';
import { ruleViolation } from '../errors';
import { text } from '../text';
import { VnPhone } from './collaborator';
import { UserId, type Membership } from './roster';

/**
 * A sales opportunity: a CTV brings a customer who is interested in a product; the CTV's care staff
 * calls them. States `new` → `contacted` → `won` (with the order it became) or `lost`; `new` →
 * `lost` too (a wrong number is lost without a call). `won` and `lost` are final.
 */
export const OPPORTUNITY_STATES = ['new', 'contacted', 'won', 'lost'] as const;
export type OpportunityState = (typeof OPPORTUNITY_STATES)[number];
export const OpportunityState = z.enum(OPPORTUNITY_STATES);

export const OPPORTUNITY_TRANSITIONS: Record<OpportunityState, readonly OpportunityState[]> = {
  new: ['contacted', 'lost'],
  contacted: ['won', 'lost'],
  won: [],
  lost: [],
};

export const CreateOpportunityInput = z
  .strictObject({
    customerName: text(200).meta({ example: 'Trần Văn Bình' }),
    customerPhone: VnPhone,
    productInterest: text(500).meta({ example: 'Serum dưỡng da 30ml' }),
    note: text(1000).optional(),
  })
  .meta({ id: 'CreateOpportunityInput' });
export type CreateOpportunityInput = z.infer<typeof CreateOpportunityInput>;

export const OrderIdField = z.string().trim().min(1).max(128);

export const MoveOpportunityInput = z
  .strictObject({
    state: z.enum(['contacted', 'won', 'lost']),
    orderId: OrderIdField.optional().meta({ description: 'the order it became; required for won, only for won' }),
    reason: text(500).optional(),
    version: z.int().min(1).optional().meta({ description: 'the version read; or send If-Match' }),
  })
  .superRefine((v, ctx) => {
    if (v.state === 'won' && !v.orderId) ctx.addIssue({ code: 'custom', path: ['orderId'], message: 'required when the state is won' });
    if (v.state !== 'won' && v.orderId)
      ctx.addIssue({ code: 'custom', path: ['orderId'], message: 'only a won opportunity names an order' });
  })
  .meta({ id: 'MoveOpportunityInput' });
export type MoveOpportunityInput = z.infer<typeof MoveOpportunityInput>;

export const OpportunityFilter = z.strictObject({
  state: OpportunityState.optional(),
  collaboratorId: z.string().min(1).max(64).optional(),
  careStaffUserId: UserId.optional(),
});
export type OpportunityFilter = z.infer<typeof OpportunityFilter>;

export interface OpportunityChange {
  state: OpportunityState;
  at: string;
  by: string;
  reason?: string;
}

export interface Opportunity {
  id: string;
  tenantId: string;
  collaboratorId: string;
  /** the CTV's account, who filed it */
  collaboratorUserId: string;
  /** the CTV's care staff when it was filed: who handles it (absent when the CTV had none) */
  careStaffUserId?: string;
  managerUserId?: string;
  customerName: string;
  customerPhone: string;
  productInterest: string;
  note?: string;
  state: OpportunityState;
  orderId?: string;
  history: OpportunityChange[];
  createdAt: string;
  updatedAt: string;
  version: number;
}

export const OpportunityView = z
  .object({
    id: z.string(),
    tenantId: z.string(),
    collaboratorId: z.string(),
    collaboratorUserId: z.string(),
    careStaffUserId: z.string().optional(),
    managerUserId: z.string().optional(),
    customerName: z.string(),
    customerPhone: z.string(),
    productInterest: z.string(),
    note: z.string().optional(),
    state: OpportunityState,
    orderId: z.string().optional(),
    history: z.array(z.object({ state: OpportunityState, at: z.string(), by: z.string(), reason: z.string().optional() })),
    createdAt: z.string(),
    updatedAt: z.string(),
    version: z.int(),
  })
  .meta({ id: 'Opportunity' });

export function newOpportunity(args: {
  id: string;
  tenantId: string;
  collaborator: { id: string; userId: string; careStaffUserId?: string; managerUserId?: string };
  input: CreateOpportunityInput;
  at: string;
}): Opportunity {
  const { collaborator: ctv, input, at } = args;
  return {
    id: args.id,
    tenantId: args.tenantId,
    collaboratorId: ctv.id,
    collaboratorUserId: ctv.userId,
    ...(ctv.careStaffUserId ? { careStaffUserId: ctv.careStaffUserId } : {}),
    ...(ctv.managerUserId ? { managerUserId: ctv.managerUserId } : {}),
    customerName: input.customerName,
    customerPhone: input.customerPhone,
    productInterest: input.productInterest,
    ...(input.note ? { note: input.note } : {}),
    state: 'new',
    history: [{ state: 'new', at, by: ctv.userId }],
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
}

/** The next opportunity, or a 422 naming `state` for a move the states do not allow. */
export function moveOpportunity(
  opp: Opportunity,
  move: { state: OpportunityState; orderId?: string; reason?: string },
  at: string,
  by: string,
): Opportunity {
  if (!OPPORTUNITY_TRANSITIONS[opp.state].includes(move.state)) {
    throw ruleViolation(`A ${opp.state} opportunity cannot become ${move.state}`, 'state');
  }
  const change: OpportunityChange = move.reason ? { state: move.state, at, by, reason: move.reason } : { state: move.state, at, by };
  return {
    ...opp,
    state: move.state,
    ...(move.state === 'won' && move.orderId ? { orderId: move.orderId } : {}),
    history: [...opp.history, change],
    updatedAt: at,
    version: opp.version + 1,
  };
}

/** Who sees an opportunity: the owner all; a manager their team's; care staff their own; a CTV those they filed. */
export function canSeeOpportunity(
  membership: Membership,
  opp: Pick<Opportunity, 'careStaffUserId' | 'managerUserId' | 'collaboratorUserId'>,
): boolean {
  const { roles, userId } = membership;
  if (roles.includes('owner')) return true;
  if (roles.includes('manager') && opp.managerUserId === userId) return true;
  if (roles.includes('care_staff') && opp.careStaffUserId === userId) return true;
  return roles.includes('collaborator') && opp.collaboratorUserId === userId;
}

/** Who moves one: the care staff it is assigned to, their manager, the owner. A CTV does not move their own. */
export function canMoveOpportunity(
  membership: Membership,
  opp: Pick<Opportunity, 'careStaffUserId' | 'managerUserId' | 'collaboratorUserId'>,
): boolean {
  const { roles, userId } = membership;
  if (opp.collaboratorUserId === userId) return false;
  if (roles.includes('owner')) return true;
  if (roles.includes('manager') && opp.managerUserId === userId) return true;
  return roles.includes('care_staff') && opp.careStaffUserId === userId;
}

/** The narrowing of an opportunity list for a member (CTVs: by their CTV id, which the caller looks up). */
export function opportunityScope(
  membership: Membership,
):
  | { kind: 'all' }
  | { kind: 'manager'; managerUserId: string }
  | { kind: 'care_staff'; careStaffUserId: string }
  | { kind: 'collaborator' } {
  const { roles, userId } = membership;
  if (roles.includes('owner')) return { kind: 'all' };
  if (roles.includes('manager')) return { kind: 'manager', managerUserId: userId };
  if (roles.includes('care_staff')) return { kind: 'care_staff', careStaffUserId: userId };
  return { kind: 'collaborator' };
}
