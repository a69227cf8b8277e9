import * as z from 'zod';
import { text } from '../text';
import { normalizeVnPhone } from '../phone';
import { normalizeRefId, REF_ID_PATTERN } from '../ids';
import { UserId, type Membership } from './roster';
import { DomainError, ruleViolation } from '../errors';
import { bankAccountFrom, BankAccountInput, type BankAccount } from '../banks';

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

export const CreateCollaboratorInput = z
  .strictObject({
    name: text(200).meta({ example: 'Nguyễn Thị Hoa' }),
    phone: VnPhone,
    email: z.email().max(254).optional(),
    level: Level.optional(),
    careStaffUserId: UserId.optional(),
    referrerRefId: RefIdInput.optional(),
    bank: BankAccountInput.optional(),
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

/** One assignment of care staff (null: unassigned), kept in order on the CTV. */
export interface CareStaffChange {
  careStaffUserId: string | null;
  managerUserId?: string;
  at: string;
  by: string;
  reason?: string;
}

/** One change of a CTV's level, kept in order on the CTV. */
export interface LevelChange {
  level: Level;
  /** the level before */
  from: Level;
  at: string;
  /** who changed it: an account, or whoever started the close (`scheduler`) */
  by: string;
  /** by hand, or by the plan's `levels` at a month's close */
  reason: 'manual' | 'promotion' | 'demotion';
  /** the month whose close moved it */
  periodId?: string;
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
  bank?: BankAccount;
  note?: string;
  source: 'manual' | 'import' | 'registration';
  createdAt: string;
  createdBy: string;
  approvedAt?: string;
  statusHistory: StatusChange[];
  /** every assignment of care staff, oldest first (absent: never assigned) */
  careStaffHistory?: CareStaffChange[];
  /** every change of level, oldest first (absent: never changed) */
  levelHistory?: LevelChange[];
  /** the CSV batch that imported this CTV */
  importBatchId?: string;
  updatedAt?: string;
  updatedBy?: string;
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
    bank: z
      .object({
        bin: z.string().optional().meta({ description: 'the bank’s NAPAS BIN; absent on an account saved before banks were named by BIN' }),
        bankName: z
          .string()
          .meta({ description: 'the listed short name of the bank (on an account saved before BINs, the text it was saved with)' }),
        accountNumber: z
          .string()
          .meta({ description: 'whole to the owner and the CTV themself; others see only the last 4 digits (••••••1234)' }),
        accountName: z.string(),
      })
      .optional(),
    note: z.string().optional(),
    source: z.enum(['manual', 'import', 'registration']),
    createdAt: z.string(),
    createdBy: z.string(),
    approvedAt: z.string().optional(),
    statusHistory: z.array(z.object({ status: CollaboratorStatus, at: z.string(), by: z.string(), reason: z.string().optional() })),
    careStaffHistory: z
      .array(
        z.object({
          careStaffUserId: z.string().nullable(),
          managerUserId: z.string().optional(),
          at: z.string(),
          by: z.string(),
          reason: z.string().optional(),
        }),
      )
      .optional(),
    levelHistory: z
      .array(
        z.object({
          level: Level,
          from: Level,
          at: z.string(),
          by: z.string(),
          reason: z.enum(['manual', 'promotion', 'demotion']),
          periodId: z.string().optional(),
        }),
      )
      .optional(),
    importBatchId: z.string().optional(),
    updatedAt: z.string().optional(),
    updatedBy: z.string().optional(),
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
export function applyStatusAction(ctv: Collaborator, action: StatusAction, at: string, by: string, reason?: string): Collaborator {
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

/**
 * A new CTV record; the status depends on how it came in (added by staff: approved). Its bank is
 * named by BIN (an unlisted bank is a 422: bankAccountFrom).
 */
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
  userId?: string;
  importBatchId?: string;
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
    ...(input.bank ? { bank: bankAccountFrom(input.bank) } : {}),
    ...(input.note ? { note: input.note } : {}),
    source: args.source,
    createdAt: args.at,
    createdBy: args.by,
    ...(args.status === 'approved' ? { approvedAt: args.at } : {}),
    statusHistory: [{ status: args.status, at: args.at, by: args.by }],
    ...(args.careStaffUserId
      ? {
          careStaffHistory: [
            {
              careStaffUserId: args.careStaffUserId,
              ...(args.managerUserId ? { managerUserId: args.managerUserId } : {}),
              at: args.at,
              by: args.by,
            },
          ],
        }
      : {}),
    ...(args.userId ? { userId: args.userId } : {}),
    ...(args.importBatchId ? { importBatchId: args.importBatchId } : {}),
    version: 1,
  };
}

// ---------------------------------------------------------------------------------------------
// Changes to a CTV after it exists: status actions, profile updates, care staff, referrer.
// Each returns the next CTV with `version` bumped; the store writes it only over `version - 1`.

const Reason = text(500).meta({ description: 'why (kept in the history)' });
const VersionField = z.int().min(1).optional().meta({ description: 'the version read; or send If-Match' });

export const StatusActionInput = z
  .strictObject({ reason: Reason.optional(), version: VersionField })
  .meta({ id: 'CollaboratorStatusActionInput' });
export type StatusActionInput = z.infer<typeof StatusActionInput>;

export const UpdateCollaboratorInput = z
  .strictObject({
    name: text(200).optional(),
    email: z.email().max(254).nullable().optional().meta({ description: 'null clears it' }),
    level: Level.optional(),
    bank: BankAccountInput.nullable().optional().meta({ description: 'null clears it' }),
    note: text(1000).nullable().optional().meta({ description: 'null clears it' }),
    referrerRefId: RefIdInput.nullable().optional().meta({ description: 'owner only; null removes the referrer' }),
    version: VersionField,
  })
  .refine((v) => Object.keys(v).some((k) => k !== 'version'), { message: 'nothing to change', path: [] })
  .meta({ id: 'UpdateCollaboratorInput' });
export type UpdateCollaboratorInput = z.infer<typeof UpdateCollaboratorInput>;

export const AssignCareStaffInput = z
  .strictObject({ careStaffUserId: UserId, reason: Reason.optional(), version: VersionField })
  .meta({ id: 'AssignCareStaffInput' });
export type AssignCareStaffInput = z.infer<typeof AssignCareStaffInput>;

/** Who changed it last, and the next version. */
const touched = (ctv: Collaborator, at: string, by: string): Collaborator => ({
  ...ctv,
  updatedAt: at,
  updatedBy: by,
  version: ctv.version + 1,
});

/** A status action with who/when recorded and the version bumped; a move the rules forbid is a 422. */
export function changeStatus(ctv: Collaborator, action: StatusAction, at: string, by: string, reason?: string): Collaborator {
  return touched(applyStatusAction(ctv, action, at, by, reason), at, by);
}

/**
 * Name, email, level, bank and note (null clears an optional field; an unlisted bank is a 422:
 * bankAccountFrom). The referrer is changed by `changeReferrer`.
 */
export function updateProfile(
  ctv: Collaborator,
  changes: Omit<UpdateCollaboratorInput, 'version' | 'referrerRefId'>,
  at: string,
  by: string,
): Collaborator {
  const next: Collaborator = { ...ctv };
  if (changes.name !== undefined) next.name = changes.name;
  if (changes.level !== undefined && changes.level !== ctv.level) {
    next.level = changes.level;
    next.levelHistory = [...(ctv.levelHistory ?? []), { level: changes.level, from: ctv.level, at, by, reason: 'manual' }];
  }
  if (changes.email === null) delete next.email;
  else if (changes.email !== undefined) next.email = changes.email;
  if (changes.bank === null) delete next.bank;
  else if (changes.bank !== undefined) next.bank = bankAccountFrom(changes.bank);
  if (changes.note === null) delete next.note;
  else if (changes.note !== undefined) next.note = changes.note;
  return touched(next, at, by);
}

/** Assign care staff (the manager comes from their roster entry); the history keeps every assignment. */
export function assignCareStaff(
  ctv: Collaborator,
  to: { careStaffUserId: string; managerUserId?: string },
  at: string,
  by: string,
  reason?: string,
): Collaborator {
  if (ctv.careStaffUserId === to.careStaffUserId) {
    throw ruleViolation('This care staff already looks after this collaborator', 'careStaffUserId');
  }
  const change: CareStaffChange = {
    careStaffUserId: to.careStaffUserId,
    ...(to.managerUserId ? { managerUserId: to.managerUserId } : {}),
    at,
    by,
    ...(reason ? { reason } : {}),
  };
  const next: Collaborator = {
    ...ctv,
    careStaffUserId: to.careStaffUserId,
    careStaffHistory: [...(ctv.careStaffHistory ?? []), change],
  };
  if (to.managerUserId) next.managerUserId = to.managerUserId;
  else delete next.managerUserId;
  return touched(next, at, by);
}

/**
 * Set (or remove, with null) the referrer. `chain` is the new referrer's upline, nearest first
 * (its referrer, that one's referrer, …), as read from the store: a CTV can refer neither itself
 * nor anyone above it, so the referral tree never has a cycle.
 */
export function changeReferrer(
  ctv: Collaborator,
  referrer: { id: string; refId: string; chain: readonly string[] } | null,
  at: string,
  by: string,
): Collaborator {
  const next: Collaborator = { ...ctv };
  if (referrer === null) {
    delete next.referrerId;
    delete next.referrerRefId;
  } else {
    const refusal = referralRefusal(ctv.id, referrer.id, referrer.chain);
    if (refusal) throw ruleViolation(refusal, 'referrerRefId');
    next.referrerId = referrer.id;
    next.referrerRefId = referrer.refId;
  }
  return touched(next, at, by);
}

/** Why `referrerId` cannot refer `ctvId` (given the referrer's upline, nearest first), or null. */
export function referralRefusal(ctvId: string, referrerId: string, chain: readonly string[]): string | null {
  if (referrerId === ctvId) return 'A collaborator cannot refer themselves';
  if (chain.includes(ctvId)) return "This referrer is in the collaborator's own downline: the referral tree cannot have a cycle";
  return null;
}

// ---------------------------------------------------------------------------------------------
// Who may change a CTV. The caller can already see the CTV (else the answer is 404, see access.ts);
// these say whether their role lets them make this change (else 403).

export type CollaboratorChange = StatusAction | 'update' | 'level' | 'assignCareStaff' | 'referrer';

/**
 * - The owner may make every change.
 * - A manager may make every change to the CTVs of their team but the referrer (owner only).
 * - Care staff may approve, pause and resume their own CTVs and update their contact details and
 *   note; blocking, levels, care staff and referrer are for the owner and managers.
 * - Nobody changes their own CTV record (a staff member who is also a CTV included).
 */
export function collaboratorChangeRefusal(
  membership: Membership,
  ctv: Pick<Collaborator, 'careStaffUserId' | 'managerUserId' | 'userId'>,
  change: CollaboratorChange,
): string | null {
  const { roles, userId } = membership;
  if (ctv.userId === userId) return 'You cannot change your own collaborator record';
  if (roles.includes('owner')) return null;
  if (roles.includes('manager') && ctv.managerUserId === userId) {
    return change === 'referrer' ? 'Only the owner changes a referrer' : null;
  }
  if (roles.includes('care_staff') && ctv.careStaffUserId === userId) {
    if (change === 'approve' || change === 'pause' || change === 'resume' || change === 'update') return null;
    return change === 'block'
      ? 'Care staff cannot block a collaborator; ask a manager or the owner'
      : 'Care staff cannot change this; ask a manager or the owner';
  }
  return 'Your role does not allow this change';
}

/** A manager assigns only care staff of their own team (the owner, anyone on the roster). */
export function careStaffAssignmentRefusal(membership: Membership, staff: { managerUserId?: string }): string | null {
  if (membership.roles.includes('owner')) return null;
  if (membership.roles.includes('manager') && staff.managerUserId === membership.userId) return null;
  return 'A manager assigns care staff of their own team only';
}

// ---------------------------------------------------------------------------------------------
// The referral tree as others see it: who a CTV brought in (F1) and whom those brought in (F2),
// without contact or bank details.

export const RefereeView = z
  .object({
    id: z.string(),
    refId: z.string(),
    name: z.string(),
    status: CollaboratorStatus,
    level: Level,
    referrerId: z.string(),
    depth: z.union([z.literal(1), z.literal(2)]).meta({ description: '1: a direct referee (F1); 2: a referee of one (F2)' }),
    createdAt: z.string(),
    approvedAt: z.string().optional(),
  })
  .meta({ id: 'Referee' });
export type RefereeView = z.infer<typeof RefereeView>;

export const toReferee = (ctv: Collaborator, depth: 1 | 2): RefereeView => ({
  id: ctv.id,
  refId: ctv.refId,
  name: ctv.name,
  status: ctv.status,
  level: ctv.level,
  referrerId: ctv.referrerId ?? '',
  depth,
  createdAt: ctv.createdAt,
  ...(ctv.approvedAt ? { approvedAt: ctv.approvedAt } : {}),
});

export const RefereesFilter = z.strictObject({
  depth: z.coerce
    .number()
    .pipe(z.union([z.literal(1), z.literal(2)]))
    .default(1)
    .meta({
      description: '1: direct referees (F1); 2: F1 each followed by their own referees (F2)',
    }),
});
