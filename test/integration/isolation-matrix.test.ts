import { suiteNowSeconds } from './support/clock';
import { afterAll, beforeAll, describe, expect, it, type ExpectStatic } from 'vitest';
import type { Role } from '../../domain/entities/roster';
import { ROUTES } from '../../functions/routes';
import type { Route } from '../../functions/routes/route';
import { signCtv } from '../../functions/webhooks/adapters/signatures';
import { badTokensFor, unique, type ApiClient, type ApiResponse, type Caller } from './support/http';
import { queryString, sampleBody, sampleQuery } from './support/samples';
import { tenantItems, testServer } from './support/servers';
import { buildWorld, e164, FAKE_ID, fillPath, freshPhone, leaksIn, leakStrings, sampleOrderEvent, type World } from './support/world';

/**
 * The tenant isolation matrix, generated from the route table: a route added later is covered
 * without touching this file. For every tenant route (one with `roles`):
 *   - every role of ANOTHER business (owner, manager, care staff, seller, CTV) on the victim's
 *     paths, filled with the victim's real object ids and a valid body → 404 (API.md: a non-member
 *     is not told the business exists);
 *   - every member of the victim business whose role the route does not allow (a CTV, a seller…)
 *     → 403;
 *   - no token, and forged / expired / foreign tokens for the victim owner's `sub` → 401;
 *   - the other business's owner on their OWN business's path with the victim's object ids → no 5xx;
 * and no answer may contain any of the victim's ids, names, phones or secrets (except what the
 * request itself carried). Public and webhook routes are probed without proper input. Finally the
 * victim's items in the table and everything its owner can read are unchanged.
 */

interface Attempt {
  who: string;
  method: string;
  url: string;
  body?: unknown;
  token?: string;
  headers?: Record<string, string>;
}

let api: ApiClient;
let close: () => Promise<void>;
let victim: World;
let attacker: World;
let secrets: string[];
let badTokens: Record<string, string>;
let before: { items: Record<string, unknown>[]; reads: Record<string, unknown> };

const tenantRoutes = ROUTES.filter((r) => r.roles && r.roles.length > 0);
const jwtRoutes = ROUTES.filter((r) => r.auth === 'jwt');
const publicRoutes = ROUTES.filter((r) => r.auth === 'public');
const ROLES: readonly Role[] = ['owner', 'manager', 'care_staff', 'seller', 'collaborator'];
const pathParams = (route: Route<any, any>) => [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);

// each check gets only the routes it applies to, so no generated test has nothing to check
/** routes some member of the business may not call: that member must get 403 */
const restrictedRoutes = tenantRoutes.filter((r) => ROLES.some((role) => !r.roles!.includes(role)));
/** routes a CTV may call that name a CTV's record or order: naming another CTV's must fail */
const ctvObjectRoutes = tenantRoutes.filter((r) => r.roles!.includes('collaborator') && /\{(collaboratorId|orderId)\}/.test(r.path));
/** routes that name more than the business: the other owner can put the victim's ids there */
const objectRoutes = tenantRoutes.filter((r) => pathParams(r).length > 1);

/** one generated test per route, named after it (test.for passes the case whole, then the context) */
const cases = (routes: Route<any, any>[]) => routes.map((r) => [`${r.method} ${r.path} (${r.id})`, r] as const);

const urlOf = (route: Route<any, any>, w: World, override?: (name: string) => string | undefined) =>
  fillPath(route.path, w, override) + queryString(sampleQuery(route, w).value);

async function attempt(a: Attempt): Promise<ApiResponse> {
  return api.request(a.method, a.url, {
    ...(a.token ? { token: a.token } : {}),
    ...(a.body !== undefined ? { body: a.body } : {}),
    ...(a.headers ? { headers: a.headers } : {}),
  });
}

/**
 * The answer's text and headers must not carry the victim's data (an echo of the request is fine).
 * `expect` is the test's own: a concurrent test counts only those assertions.
 */
function expectNoLeak(expect: ExpectStatic, a: Attempt, res: ApiResponse) {
  const seen = `${res.text}\n${[...res.headers.entries()].map(([k, v]) => `${k}: ${v}`).join('\n')}`;
  const sent = `${a.url}\n${a.body === undefined ? '' : JSON.stringify(a.body)}`;
  expect(
    leaksIn(seen, secrets, sent),
    `${a.who}: ${a.method} ${a.url} → ${res.status} leaked victim data: ${res.text.slice(0, 300)}`,
  ).toEqual([]);
}

function expectProblem(expect: ExpectStatic, a: Attempt, res: ApiResponse, statuses: number[]) {
  const label = `${a.who}: ${a.method} ${a.url} → ${res.status} ${res.text.slice(0, 200)}`;
  expect(statuses, label).toContain(res.status);
  expect(res.headers.get('content-type') ?? '', label).toContain('application/problem+json');
  expect(res.body?.status, label).toBe(res.status);
}

/** What the victim's owner can read through every GET tenant route the owner may call. */
async function ownerReads(): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const gets = tenantRoutes.filter((r) => r.method === 'GET' && r.roles!.includes('owner'));
  await Promise.all(
    gets.map(async (r) => {
      const res = await victim.owner.get(urlOf(r, victim));
      // a problem's `instance` names each request: the rest must be the same
      out[r.id] = { status: res.status, body: res.body && typeof res.body === 'object' ? { ...res.body, instance: undefined } : res.body };
    }),
  );
  out.me = (await victim.owner.get('/v1/me')).body;
  return out;
}

beforeAll(async () => {
  const server = await testServer();
  api = server.api;
  close = server.close;
  [victim, attacker] = await Promise.all([buildWorld(api, 'victim'), buildWorld(api, 'attacker')]);
  secrets = leakStrings(victim);
  badTokens = await badTokensFor(api, victim.owner.sub);
  before = { items: await tenantItems(victim.tenantId), reads: await ownerReads() };
}, 60_000);

afterAll(async () => close?.());

describe('tenant routes: every route with roles, generated from ROUTES', () => {
  it('has routes for every check', () => {
    expect(tenantRoutes.length).toBeGreaterThan(20);
    expect(restrictedRoutes.length).toBeGreaterThan(20);
    // getCollaborator, getOrder, earnings, ledger, referees, feedback, snapshot, statement…
    expect(ctvObjectRoutes.length).toBeGreaterThanOrEqual(5);
    expect(objectRoutes.length).toBeGreaterThan(20);
  });

  describe('members of another business get 404 and nothing of the victim', () => {
    it.concurrent.for(cases(tenantRoutes))('%s', async ([, route], { expect }) => {
      const attackers: [string, Caller][] = [
        ['other owner', attacker.owner],
        ['other manager', attacker.manager],
        ['other care staff', attacker.care],
        ['other seller', attacker.seller],
        ['other CTV', attacker.ctvUser],
      ];
      await Promise.all(
        attackers.map(async ([who, caller]) => {
          const a: Attempt = {
            who,
            method: route.method,
            url: urlOf(route, victim),
            body: sampleBody(route, victim).value,
            token: caller.token,
          };
          const res = await attempt(a);
          expectProblem(expect, a, res, [404]);
          expectNoLeak(expect, a, res);
        }),
      );
    });
  });

  describe('members of the business without the role get 403', () => {
    it.concurrent.for(cases(restrictedRoutes))('%s', async ([, route], { expect }) => {
      const members: [Role, Caller][] = [
        ['owner', victim.owner],
        ['manager', victim.manager],
        ['care_staff', victim.care],
        ['seller', victim.seller],
        ['collaborator', victim.ctvUser],
      ];
      const refused = members.filter(([role]) => !route.roles!.includes(role));
      expect(refused.length).toBeGreaterThan(0);
      await Promise.all(
        refused.map(async ([role, caller]) => {
          const a: Attempt = {
            who: `victim ${role}`,
            method: route.method,
            url: urlOf(route, victim),
            body: sampleBody(route, victim).value,
            token: caller.token,
          };
          expectProblem(expect, a, await attempt(a), [403]);
        }),
      );
    });
  });

  describe("the business's CTV naming another CTV's objects (their record, their order) gets 403/404", () => {
    it.concurrent.for(cases(ctvObjectRoutes))('%s', async ([, route], { expect }) => {
      const other = (name: string) => (name === 'collaboratorId' ? victim.ctv2.id : name === 'orderId' ? victim.order2.id : undefined);
      const a: Attempt = {
        who: 'victim CTV, another CTV',
        method: route.method,
        url: urlOf(route, victim, other),
        body: sampleBody(route, victim).value,
        token: victim.ctvUser.token,
      };
      const res = await attempt(a);
      expectProblem(expect, a, res, [403, 404]);
      const theirs = [
        victim.ctv2.phone,
        e164(victim.ctv2.phone),
        victim.order2.externalId,
        victim.order2.customerName,
        victim.order2.customerPhone,
        e164(victim.order2.customerPhone),
      ];
      expect(leaksIn(res.text, theirs, `${a.url}`), `${a.method} ${a.url} → ${res.text.slice(0, 200)}`).toEqual([]);
    });
  });

  describe("the other business's owner naming the victim's objects under their own business gets no data", () => {
    it.concurrent.for(cases(objectRoutes))('%s', async ([, route], { expect }) => {
      const url = urlOf(route, victim, (name) => (name === 'tenantId' ? attacker.tenantId : undefined));
      const a: Attempt = {
        who: 'other owner, own business',
        method: route.method,
        url,
        body: sampleBody(route, attacker).value,
        token: attacker.owner.token,
      };
      const res = await attempt(a);
      expect(res.status, `${a.method} ${a.url} → ${res.status} ${res.text.slice(0, 200)}`).toBeLessThan(500);
      expectNoLeak(expect, a, res);
    });
  });
});

describe('every JWT route refuses a missing, forged or expired token', () => {
  // per route: none, a forged signature, an expired token; every kind of bad token on one route per shape
  const everyKind = new Set([
    jwtRoutes.find((r) => !r.roles?.length)?.id,
    tenantRoutes.find((r) => r.method !== 'GET')?.id,
    tenantRoutes[0]?.id,
  ]);
  it.concurrent.for(cases(jwtRoutes))('%s', async ([, route], { expect }) => {
    const url = urlOf(route, victim);
    const body = sampleBody(route, victim).value;
    const kinds = Object.entries(badTokens).filter(([kind]) => everyKind.has(route.id) || kind === 'forged_secret' || kind === 'expired');
    const attempts: Attempt[] = [
      { who: 'no token', method: route.method, url, body },
      { who: 'basic auth', method: route.method, url, body, headers: { authorization: 'Basic b3duZXI6b3duZXI=' } },
      ...kinds.map(([who, token]) => ({ who, method: route.method, url, body, token })),
    ];
    await Promise.all(
      attempts.map(async (a) => {
        const res = await attempt(a);
        expectProblem(expect, a, res, [401]);
        expectNoLeak(expect, a, res);
      }),
    );
  });
});

describe('routes without roles do not give the victim away without proper input', () => {
  it('has public routes to probe', () => {
    expect(publicRoutes.length).toBeGreaterThanOrEqual(3);
  });

  it.concurrent.for(cases(publicRoutes))('public %s: nothing of the victim without proper input', async ([, route], { expect }) => {
    // the page is named (a public page is public); any other parameter (a link's token…) is proper input it lacks
    const url = fillPath(route.path, victim, (n) => (n === 'pageId' ? undefined : FAKE_ID));
    const bodies: unknown[] = route.body
      ? [undefined, '', '{', {}, [], { name: victim.ctv.name }, { phone: victim.ctv.phone }]
      : [undefined];
    for (const body of bodies) {
      const a: Attempt = { who: 'anonymous', method: route.method, url, ...(body !== undefined ? { body } : {}) };
      const res = await attempt(a);
      expect(res.status, `${a.method} ${a.url} ${JSON.stringify(body)} → ${res.status}`).toBeLessThan(500);
      if (route.body) expectProblem(expect, a, res, [400, 404]);
      expectNoLeak(expect, a, res);
    }
    // a page or link that does not exist: 404, nothing else
    if (pathParams(route).length) {
      const a: Attempt = {
        who: 'anonymous',
        method: route.method,
        url: fillPath(route.path, victim, (n) => (n === 'pageId' ? unique('no-such-page-') : 'no-such-thing-0000000000000000')),
        body: sampleBody(route, victim).value,
      };
      const res = await attempt(a);
      expectProblem(expect, a, res, [404]);
      expectNoLeak(expect, a, res);
    }
  });

  it('webhooks: unsigned, badly signed, or signed with another business or source → 401 with nothing', async () => {
    const route = ROUTES.find((r) => r.auth === 'webhook' && r.path.includes('{sourceId}'))!;
    const event = sampleOrderEvent({
      attribution: { collaboratorId: victim.ctv.id, refId: victim.ctv.refId, couponCode: null, opportunityId: null },
    });
    const raw = JSON.stringify(event);
    const t = suiteNowSeconds();
    const at = (tenantId: string, sourceId: string) => route.path.replace('{tenantId}', tenantId).replace('{sourceId}', sourceId);
    const cases: [string, string, Record<string, string>, string][] = [
      ['no signature', at(victim.tenantId, victim.source.id), {}, raw],
      ['empty body, no signature', at(victim.tenantId, victim.source.id), {}, ''],
      ['garbage signature', at(victim.tenantId, victim.source.id), { 'x-ctv-signature': 't=1,v1=00' }, raw],
      [
        "the other business's secret",
        at(victim.tenantId, victim.source.id),
        { 'x-ctv-signature': signCtv(raw, attacker.source.secret, t) },
        raw,
      ],
      [
        "the other business's source under the victim",
        at(victim.tenantId, attacker.source.id),
        { 'x-ctv-signature': signCtv(raw, attacker.source.secret, t) },
        raw,
      ],
      [
        "the victim's source under the other business",
        at(attacker.tenantId, victim.source.id),
        { 'x-ctv-signature': signCtv(raw, attacker.source.secret, t) },
        raw,
      ],
      [
        'an unknown source',
        at(victim.tenantId, '01KZZZZZZZZZZZZZZZZZZZZZZZ'),
        { 'x-ctv-signature': signCtv(raw, attacker.source.secret, t) },
        raw,
      ],
      [
        'a signature of another body',
        at(victim.tenantId, victim.source.id),
        { 'x-ctv-signature': signCtv(`${raw} `, victim.source.secret, t) },
        raw,
      ],
      [
        'a replay from 10 minutes ago',
        at(victim.tenantId, victim.source.id),
        { 'x-ctv-signature': signCtv(raw, victim.source.secret, t - 600) },
        raw,
      ],
      ['a JWT instead of a signature', at(victim.tenantId, victim.source.id), { authorization: `Bearer ${victim.owner.token}` }, raw],
    ];
    for (const [who, url, headers, body] of cases) {
      const a: Attempt = { who, method: 'POST', url, body, headers };
      const res = await attempt(a);
      expectProblem(expect, a, res, [401]);
      expectNoLeak(expect, a, res);
    }
  });

  it("signed-in accounts outside the business: /v1/me, a business on the victim's page id, joining with a victim's phone, filing an opportunity", async () => {
    const outsider = await api.as(unique('outsider-'), `${unique('outsider-')}@example.vn`);
    const checks: Attempt[] = [];
    const me = await outsider.get('/v1/me');
    expect(me.status).toBe(200);
    expect(me.body.memberships).toEqual([]);
    checks.push({ who: 'outsider /v1/me', method: 'GET', url: '/v1/me' });
    expectNoLeak(expect, checks[0]!, me);

    // the victim's page id is taken: a conflict that does not name the victim's business
    const taken = { who: 'outsider createTenant', method: 'POST', url: '/v1/tenants', body: { name: 'Tiệm khác', pageId: victim.pageId } };
    const takenRes = await outsider.post(taken.url, taken.body);
    expectProblem(expect, taken, takenRes, [409]);
    expectNoLeak(expect, taken, takenRes);

    // knowing a CTV's phone is not enough to take over the record (ctv2 has no account)
    const join = {
      who: 'outsider joinPage',
      method: 'POST',
      url: `/v1/pages/${victim.pageId}/join`,
      body: { name: victim.ctv2.name, phone: victim.ctv2.phone },
    };
    const joinRes = await outsider.post(join.url, join.body);
    expectProblem(expect, join, joinRes, [409]);
    expectNoLeak(expect, join, joinRes);
    // nor a CTV that already has an account, even with a token carrying that CTV's email
    const spoof = await api.as(unique('spoof-'), `${unique('spoof-')}@example.vn`);
    const join2 = {
      who: 'outsider joinPage (linked CTV)',
      method: 'POST',
      url: `/v1/pages/${victim.pageId}/join`,
      body: { name: victim.ctv.name, phone: victim.ctv.phone },
    };
    const join2Res = await spoof.post(join2.url, join2.body);
    expectProblem(expect, join2, join2Res, [409]);
    expectNoLeak(expect, join2, join2Res);

    // a CTV of another business files an opportunity on the victim's page
    const opp = {
      who: 'other CTV createOpportunity',
      method: 'POST',
      url: `/v1/pages/${victim.pageId}/opportunities`,
      body: { customerName: 'Khách lạ', customerPhone: freshPhone('091'), productInterest: 'Serum' },
    };
    const oppRes = await attacker.ctvUser.post(opp.url, opp.body);
    expectProblem(expect, opp, oppRes, [403, 404]);
    expectNoLeak(expect, opp, oppRes);
  });
});

describe('afterwards', () => {
  it("the victim's business is exactly as before: its items and everything its owner reads", async () => {
    const after = { items: await tenantItems(victim.tenantId), reads: await ownerReads() };
    expect(after.items.length).toBe(before.items.length);
    expect(after.items).toEqual(before.items);
    expect(after.reads).toEqual(before.reads);
  });
});
