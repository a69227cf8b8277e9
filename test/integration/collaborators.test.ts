import { describe, expect, it } from 'vitest';
import { as, newBusiness, unique, uniquePhone } from './support/api';

async function team() {
  const business = await newBusiness();
  const { owner, base } = business;
  const managerId = unique('mgr-');
  const otherManagerId = unique('mgr-');
  const careA = unique('careA-');
  const careB = unique('careB-');
  await owner.post(`${base}/managers`, { userId: managerId, name: 'Lê Thị Mai' });
  await owner.post(`${base}/managers`, { userId: otherManagerId, name: 'Trịnh Công Sơn' });
  await owner.post(`${base}/care-staff`, { userId: careA, name: 'Phạm Văn Đức', managerUserId: managerId });
  await owner.post(`${base}/care-staff`, { userId: careB, name: 'Võ Thị Lan', managerUserId: otherManagerId });
  return { ...business, managerId, otherManagerId, careA, careB };
}

const idsOf = (res: any): string[] => res.body.items.map((c: any) => c.id);

describe('collaborators', () => {
  it('are added by hand, approved, with a unique REF ID and a referrer by REF ID', async () => {
    const { owner, base, careA, managerId } = await team();
    const hoa = await owner.post(`${base}/collaborators`, {
      name: 'Nguyễn Thị Hoa',
      phone: uniquePhone(),
      careStaffUserId: careA,
      level: 2,
    });
    expect(hoa.status).toBe(201);
    expect(hoa.body).toMatchObject({ status: 'approved', level: 2, careStaffUserId: careA, managerUserId: managerId, source: 'manual' });
    expect(hoa.body.statusHistory).toEqual([{ status: 'approved', at: hoa.body.createdAt, by: owner.sub }]);

    const binh = await owner.post(`${base}/collaborators`, {
      name: 'Trần Văn Bình',
      phone: uniquePhone(),
      referrerRefId: hoa.body.refId.toLowerCase(),
    });
    expect(binh.status).toBe(201);
    expect(binh.body.referrerId).toBe(hoa.body.id);
    expect(binh.body.refId).not.toBe(hoa.body.refId);

    const got = await owner.get(`${base}/collaborators/${binh.body.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(binh.body);
  });

  it('refuse a phone already in the business, an unknown REF ID and an unknown care staff', async () => {
    const { owner, base } = await team();
    const phone = uniquePhone();
    expect((await owner.post(`${base}/collaborators`, { name: 'Hoa', phone })).status).toBe(201);
    const again = await owner.post(`${base}/collaborators`, { name: 'Hoa 2', phone: `+84${phone.slice(1)}` });
    expect(again.status).toBe(409);
    expect(again.body.errors[0].path).toBe('phone');
    const ref = await owner.post(`${base}/collaborators`, { name: 'Bình', phone: uniquePhone(), referrerRefId: 'ZZZZ9999' });
    expect(ref.status).toBe(422);
    expect(ref.body.errors[0].path).toBe('referrerRefId');
    const staff = await owner.post(`${base}/collaborators`, { name: 'Bình', phone: uniquePhone(), careStaffUserId: 'nobody' });
    expect(staff.status).toBe(422);
    expect((await owner.get(`${base}/collaborators`)).body.items).toHaveLength(1);
  });

  it('list with filters by status, care staff and level, and page with a cursor', async () => {
    const { owner, base, careA, careB } = await team();
    const made: any[] = [];
    for (const [i, spec] of [
      { careStaffUserId: careA, level: 1 },
      { careStaffUserId: careA, level: 2 },
      { careStaffUserId: careB, level: 2 },
      { careStaffUserId: careB, level: 3 },
      { level: 1 },
    ].entries()) {
      const res = await owner.post(`${base}/collaborators`, { name: `CTV số ${i}`, phone: uniquePhone(), ...spec });
      expect(res.status).toBe(201);
      made.push(res.body);
    }
    const all: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: any = await owner.get(`${base}/collaborators?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      all.push(...idsOf(page));
      cursor = page.body.nextCursor;
      pages += 1;
    } while (cursor);
    expect(all).toEqual(made.map((c) => c.id)); // oldest first, each once
    expect(pages).toBe(3);

    expect(idsOf(await owner.get(`${base}/collaborators?careStaffUserId=${careA}`))).toEqual([made[0].id, made[1].id]);
    expect(idsOf(await owner.get(`${base}/collaborators?level=2`))).toEqual([made[1].id, made[2].id]);
    expect(idsOf(await owner.get(`${base}/collaborators?careStaffUserId=${careB}&level=3`))).toEqual([made[3].id]);
    expect(idsOf(await owner.get(`${base}/collaborators?status=approved&level=1`))).toEqual([made[0].id, made[4].id]);
    expect(idsOf(await owner.get(`${base}/collaborators?status=paused`))).toEqual([]);
    // a filtered list still fills its pages
    const filteredPage = await owner.get(`${base}/collaborators?level=2&limit=1`);
    expect(idsOf(filteredPage)).toEqual([made[1].id]);
    const next = await owner.get(`${base}/collaborators?level=2&limit=1&cursor=${encodeURIComponent(filteredPage.body.nextCursor)}`);
    expect(idsOf(next)).toEqual([made[2].id]);
    expect(next.body.nextCursor).toBeNull();
  });

  it('a list that ends on a page boundary ends there: no cursor to an empty page', async () => {
    const { owner, base, careA } = await team();
    const made: string[] = [];
    for (let i = 0; i < 4; i++) {
      const spec = i < 2 ? { careStaffUserId: careA } : {};
      made.push((await owner.post(`${base}/collaborators`, { name: `CTV số ${i}`, phone: uniquePhone(), ...spec })).body.id);
    }
    const pagesOf = async (query: string) => {
      const pages: string[][] = [];
      let cursor: string | null = null;
      do {
        const page: any = await owner.get(`${base}/collaborators?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        expect(page.status).toBe(200);
        pages.push(idsOf(page));
        cursor = page.body.nextCursor;
      } while (cursor && pages.length < 10);
      return pages;
    };
    expect(await pagesOf('limit=2')).toEqual([made.slice(0, 2), made.slice(2, 4)]);
    expect(await pagesOf('limit=4')).toEqual([made]);
    expect(await pagesOf('limit=3')).toEqual([made.slice(0, 3), made.slice(3)]);
    // through an index (the care staff's CTVs), and filtered (approved ones of that care staff)
    expect(await pagesOf(`careStaffUserId=${careA}&limit=1`)).toEqual([[made[0]], [made[1]]]);
    expect(await pagesOf(`careStaffUserId=${careA}&status=approved&limit=2`)).toEqual([made.slice(0, 2)]);
  });

  it('care staff see only their CTVs, managers their team, and care staff add to their own care', async () => {
    const { owner, base, careA, careB, managerId, otherManagerId } = await team();
    const a = await owner.post(`${base}/collaborators`, { name: 'CTV của A', phone: uniquePhone(), careStaffUserId: careA });
    const b = await owner.post(`${base}/collaborators`, { name: 'CTV của B', phone: uniquePhone(), careStaffUserId: careB });
    const staffA = await as(careA);
    expect(idsOf(await staffA.get(`${base}/collaborators`))).toEqual([a.body.id]);
    expect(idsOf(await staffA.get(`${base}/collaborators?careStaffUserId=${careB}`))).toEqual([]);
    expect((await staffA.get(`${base}/collaborators/${b.body.id}`)).status).toBe(404);
    expect((await staffA.get(`${base}/collaborators/${a.body.id}`)).status).toBe(200);

    const mine = await staffA.post(`${base}/collaborators`, { name: 'Do A thêm', phone: uniquePhone() });
    expect(mine.status).toBe(201);
    expect(mine.body.careStaffUserId).toBe(careA);
    expect((await staffA.post(`${base}/collaborators`, { name: 'X', phone: uniquePhone(), careStaffUserId: careB })).status).toBe(403);

    const manager = await as(managerId);
    expect(idsOf(await manager.get(`${base}/collaborators`))).toEqual([a.body.id, mine.body.id]);
    expect((await manager.get(`${base}/collaborators/${b.body.id}`)).status).toBe(404);
    const other = await as(otherManagerId);
    expect(idsOf(await other.get(`${base}/collaborators`))).toEqual([b.body.id]);
  });

  it('an Idempotency-Key makes a retried create answer the first result and create one CTV', async () => {
    const { owner, base } = await team();
    const key = unique('idem-');
    const body = { name: 'Nguyễn Văn An', phone: uniquePhone() };
    const first = await owner.post(`${base}/collaborators`, body, { 'idempotency-key': key });
    const second = await owner.post(`${base}/collaborators`, body, { 'idempotency-key': key });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    const reused = await owner.post(`${base}/collaborators`, { ...body, name: 'Khác' }, { 'idempotency-key': key });
    expect(reused.status).toBe(422);
    expect((await owner.get(`${base}/collaborators`)).body.items).toHaveLength(1);
  });
});
