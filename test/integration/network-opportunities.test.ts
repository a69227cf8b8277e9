import { describe, expect, it } from 'vitest';
import { as, request, unique, uniquePhone } from './support/api';
import { idsOf, ifMatch, network } from './support/network';

const opportunity = (i = 0) => ({
  customerName: `Khách hàng ${i}`,
  customerPhone: uniquePhone(),
  productInterest: 'Serum dưỡng da 30ml',
  note: 'Gọi sau 18h',
});

describe('sales opportunities', () => {
  it('an approved CTV files one on the page; it goes to their care staff; new → contacted → won with the order', async () => {
    const n = await network();
    const { user, ctv } = await n.ctvWithAccount(n.ids.careA);
    const filed = await user.post(`${n.page}/opportunities`, { ...opportunity(), customerPhone: '+84 912 000 111' });
    expect(filed.status).toBe(201);
    expect(filed.body).toMatchObject({
      tenantId: n.tenantId,
      collaboratorId: ctv.id,
      collaboratorUserId: user.sub,
      careStaffUserId: n.ids.careA,
      managerUserId: n.ids.m1,
      customerPhone: '+84912000111',
      productInterest: 'Serum dưỡng da 30ml',
      state: 'new',
      version: 1,
    });
    const path = `${n.base}/opportunities/${filed.body.id}`;
    const read = await n.careA.get(path);
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBe('"1"');

    // won straight from new, or without an order, is refused
    expect((await n.careA.post(`${path}/state`, { state: 'won', orderId: 'HD-1' }, ifMatch(1))).status).toBe(422);
    const noOrder = await n.careA.post(`${path}/state`, { state: 'won' }, ifMatch(1));
    expect(noOrder.status).toBe(400);
    expect(noOrder.body.errors[0].path).toBe('orderId');
    expect((await n.careA.post(`${path}/state`, { state: 'contacted', orderId: 'HD-1' }, ifMatch(1))).status).toBe(400);
    expect((await n.careA.post(`${path}/state`, { state: 'new' }, ifMatch(1))).status).toBe(400);
    expect((await n.careA.post(`${path}/state`, { state: 'contacted' })).status).toBe(428);
    expect((await n.careA.post(`${path}/state`, { state: 'contacted' }, ifMatch(9))).status).toBe(412);

    const contacted = await n.careA.post(`${path}/state`, { state: 'contacted', reason: 'Đã gọi, khách hẹn mua' }, ifMatch(1));
    expect(contacted.status).toBe(200);
    expect(contacted.body).toMatchObject({ state: 'contacted', version: 2 });
    expect((await n.careA.post(`${path}/state`, { state: 'contacted' }, ifMatch(2))).status).toBe(422);
    const won = await n.careA.post(`${path}/state`, { state: 'won', orderId: 'HD-10293' }, { ...ifMatch(2) });
    expect(won.status).toBe(200);
    expect(won.body).toMatchObject({ state: 'won', orderId: 'HD-10293', version: 3 });
    expect(won.body.history.map((h: any) => [h.state, h.by])).toEqual([
      ['new', user.sub],
      ['contacted', n.ids.careA],
      ['won', n.ids.careA],
    ]);
    for (const state of ['contacted', 'won', 'lost']) {
      const body = state === 'won' ? { state, orderId: 'HD-2' } : { state };
      expect((await n.owner.post(`${path}/state`, body, ifMatch(3))).status, state).toBe(422);
    }
  });

  it('new → lost and contacted → lost, with a reason; lost is final', async () => {
    const n = await network();
    const { user } = await n.ctvWithAccount(n.ids.careA);
    const a = (await user.post(`${n.page}/opportunities`, opportunity(1))).body;
    const lost = await n.m1.post(`${n.base}/opportunities/${a.id}/state`, { state: 'lost', reason: 'Sai số' }, ifMatch(1));
    expect(lost.body).toMatchObject({ state: 'lost', version: 2 });
    expect(lost.body.history[1]).toMatchObject({ state: 'lost', by: n.ids.m1, reason: 'Sai số' });
    expect((await n.owner.post(`${n.base}/opportunities/${a.id}/state`, { state: 'contacted' }, ifMatch(2))).status).toBe(422);
    const b = (await user.post(`${n.page}/opportunities`, opportunity(2))).body;
    await n.ok(n.careA.post(`${n.base}/opportunities/${b.id}/state`, { state: 'contacted' }, ifMatch(1)));
    expect((await n.owner.post(`${n.base}/opportunities/${b.id}/state`, { state: 'lost' }, ifMatch(2))).body.state).toBe('lost');
  });

  it('only approved CTVs of the business, by their linked account, file opportunities', async () => {
    const n = await network();
    const { user, ctv } = await n.ctvWithAccount(n.ids.careA);
    await n.ok(n.owner.post(`${n.base}/collaborators/${ctv.id}/pause`, {}, ifMatch(ctv.version)));
    const paused = await user.post(`${n.page}/opportunities`, opportunity());
    expect(paused.status).toBe(422);
    expect(paused.body.errors[0].path).toBe('status');

    const registered = await as(unique('new-'));
    expect((await registered.post(`${n.page}/join`, { name: 'Mới', phone: uniquePhone() })).body.status).toBe('registered');
    expect((await registered.post(`${n.page}/opportunities`, opportunity())).status).toBe(422);

    for (const who of [n.owner, n.m1, n.careA, n.seller, n.stranger]) {
      expect((await who.post(`${n.page}/opportunities`, opportunity())).status, who.sub).toBe(403);
    }
    expect((await request('POST', `${n.page}/opportunities`, { body: opportunity() })).status).toBe(401);
    expect((await user.post(`/v1/pages/${unique('nope-')}/opportunities`, opportunity())).status).toBe(404);
    // a CTV of another business is a stranger here
    const other = await network();
    const { user: otherCtv } = await other.ctvWithAccount(other.ids.careA);
    expect((await otherCtv.post(`${n.page}/opportunities`, opportunity())).status).toBe(403);
    const bad = await user.post(`${n.page}/opportunities`, { ...opportunity(), customerPhone: '123' });
    expect(bad.status).toBe(400);
    expect((await n.owner.get(`${n.base}/opportunities`)).body.items).toEqual([]);
  });

  it('lists by state, CTV and care staff, each member within their scope', async () => {
    const n = await network();
    const a = await n.ctvWithAccount(n.ids.careA, 'CTV của A');
    const b = await n.ctvWithAccount(n.ids.careB, 'CTV của B');
    const a1 = (await a.user.post(`${n.page}/opportunities`, opportunity(1))).body;
    const a2 = (await a.user.post(`${n.page}/opportunities`, opportunity(2))).body;
    const b1 = (await b.user.post(`${n.page}/opportunities`, opportunity(3))).body;
    await n.ok(n.careA.post(`${n.base}/opportunities/${a2.id}/state`, { state: 'contacted' }, ifMatch(1)));
    const list = async (who: any, q = '') => {
      const res = await who.get(`${n.base}/opportunities${q}`);
      expect(res.status).toBe(200);
      return idsOf(res);
    };
    expect(await list(n.owner)).toEqual([a1.id, a2.id, b1.id]);
    expect(await list(n.owner, '?state=new')).toEqual([a1.id, b1.id]);
    expect(await list(n.owner, '?state=contacted')).toEqual([a2.id]);
    expect(await list(n.owner, `?collaboratorId=${a.ctv.id}`)).toEqual([a1.id, a2.id]);
    expect(await list(n.owner, `?collaboratorId=${a.ctv.id}&state=new`)).toEqual([a1.id]);
    expect(await list(n.owner, `?careStaffUserId=${n.ids.careB}`)).toEqual([b1.id]);
    expect(await list(n.m1)).toEqual([a1.id, a2.id]);
    expect(await list(n.m1, `?collaboratorId=${b.ctv.id}`)).toEqual([]);
    expect(await list(n.m2, '?state=new')).toEqual([b1.id]);
    expect(await list(n.careA)).toEqual([a1.id, a2.id]);
    expect(await list(n.careA, `?careStaffUserId=${n.ids.careB}`)).toEqual([]);
    expect(await list(n.careB, `?collaboratorId=${a.ctv.id}`)).toEqual([]);
    expect(await list(a.user)).toEqual([a1.id, a2.id]);
    expect(await list(a.user, `?collaboratorId=${b.ctv.id}`)).toEqual([]);
    expect(await list(b.user, '?state=new')).toEqual([b1.id]);
    const paged = await n.owner.get(`${n.base}/opportunities?limit=2`);
    expect(idsOf(paged)).toEqual([a1.id, a2.id]);
    expect(idsOf(await n.owner.get(`${n.base}/opportunities?limit=2&cursor=${encodeURIComponent(paged.body.nextCursor)}`))).toEqual([
      b1.id,
    ]);
    expect((await n.owner.get(`${n.base}/opportunities?state=open`)).status).toBe(400);
  });
});
