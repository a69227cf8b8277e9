/**
 * Typed domain errors. The HTTP layer maps each kind to one status; the message is safe to show
 * to the caller (no internal names), and `field` names the input that is wrong where there is one.
 */
export type ErrorKind =
  | 'validation' // 400: the input does not have the right shape
  | 'unauthenticated' // 401
  | 'forbidden' // 403: a member of the tenant without the role for this
  | 'not_found' // 404: also what a non-member sees, so a tenant's existence is not confirmed
  | 'conflict' // 409: a uniqueness rule or a concurrent change
  | 'precondition_failed' // 412: If-Match did not match the stored version
  | 'payload_too_large' // 413
  | 'rule_violation' // 422: well-formed, but against a business rule
  | 'precondition_required' // 428: an update without If-Match (or the version in the body)
  | 'too_many_requests'; // 429

export interface FieldError {
  path: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string) => new DomainError('not_found', `${what} was not found`);
export const conflict = (message: string, field?: string) => new DomainError('conflict', message, field ? [{ path: field, message }] : []);
export const forbidden = (message = 'Your role does not allow this') => new DomainError('forbidden', message);
export const preconditionFailed = (message = 'The item changed since you read it; read it again and retry') =>
  new DomainError('precondition_failed', message);
export const ruleViolation = (message: string, field?: string) =>
  new DomainError('rule_violation', message, field ? [{ path: field, message }] : []);
export const invalid = (errors: FieldError[], message = 'The request is not valid') => new DomainError('validation', message, errors);
