import { createHash, timingSafeEqual } from 'node:crypto';
import { forbidden } from '../../domain/errors';

/**
 * The origin check: in AWS with the edge built, the API is published through CloudFront (WAF rate
 * rules on it: infra/edge-stack.ts), and CloudFront adds ORIGIN_HEADER with a secret value to every
 * request it forwards. The route functions get the same value in ORIGIN_SECRET_ENV and refuse a
 * request without it: one sent to the API's own `execute-api` endpoint, past the WAF
 * (docs/security.md, "The origin header"). Without an edge (`-c edge=false`), locally and in the
 * tests the variable is not set and nothing is checked.
 *
 * The header's name says "secret" so that nothing that keeps headers keeps it (the order intake
 * leaves out headers named like a secret or key with a delivery: functions/services/intake.ts).
 */
export const ORIGIN_HEADER = 'x-origin-secret';
export const ORIGIN_SECRET_ENV = 'ORIGIN_VERIFY_SECRET';

/** What a refused caller is told: where to go, nothing of the header or its value. */
export const NOT_THROUGH_EDGE = "Use the API's published address";

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * Whether a request may be handled: always when no secret is configured (undefined or empty),
 * otherwise only when the origin header carries exactly that secret. Both are hashed first, so the
 * constant-time comparison is of equal lengths and says nothing of the secret's length. Header
 * names are matched without regard to case; a repeated header (joined with commas) does not match.
 */
export function fromOrigin(secret: string | undefined, headers: Readonly<Record<string, string | undefined>> | null | undefined): boolean {
  if (!secret) return true;
  const sent = headerValue(headers, ORIGIN_HEADER);
  if (sent === undefined) return false;
  return timingSafeEqual(digest(sent), digest(secret));
}

/** The 403 of a request that did not come through the edge (problem+json through the wrapper). */
export const notThroughEdge = () => forbidden(NOT_THROUGH_EDGE);

function headerValue(headers: Readonly<Record<string, string | undefined>> | null | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  // API Gateway's HTTP API (payload 2.0) and the local server send names in lower case
  const exact = headers[name];
  if (exact !== undefined) return exact;
  for (const [k, v] of Object.entries(headers)) if (v !== undefined && k.toLowerCase() === name) return v;
  return undefined;
}
