import { describe, expect, it } from 'vitest';
import { as, newBusiness, unique } from './support/api';

describe('rosters', () => {
  it('add, list and remove managers and care staff; membership and /v1/me follow', async () => {
    const { owner, base, tenantId } = await newBusiness();
    const managerId = unique('mgr-');
    const added = await owner.post(`${base}/managers`, { userId: managerId, name: 'Lê Thị Mai', email: 'mai@example.vn' });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ userId: managerId, role: 'manager', name: 'Lê Thị Mai', addedBy: owner.sub });

    const staffId = unique('care-');
    const staff = await owner.post(`${base}/care-staff`, { userId: staffId, name: 'Phạm Văn Đức', managerUserId: managerId });
    expect(staff.status).toBe(201);
    expect(staff.body.managerUserId).toBe(managerId);

    const manager = await as(managerId);
    expect((await manager.get('/v1/me')).body.memberships).toEqual([{ tenantId, role: 'manager' }]);
    const managers = await manager.get(`${base}/managers`);
    expect(managers.body.items.map((m: any) => m.userId)).toEqual([managerId]);
    const careStaff = await owner.get(`${base}/care-staff`);
    expect(careStaff.body.items.map((m: any) => m.userId)).toEqual([staffId]);

    expect((await owner.delete(`${base}/managers/${managerId}`)).status).toBe(204);
    expect((await owner.get(`${base}/managers`)).body.items).toEqual([]);
    expect((await manager.get('/v1/me')).body.memberships).toEqual([]);
    expect((await manager.get(`${base}/managers`)).status).toBe(404); // no longer a member
    expect((await owner.delete(`${base}/managers/${managerId}`)).status).toBe(404);
  });

  it('one account may hold two roles; removing one keeps the other', async () => {
    const { owner, base, tenantId } = await newBusiness();
    const id = unique('both-');
    await owner.post(`${base}/care-staff`, { userId: id, name: 'Võ Thị Lan' });
    await owner.post(`${base}/sellers`, { userId: id, name: 'Võ Thị Lan' });
    const user = await as(id);
    const roles = (await user.get('/v1/me')).body.memberships.map((m: any) => m.role).sort();
    expect(roles).toEqual(['care_staff', 'seller']);
    await owner.delete(`${base}/sellers/${id}`);
    expect((await user.get('/v1/me')).body.memberships).toEqual([{ tenantId, role: 'care_staff' }]);
  });

  it('keeps a care staff who still looks after CTVs; one who leaves also leaves their staff group', async () => {
    const { owner, base } = await newBusiness();
    const staffId = unique('care-');
    const otherId = unique('care-');
    await owner.post(`${base}/care-staff`, { userId: staffId, name: 'Phạm Văn Đức' });
    await owner.post(`${base}/care-staff`, { userId: otherId, name: 'Võ Thị Lan' });
    const group = (await owner.post(`${base}/staff-groups`, { name: 'Nhóm miền Trung' })).body;
    expect((await owner.post(`${base}/staff-groups/${group.id}/members`, { userId: staffId })).status).toBe(201);
    const ctv = (await owner.post(`${base}/collaborators`, { name: 'Lê Thị Cúc', phone: '0912345678' })).body;
    const assign = (careStaffUserId: string, version: number) =>
      owner.post(`${base}/collaborators/${ctv.id}/care-staff`, { careStaffUserId }, { 'if-match': `"${version}"` });
    expect((await assign(staffId, ctv.version)).status).toBe(200);

    const refused = await owner.delete(`${base}/care-staff/${staffId}`);
    expect(refused.status).toBe(409);
    expect(refused.headers.get('content-type')).toMatch(/problem\+json/);
    expect(refused.body.errors[0].path).toBe('userId');
    // nothing changed: still on the roster, still in the group
    expect((await owner.get(`${base}/care-staff`)).body.items.map((m: any) => m.userId).sort()).toEqual([staffId, otherId].sort());
    expect((await owner.get(`${base}/staff-groups/${group.id}/members`)).body.items.map((m: any) => m.userId)).toEqual([staffId]);

    expect((await assign(otherId, ctv.version + 1)).status).toBe(200);
    expect((await owner.delete(`${base}/care-staff/${staffId}`)).status).toBe(204);
    expect((await owner.get(`${base}/care-staff`)).body.items.map((m: any) => m.userId)).toEqual([otherId]);
    expect((await owner.get(`${base}/staff-groups/${group.id}/members`)).body.items).toEqual([]);
    // back on the roster later, they can join a group again
    await owner.post(`${base}/care-staff`, { userId: staffId, name: 'Phạm Văn Đức' });
    expect((await owner.post(`${base}/staff-groups/${group.id}/members`, { userId: staffId })).status).toBe(201);
  });

  it('refuses duplicates, unknown managers and callers who are not the owner', async () => {
    const { owner, base } = await newBusiness();
    const managerId = unique('mgr-');
    expect((await owner.post(`${base}/managers`, { userId: managerId, name: 'Mai' })).status).toBe(201);
    const duplicate = await owner.post(`${base}/managers`, { userId: managerId, name: 'Mai' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.errors[0].path).toBe('userId');

    const unknownManager = await owner.post(`${base}/care-staff`, { userId: unique('care-'), name: 'Đức', managerUserId: 'nobody' });
    expect(unknownManager.status).toBe(422);
    expect(unknownManager.body.errors[0].path).toBe('managerUserId');

    const manager = await as(managerId);
    expect((await manager.post(`${base}/care-staff`, { userId: unique('care-'), name: 'Đức' })).status).toBe(403);
    expect((await manager.delete(`${base}/managers/${managerId}`)).status).toBe(403);
    expect((await owner.get(`${base}/care-staff`)).body.items).toEqual([]);
  });

  it('pages through a roster with the cursor', async () => {
    const { owner, base } = await newBusiness();
    const ids = await Promise.all(
      Array.from({ length: 5 }, async (_, i) => {
        const userId = `seller-${i}-${unique()}`;
        await owner.post(`${base}/sellers`, { userId, name: `Người bán ${i}` });
        return userId;
      }),
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await owner.get(`${base}/sellers?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((s: any) => s.userId));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual(ids.sort());
  });
});
