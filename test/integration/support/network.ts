import { expect } from 'vitest';
import { as, newBusiness, unique, uniquePhone, type User } from './api';

/** If-Match for a version read. */
export const ifMatch = (version: number) => ({ 'if-match': `"${version}"` });

/**
 * A business with two teams: manager M1 with care staff A (and A2), manager M2 with care staff B;
 * a seller; and a stranger who belongs to nothing.
 */
export async function network() {
  const business = await newBusiness('Mỹ phẩm Hoa Sen');
  const { owner, base } = business;
  const ids = {
    m1: unique('m1-'),
    m2: unique('m2-'),
    careA: unique('careA-'),
    careA2: unique('careA2-'),
    careB: unique('careB-'),
    seller: unique('seller-'),
  };
  const ok = async (p: Promise<{ status: number; body: any }>) => {
    const res = await p;
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
    return res.body;
  };
  await ok(owner.post(`${base}/managers`, { userId: ids.m1, name: 'Lê Thị Mai' }));
  await ok(owner.post(`${base}/managers`, { userId: ids.m2, name: 'Trịnh Công Sơn' }));
  await ok(owner.post(`${base}/care-staff`, { userId: ids.careA, name: 'Phạm Văn Đức', managerUserId: ids.m1 }));
  await ok(owner.post(`${base}/care-staff`, { userId: ids.careA2, name: 'Đỗ Thị Hằng', managerUserId: ids.m1 }));
  await ok(owner.post(`${base}/care-staff`, { userId: ids.careB, name: 'Võ Thị Lan', managerUserId: ids.m2 }));
  await ok(owner.post(`${base}/sellers`, { userId: ids.seller, name: 'Đặng Quốc Huy' }));
  const [m1, m2, careA, careA2, careB, seller, stranger] = await Promise.all([
    as(ids.m1),
    as(ids.m2),
    as(ids.careA),
    as(ids.careA2),
    as(ids.careB),
    as(ids.seller),
    as(unique('stranger-')),
  ]);
  const pageId = business.tenant.pageId as string;
  const page = `/v1/pages/${pageId}`;

  /** A CTV added by the owner (approved), cared for by `careStaffUserId`. */
  const addCtv = async (extra: Record<string, unknown> = {}) =>
    ok(owner.post(`${base}/collaborators`, { name: 'Nguyễn Thị Hoa', phone: uniquePhone(), careStaffUserId: ids.careA, ...extra }));

  /** A CTV with an account: added by the owner with the account's email, then linked by joining. */
  const ctvWithAccount = async (careStaffUserId: string, name = 'Trần Văn Bình'): Promise<{ user: User; ctv: any }> => {
    const sub = unique('ctv-');
    const email = `${sub}@example.vn`;
    const phone = uniquePhone();
    await ok(owner.post(`${base}/collaborators`, { name, phone, email, careStaffUserId }));
    const user = await as(sub, email);
    const joined = await user.post(`${page}/join`, { name, phone });
    expect(joined.status, JSON.stringify(joined.body)).toBe(201);
    expect(joined.body.outcome).toBe('linked');
    const ctv = (await owner.get(`${base}/collaborators/${joined.body.id}`)).body;
    return { user, ctv };
  };

  return { ...business, ids, m1, m2, careA, careA2, careB, seller, stranger, pageId, page, ok, addCtv, ctvWithAccount };
}
export type Network = Awaited<ReturnType<typeof network>>;

export const idsOf = (res: { body: any }): string[] => res.body.items.map((c: any) => c.id);
