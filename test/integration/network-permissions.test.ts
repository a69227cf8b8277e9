import { beforeAll, describe, expect, it } from 'vitest';
import { uniquePhone, type ApiResponse, type User } from './support/api';
import { ifMatch, network, type Network } from './support/network';

/**
 * Each role against each route of the collaborator network: allowed (the success status), or
 * 403 (a member without the role or the right) / 404 (not a member, or not allowed to see it).
 * The target CTV T is cared for by care staff A on manager M1's team and linked to `ctvSelf`;
 * `ctvOther` is a CTV of care staff B (manager M2's team). Writes act on a fresh CTV each time.
 */
const ACTORS = ['owner', 'm1', 'm2', 'careA', 'careB', 'seller', 'ctvSelf', 'ctvOther', 'stranger'] as const;
type Actor = (typeof ACTORS)[number];
type Expect = Record<Actor, number>;

const row = (
  owner: number,
  m1: number,
  m2: number,
  careA: number,
  careB: number,
  seller: number,
  ctvSelf: number,
  ctvOther: number,
  stranger: number,
): Expect => ({
  owner,
  m1,
  m2,
  careA,
  careB,
  seller,
  ctvSelf,
  ctvOther,
  stranger,
});

let n: Network;
let users: Record<Actor, User>;
let self: { user: User; ctv: any };
let other: { user: User; ctv: any };
let referrer: any;
let opp: any;
let group: any;

beforeAll(async () => {
  n = await network();
  self = await n.ctvWithAccount(n.ids.careA, 'CTV T');
  other = await n.ctvWithAccount(n.ids.careB, 'CTV khác');
  referrer = await n.addCtv({ name: 'Người giới thiệu' });
  await n.addCtv({ name: 'F1 của T', referrerRefId: self.ctv.refId });
  opp = (await self.user.post(`${n.page}/opportunities`, { customerName: 'Khách', customerPhone: uniquePhone(), productInterest: 'Kem' }))
    .body;
  group = (await n.owner.post(`${n.base}/staff-groups`, { name: 'Nhóm' })).body;
  await n.ok(n.owner.post(`${n.base}/staff-groups/${group.id}/members`, { userId: n.ids.careB }));
  users = {
    owner: n.owner,
    m1: n.m1,
    m2: n.m2,
    careA: n.careA,
    careB: n.careB,
    seller: n.seller,
    ctvSelf: self.user,
    ctvOther: other.user,
    stranger: n.stranger,
  };
}, 60_000);

const ctvPath = (id: string) => `${n.base}/collaborators/${id}`;
/** a fresh CTV of care staff A for a write, or T itself when T's own account calls */
async function target(actor: Actor, status: 'approved' | 'paused' = 'approved') {
  if (actor === 'ctvSelf') return self.ctv;
  const ctv = await n.addCtv();
  if (status === 'paused') return n.ok(n.owner.post(`${ctvPath(ctv.id)}/pause`, {}, ifMatch(1)));
  return ctv;
}
async function freshOpportunity() {
  return (await self.user.post(`${n.page}/opportunities`, { customerName: 'Khách', customerPhone: uniquePhone(), productInterest: 'Kem' }))
    .body;
}

const CASES: { name: string; expect: Expect; call: (u: User, actor: Actor) => Promise<ApiResponse> }[] = [
  { name: 'GET collaborators', expect: row(200, 200, 200, 200, 200, 403, 403, 403, 404), call: (u) => u.get(`${n.base}/collaborators`) },
  { name: 'GET collaborators/{T}', expect: row(200, 200, 404, 200, 404, 404, 200, 404, 404), call: (u) => u.get(ctvPath(self.ctv.id)) },
  {
    name: 'GET collaborators/me',
    expect: row(403, 403, 403, 403, 403, 403, 200, 200, 404),
    call: (u) => u.get(`${n.base}/collaborators/me`),
  },
  {
    name: 'POST collaborators',
    expect: row(201, 201, 201, 201, 201, 403, 403, 403, 404),
    call: (u) => u.post(`${n.base}/collaborators`, { name: 'Mới', phone: uniquePhone() }),
  },
  {
    name: 'PATCH collaborators/{id} (note)',
    expect: row(200, 200, 404, 200, 404, 403, 403, 403, 404),
    call: async (u, a) => {
      const t = await target(a);
      return u.patch(ctvPath(t.id), { note: 'Ghi chú' }, ifMatch(t.version));
    },
  },
  {
    name: 'PATCH collaborators/{id} (level)',
    expect: row(200, 200, 404, 403, 404, 403, 403, 403, 404),
    call: async (u, a) => {
      const t = await target(a);
      return u.patch(ctvPath(t.id), { level: 2 }, ifMatch(t.version));
    },
  },
  {
    name: 'PATCH collaborators/{id} (referrer)',
    expect: row(200, 403, 404, 403, 404, 403, 403, 403, 404),
    call: async (u, a) => {
      const t = await target(a);
      return u.patch(ctvPath(t.id), { referrerRefId: referrer.refId }, ifMatch(t.version));
    },
  },
  ...(['approve', 'pause', 'resume'] as const).map((action) => ({
    name: `POST collaborators/{id}/${action}`,
    expect: row(200, 200, 404, 200, 404, 403, 403, 403, 404),
    call: async (u: User, a: Actor) => {
      const t = await target(a, action === 'pause' ? 'approved' : 'paused');
      return u.post(`${ctvPath(t.id)}/${action}`, {}, ifMatch(t.version));
    },
  })),
  {
    name: 'POST collaborators/{id}/block',
    expect: row(200, 200, 404, 403, 404, 403, 403, 403, 404),
    call: async (u, a) => {
      const t = await target(a);
      return u.post(`${ctvPath(t.id)}/block`, { reason: 'Vi phạm' }, ifMatch(t.version));
    },
  },
  {
    name: 'POST collaborators/{id}/care-staff',
    expect: row(200, 200, 404, 403, 403, 403, 403, 403, 404),
    call: async (u, a) => {
      const t = await target(a);
      return u.post(`${ctvPath(t.id)}/care-staff`, { careStaffUserId: n.ids.careA2 }, ifMatch(t.version));
    },
  },
  {
    name: 'GET collaborators/{T}/referees',
    expect: row(200, 200, 404, 200, 404, 403, 200, 404, 404),
    call: (u) => u.get(`${ctvPath(self.ctv.id)}/referees?depth=2`),
  },
  {
    name: 'POST collaborators/imports (dry run)',
    expect: row(200, 200, 200, 403, 403, 403, 403, 403, 404),
    call: (u) =>
      u.post(`${n.base}/collaborators/imports`, { csv: `name,phone,careStaffUserId\nA,${uniquePhone()},${n.ids.careA}`, dryRun: true }),
  },
  {
    name: 'POST pages/{pageId}/registrations (public)',
    expect: row(202, 202, 202, 202, 202, 202, 202, 202, 202),
    call: (u) => u.post(`${n.page}/registrations`, { name: 'Đăng ký', phone: uniquePhone() }),
  },
  {
    name: 'POST pages/{pageId}/opportunities',
    expect: row(403, 403, 403, 403, 403, 403, 201, 201, 403),
    call: (u) => u.post(`${n.page}/opportunities`, { customerName: 'Khách', customerPhone: uniquePhone(), productInterest: 'Kem' }),
  },
  { name: 'GET opportunities', expect: row(200, 200, 200, 200, 200, 403, 200, 200, 404), call: (u) => u.get(`${n.base}/opportunities`) },
  {
    name: 'GET opportunities/{id}',
    expect: row(200, 200, 404, 200, 404, 403, 200, 404, 404),
    call: (u) => u.get(`${n.base}/opportunities/${opp.id}`),
  },
  {
    name: 'POST opportunities/{id}/state',
    expect: row(200, 200, 404, 200, 404, 403, 403, 403, 404),
    call: async (u) => {
      const o = await freshOpportunity();
      return u.post(`${n.base}/opportunities/${o.id}/state`, { state: 'contacted' }, ifMatch(o.version));
    },
  },
  {
    name: 'POST staff-groups',
    expect: row(201, 403, 403, 403, 403, 403, 403, 403, 404),
    call: (u) => u.post(`${n.base}/staff-groups`, { name: 'Nhóm mới' }),
  },
  { name: 'GET staff-groups', expect: row(200, 200, 200, 200, 200, 403, 403, 403, 404), call: (u) => u.get(`${n.base}/staff-groups`) },
  {
    name: 'POST staff-groups/{id}/members',
    expect: row(201, 403, 403, 403, 403, 403, 403, 403, 404),
    call: (u) => u.post(`${n.base}/staff-groups/${group.id}/members`, { userId: n.ids.careA2 }),
  },
  {
    name: 'GET staff-groups/{id}/members',
    expect: row(200, 200, 200, 200, 200, 403, 403, 403, 404),
    call: (u) => u.get(`${n.base}/staff-groups/${group.id}/members`),
  },
  {
    name: 'DELETE staff-groups/{id}/members/{userId}',
    expect: row(204, 403, 403, 403, 403, 403, 403, 403, 404),
    call: (u) => u.delete(`${n.base}/staff-groups/${group.id}/members/${n.ids.careB}`),
  },
  // last: joining gives every caller who is not yet a CTV the collaborator role
  {
    name: 'POST pages/{pageId}/join',
    expect: row(201, 201, 201, 201, 201, 201, 200, 200, 201),
    call: (u) => u.post(`${n.page}/join`, { name: 'Tham gia', phone: uniquePhone() }),
  },
];

describe('permissions: each role against each route', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const actual = {} as Expect;
    for (const actor of ACTORS) actual[actor] = (await c.call(users[actor], actor)).status;
    expect(actual).toEqual(c.expect);
  });

  it('lists show each member only their scope', async () => {
    const sees = async (u: User, path: string, id: string) => {
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const res: ApiResponse = await u.get(`${path}?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        ids.push(...res.body.items.map((i: any) => i.id));
        cursor = res.body.nextCursor;
      } while (cursor);
      return ids.includes(id);
    };
    const ctvs = `${n.base}/collaborators`;
    expect(await sees(n.owner, ctvs, self.ctv.id)).toBe(true);
    expect(await sees(n.m1, ctvs, self.ctv.id)).toBe(true);
    expect(await sees(n.careA, ctvs, self.ctv.id)).toBe(true);
    expect(await sees(n.m2, ctvs, self.ctv.id)).toBe(false);
    expect(await sees(n.careB, ctvs, self.ctv.id)).toBe(false);
    expect(await sees(n.m2, ctvs, other.ctv.id)).toBe(true);
    const opps = `${n.base}/opportunities`;
    for (const [u, visible] of [
      [n.owner, true],
      [n.m1, true],
      [n.careA, true],
      [self.user, true],
      [n.m2, false],
      [n.careB, false],
      [other.user, false],
    ] as const) {
      expect(await sees(u, opps, opp.id), u.sub).toBe(visible);
    }
  });
});
