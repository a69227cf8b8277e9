import { describe, expect, it } from 'vitest';
import { uniquePhone } from './support/api';
import { idsOf, ifMatch, network, type Network } from './support/network';

async function tree(n: Network) {
  const add = async (name: string, referrer?: any) => n.addCtv({ name, ...(referrer ? { referrerRefId: referrer.refId } : {}) });
  const a = await add('Gốc An');
  const b1 = await add('Bình Một', a);
  const b2 = await add('Bình Hai', a);
  const b3 = await add('Bình Ba', a);
  const c1 = await add('Cúc Một', b1);
  const c2 = await add('Cúc Hai', b1);
  const c3 = await add('Cúc Ba', b3);
  const d1 = await add('Dũng Một', c1);
  const x = await add('Xuân Khác');
  return { a, b1, b2, b3, c1, c2, c3, d1, x };
}

async function allPages(n: Network, path: string, limit: number) {
  const items: any[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const res: any = await n.owner.get(
      `${path}${path.includes('?') ? '&' : '?'}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeLessThanOrEqual(limit);
    items.push(...res.body.items);
    cursor = res.body.nextCursor;
    pages += 1;
  } while (cursor && pages < 50);
  return { items, pages };
}

describe('the referral tree', () => {
  it('F1 are the direct referees; depth=2 lists each F1 followed by its own referees; pages of any size give the same list', async () => {
    const n = await network();
    const t = await tree(n);
    const base = `${n.base}/collaborators/${t.a.id}/referees`;
    const f1 = await n.owner.get(base);
    expect(f1.status).toBe(200);
    expect(idsOf(f1)).toEqual([t.b1.id, t.b2.id, t.b3.id]);
    expect(f1.body.items.every((r: any) => r.depth === 1 && r.referrerId === t.a.id)).toBe(true);
    expect(f1.body.nextCursor).toBeNull();

    const expected = [t.b1, t.c1, t.c2, t.b2, t.b3, t.c3].map((c) => c.id);
    for (const limit of [1, 2, 4, 200]) {
      const { items, pages } = await allPages(n, `${base}?depth=2`, limit);
      expect(
        items.map((r) => r.id),
        `limit ${limit}`,
      ).toEqual(expected);
      expect(items.map((r) => r.depth)).toEqual([1, 2, 2, 1, 1, 2]);
      if (limit === 2) expect(pages).toBeGreaterThanOrEqual(3);
    }
    // F1 paginated too
    expect((await allPages(n, base, 2)).items.map((r) => r.id)).toEqual([t.b1.id, t.b2.id, t.b3.id]);
    // no contact or bank details of the downline
    const one = (await n.owner.get(`${base}?depth=2`)).body.items[1];
    expect(Object.keys(one).sort()).toEqual(
      ['createdAt', 'depth', 'id', 'level', 'name', 'approvedAt', 'refId', 'referrerId', 'status'].sort(),
    );
    expect(one).toMatchObject({ id: t.c1.id, name: 'Cúc Một', referrerId: t.b1.id });

    expect(idsOf(await n.owner.get(`${n.base}/collaborators/${t.x.id}/referees?depth=2`))).toEqual([]);
    expect((await n.owner.get(`${base}?depth=3`)).status).toBe(400);
    expect((await n.owner.get(`${n.base}/collaborators/nope/referees`)).status).toBe(404);
  });

  it('a cursor from another CTV’s tree is refused', async () => {
    const n = await network();
    const t = await tree(n);
    const page = await n.owner.get(`${n.base}/collaborators/${t.b1.id}/referees?depth=2&limit=1`);
    expect(page.body.nextCursor).toBeTruthy();
    const forged = await n.owner.get(
      `${n.base}/collaborators/${t.x.id}/referees?depth=2&cursor=${encodeURIComponent(page.body.nextCursor)}`,
    );
    expect(forged.status).toBe(400);
    expect(forged.body.errors[0].path).toBe('cursor');
    expect((await n.owner.get(`${n.base}/collaborators/${t.a.id}/referees?depth=2&cursor=garbage`)).status).toBe(400);
  });

  it('self-referral and cycles are refused; a valid referrer change moves the CTV between trees', async () => {
    const n = await network();
    const t = await tree(n);
    const patch = (c: any, refId: string | null, version = 1) =>
      n.owner.patch(`${n.base}/collaborators/${c.id}`, { referrerRefId: refId }, ifMatch(version));

    const self = await patch(t.a, t.a.refId);
    expect(self.status).toBe(422);
    expect(self.body.errors[0].path).toBe('referrerRefId');
    for (const descendant of [t.b1, t.c1, t.d1]) {
      const cycle = await patch(t.a, descendant.refId);
      expect(cycle.status, descendant.name).toBe(422);
      expect(cycle.body.detail).toMatch(/cycle/);
    }
    const cycleMid = await patch(t.b1, t.d1.refId);
    expect(cycleMid.status).toBe(422);
    expect((await patch(t.a, 'ZZZZ9999')).status).toBe(422);
    expect((await n.owner.get(`${n.base}/collaborators/${t.a.id}`)).body.version).toBe(1); // nothing stored

    // B2 moves under X; then C1 (with its own referee D1) moves under B2: not a cycle
    const moved = await patch(t.b2, t.x.refId);
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ referrerId: t.x.id, referrerRefId: t.x.refId, version: 2 });
    expect(idsOf(await n.owner.get(`${n.base}/collaborators/${t.a.id}/referees`))).toEqual([t.b1.id, t.b3.id]);
    expect(idsOf(await n.owner.get(`${n.base}/collaborators/${t.x.id}/referees`))).toEqual([t.b2.id]);
    expect((await patch(t.c1, t.b2.refId)).status).toBe(200);
    expect(idsOf(await n.owner.get(`${n.base}/collaborators/${t.x.id}/referees?depth=2`))).toEqual([t.b2.id, t.c1.id]);
    // and X under D1 would now close X → B2 → C1 → D1 → X
    expect((await patch(t.x, t.d1.refId)).status).toBe(422);

    const removed = await patch(t.b2, null, 2);
    expect(removed.status).toBe(200);
    expect(removed.body).not.toHaveProperty('referrerId');
    expect(removed.body).not.toHaveProperty('referrerRefId');
    expect(idsOf(await n.owner.get(`${n.base}/collaborators/${t.x.id}/referees`))).toEqual([]);
  });

  it('two concurrent changes that together would close a cycle: at most one is stored', async () => {
    const n = await network();
    const a = await n.addCtv({ name: 'An' });
    const b = await n.addCtv({ name: 'Bảo' });
    const [ab, ba] = await Promise.all([
      n.owner.patch(`${n.base}/collaborators/${a.id}`, { referrerRefId: b.refId }, ifMatch(1)),
      n.owner.patch(`${n.base}/collaborators/${b.id}`, { referrerRefId: a.refId }, ifMatch(1)),
    ]);
    expect([ab.status, ba.status]).toContain(200);
    expect([ab.status, ba.status].filter((s) => s === 200)).toHaveLength(1);
    const [aNow, bNow] = await Promise.all([
      n.owner.get(`${n.base}/collaborators/${a.id}`),
      n.owner.get(`${n.base}/collaborators/${b.id}`),
    ]);
    expect(aNow.body.referrerId === b.id && bNow.body.referrerId === a.id).toBe(false);
  });

  it('only the owner changes a referrer', async () => {
    const n = await network();
    const a = await n.addCtv();
    const b = await n.addCtv();
    expect((await n.m1.patch(`${n.base}/collaborators/${b.id}`, { referrerRefId: a.refId }, ifMatch(1))).status).toBe(403);
    expect((await n.careA.patch(`${n.base}/collaborators/${b.id}`, { referrerRefId: a.refId }, ifMatch(1))).status).toBe(403);
    expect((await n.owner.get(`${n.base}/collaborators/${b.id}`)).body).not.toHaveProperty('referrerId');
  });

  it('a CTV sees their own referees; staff outside the tree’s care do not', async () => {
    const n = await network();
    const { user, ctv } = await n.ctvWithAccount(n.ids.careA);
    const f1 = await n.addCtv({ name: 'Em Một', referrerRefId: ctv.refId, careStaffUserId: n.ids.careB, phone: uniquePhone() });
    const own = await user.get(`${n.base}/collaborators/${ctv.id}/referees`);
    expect(own.status).toBe(200);
    expect(idsOf(own)).toEqual([f1.id]);
    expect(JSON.stringify(own.body)).not.toContain(f1.phone);
    expect((await n.careB.get(`${n.base}/collaborators/${ctv.id}/referees`)).status).toBe(404);
    expect((await n.m2.get(`${n.base}/collaborators/${ctv.id}/referees`)).status).toBe(404);
    expect((await user.get(`${n.base}/collaborators/${f1.id}/referees`)).status).toBe(404);
  });
});
