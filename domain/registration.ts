import * as z from 'zod';
import { text } from './text';
import { normalizeVnPhone } from './phone';
import { CollaboratorStatus, RefIdInput, VnPhone, type Collaborator } from './entities/collaborator';

/**
 * Self-registration on a business's public page, and a signed-in account joining as a CTV.
 * A registration answers the same receipt whether the phone is new (a CTV is created) or already
 * in the business (nothing changes): the public page must not tell anyone who works for the
 * business. The CTV learns their REF ID by signing in and joining (JoinView).
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

export const REGISTRATION_RECEIVED_MESSAGE =
  'Thank you: your registration was received. Sign in and join this page to see your REF ID and status.';

/** The one answer of a registration, for a new phone and a known one alike. */
export const RegistrationReceipt = z
  .object({
    received: z.literal(true),
    message: z.literal(REGISTRATION_RECEIVED_MESSAGE),
  })
  .meta({
    id: 'RegistrationReceipt',
    description: 'the same for every accepted registration, whether the phone was new or already in the business',
  });
export type RegistrationReceipt = z.infer<typeof RegistrationReceipt>;

export const registrationReceipt = (): RegistrationReceipt => ({ received: true, message: REGISTRATION_RECEIVED_MESSAGE });

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
