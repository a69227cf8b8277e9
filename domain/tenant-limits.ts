import { ruleViolation } from './errors';

/**
 * How many businesses one account may create (and so own): a deployment setting, so that a
 * signed-in account cannot fill the table with businesses (each claims a public page). The API
 * stack passes it to the create-business function as MAX_BUSINESSES_PER_ACCOUNT (CDK context
 * `maxBusinessesPerAccount`); the local server reads the same variable.
 */
export const DEFAULT_MAX_BUSINESSES_PER_ACCOUNT = 3;
/** The variable the create-business function reads it from. */
export const MAX_BUSINESSES_ENV = 'MAX_BUSINESSES_PER_ACCOUNT';

/** The setting from its text (environment or context): unset is the default; anything but a whole number 1…1000 is refused. */
export function parseMaxBusinessesPerAccount(value: unknown): number {
  if (value === undefined || value === null || value === '') return DEFAULT_MAX_BUSINESSES_PER_ACCOUNT;
  const n = typeof value === 'number' ? value : /^\s*\d+\s*$/.test(String(value)) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > 1000) {
    throw new Error(`maxBusinessesPerAccount (MAX_BUSINESSES_PER_ACCOUNT): "${String(value)}" is not a whole number from 1 to 1000`);
  }
  return n;
}

/** The refusal when an account already owns `max` businesses: 422, naming the limit. */
export const tooManyBusinesses = (max: number) =>
  ruleViolation(
    `An account may own at most ${max} ${max === 1 ? 'business' : 'businesses'}, and this one already does; ask support to raise the limit`,
  );
