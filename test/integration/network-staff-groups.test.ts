import { describe, expect, it } from 'vitest';
import { network } from './support/network';

describe('staff groups', () => {
  it('the owner creates groups and adds and removes care staff; staff list them', async () => {
    const n = await network();
    const north = await n.owner.post(`${n.base}/staff-groups`, { name: ' Nhóm miền Bắc ', description: 'KPI tháng' });
    expect(north.status).toBe(201);
    expect(north.body).toMatchObject({ name: 'Nhóm miền Bắc', description: 'KPI tháng', tenantId: n.tenantId, createdBy: n.owner.sub });
    const south = (await n.owner.post(`${n.base}/staff-groups`, { name: 'Nhóm miền Nam' })).body;
    const groups = await n.m1.get(`${n.base}/staff-groups`);
    expect(groups.body.items.map((g: any) => g.name)).toEqual(['Nhóm miền Bắc', 'Nhóm miền Nam']);
    const paged = await n.careA.get(`${n.base}/staff-groups?limit=1`);
    expect(paged.body.items).toHaveLength(1);
    expect(paged.body.nextCursor).toBeTruthy();

    const members = `${n.base}/staff-groups/${north.body.id}/members`;
    const added = await n.owner.post(members, { userId: n.ids.careA });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ groupId: north.body.id, userId: n.ids.careA, name: 'Phạm Văn Đức', addedBy: n.owner.sub });
    expect((await n.owner.post(members, { userId: n.ids.careA2 })).status).toBe(201);
    const listed = await n.careB.get(members);
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((m: any) => m.userId).sort()).toEqual([n.ids.careA, n.ids.careA2].sort());
    expect((await n.owner.get(`${n.base}/staff-groups/${south.id}/members`)).body.items).toEqual([]);

    // one group per care staff; the same group twice is a conflict too
    const again = await n.owner.post(members, { userId: n.ids.careA });
    expect(again.status).toBe(409);
    expect(again.body.errors[0].path).toBe('userId');
    const elsewhere = await n.owner.post(`${n.base}/staff-groups/${south.id}/members`, { userId: n.ids.careA });
    expect(elsewhere.status).toBe(409);
    expect(elsewhere.body.detail).toMatch(/another staff group/);

    expect((await n.owner.delete(`${members}/${n.ids.careA}`)).status).toBe(204);
    expect((await n.owner.delete(`${members}/${n.ids.careA}`)).status).toBe(404);
    expect((await n.owner.delete(`${n.base}/staff-groups/${south.id}/members/${n.ids.careA2}`)).status).toBe(404); // not in that group
    expect((await n.owner.get(members)).body.items.map((m: any) => m.userId)).toEqual([n.ids.careA2]);
    // now free to join the other group
    expect((await n.owner.post(`${n.base}/staff-groups/${south.id}/members`, { userId: n.ids.careA })).status).toBe(201);
  });

  it('members must be on the care staff roster; unknown groups are 404; bad input 400', async () => {
    const n = await network();
    const group = (await n.owner.post(`${n.base}/staff-groups`, { name: 'Nhóm 1' })).body;
    const members = `${n.base}/staff-groups/${group.id}/members`;
    const seller = await n.owner.post(members, { userId: n.ids.seller });
    expect(seller.status).toBe(422);
    expect(seller.body.errors[0].path).toBe('userId');
    expect((await n.owner.post(members, { userId: n.ids.m1 })).status).toBe(422);
    expect((await n.owner.post(`${n.base}/staff-groups/01ARZ3NDEKTSV4RRFFQ69G5FAV/members`, { userId: n.ids.careA })).status).toBe(404);
    expect((await n.owner.get(`${n.base}/staff-groups/01ARZ3NDEKTSV4RRFFQ69G5FAV/members`)).status).toBe(404);
    expect((await n.owner.post(`${n.base}/staff-groups`, { name: '' })).status).toBe(400);
    expect((await n.owner.post(`${n.base}/staff-groups`, {})).status).toBe(400);
    expect((await n.owner.get(members)).body.items).toEqual([]);
  });

  it('concurrent adds of one care staff to two groups: one wins', async () => {
    const n = await network();
    const [g1, g2] = await Promise.all([
      n.owner.post(`${n.base}/staff-groups`, { name: 'G1' }),
      n.owner.post(`${n.base}/staff-groups`, { name: 'G2' }),
    ]);
    const results = await Promise.all([
      n.owner.post(`${n.base}/staff-groups/${g1.body.id}/members`, { userId: n.ids.careB }),
      n.owner.post(`${n.base}/staff-groups/${g2.body.id}/members`, { userId: n.ids.careB }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
  });
});
