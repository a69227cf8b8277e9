import * as z from 'zod';
import type { FieldError } from './errors';
import { ULID_PATTERN } from './ids';
import { VnPhone } from './entities/collaborator';
import { ROSTER_ROLES, UserId, type RosterRole } from './entities/roster';
import { text } from './text';

/**
 * Invitations to a roster (issue 18). The owner invites someone by email or phone to be a manager,
 * a care staff or a seller; whoever holds the invitation's token signs in and accepts it, and that
 * account joins the roster as if the owner had added it by its `sub`. An invitation is used once,
 * works for INVITATION_VALID_DAYS, and can be revoked while nobody has used it.
 *
 * The token is `<tenantId>.<invitationId>.<secret>`: the ids say where the invitation is kept (the
 * accept route names no business), the secret (random, ≥ 128 bits, made by the caller of this
 * module) is what proves the invitee got it. Only a hash of the token is stored.
 */

/** How long an invitation works after it is made. */
export const INVITATION_VALID_DAYS = 7;

export const INVITATION_STATUSES = ['pending', 'accepted', 'revoked', 'expired'] as const;
export type InvitationStatus = (typeof INVITATION_STATUSES)[number];

/** The cross-field rules of an invitation's input: somewhere to send it, and a manager for care staff only. */
export function invitationInputErrors(input: {
  role: RosterRole;
  email?: string | undefined;
  phone?: string | undefined;
  managerUserId?: string | undefined;
}): FieldError[] {
  const errors: FieldError[] = [];
  if (input.email === undefined && input.phone === undefined)
    errors.push({ path: 'email', message: 'give the email or the phone the invitation is sent to' });
  if (input.managerUserId !== undefined && input.role !== 'care_staff')
    errors.push({ path: 'managerUserId', message: 'only a care staff invitation names a manager' });
  return errors;
}

export const CreateInvitationInput = z
  .strictObject({
    role: z.enum(ROSTER_ROLES).meta({ description: 'the roster the invitee joins' }),
    name: text(200).meta({ description: "the invitee's name, as the roster will show it" }),
    email: z.email().max(254).optional().meta({ description: 'where the owner sends the invitation (this, `phone`, or both)' }),
    phone: VnPhone.optional().meta({ description: 'where the owner sends the invitation (this, `email`, or both); stored as +84…' }),
    managerUserId: UserId.optional().meta({
      description: 'care staff only: the manager whose team they join (must be on the manager roster)',
    }),
  })
  .superRefine((input, ctx) => {
    for (const e of invitationInputErrors(input)) ctx.addIssue({ code: 'custom', path: [e.path], message: e.message });
  })
  .meta({ id: 'CreateInvitationInput', description: 'an email, a phone, or both: where the owner sends the invitation' });
export type CreateInvitationInput = z.infer<typeof CreateInvitationInput>;

/** What is kept of an invitation (never its token: `tokenHash` is the SHA-256 of it). */
export interface Invitation {
  tenantId: string;
  id: string;
  role: RosterRole;
  name: string;
  email?: string;
  /** +84… */
  phone?: string;
  managerUserId?: string;
  tokenHash: string;
  createdAt: string;
  createdBy: string;
  /** ISO 8601 (UTC): the invitation works before this instant */
  validUntil: string;
  usedAt?: string;
  usedBy?: string;
  revokedAt?: string;
  revokedBy?: string;
}

/** When an invitation made at `createdAt` stops working. */
export function invitationValidUntil(createdAt: Date, days = INVITATION_VALID_DAYS): string {
  return new Date(createdAt.getTime() + days * 86_400_000).toISOString();
}

/**
 * Where an invitation stands at `now` (ISO 8601 UTC). Used wins over revoked and expired (it was
 * used in time, and a used one cannot be revoked); revoked wins over expired.
 */
export function invitationStatus(inv: Pick<Invitation, 'usedAt' | 'revokedAt' | 'validUntil'>, now: string): InvitationStatus {
  if (inv.usedAt) return 'accepted';
  if (inv.revokedAt) return 'revoked';
  return inv.validUntil <= now ? 'expired' : 'pending';
}

/**
 * May the invitation be accepted at `now`? `ok`, or why not: `used` (409: one use), `revoked` or
 * `expired` (410: it will never work again).
 */
export function acceptDecision(
  inv: Pick<Invitation, 'usedAt' | 'revokedAt' | 'validUntil'>,
  now: string,
): 'ok' | 'used' | 'revoked' | 'expired' {
  const status = invitationStatus(inv, now);
  return status === 'pending' ? 'ok' : status === 'accepted' ? 'used' : status;
}

/** May the invitation be revoked? Not once used (the account is on the roster: remove it there). */
export const canRevoke = (inv: Pick<Invitation, 'usedAt'>): boolean => !inv.usedAt;

/** The secret part of a token: base64url, at least 22 characters (128 bits). */
const SECRET_PATTERN = /^[A-Za-z0-9_-]{22,128}$/;

export function invitationToken(tenantId: string, invitationId: string, secret: string): string {
  if (!ULID_PATTERN.test(tenantId) || !ULID_PATTERN.test(invitationId) || !SECRET_PATTERN.test(secret))
    throw new RangeError('not an invitation token');
  return `${tenantId}.${invitationId}.${secret}`;
}

/** The parts of a token, or null when it cannot be one (then nothing is read: 404). */
export function parseInvitationToken(token: string): { tenantId: string; invitationId: string; secret: string } | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const [tenantId, invitationId, secret] = parts as [string, string, string];
  if (!ULID_PATTERN.test(tenantId) || !ULID_PATTERN.test(invitationId) || !SECRET_PATTERN.test(secret)) return null;
  return { tenantId, invitationId, secret };
}

/** The path that accepts an invitation (what the invitee's link leads to). */
export const acceptPath = (token: string) => `/v1/invitations/${token}/accept`;

export const InvitationView = z
  .object({
    id: z.string(),
    tenantId: z.string(),
    role: z.enum(ROSTER_ROLES),
    name: z.string(),
    email: z.string().optional(),
    phone: z.string().optional(),
    managerUserId: z.string().optional(),
    status: z.enum(INVITATION_STATUSES),
    expiresAt: z.string().meta({ description: 'the invitation works before this instant' }),
    createdAt: z.string(),
    createdBy: z.string(),
    acceptedAt: z.string().optional(),
    acceptedBy: z.string().optional().meta({ description: 'the account (`sub`) that accepted it' }),
    revokedAt: z.string().optional(),
  })
  .meta({ id: 'Invitation' });
export type InvitationView = z.infer<typeof InvitationView>;

export const CreatedInvitationView = InvitationView.extend({
  token: z.string().meta({ description: 'shown only in this answer: send it (or `url`) to the invitee' }),
  url: z.string().meta({ description: 'the path the invitee, signed in, POSTs to accept' }),
}).meta({ id: 'CreatedInvitation' });

/** An invitation as the owner reads it: its status at `now`, never its token or hash. */
export function invitationView(inv: Invitation, now: string): InvitationView {
  return {
    id: inv.id,
    tenantId: inv.tenantId,
    role: inv.role,
    name: inv.name,
    ...(inv.email !== undefined ? { email: inv.email } : {}),
    ...(inv.phone !== undefined ? { phone: inv.phone } : {}),
    ...(inv.managerUserId !== undefined ? { managerUserId: inv.managerUserId } : {}),
    status: invitationStatus(inv, now),
    expiresAt: inv.validUntil,
    createdAt: inv.createdAt,
    createdBy: inv.createdBy,
    ...(inv.usedAt !== undefined ? { acceptedAt: inv.usedAt } : {}),
    ...(inv.usedBy !== undefined ? { acceptedBy: inv.usedBy } : {}),
    ...(inv.revokedAt !== undefined ? { revokedAt: inv.revokedAt } : {}),
  };
}
