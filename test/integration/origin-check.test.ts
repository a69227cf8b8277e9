/**
 * The origin check on real route handlers (docs/security.md, "The origin header"): with
 * ORIGIN_VERIFY_SECRET set, as CDK sets it on every route function when the edge is built, a
 * handler made by `toLambda` answers only requests that carry the secret in the origin header
 * (CloudFront adds it), and refuses any other with a 403 before it reads the token, the body or the
 * table; without the variable (the local server, these suites) nothing changes. The handlers are
 * called in this process, with the event API Gateway would send; the variable is restored after
 * each test, and never reaches the shared local server (another process).
 */
import type { Context } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { makeDeps } from '../../functions/deps';
import { operation as createTenant } from '../../functions/handlers/tenants/create';
import { operation as getMe } from '../../functions/handlers/system/me';
import { operation as listBanks } from '../../functions/handlers/system/banks';
import { type HttpEvent, type Operation, toLambda } from '../../functions/http/operation';
import { NOT_THROUGH_EDGE, ORIGIN_HEADER, ORIGIN_SECRET_ENV } from '../../functions/http/origin';
import { createStore, type Store } from '../../functions/store/client';
import { newBusiness, unique } from './support/api';
import { deliver, newSource, orderEvent } from './support/orders';
import { tenantItems } from './support/servers';

const SECRET = 'q7Lr2XwVb9NcT4kHs8PzYd3MfJ6gEa1UoRi5WnKx0BvQmZtC';

let store: Store;
/** DynamoDB calls the handlers made */
let sends = 0;
let handle: (spec: Operation, event: HttpEvent) => Promise<{ statusCode: number; headers?: Record<string, string>; body?: string }>;

beforeAll(() => {
  store = createStore({ tableName: inject('tableName'), endpoint: inject('ddbEndpoint') });
  store.db.middlewareStack.add(
    (next) => async (args) => {
      sends += 1;
      return next(args);
    },
    { step: 'initialize', name: 'countSends' },
  );
  const deps = makeDeps({ store, log: () => undefined });
  const handlers = new Map<string, ReturnType<typeof toLambda>>();
  handle = (spec, event) => {
    let handler = handlers.get(spec.id);
    if (!handler) handlers.set(spec.id, (handler = toLambda(spec, deps)));
    return handler(event, { awsRequestId: unique('req-') } as Context) as never;
  };
});

afterAll(() => store.db.destroy());

/** The event API Gateway (payload 2.0) sends for a request to this route; `sub` as its JWT authorizer verified it. */
function eventFor(
  spec: Operation,
  options: { headers?: Record<string, string>; sub?: string; body?: string; path?: string } = {},
): HttpEvent {
  const path = options.path ?? spec.path;
  return {
    version: '2.0',
    routeKey: `${spec.method} ${spec.path}`,
    rawPath: path,
    rawQueryString: '',
    headers: { host: 'abc123.execute-api.ap-southeast-1.amazonaws.com', ...options.headers },
    ...(options.body !== undefined ? { body: options.body } : {}),
    isBase64Encoded: false,
    requestContext: {
      requestId: unique('api-'),
      http: { method: spec.method, path },
      ...(options.sub ? { authorizer: { jwt: { claims: { sub: options.sub }, scopes: [] } } } : {}),
    },
  } as unknown as HttpEvent;
}

const configured = process.env[ORIGIN_SECRET_ENV];
const restore = () => {
  if (configured === undefined) delete process.env[ORIGIN_SECRET_ENV];
  else process.env[ORIGIN_SECRET_ENV] = configured;
};

describe('with ORIGIN_VERIFY_SECRET set (the edge built)', () => {
  beforeEach(() => {
    process.env[ORIGIN_SECRET_ENV] = SECRET;
    sends = 0;
  });
  afterEach(restore);

  /** a 403 problem that names neither the header nor the secret */
  const expectRefused = (res: { statusCode: number; headers?: Record<string, string>; body?: string }) => {
    expect(res.statusCode).toBe(403);
    expect(res.headers?.['content-type']).toMatch(/^application\/problem\+json/);
    const body = JSON.parse(res.body ?? '{}');
    expect(body).toMatchObject({ type: 'urn:ctv-cloud:problem:forbidden', title: 'Forbidden', status: 403, detail: NOT_THROUGH_EDGE });
    expect(body.instance).toMatch(/^urn:ctv-cloud:request:/);
    expect(res.body).not.toContain(SECRET);
    expect(res.body?.toLowerCase()).not.toContain(ORIGIN_HEADER);
    expect(JSON.stringify(res.headers)).not.toContain(SECRET);
  };

  it('refuses a request without the header, or with a wrong one, with a 403 problem', async () => {
    expectRefused(await handle(listBanks, eventFor(listBanks)));
    expectRefused(await handle(listBanks, eventFor(listBanks, { headers: { [ORIGIN_HEADER]: 'not-the-secret' } })));
    expectRefused(await handle(listBanks, eventFor(listBanks, { headers: { [ORIGIN_HEADER]: SECRET.slice(1) } })));
    expectRefused(await handle(listBanks, eventFor(listBanks, { headers: { 'x-origin-verify': SECRET } })));
  });

  it('refuses before anything else is read: no token is a 403 (not 401), a body too large a 403 (not 413), and the table is not read', async () => {
    expectRefused(await handle(getMe, eventFor(getMe)));
    expectRefused(await handle(getMe, eventFor(getMe, { sub: unique('caller-'), headers: { [ORIGIN_HEADER]: 'wrong' } })));
    const tooLarge = JSON.stringify({ name: 'x'.repeat(100 * 1024), pageId: unique('page-') });
    expectRefused(await handle(createTenant, eventFor(createTenant, { body: tooLarge })));
    expectRefused(await handle(createTenant, eventFor(createTenant, { sub: unique('caller-'), body: '{not json' })));
    expect(sends).toBe(0);
  });

  it('answers as usual when the header carries the secret', async () => {
    const banks = await handle(listBanks, eventFor(listBanks, { headers: { [ORIGIN_HEADER]: SECRET } }));
    expect(banks.statusCode).toBe(200);
    expect(JSON.parse(banks.body!).items.length).toBeGreaterThan(10);

    const sub = unique('caller-');
    const me = await handle(getMe, eventFor(getMe, { sub, headers: { [ORIGIN_HEADER]: SECRET } }));
    expect(me.statusCode).toBe(200);
    expect(JSON.parse(me.body!)).toEqual({ sub, memberships: [] });
    expect(sends).toBeGreaterThan(0);
    // past the check, the usual answers: no token is a 401 again
    const anonymous = await handle(getMe, eventFor(getMe, { headers: { [ORIGIN_HEADER]: SECRET } }));
    expect(anonymous.statusCode).toBe(401);
  });
});

describe('without ORIGIN_VERIFY_SECRET (no edge, the local server)', () => {
  beforeEach(() => {
    delete process.env[ORIGIN_SECRET_ENV];
  });
  afterEach(restore);

  it('answers as usual, with or without the header', async () => {
    expect((await handle(listBanks, eventFor(listBanks))).statusCode).toBe(200);
    expect((await handle(listBanks, eventFor(listBanks, { headers: { [ORIGIN_HEADER]: 'whatever' } }))).statusCode).toBe(200);
    const sub = unique('caller-');
    const me = await handle(getMe, eventFor(getMe, { sub }));
    expect(me.statusCode).toBe(200);
    expect(JSON.parse(me.body!).sub).toBe(sub);
  });
});

describe('the origin header is not kept', () => {
  it("by the order intake: a delivery's stored headers leave it out (its name marks it as a secret)", async () => {
    const { owner, tenantId, base } = await newBusiness('Nguồn gốc');
    const source = await newSource(owner, base);
    const marker = unique('trace-');
    const res = await deliver(tenantId, source, orderEvent({ externalId: unique('HD-') }), {
      headers: { [ORIGIN_HEADER]: SECRET, 'x-test-trace': marker },
    });
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
    const stored = JSON.stringify(await tenantItems(tenantId));
    // another x- header is kept with the delivery: the secret would have been too, under a plain name
    expect(stored).toContain(marker);
    expect(stored).not.toContain(SECRET);
  });
});
