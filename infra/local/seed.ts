/**
 * Demo data for `npm start`, loaded through the API itself (so it is exactly what a client could
 * make): a business, its manager, care staff and seller, and a few CTVs, one referred by another,
 * one paused, two self-registered on the page and waiting for approval; the care staff in a group.
 */
export const DEMO = {
  owner: 'demo-owner',
  manager: 'demo-manager',
  careStaff: ['demo-care-1', 'demo-care-2'],
  seller: 'demo-seller',
  pageId: 'my-pham-hoa-sen',
};

type Call = (method: string, path: string, body?: unknown) => Promise<{ status: number; body: any }>;

export async function seedDemo(call: Call): Promise<{ tenantId: string }> {
  const expectOk = async (method: string, path: string, body?: unknown) => {
    const res = await call(method, path, body);
    if (res.status >= 300) throw new Error(`seed: ${method} ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const tenant = await expectOk('POST', '/v1/tenants', { name: 'Mỹ phẩm Hoa Sen', pageId: DEMO.pageId });
  const t = `/v1/tenants/${tenant.id}`;
  await expectOk('POST', `${t}/managers`, { userId: DEMO.manager, name: 'Lê Thị Mai' });
  await expectOk('POST', `${t}/care-staff`, { userId: DEMO.careStaff[0], name: 'Phạm Văn Đức', managerUserId: DEMO.manager });
  await expectOk('POST', `${t}/care-staff`, { userId: DEMO.careStaff[1], name: 'Võ Thị Lan', managerUserId: DEMO.manager });
  await expectOk('POST', `${t}/sellers`, { userId: DEMO.seller, name: 'Đặng Quốc Huy' });
  const hoa = await expectOk('POST', `${t}/collaborators`, { name: 'Nguyễn Thị Hoa', phone: '0912345678', careStaffUserId: DEMO.careStaff[0], level: 2 });
  await expectOk('POST', `${t}/collaborators`, { name: 'Trần Văn Bình', phone: '0987654321', careStaffUserId: DEMO.careStaff[0], referrerRefId: hoa.refId });
  await expectOk('POST', `${t}/collaborators`, { name: 'Lý Thu Trang', phone: '0356789012', careStaffUserId: DEMO.careStaff[1] });
  const tuan = await expectOk('POST', `${t}/collaborators`, { name: 'Hoàng Minh Tuấn', phone: '0708123456', careStaffUserId: DEMO.careStaff[1], level: 3 });
  await expectOk('POST', `${t}/collaborators/${tuan.id}/pause`, { reason: 'Tạm nghỉ tháng này', version: tuan.version });
  // self-registrations on the public page, waiting for approval (one referred by Hoa: Hoa's care staff takes it)
  const page = `/v1/pages/${DEMO.pageId}`;
  await expectOk('POST', `${page}/registrations`, { name: 'Bùi Thị Thu', phone: '0933111222', refId: hoa.refId });
  await expectOk('POST', `${page}/registrations`, { name: 'Phan Văn Long', phone: '0945333444', email: 'long@example.vn' });
  // the care staff in a staff group (for KPI plans)
  const group = await expectOk('POST', `${t}/staff-groups`, { name: 'Nhóm chăm sóc miền Nam' });
  for (const userId of DEMO.careStaff) await expectOk('POST', `${t}/staff-groups/${group.id}/members`, { userId });
  return { tenantId: tenant.id };
}
