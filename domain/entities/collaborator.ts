import * as z from 'zod';
import { text } from '../text';
import { normalizeVnPhone } from '../phone';
import { normalizeRefId, REF_ID_PATTERN } from '../ids';
import { UserId } from './roster';
import { DomainError, ruleViolation } from '../errors';

export const COLLABORATOR_STATUSES = ['registered', 'approved', 'paused', 'blocked'] as const;
export type CollaboratorStatus = (typeof COLLABORATOR_STATUSES)[number];
export const CollaboratorStatus = z.enum(COLLABORATOR_STATUSES);

/** 1 Bronze, 2 Silver, 3 Gold. */
export const Level = z.union([z.literal(1), z.literal(2), z.literal(3)]);
export type Level = z.infer<typeof Level>;

export const VnPhone = z
  .string()
  .max(32)
  .transform((value, ctx) => {
    const phone = normalizeVnPhone(value);
    if (!phone) {
      ctx.addIssue({ code: 'custom', message: 'not a Vietnamese phone number (for example 0912345678)' });
      return z.NEVER;
    }
    return phone;
  })
  .meta({ description: 'Vietnamese phone; stored as +84…', example: '0912345678' });

export const RefIdInput = z
  .string()
  .max(32)
  .transform(normalizeRefId)
  .pipe(z.string().regex(REF_ID_PATTERN, 'a REF ID is 4–12 letters and digits'));

export const BankAccount = z.strictObject({
  bankName: text(100),
  accountNumber: z.string().regex(/^[0-9]{6,20}$/, 'an account number is 6–20 digits'),
  accountName: text(200),
});

export const CreateCollaboratorInput = z
  .strictObject({
    name: text(200).meta({ example: 'Nguyễn Thị Hoa' }),
    phone: VnPhone,
    email: z.email().max(254).optional(),
    level: Level.optional(),
    careStaffUserId: UserId.optional(),
    referrerRefId: RefIdInput.optional(),
    bank: BankAccount.optional(),
    note: text(1000).optional(),
  })
  .meta({ id: 'CreateCollaboratorInput' });
export type CreateCollaboratorInput = z.infer<typeof CreateCollaboratorInput>;

export interface StatusChange {
  status: CollaboratorStatus;
  at: string;
  by: string;
  reason?: string;
}

export interface Collaborator {
  id: string;
  tenantId: string;
  refId: string;
  name: string;
  phone: string;
  email?: string;
  status: CollaboratorStatus;
  level: Level;
  careStaffUserId?: string;
  /** the manager of the CTV's care staff, kept so a manager's team is one index read */
  managerUserId?: string;
  referrerId?: string;
  referrerRefId?: string;
  /** the account of the CTV, when they sign in */
  userId?: string;
  bank?: z.infer<typeof BankAccount>;
  note?: string;
  source: 'manual' | 'import' | 'registration';
  createdAt: string;
  createdBy: string;
  approvedAt?: string;
  statusHistory: StatusChange[];
  version: number;
}

export const CollaboratorView = z
  .object({
    id: z.string(),
    tenantId: z.string(),
    refId: z.string(),
    name: z.string(),
    phone: z.string(),
    email: z.string().optional(),
    status: CollaboratorStatus,
    level: Level,
    careStaffUserId: z.string().optional(),
    managerUserId: z.string().optional(),
    referrerId: z.string().optional(),
    referrerRefId: z.string().optional(),
    userId: z.string().optional(),
    bank: BankAccount.optional(),
    note: z.string().optional(),
    source: z.enum(['manual', 'import', 'registration']),
    createdAt: z.string(),
    createdBy: z.string(),
    approvedAt: z.string().optional(),
    statusHistory: z.array(
      z.object({ status: CollaboratorStatus, at: z.string(), by: z.string(), reason: z.string().optional() }),
    ),
    version: z.int(),
  })
  .meta({ id: 'Collaborator' });

export const CollaboratorFilter = z.strictObject({
  status: CollaboratorStatus.optional(),
  careStaffUserId: UserId.optional(),
  level: z.coerce.number().pipe(Level).optional(),
});
export type CollaboratorFilter = z.infer<typeof CollaboratorFilter>;

/** Actions on a CTV's status, and the states each may start from. */
export const STATUS_ACTIONS = {
  approve: { to: 'approved', from: ['registered', 'paused'] },
  pause: { to: 'paused', from: ['approved'] },
  resume: { to: 'approved', from: ['paused'] },
  block: { to: 'blocked', from: ['registered', 'approved', 'paused'] },
} as const satisfies Record<string, { to: CollaboratorStatus; from: readonly CollaboratorStatus[] }>;
export type StatusAction = keyof typeof STATUS_ACTIONS;

/** Apply a status action: the new CTV, or a 422 that says which move is not allowed. */
export function applyStatusAction(
  ctv: Collaborator,
  action: StatusAction,
  at: string,
  by: string,
  reason?: string,
): Collaborator {
  const rule = STATUS_ACTIONS[action];
  if (!(rule.from as readonly string[]).includes(ctv.status)) {
    throw ruleViolation(`A ${ctv.status} collaborator cannot be moved by "${action}"`, 'status');
  }
  const change: StatusChange = reason ? { status: rule.to, at, by, reason } : { status: rule.to, at, by };
  return {
    ...ctv,
    status: rule.to,
    approvedAt: rule.to === 'approved' && !ctv.approvedAt ? at : ctv.approvedAt,
    statusHistory: [...ctv.statusHistory, change],
  };
}

/** Only approved CTVs earn commission (DOMAIN.md). */
export const canEarn = (ctv: Pick<Collaborator, 'status'>) => ctv.status === 'approved';

export function isDomainError(e: unknown): e is DomainError {
  return e instanceof DomainError;
}

/** A new CTV record; the status depends on how it came in (added by staff: approved). */
export function newCollaborator(args: {
  id: string;
  tenantId: string;
  refId: string;
  input: CreateCollaboratorInput;
  status: CollaboratorStatus;
  source: Collaborator['source'];
  careStaffUserId?: string;
  managerUserId?: string;
  referrerId?: string;
  at: string;
  by: string;
}): Collaborator {
  const { input } = args;
  return {
    id: args.id,
    tenantId: args.tenantId,
    refId: args.refId,
    name: input.name,
    phone: input.phone,
    ...(input.email ? { email: input.email } : {}),
    status: args.status,
    level: input.level ?? 1,
    ...(args.careStaffUserId ? { careStaffUserId: args.careStaffUserId } : {}),
    ...(args.managerUserId ? { managerUserId: args.managerUserId } : {}),
    ...(args.referrerId ? { referrerId: args.referrerId, referrerRefId: input.referrerRefId } : {}),
    ...(input.bank ? { bank: input.bank } : {}),
    ...(input.note ? { note: input.note } : {}),
    source: args.source,
    createdAt: args.at,
    createdBy: args.by,
    ...(args.status === 'approved' ? { approvedAt: args.at } : {}),
    statusHistory: [{ status: args.status, at: args.at, by: args.by }],
    version: 1,
  };
}
