import { randomInt } from 'node:crypto';
import { signCtv } from '../../../functions/webhooks/adapters/signatures';
import { kpiPlanExample } from '../../fixtures/kpi-plan';
import { suiteNowSeconds } from './clock';
import { unique, type ApiClient, type ApiResponse, type Caller } from './http';

/**
 * A business with one of everything the API has so far: the owner, a manager, a care staff on the
 * manager's team, a seller, a CTV with an account (linked by joining the page, with bank details)
 * and one without (referred by the first), a commission plan, a webhook source with its secret, an
 * order by webhook credited to the CTV with an add-on line for the seller, a delivery the source
 * could not read (parked), a staff group with the care staff, and an opportunity filed by the CTV.
 * Every name, phone and id is unique to this world, so a response can be searched for them
 * (`leakStrings`).
 *
 * The order is approved in October (2026-10, the world's closed month): the world closes October
 * (a nightly run that must succeed), so the CTV has a statement; the owner approves it and pays it
 * out, and then the CTV disputes one of its lines (the dispute stays open for the owner to resolve).
 *
 * The world is strict: every object is made or `buildWorld` throws with the request that failed and
 * its answer, so no suite runs against a half-built world. A route that needs an object the world
 * does not have yet makes `paramValue` throw: extend `buildExtras` and `paramValue`.
 */
export interface World {
  api: ApiClient;
  label: string;
  tenantId: string;
  base: string;
  pageId: string;
  tenantName: string;
  owner: Caller;
  manager: Caller;
  care: Caller;
  seller: Caller;
  /** the CTV's own account (role collaborator) */
  ctvUser: Caller;
  ctv: { id: string; refId: string; name: string; phone: string; email: string };
  ctv2: { id: string; refId: string; name: string; phone: string };
  source: { id: string; secret: string };
  order: { id: string; externalId: string; customerPhone: string; customerName: string };
  /** an order credited to ctv2 (not the CTV with the account) */
  order2: { id: string; externalId: string; customerPhone: string; customerName: string };
  planVersion: number;
  group: { id: string; name: string };
  opportunity: { id: string; customerName: string; customerPhone: string };
  /** names given to the roster entries */
  names: Record<'manager' | 'care' | 'seller', string>;
  /** the CTV's bank details (personal data: never shown outside the business) */
  bank: { bankName: string; accountNumber: string; accountName: string };
  /** Objects of the newer areas (parameter name → id), every one made by `buildExtras`. */
  extra: Record<
    | 'planId'
    | 'objectiveId'
    | 'keyResultId'
    | 'incurredId'
    | 'adjustmentId'
    | 'token'
    | 'jobId'
    | 'disputeId'
    | 'batchId'
    | 'entryId'
    | 'disputeMessage'
    | 'deliveryId'
    | 'invitationId'
    | 'invitationToken',
    string
  >;
}

let phoneCounter = randomInt(0, 1_000_000);
/** A valid Vietnamese mobile number, different on every call in this process. */
export function freshPhone(prefix: '090' | '091' | '093' | '097' = '090'): string {
  phoneCounter = (phoneCounter + 7919) % 10_000_000;
  return `${prefix}${String(phoneCounter).padStart(7, '0')}`;
}

/** +84 form of a 0… number (how the API stores it). */
export const e164 = (phone: string) => `+84${phone.slice(1)}`;

export function signedWebhook(
  api: ApiClient,
  tenantId: string,
  source: { id: string; secret: string },
  raw: string,
  headers: Record<string, string> = {},
) {
  return api.request('POST', `/v1/webhooks/${tenantId}/${source.id}/orders`, {
    body: raw,
    headers: { 'x-ctv-signature': signCtv(raw, source.secret, suiteNowSeconds()), ...headers },
  });
}

/** An order event as API.md shows it. */
export function sampleOrderEvent(overrides: Record<string, unknown> = {}) {
  return {
    externalId: unique('HD-'),
    revision: 1,
    state: 'approved',
    occurredAt: '2026-11-03T10:15:00+07:00',
    customer: { phone: freshPhone('091'), name: 'Trần Văn Bình' },
    lines: [
      {
        lineId: '1',
        productId: 'SERUM-30',
        unit: 'chai',
        category: 'serum',
        quantity: 2,
        unitPrice: 350000,
        discount: 0,
        addOn: false,
        returnedQuantity: 0,
      },
    ],
    orderDiscount: 0,
    shippingFee: 30000,
    attribution: { collaboratorId: null, refId: null, couponCode: null, opportunityId: null },
    sellerId: null,
    ...overrides,
  };
}

/** The answer's body; the world is not built (throws with the answer) when the API refuses. */
async function ok(what: string, p: Promise<ApiResponse>): Promise<any> {
  const res = await p;
  if (res.status >= 300) throw new Error(`world: ${what} answered ${res.status} ${res.text.slice(0, 500)}`);
  return res.body;
}

/** A value the answer must carry (an id, a token): the world throws without it. */
function need(what: string, value: unknown, body: unknown): string {
  if (typeof value !== 'string' || !value) throw new Error(`world: ${what} missing from ${JSON.stringify(body).slice(0, 500)}`);
  return value;
}

/**
 * Options of `buildWorld`. `beforeClose` runs after every object of the world is made and before
 * October is closed, so what it adds (another team, ratings, KPI assignments) is in the close.
 */
export interface WorldOptions {
  beforeClose?: (ctx: WorldSoFar) => Promise<void>;
}

/** What a `beforeClose` hook gets: the business so far. */
export interface WorldSoFar {
  api: ApiClient;
  label: string;
  owner: Caller;
  tenantId: string;
  base: string;
  pageId: string;
  source: { id: string; secret: string };
  /** the world's team: its manager and care staff */
  managerSub: string;
  careSub: string;
  groupId: string;
  kpiPlanId: string;
  /** ctv2's order (team A's, not rated by anyone else) */
  order2Id: string;
}

export async function buildWorld(api: ApiClient, label = 'world', options: WorldOptions = {}): Promise<World> {
  const tag = unique();
  const owner = await api.as(unique(`${label}-owner-`));
  const tenantName = `Cửa hàng ${label} ${tag}`;
  const tenant = await ok('create tenant', owner.post('/v1/tenants', { name: tenantName, pageId: unique(`${label}-page-`) }));
  const tenantId = tenant.id as string;
  const base = `/v1/tenants/${tenantId}`;
  const pageId = tenant.pageId as string;

  const subs = {
    manager: unique(`${label}-mgr-`),
    care: unique(`${label}-care-`),
    seller: unique(`${label}-seller-`),
    ctv: unique(`${label}-ctv-`),
  };
  const names = { manager: `Lê Quản Lý ${tag}`, care: `Phạm Chăm Sóc ${tag}`, seller: `Đặng Bán Hàng ${tag}` };
  await ok('add manager', owner.post(`${base}/managers`, { userId: subs.manager, name: names.manager }));
  await ok('add care staff', owner.post(`${base}/care-staff`, { userId: subs.care, name: names.care, managerUserId: subs.manager }));
  await ok('add seller', owner.post(`${base}/sellers`, { userId: subs.seller, name: names.seller }));
  const planVersion = (
    await ok(
      'commission plan',
      owner.post(`${base}/commission-plans`, {
        effectiveFrom: `${WORLD_MONTH}-01`,
        basic: { default: { percentBp: 1000 } },
        addOn: { collaboratorPercentBp: 500, sellerPercentBp: 300 },
      }),
    )
  ).version as number;

  // a CTV with an account: added with the account's email, then linked by joining the page
  const ctvEmail = `${subs.ctv}@example.vn`;
  const ctvName = `Nguyễn Thị Cộng Tác ${tag}`;
  const ctvPhone = freshPhone('090');
  // bank details: a payout only takes statements of CTVs that have them
  const bank = {
    bankName: 'Vietcombank',
    accountNumber: `00${String(randomInt(0, 1e9)).padStart(10, '0')}`,
    accountName: `NGUYEN THI CONG TAC ${tag.toUpperCase()}`,
  };
  await ok(
    'add CTV',
    owner.post(`${base}/collaborators`, { name: ctvName, phone: ctvPhone, email: ctvEmail, careStaffUserId: subs.care, bank }),
  );
  const ctvUser = await api.as(subs.ctv, ctvEmail);
  const joined = await ok('CTV joins', ctvUser.post(`/v1/pages/${pageId}/join`, { name: ctvName, phone: ctvPhone }));
  if (joined.outcome !== 'linked') throw new Error(`world: the CTV did not link (${JSON.stringify(joined)})`);
  const ctvView = await ok('get CTV', owner.get(`${base}/collaborators/${joined.id}`));

  const ctv2Name = `Trần Văn Giới Thiệu ${tag}`;
  const ctv2Phone = freshPhone('093');
  const ctv2 = await ok(
    'add referred CTV',
    owner.post(`${base}/collaborators`, { name: ctv2Name, phone: ctv2Phone, careStaffUserId: subs.care, referrerRefId: ctvView.refId }),
  );

  const source = await ok('webhook source', owner.post(`${base}/webhook-sources`, { name: `Nguồn ${tag}` }));
  const customerName = `Khách Hàng ${tag}`;
  const event = sampleOrderEvent({
    occurredAt: `${WORLD_MONTH}-15T10:15:00+07:00`,
    state: 'completed', // payable after the holding days, so October's statement has lines
    customer: { phone: freshPhone('091'), name: customerName },
    lines: [
      // 20 × 350,000 at 10%: a balance above the default minimum payout (100,000), so the world can pay it out
      {
        lineId: '1',
        productId: 'SERUM-30',
        unit: 'chai',
        category: 'serum',
        quantity: 20,
        unitPrice: 350000,
        discount: 0,
        addOn: false,
        returnedQuantity: 0,
      },
      {
        lineId: '2',
        productId: 'MASK-10',
        unit: 'hộp',
        category: 'mask',
        quantity: 1,
        unitPrice: 120000,
        discount: 0,
        addOn: true,
        returnedQuantity: 0,
      },
    ],
    attribution: { collaboratorId: joined.id, refId: null, couponCode: null, opportunityId: null },
    sellerId: subs.seller,
  });
  const delivered = await ok('webhook order', signedWebhook(api, tenantId, source, JSON.stringify(event)));
  const customer2 = { phone: freshPhone('091'), name: `Khách Thứ Hai ${tag}` };
  const event2 = sampleOrderEvent({
    occurredAt: `${WORLD_MONTH}-16T09:00:00+07:00`,
    state: 'completed',
    customer: customer2,
    attribution: { collaboratorId: ctv2.id, refId: null, couponCode: null, opportunityId: null },
  });
  const delivered2 = await ok('webhook order 2', signedWebhook(api, tenantId, source, JSON.stringify(event2)));
  // a signed delivery the source cannot read is parked for the owner (the delivery routes act on it)
  const parked = await ok('parked delivery', signedWebhook(api, tenantId, source, '{}'));
  if (parked.status !== 'parked') throw new Error(`world: the unreadable delivery was not parked (${JSON.stringify(parked)})`);
  const deliveryId = need('parked delivery: deliveryId', parked.deliveryId, parked);

  const groupName = `Nhóm ${tag}`;
  const group = await ok('staff group', owner.post(`${base}/staff-groups`, { name: groupName }));
  await ok('group member', owner.post(`${base}/staff-groups/${group.id}/members`, { userId: subs.care }));

  const oppCustomer = { name: `Khách Tiềm Năng ${tag}`, phone: freshPhone('097') };
  const opportunity = await ok(
    'opportunity',
    ctvUser.post(`/v1/pages/${pageId}/opportunities`, {
      customerName: oppCustomer.name,
      customerPhone: oppCustomer.phone,
      productInterest: 'Serum 30ml',
    }),
  );

  const [manager, care, seller] = await Promise.all([api.as(subs.manager), api.as(subs.care), api.as(subs.seller)]);
  const beforeClose = options.beforeClose;
  const hook = beforeClose
    ? (kpiPlanId: string) =>
        beforeClose({
          api,
          label,
          owner,
          tenantId,
          base,
          pageId,
          source: { id: source.id, secret: source.secret },
          managerSub: subs.manager,
          careSub: subs.care,
          groupId: group.id,
          kpiPlanId,
          order2Id: delivered2.orderId,
        })
    : undefined;
  const extra = {
    ...(await buildExtras(
      owner,
      ctvUser,
      base,
      { ctvId: joined.id, orderId: delivered.orderId, managerSub: subs.manager, groupId: group.id, tag },
      hook,
    )),
    deliveryId,
  };
  return {
    api,
    label,
    tenantId,
    base,
    pageId,
    tenantName,
    owner,
    manager,
    care,
    seller,
    ctvUser,
    ctv: { id: joined.id, refId: ctvView.refId, name: ctvName, phone: ctvPhone, email: ctvEmail },
    ctv2: { id: ctv2.id, refId: ctv2.refId, name: ctv2Name, phone: ctv2Phone },
    source: { id: source.id, secret: source.secret },
    order: { id: delivered.orderId, externalId: event.externalId, customerPhone: event.customer.phone, customerName },
    order2: { id: delivered2.orderId, externalId: event2.externalId, customerPhone: customer2.phone, customerName: customer2.name },
    planVersion,
    group: { id: group.id, name: groupName },
    opportunity: { id: opportunity.id, customerName: oppCustomer.name, customerPhone: oppCustomer.phone },
    names,
    bank,
    extra,
  };
}

/** The newer areas' objects, then October closed, approved, paid out and disputed; every step must succeed. */
async function buildExtras(
  owner: Caller,
  ctvUser: Caller,
  base: string,
  ids: { ctvId: string; orderId: string; managerSub: string; groupId: string; tag: string },
  beforeClose?: (kpiPlanId: string) => Promise<void>,
): Promise<Omit<World['extra'], 'deliveryId'>> {
  const [kpi, objective, incurred, adjustment, link, invitation] = await Promise.all([
    ok('KPI plan', owner.post(`${base}/kpi-plans`, KPI_PLAN)),
    ok(
      'objective',
      owner.post(`${base}/okrs`, {
        managerUserId: ids.managerSub,
        period: '2026-11',
        title: 'Khách hài lòng',
        weightBp: 10000,
        keyResults: [{ title: 'CSAT', start: 0, target: 90, weightBp: 10000 }],
      }),
    ),
    ok(
      'incurred commission',
      owner.post(`${base}/incurred-commissions`, {
        collaboratorId: ids.ctvId,
        lines: [{ productId: 'SERUM-30', quantity: 1, endUserPrice: 400000, percentBp: 500 }],
      }),
    ),
    ok('adjustment', owner.post(`${base}/adjustments`, { collaboratorId: ids.ctvId, type: 'bonus', amount: 50000, reason: 'thưởng' })),
    ok('feedback link', owner.post(`${base}/orders/${ids.orderId}/feedback-links`)),
    ok('invitation', owner.post(`${base}/invitations`, { role: 'seller', name: `Người Được Mời ${ids.tag}`, phone: freshPhone('097') })),
  ]);

  if (beforeClose) await beforeClose(need('KPI plan: id', kpi.id, kpi));

  // close the world's month: the nightly run must end in 'succeeded' (a failed run leaves no statements)
  const close = await ok('close October', owner.post(`${base}/periods/${WORLD_MONTH}/close`));
  const jobId = need('close: jobId', close.jobId, close);
  let job: any;
  for (const deadline = Date.now() + 30_000; ; ) {
    job = await ok('read the close job', owner.get(`${base}/jobs/${jobId}`));
    if (job.state === 'succeeded') break;
    if (job.state === 'failed') throw new Error(`world: the close job failed: ${JSON.stringify(job).slice(0, 500)}`);
    if (Date.now() > deadline) throw new Error(`world: the close job did not finish in 30 s: ${JSON.stringify(job).slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 200));
  }

  // the CTV's October statement: approved (If-Match: its version), then paid out
  const statementUrl = `${base}/statements/${WORLD_MONTH}/${ids.ctvId}`;
  const statement = await ok("read the CTV's statement", owner.get(statementUrl));
  const entry = [...(statement.lines ?? []), ...(statement.pending ?? [])].find((l: any) => typeof l?.entryId === 'string');
  const entryId = need('statement: a line with an entryId', entry?.entryId, statement);
  await ok('approve the statement', owner.post(`${statementUrl}/approve`, undefined, { 'if-match': `"${statement.version}"` }));
  const payout = await ok('payout', owner.post(`${base}/payouts`, { periodId: WORLD_MONTH }));
  const batchId = need('payout: id', payout.id, payout);

  // a dispute may be opened on a paid statement too: it stays open, for the resolve route
  const disputeMessage = `Khiếu nại ${ids.tag}`;
  const dispute = await ok('dispute', ctvUser.post(`${base}/me/statements/${WORLD_MONTH}/disputes`, { entryId, message: disputeMessage }));

  return {
    planId: need('KPI plan: id', kpi.id, kpi),
    objectiveId: need('objective: id', objective.id, objective),
    keyResultId: need('objective: keyResults[0].id', objective.keyResults?.[0]?.id, objective),
    incurredId: need('incurred commission: id', incurred.id, incurred),
    adjustmentId: need('adjustment: id', adjustment.id, adjustment),
    token: need('feedback link: token', link.token, link),
    invitationId: need('invitation: id', invitation.id, invitation),
    invitationToken: need('invitation: token', invitation.token, invitation),
    jobId,
    entryId,
    batchId,
    disputeId: need('dispute: id', dispute.id, dispute),
    disputeMessage,
  };
}

/** The month of the world's order, closed by the world. */
export const WORLD_MONTH = '2026-10';

/** API.md's KPI plan (DOMAIN.md's example, see the fixture). */
export const KPI_PLAN = kpiPlanExample();

/** Every value of this world that must never show in an answer to someone outside it. */
export function leakStrings(w: World): string[] {
  const phones = [w.ctv.phone, w.ctv2.phone, w.order.customerPhone, w.order2.customerPhone, w.opportunity.customerPhone];
  return [
    w.tenantId,
    w.tenantName,
    w.pageId,
    w.owner.sub,
    w.manager.sub,
    w.care.sub,
    w.seller.sub,
    w.ctvUser.sub,
    ...Object.values(w.names),
    w.ctv.id,
    w.ctv.refId,
    w.ctv.name,
    w.ctv.email,
    w.ctv2.id,
    w.ctv2.refId,
    w.ctv2.name,
    ...phones,
    ...phones.map(e164),
    w.source.id,
    w.source.secret,
    w.order.id,
    w.order.externalId,
    w.order.customerName,
    w.order2.id,
    w.order2.externalId,
    w.order2.customerName,
    w.group.id,
    w.group.name,
    w.opportunity.id,
    w.opportunity.customerName,
    w.bank.accountNumber,
    w.bank.accountName,
    ...Object.entries(w.extra)
      .filter(([k]) => k !== 'entryId') // an entry id is built from the order id and kinds: its parts may be echoed
      .map(([, v]) => v!),
  ];
}

/** The leak strings found in `text`, except those the request itself carried (an echo is not a leak). */
export function leaksIn(text: string, secrets: readonly string[], request: string): string[] {
  return secrets.filter((s) => s.length >= 4 && text.includes(s) && !request.includes(s));
}

/**
 * A 26-character id that looks like ours (Crockford base32) but names nothing: only for tests that
 * deliberately name something that does not exist (never a stand-in for a world object).
 */
export const FAKE_ID = '01KZZZZZZZZZZZZZZZZZZZZZZZ';

/**
 * The value of a path parameter in world `w`. `previous` is the path segment before it, which
 * tells which roster a `{userId}` and which voucher a `{voucherId}` belongs to. A name the world
 * has no object for throws: a new route must not silently be tested with a fake id.
 */
export function paramValue(w: World, name: string, previous: string): string {
  const missing = () => new Error(`the world has no value for {${name}}: extend buildWorld (the segment before it: ${previous})`);
  switch (name) {
    case 'tenantId':
      return w.tenantId;
    case 'pageId':
      return w.pageId;
    case 'collaboratorId':
      return w.ctv.id;
    case 'sourceId':
      return w.source.id;
    case 'orderId':
      return w.order.id;
    case 'groupId':
      return w.group.id;
    case 'opportunityId':
      return w.opportunity.id;
    case 'version':
      return String(w.planVersion);
    case 'token':
      // an invitation's link (/v1/invitations/{token}/accept), else the feedback link's
      return previous === 'invitations' ? w.extra.invitationToken : w.extra.token;
    case 'invitationId':
    case 'planId':
    case 'objectiveId':
    case 'keyResultId':
    case 'jobId':
    case 'disputeId':
    case 'batchId':
    case 'deliveryId':
      return w.extra[name];
    case 'periodId':
      return WORLD_MONTH;
    case 'voucherId':
      if (previous === 'adjustments') return w.extra.adjustmentId;
      if (previous === 'incurred-commissions') return w.extra.incurredId;
      throw missing();
    case 'userId':
      if (previous === 'managers') return w.manager.sub;
      if (previous === 'care-staff' || previous === 'members') return w.care.sub;
      if (previous === 'sellers') return w.seller.sub;
      throw missing();
    default:
      throw missing();
  }
}

/** The route's path with its parameters filled from `w` (or `override(name)` when it answers). */
export function fillPath(path: string, w: World, override?: (name: string) => string | undefined): string {
  const segments = path.split('/');
  return segments
    .map((segment, i) => {
      const m = /^\{(\w+)\}$/.exec(segment);
      if (!m) return segment;
      const name = m[1]!;
      return encodeURIComponent(override?.(name) ?? paramValue(w, name, segments[i - 1] ?? ''));
    })
    .join('/');
}

// ------------------------------------------------------------------------------------------------
// A second team in the same business (test/integration/team-matrix.test.ts): managers act only
// inside their team, care staff only for their own CTVs.

/** Team B of a team world: its own manager, care staff and CTV, with one object of each kind. */
export interface SecondTeam {
  manager: Caller;
  care: Caller;
  /** team B's CTV's own account */
  ctvUser: Caller;
  names: { manager: string; care: string };
  ctv: { id: string; refId: string; name: string; phone: string; email: string };
  bank: { bankName: string; accountNumber: string; accountName: string };
  /** by webhook, completed in October, credited to team B's CTV, rated by the owner */
  order: { id: string; externalId: string; customerPhone: string; customerName: string };
  opportunity: { id: string; customerName: string; customerPhone: string };
  /** team B's manager's objective for October */
  objectiveId: string;
  keyResultId: string;
  incurredId: string;
  adjustmentId: string;
}

/**
 * A world with two teams (`buildWorld`'s objects are team A's: its manager, care staff, both CTVs
 * and their orders) plus, made before October's close:
 *   - team B: another manager with their care staff, a CTV of that care staff with an account and
 *     bank details, its order (October, completed, rated), opportunity, incurred commission and
 *     adjustment, and an October objective of team B's manager;
 *   - `careA2`: a second care staff on team A with no CTVs (care staff see only their own CTVs);
 *   - for team A: an October objective of its manager (`teamA.objectiveId`) and a rating on ctv2's
 *     order; the KPI plan assigned to the world's staff group (team A's care staff) and to team B's
 *     care staff from October, so both have KPI results.
 */
export interface TeamWorld extends World {
  teamB: SecondTeam;
  careA2: Caller;
  careA2Name: string;
  teamA: { objectiveId: string };
}

export async function buildTeamWorld(api: ApiClient, label = 'teams'): Promise<TeamWorld> {
  let made: { teamB: SecondTeam; careA2: Caller; careA2Name: string; teamA: { objectiveId: string } } | undefined;
  const w = await buildWorld(api, label, {
    beforeClose: async (ctx) => {
      made = await buildSecondTeam(ctx);
    },
  });
  if (!made) throw new Error('world: the second team was not built');
  // a nightly run as of 1 December (closes November too): December, the open month, gets its
  // snapshots (every CTV's, and the KPI and OKR results), so its views have something to scope
  const started = await ok('nightly run', w.owner.post(`${w.base}/jobs/nightly`, { asOf: '2026-12-01', mode: 'full' }));
  const jobId = need('nightly: jobId', started.jobId, started);
  for (const deadline = Date.now() + 30_000; ; ) {
    const job = await ok('read the nightly job', w.owner.get(`${w.base}/jobs/${jobId}`));
    if (job.state === 'succeeded') break;
    if (job.state === 'failed') throw new Error(`world: the nightly run failed: ${JSON.stringify(job).slice(0, 500)}`);
    if (Date.now() > deadline) throw new Error(`world: the nightly run did not finish in 30 s: ${JSON.stringify(job).slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return { ...w, ...made };
}

async function buildSecondTeam(ctx: WorldSoFar) {
  const { api, owner, base, label } = ctx;
  const tag = unique();
  const subs = {
    manager: unique(`${label}-mgrB-`),
    care: unique(`${label}-careB-`),
    careA2: unique(`${label}-careA2-`),
    ctv: unique(`${label}-ctvB-`),
  };
  // names share nothing with team A's (a leak check searches answers for team A's names)
  const names = { manager: `Hồ Trưởng Nhóm ${tag}`, care: `Vũ Hỗ Trợ ${tag}` };
  const careA2Name = `Lý Đồng Đội ${tag}`;
  await ok('add manager B', owner.post(`${base}/managers`, { userId: subs.manager, name: names.manager }));
  await Promise.all([
    ok('add care staff B', owner.post(`${base}/care-staff`, { userId: subs.care, name: names.care, managerUserId: subs.manager })),
    ok('add care staff A2', owner.post(`${base}/care-staff`, { userId: subs.careA2, name: careA2Name, managerUserId: ctx.managerSub })),
  ]);

  const ctvEmail = `${subs.ctv}@example.vn`;
  const ctvName = `Bùi Thị Đội Hai ${tag}`;
  const ctvPhone = freshPhone('090');
  const bank = {
    bankName: 'Techcombank',
    accountNumber: `19${String(randomInt(0, 1e9)).padStart(10, '0')}`,
    accountName: `BUI THI DOI HAI ${tag.toUpperCase()}`,
  };
  await ok(
    'add CTV B',
    owner.post(`${base}/collaborators`, { name: ctvName, phone: ctvPhone, email: ctvEmail, careStaffUserId: subs.care, bank }),
  );
  const ctvUser = await api.as(subs.ctv, ctvEmail);
  const joined = await ok('CTV B joins', ctvUser.post(`/v1/pages/${ctx.pageId}/join`, { name: ctvName, phone: ctvPhone }));
  if (joined.outcome !== 'linked') throw new Error(`world: CTV B did not link (${JSON.stringify(joined)})`);
  const ctvId = need('CTV B: id', joined.id, joined);
  const ctvView = await ok('get CTV B', owner.get(`${base}/collaborators/${ctvId}`));

  const customer = { phone: freshPhone('091'), name: `Khách Đội Hai ${tag}` };
  const event = sampleOrderEvent({
    occurredAt: `${WORLD_MONTH}-15T11:00:00+07:00`,
    state: 'completed',
    customer,
    attribution: { collaboratorId: ctvId, refId: null, couponCode: null, opportunityId: null },
  });
  const delivered = await ok('webhook order B', signedWebhook(api, ctx.tenantId, ctx.source, JSON.stringify(event)));
  const orderId = need('order B: orderId', delivered.orderId, delivered);

  const oppCustomer = { name: `Khách Tiềm Năng Hai ${tag}`, phone: freshPhone('097') };
  const objective = (managerUserId: string) =>
    owner.post(`${base}/okrs`, {
      managerUserId,
      period: WORLD_MONTH,
      title: 'CSAT tháng 10',
      weightBp: 10000,
      keyResults: [{ title: 'CSAT', start: 0, target: 90, weightBp: 10000 }],
    });
  const [opportunity, incurred, adjustment, objectiveB, objectiveA] = await Promise.all([
    ok(
      'opportunity B',
      ctvUser.post(`/v1/pages/${ctx.pageId}/opportunities`, {
        customerName: oppCustomer.name,
        customerPhone: oppCustomer.phone,
        productInterest: 'Kem 50g',
      }),
    ),
    ok(
      'incurred commission B',
      owner.post(`${base}/incurred-commissions`, {
        collaboratorId: ctvId,
        lines: [{ productId: 'SERUM-30', quantity: 1, endUserPrice: 400000, percentBp: 500 }],
      }),
    ),
    ok(
      'adjustment B',
      owner.post(`${base}/adjustments`, { collaboratorId: ctvId, type: 'bonus', amount: 30000, reason: 'thưởng đội hai' }),
    ),
    ok('objective B', objective(subs.manager)),
    ok('objective A (October)', objective(ctx.managerSub)),
    ok(
      'KPI assignment, team A',
      owner.post(`${base}/kpi-assignments`, { planId: ctx.kpiPlanId, staffGroupId: ctx.groupId, effectiveFrom: `${WORLD_MONTH}-01` }),
    ),
    ok(
      'KPI assignment, team B',
      owner.post(`${base}/kpi-assignments`, { planId: ctx.kpiPlanId, userId: subs.care, effectiveFrom: `${WORLD_MONTH}-01` }),
    ),
    ok('rating of order 2 (team A)', owner.post(`${base}/orders/${ctx.order2Id}/feedback`, { stars: 5, comment: 'Tốt' })),
    ok('rating of order B', owner.post(`${base}/orders/${orderId}/feedback`, { stars: 4, comment: 'Khá' })),
  ]);

  const [manager, care, careA2] = await Promise.all([api.as(subs.manager), api.as(subs.care), api.as(subs.careA2)]);
  const teamB: SecondTeam = {
    manager,
    care,
    ctvUser,
    names,
    ctv: { id: ctvId, refId: need('CTV B: refId', ctvView.refId, ctvView), name: ctvName, phone: ctvPhone, email: ctvEmail },
    bank,
    order: { id: orderId, externalId: event.externalId, customerPhone: customer.phone, customerName: customer.name },
    opportunity: {
      id: need('opportunity B: id', opportunity.id, opportunity),
      customerName: oppCustomer.name,
      customerPhone: oppCustomer.phone,
    },
    objectiveId: need('objective B: id', objectiveB.id, objectiveB),
    keyResultId: need('objective B: keyResults[0].id', objectiveB.keyResults?.[0]?.id, objectiveB),
    incurredId: need('incurred commission B: id', incurred.id, incurred),
    adjustmentId: need('adjustment B: id', adjustment.id, adjustment),
  };
  return { teamB, careA2, careA2Name, teamA: { objectiveId: need('objective A: id', objectiveA.id, objectiveA) } };
}

/**
 * The team world seen from team B: the same business, with team B's manager, care staff, CTV and
 * objects where `fillPath` and `sampleBody` take the world's (team A's) ones.
 */
export function teamBView(w: TeamWorld): World {
  const b = w.teamB;
  return {
    ...w,
    manager: b.manager,
    care: b.care,
    ctvUser: b.ctvUser,
    ctv: b.ctv,
    ctv2: { id: b.ctv.id, refId: b.ctv.refId, name: b.ctv.name, phone: b.ctv.phone },
    order: b.order,
    order2: b.order,
    opportunity: b.opportunity,
    names: { ...w.names, manager: b.names.manager, care: b.names.care },
    bank: b.bank,
    extra: { ...w.extra, objectiveId: b.objectiveId, keyResultId: b.keyResultId, incurredId: b.incurredId, adjustmentId: b.adjustmentId },
  };
}
