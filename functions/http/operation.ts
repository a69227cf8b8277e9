import { ULID_PATTERN } from '../../domain/ids';
import { createHash, createHmac } from 'node:crypto';
import middy from '@middy/core';
import httpCors from '@middy/http-cors';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, Context } from 'aws-lambda';
import { DomainError, invalid, notFound, forbidden } from '../../domain/errors';
import { AmountOutOfRange } from '../../domain/money';
import { hasAnyRole, type Membership } from '../../domain/entities/roster';
import { getMembership } from '../store/members';
import { isTenantRoute, type Route } from '../routes/route';
import { completeIdempotencyKey, releaseIdempotencyKey, reserveIdempotencyKey } from '../store/idempotency';
import { AUDITED_OPERATIONS } from '../routes/audit';
import { writeAudit } from '../store/audit';
import { depsFromEnv, fencedDeps, type Deps } from '../deps';
import { METRIC } from '../../infra/metrics';
import {
  amountOutOfRangeError,
  answerTooLargeError,
  busyError,
  fieldErrors,
  internalError,
  problemFromDomainError,
  withInstance,
  type HttpResult,
} from './problem';
import { fromOrigin, notThroughEdge, ORIGIN_SECRET_ENV } from './origin';
import { CORS_EXPOSE_HEADERS } from './cors';
import { compressAnswer, isTooLarge } from './compression';
import { openSecret, sealSecret } from '../webhooks/secrets';
import { maskPersonalFields } from '../../domain/privacy';
import { getSettings } from '../store/tenants';
import { readAhead } from '../store/read-ahead';
import { isStoreBusy, type Store } from '../store/client';

/**
 * One operation = one route = one Lambda. An operation declares what it takes (body, query) and who
 * may call it (roles in the business named by the path's {tenantId}); `toLambda` wraps it with
 * the shared steps: parse and validate, authenticate, authorise from the table, idempotency,
 * error mapping to problem+json, CORS and one structured log line without personal data.
 */
export type HttpEvent = APIGatewayProxyEventV2WithJWTAuthorizer;

export interface Caller {
  sub: string;
  email?: string;
}

export interface OperationContext<B, Q> {
  deps: Deps;
  event: HttpEvent;
  body: B;
  query: Q;
  params: Record<string, string>;
  /** header names lower-cased */
  headers: Record<string, string>;
  caller: Caller | null;
  /** who acts, for who/when records: the caller's sub (jwt routes), else the route's auth kind */
  actor: string;
  /** set on tenant routes: the caller's membership in the business of the path */
  membership: Membership | null;
  tenantId: string;
  rawBody: string;
  /** the body's bytes exactly as received (signatures are checked on these) */
  rawBytes: Uint8Array;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** for the audit log (audited operations): what the change replaced and made; default after = the body */
  audit?: { before?: unknown; after?: unknown };
}

/** What a read route's `serves` is given: the request's store, its business and its path. */
export interface ServedItemRequest {
  store: Store;
  tenantId: string;
  params: Record<string, string>;
}

export interface OperationOptions {
  /**
   * A read route's item: the store read its handler makes of it (a store function, so the key
   * stays in functions/store), sent with the caller's membership in one BatchGetItem
   * (store/read-ahead.ts). The handler reads it as before and is answered from that batch; a
   * caller refused by the membership gets the same answer as without it, and never the item.
   */
  serves?: (request: ServedItemRequest) => Promise<unknown>;
}

/** An operation is its route (see functions/routes) and the code that runs it. */
export interface OperationSpec<B, Q> extends Route<B, Q>, OperationOptions {
  run(ctx: OperationContext<B, Q>): Promise<Reply>;
}

export type Operation = OperationSpec<any, any>;

export function implement<B, Q>(
  r: Route<B, Q>,
  run: (ctx: OperationContext<B, Q>) => Promise<Reply>,
  options: OperationOptions = {},
): OperationSpec<B, Q> {
  return { ...r, ...options, run };
}

const DEFAULT_MAX_BODY = 64 * 1024;
const MAX_PATH_PARAM = 256;
const IDEMPOTENCY_KEY = /^[\w.:-]{1,128}$/;

export const json = (status: number, body?: unknown, headers?: Record<string, string>): Reply => ({ status, body, headers });

function rawBytesOf(event: HttpEvent): Buffer {
  if (event.body == null) return Buffer.alloc(0);
  return Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
}

function lowerHeaders(headers: HttpEvent['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) if (v !== undefined) out[k.toLowerCase()] = v;
  return out;
}

function callerOf(event: HttpEvent): Caller | null {
  const claims = event.requestContext?.authorizer?.jwt?.claims;
  const sub = claims?.sub;
  if (typeof sub !== 'string' || sub.length === 0) return null;
  return typeof claims?.email === 'string' ? { sub, email: claims.email } : { sub };
}

function parseBody<B>(spec: Route<B, unknown>, raw: string): B {
  if (!spec.body) return undefined as B;
  // the body is read as JSON whatever the Content-Type says: clients often omit it, and a wrong body is a 400 anyway
  let value: unknown;
  try {
    value = raw === '' ? undefined : JSON.parse(raw);
  } catch {
    throw invalid([{ path: 'body', message: 'malformed JSON' }], 'The body is not valid JSON');
  }
  if (value === undefined) throw invalid([{ path: 'body', message: 'a JSON body is required' }]);
  const parsed = spec.body.safeParse(value);
  if (!parsed.success) throw invalid(fieldErrors(parsed.error));
  return parsed.data;
}

function parseQuery<Q>(spec: Route<unknown, Q>, event: HttpEvent): Q {
  const raw = event.queryStringParameters ?? {};
  if (!spec.query) {
    if (Object.keys(raw).length) throw invalid(Object.keys(raw).map((k) => ({ path: k, message: 'unknown query parameter' })));
    return {} as Q;
  }
  const parsed = spec.query.safeParse(raw);
  if (!parsed.success) throw invalid(fieldErrors(parsed.error, 'query'));
  return parsed.data;
}

/** An answer to API Gateway: a file's bytes go base64-encoded, flagged so, and API Gateway (or the local server) sends the bytes. */
export interface HttpAnswer extends HttpResult {
  isBase64Encoded?: boolean;
}

/**
 * A file download (an export): its bytes, media type and name. A file that holds one page of a
 * longer list (`nextCursor`) links to the next (RFC 8288 `Link: <?…&cursor=…>; rel="next"`): the
 * request's own query with the cursor replaced, a reference relative to the URL asked for.
 */
export const fileReply = (
  file: { bytes: Uint8Array; mediaType: string; fileName: string; nextCursor?: string | null },
  query: object = {},
): Reply => {
  const headers: Record<string, string> = {
    'content-type': file.mediaType,
    'content-disposition': `attachment; filename="${file.fileName}"`,
    'cache-control': 'no-store',
  };
  if (file.nextCursor) {
    const next = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && k !== 'cursor') next.set(k, String(v));
    next.set('cursor', file.nextCursor);
    headers.link = `<?${next}>; rel="next"`;
  }
  return { status: 200, body: file.bytes, headers };
};

function toHttp(reply: Reply): HttpAnswer {
  const headers: Record<string, string> = { ...reply.headers };
  if (reply.body === undefined) return { statusCode: reply.status, headers, body: '' };
  if (reply.body instanceof Uint8Array) {
    headers['content-type'] ??= 'application/octet-stream';
    return { statusCode: reply.status, headers, body: Buffer.from(reply.body).toString('base64'), isBase64Encoded: true };
  }
  headers['content-type'] ??= 'application/json; charset=utf-8';
  const body = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
  return { statusCode: reply.status, headers, body };
}

/** Values of these fields never reach the audit log (webhook signing secrets, tokens). */
const SECRET_FIELD = /secret|token|password/i;
/** What an audit entry keeps of a value: secrets removed, personal fields masked (domain/privacy.ts). */
function redact(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  return maskPersonalFields(
    Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_FIELD.test(k) ? '[redacted]' : redact(v, depth + 1)])),
  );
}

/**
 * Run the operation; after a successful call of an audited operation (routes/audit.ts), one audit
 * entry: who (the caller), when, what (the operation and the path's ids), before/after where the
 * handler knows them (else after = the answer). A failed audit write is logged, not thrown: the
 * change itself is stored and the caller must not retry it.
 */
async function runAudited(spec: Operation, ctx: OperationContext<unknown, unknown>): Promise<HttpAnswer> {
  const reply = await spec.run(ctx);
  if (reply.status < 300 && ctx.tenantId && AUDITED_OPERATIONS.has(spec.id)) {
    const { tenantId: _t, ...target } = ctx.params;
    const at = ctx.deps.now().toISOString();
    const { auditRetentionDays } = await getSettings(ctx.deps.store, ctx.tenantId);
    await writeAudit(
      ctx.deps.store,
      {
        id: ctx.deps.newId(),
        tenantId: ctx.tenantId,
        at,
        actor: ctx.actor,
        action: spec.id,
        target,
        status: reply.status,
        ...(reply.audit?.before !== undefined ? { before: redact(reply.audit.before) } : {}),
        after: redact(reply.audit?.after ?? (typeof reply.body === 'string' || reply.body instanceof Uint8Array ? undefined : reply.body)),
      },
      auditRetentionDays,
    ).catch((error: unknown) =>
      ctx.deps.log({ level: 'error', msg: 'audit entry not written', operation: spec.id, error: (error as Error)?.message?.slice(0, 200) }),
    );
  }
  return toHttp(reply);
}

async function execute(spec: Operation, deps: Deps, event: HttpEvent): Promise<HttpAnswer> {
  // behind the edge, a request that did not come through it is refused before anything is read (functions/http/origin.ts)
  if (!fromOrigin(process.env[ORIGIN_SECRET_ENV], event.headers)) throw notThroughEdge();
  const headers = lowerHeaders(event.headers);
  const rawBytes = rawBytesOf(event);
  const rawBody = rawBytes.toString('utf8');
  const maxBytes = spec.maxBodyBytes ?? DEFAULT_MAX_BODY;
  if (rawBytes.length > maxBytes) {
    throw new DomainError('payload_too_large', `The body is larger than ${maxBytes} bytes`);
  }
  const caller = callerOf(event);
  if (spec.auth === 'jwt' && !caller) throw new DomainError('unauthenticated', 'Sign in: a valid bearer token is required');

  const params = (event.pathParameters ?? {}) as Record<string, string>;
  // no id of ours is this long; a longer one would only reach DynamoDB's key-size limit as a 500
  if (Object.values(params).some((v) => v.length > MAX_PATH_PARAM)) throw notFound('The resource');
  const tenantId = params.tenantId ?? '';
  if (isTenantRoute(spec)) {
    // business ids are ULIDs: anything else cannot name a business, so it is a 404 without a read
    if (!caller || !ULID_PATTERN.test(tenantId)) throw notFound('Business');
    // from here on (the membership read too) the store reaches this business's keys only, and the
    // cross-tenant families the route declares: docs/security.md, "Tenant fences"
    deps = fencedDeps(deps, tenantId, spec.crossTenant);
  }
  let membership: Membership | null = null;
  if (spec.roles) {
    if (!caller || !ULID_PATTERN.test(tenantId)) throw notFound('Business');
    const membershipIn = (store: Store) => getMembership(store, tenantId, caller.sub);
    const { serves } = spec;
    // a read route's item comes in the same round trip; the store that holds it is the handler's
    // only once the caller is let in
    const read = serves
      ? await readAhead(deps.store, membershipIn, [(store) => serves({ store, tenantId, params })])
      : { value: await membershipIn(deps.store), store: deps.store };
    membership = read.value;
    if (!membership) throw notFound('Business');
    if (!hasAnyRole(membership, spec.roles)) throw forbidden();
    if (read.store !== deps.store) deps = { ...deps, store: read.store };
  }
  const query = parseQuery(spec, event);
  const body = spec.rawBody ? undefined : parseBody(spec, rawBody);
  const actor = caller?.sub ?? spec.auth;
  const ctx: OperationContext<unknown, unknown> = {
    deps,
    event,
    body,
    query,
    params,
    headers,
    caller,
    actor,
    membership,
    tenantId,
    rawBody,
    rawBytes,
  };

  const idempotencyKey = spec.idempotent ? headers['idempotency-key'] : undefined;
  if (idempotencyKey === undefined || !caller) return runAudited(spec, ctx);

  if (!IDEMPOTENCY_KEY.test(idempotencyKey)) {
    throw invalid([{ path: 'Idempotency-Key', message: 'use 1–128 letters, digits, dots, colons, dashes or underscores' }]);
  }
  const request = `${event.requestContext.http.method} ${event.rawPath}\n${rawBody}`;
  // a body that carries a secret is fingerprinted with a keyed hash: the record reveals nothing of it
  const fingerprint = spec.sealingKey
    ? createHmac('sha256', deps.secretsKey().current.key).update(request).digest('hex')
    : createHash('sha256').update(request).digest('hex');
  const sealing = spec.sealingKey ? { key: deps.secretsKey(), context: `idempotency/${tenantId}/${caller.sub}/${idempotencyKey}` } : null;
  const nowSeconds = Math.floor(deps.now().getTime() / 1000);
  const reservation = await reserveIdempotencyKey(deps.store, tenantId, caller.sub, idempotencyKey, fingerprint, nowSeconds);
  if (reservation.state === 'replay') {
    return {
      statusCode: reservation.response.statusCode,
      headers: { 'content-type': 'application/json; charset=utf-8', 'idempotent-replayed': 'true' },
      body: reservation.response.sealed
        ? openSecret(sealing?.key ?? deps.secretsKey(), reservation.response.sealed, sealing?.context ?? '')
        : reservation.response.body,
    };
  }
  if (reservation.state === 'mismatch') {
    throw new DomainError('rule_violation', 'This Idempotency-Key was used for a different request', [
      { path: 'Idempotency-Key', message: 'already used with another body or path' },
    ]);
  }
  if (reservation.state === 'in_progress') throw new DomainError('conflict', 'A request with this Idempotency-Key is still in progress');
  try {
    const result = await runAudited(spec, ctx);
    if (result.statusCode < 300) {
      // an answer that may show a secret (a generated signing secret) is kept sealed, and opened for the replay
      const kept = sealing
        ? { statusCode: result.statusCode, sealed: sealSecret(sealing.key, result.body, sealing.context) }
        : { statusCode: result.statusCode, body: result.body };
      await completeIdempotencyKey(deps.store, tenantId, caller.sub, idempotencyKey, kept);
    } else {
      await releaseIdempotencyKey(deps.store, tenantId, caller.sub, idempotencyKey);
    }
    return result;
  } catch (error) {
    await releaseIdempotencyKey(deps.store, tenantId, caller.sub, idempotencyKey).catch(() => undefined);
    throw error;
  }
}

/** Wrap an operation as a Lambda handler (middy). Without deps, they come from the environment once per cold start. */
export function toLambda(spec: Operation, givenDeps?: Deps) {
  let deps = givenDeps;
  const resolveDeps = () => (deps ??= depsFromEnv());
  // middy runs `after`/`onError` in reverse order of `use`: errors become problem+json first,
  // then CORS headers are added, then the answer is named (problems), gzipped when large, and logged.
  return middy<HttpEvent, HttpAnswer, Error, Context>()
    .use({
      before: (request) => {
        const deps = resolveDeps();
        (request.internal as Record<string, unknown>).startedAt = deps.now().getTime();
        deps.invocation?.begin(request.context, requestKeys(spec, request.event));
      },
      after: (request) => endRequest(resolveDeps(), spec, request),
      onError: (request) => endRequest(resolveDeps(), spec, request),
    })
    .use(httpCors({ origins: resolveCorsOrigins(givenDeps), exposeHeaders: CORS_EXPOSE_HEADERS.join(','), maxAge: 600 }))
    .use({
      onError: (request) => {
        const error = request.error;
        if (error instanceof DomainError) {
          request.response = problemFromDomainError(error);
          return;
        }
        if (isStoreBusy(error)) {
          // not a fault: the table or the items were busy; the client retries (Retry-After)
          resolveDeps().log({
            level: 'warn',
            msg: 'store busy',
            operation: spec.id,
            requestId: request.context?.awsRequestId,
            error: error?.name,
          });
          resolveDeps().metric(METRIC.busyAnswers);
          request.response = busyError();
          return;
        }
        const outOfRange = error instanceof AmountOutOfRange;
        resolveDeps().log({
          level: 'error',
          msg: outOfRange ? 'amount beyond the safe-integer range' : 'unhandled error',
          operation: spec.id,
          requestId: request.context?.awsRequestId,
          error: error?.name,
          message: error?.message?.slice(0, 300),
        });
        // past 2^53 đ no answer is exact: a 500 of its own type (docs/api.md, money limits), still logged
        request.response = outOfRange ? amountOutOfRangeError() : internalError();
      },
    })
    .handler(async (event) => execute(spec, resolveDeps(), event));
}

function resolveCorsOrigins(deps: Deps | undefined): string[] {
  if (deps) return deps.corsOrigins;
  return (process.env.CORS_ORIGINS ?? '*')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
}

/** What every log line of a request carries: the operation, the business, API Gateway's request id. */
function requestKeys(spec: Operation, event: HttpEvent | undefined) {
  return { operation: spec.id, tenantId: event?.pathParameters?.tenantId, apiRequestId: event?.requestContext?.requestId };
}

/**
 * The end of every request: a problem answer names the request in `instance` (what a user quotes to
 * support, and what the log line carries), a large answer is gzipped for a client that takes it
 * (one still past what a Lambda can send becomes a problem that says so), the request is logged,
 * and its metrics are published.
 */
function endRequest(deps: Deps, spec: Operation, request: middy.Request<HttpEvent, HttpAnswer, Error, Context>) {
  const keys = requestKeys(spec, request.event);
  const requestId = keys.apiRequestId ?? request.context?.awsRequestId;
  const named = (answer: HttpAnswer) => (requestId ? withInstance(answer, requestId) : answer);
  if (request.response) request.response = compressAnswer(named(request.response), request.event?.headers?.['accept-encoding']);
  if (request.response && isTooLarge(request.response)) {
    // past what a Lambda can send, API Gateway would answer a bare 500: ours says what to do
    const { body, isBase64Encoded } = request.response;
    deps.log({ level: 'error', msg: 'answer too large', ...keys, chars: body.length, encoded: isBase64Encoded === true });
    request.response = named(answerTooLargeError(body.length, isBase64Encoded !== true));
  }
  const started = (request.internal as Record<string, unknown>).startedAt as number | undefined;
  deps.log({
    level: 'info',
    msg: 'request',
    ...keys,
    method: request.event?.requestContext?.http?.method,
    status: request.response?.statusCode,
    ms: started === undefined ? undefined : deps.now().getTime() - started,
    requestId: request.context?.awsRequestId,
  });
  deps.invocation?.end();
}
