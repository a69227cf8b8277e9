import type * as z from 'zod';
import type { DomainError, ErrorKind, FieldError } from '../../domain/errors';

/** application/problem+json answers. The text says what is wrong and never names our internals. */
const STATUS: Record<ErrorKind, number> = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  precondition_failed: 412,
  payload_too_large: 413,
  rule_violation: 422,
  precondition_required: 428,
  too_many_requests: 429,
};

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  412: 'Precondition failed',
  413: 'Payload too large',
  422: 'Unprocessable content',
  428: 'Precondition required',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
};

export interface HttpResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export function problem(status: number, kind: string, detail: string, errors: FieldError[] = []): HttpResult {
  const body: Record<string, unknown> = {
    type: `urn:ctv-cloud:problem:${kind}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
  };
  if (errors.length) body.errors = errors;
  return { statusCode: status, headers: { 'content-type': 'application/problem+json' }, body: JSON.stringify(body) };
}

export function problemFromDomainError(error: DomainError): HttpResult {
  return problem(STATUS[error.kind], error.kind, error.message, error.errors);
}

/** Zod issues as field errors: `lines.1.quantity`; an unknown field is named itself. */
export function fieldErrors(error: z.ZodError, whole = 'body'): FieldError[] {
  const out: FieldError[] = [];
  const join = (parts: string[]) => (parts.length ? parts.join('.') : whole);
  for (const issue of error.issues) {
    const base = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ path: join([...base, key]), message: 'unknown field' });
    } else {
      out.push({ path: join(base), message: issue.message });
    }
  }
  return out;
}

export const internalError = (): HttpResult =>
  problem(500, 'internal', 'Something went wrong on our side. It has been logged; please retry later.');

/** The store was busy (throttled, or other writes kept meeting this one's): the same request may pass in a second. */
export const busyError = (): HttpResult => {
  const answer = problem(503, 'busy', 'The records this request uses are busy with other changes right now; retry in a moment.');
  answer.headers['retry-after'] = '1';
  return answer;
};

/** An answer past what a Lambda can send (functions/http/compression.ts): what the client can do about it. */
export const answerTooLargeError = (chars: number, gzipWouldShrink: boolean): HttpResult =>
  problem(
    500,
    'answer_too_large',
    gzipWouldShrink
      ? `This answer is ${Math.ceil(chars / 1_048_576)} MB, more than the API can send: ask for it with Accept-Encoding: gzip.`
      : `This answer is ${Math.ceil(chars / 1_048_576)} MB as sent, more than the API can send. It has been logged.`,
  );

/** An amount past 9,007,199,254,740,991 đ (docs/api.md, money limits): not the caller's fault, not answerable exactly. */
export const amountOutOfRangeError = (): HttpResult =>
  problem(
    500,
    'amount_out_of_range',
    'An amount here is beyond 9,007,199,254,740,991 đ, more than this API can answer exactly. It has been logged.',
  );

/** A problem answer with `instance` naming the request (RFC 9457), so support can find its log line. */
export function withInstance<T extends HttpResult>(result: T, requestId: string): T {
  if (!result.headers?.['content-type']?.startsWith('application/problem+json') || typeof result.body !== 'string') return result;
  try {
    const body = JSON.parse(result.body) as Record<string, unknown>;
    return { ...result, body: JSON.stringify({ ...body, instance: `urn:ctv-cloud:request:${requestId}` }) };
  } catch {
    return result;
  }
}
