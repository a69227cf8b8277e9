import type { AccountClaims } from './registration';

/**
 * What a verified ID token says about the account's email and phone (Cognito's claim names), from
 * the claims as API Gateway passes them: strings, or booleans as `"true"`/`"false"`. Anything
 * else (a list, a number) says nothing.
 */
export function accountClaimsFrom(claims: Readonly<Record<string, unknown>>): AccountClaims {
  const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'boolean' ? String(v) : undefined);
  const out: AccountClaims = {};
  if (str(claims.email)) out.email = str(claims.email)!;
  if (str(claims.email_verified)) out.emailVerified = str(claims.email_verified)!;
  if (str(claims.phone_number)) out.phoneNumber = str(claims.phone_number)!;
  if (str(claims.phone_number_verified)) out.phoneNumberVerified = str(claims.phone_number_verified)!;
  return out;
}
