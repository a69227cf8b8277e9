import * as z from 'zod';
import { text } from './text';
import { normalizeVnPhone } from './phone';
import { CollaboratorStatus, RefIdInput, VnPhone, type Collaborator } from './entities/collaborator';

/**
 * Self-registration on a business's public page, and a signed-in account joining as a CTV.
 * A registration answers only the registration's own id, REF ID and status: never another CTV's
 * name or phone, even when the phone is already registered.
 */
export const RegistrationInput = z
  .strictObject({
    name: text(200).meta({ example: 'Nguyễn Thị Hoa' }),
    phone: VnPhone,
    email: z.email().max(254).optional(),
    refId: RefIdInput.optional().meta({ description: "the referrer's REF ID, if someone referred you" }),
  })
  .meta({ id: 'RegistrationInput' });
export type RegistrationInput = z.infer<typeof RegistrationInput>;

export const RegistrationView = z
  .object({ id: z.string(), refId: z.string(), status: CollaboratorStatus })
  .meta({ id: 'Registration' });
export type RegistrationView = z.infer<typeof RegistrationView>;

export const registrationView = (ctv: Pick<Collaborator, 'id' | 'refId' | 'status'>): RegistrationView => ({
  id: ctv.id,
  refId: ctv.refId,
  status: ctv.status,
});

/** A self-registered CTV starts `registered`, or `approved` when the business auto-approves. */
export const registrationStatus = (settings: { autoApproveRegistrations: boolean }): CollaboratorStatus =>
  settings.autoApproveRegistrations ? 'approved' : 'registered';

export const JoinInput = RegistrationInput.meta({ id: 'JoinInput' });
export type JoinInput = RegistrationInput;

export const JOIN_OUTCOMES = ['created', 'linked', 'already_joined'] as const;
export const JoinView = z
  .object({
    tenantId: z.string(),
    id: z.string(),
    refId: z.string(),
    status: CollaboratorStatus,
    outcome: z.enum(JOIN_OUTCOMES).meta({
      description: 'created: a new CTV; linked: an existing CTV record now belongs to the account; already_joined: nothing changed',
    }),
  })
  .meta({ id: 'JoinResult' });

/** What the verified token says about the account (API Gateway passes claims as strings). */
export interface AccountClaims {
  email?: string;
  emailVerified?: string | boolean;
  phoneNumber?: string;
  phoneNumberVerified?: string | boolean;
}

const isFalse = (v: string | boolean | undefined) => v === false || v === 'false';
const isTrue = (v: string | boolean | undefined) => v === true || v === 'true';

/**
 * May a signed-in account take over an existing CTV record that has no account yet? Only when the
 * token proves the account owns the record's contact: its verified `phone_number` is the record's
 * phone, or its `email` (not marked unverified) is the record's email. Knowing a phone number is
 * not enough: anyone can type one.
 */
export function accountOwnsRecord(ctv: Pick<Collaborator, 'phone' | 'email'>, claims: AccountClaims): boolean {
  if (claims.phoneNumber && isTrue(claims.phoneNumberVerified) && normalizeVnPhone(claims.phoneNumber) === ctv.phone) return true;
  if (claims.email && ctv.email && !isFalse(claims.emailVerified)) {
    return claims.email.trim().toLowerCase() === ctv.email.trim().toLowerCase();
  }
  return false;
}
