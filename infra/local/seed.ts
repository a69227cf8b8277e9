/**
 * Demo data for `npm start`, loaded through the API itself (so it is exactly what a client could
 * make): a business, its manager, care staff and seller, and a few CTVs, one referred by another,
 * one paused, two self-registered on the page and waiting for approval; the care staff in a group
 * with a monthly KPI plan; an objective for the manager; an order system (webhook source) that sent
 * one order and one delivery it could not read, parked for the owner.
 */
import { DEFAULT_TIME_ZONE, periodIdAt } from '../../domain/period';
import { signCtv } from '../../functions/webhooks/adapters/signatures';
export const DEMO = {
  owner: 'demo-owner',
  manager: 'demo-manager',
  careStaff: ['demo-care-1', 'demo-care-2'],
  seller: 'demo-seller',
  pageId: 'my-pham-hoa-sen',
};

/** A call as the owner; a string body is sent as it is (a signed webhook), anything else as JSON. */
type Call = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<{ status: number; body: any }>;

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
  // the group's monthly KPI plan (API.md's example), and an objective for the manager this month
  const kpi = await expectOk('POST', `${t}/kpi-plans`, {
    name: 'KPI chăm sóc CTV', effectiveFrom: '2026-01-01', cycle: 'month', distributedIndicator: 'revenue', capBp: 15000,
    groups: [
      { type: 'required', awardPercentBp: 100, sliceAmount: 300_000_000, conditions: [
        { indicator: 'revenue', comparator: 'gte', target: 300_000_000, weightBp: 6000 },
        { indicator: 'confirmation_rate', comparator: 'gte', target: 7000, weightBp: 2000 },
      ] },
      { type: 'over_kpi_award', awardPercentBp: 200, sliceAmount: null, conditions: [{ indicator: 'orders', comparator: 'gte', target: 130, weightBp: 2000 }] },
    ],
  });
  await expectOk('POST', `${t}/kpi-assignments`, { planId: kpi.id, staffGroupId: group.id, effectiveFrom: '2026-01-01' });
  await expectOk('POST', `${t}/okrs`, {
    managerUserId: DEMO.manager, period: periodIdAt(Date.now(), 'month', DEFAULT_TIME_ZONE), title: 'Khách hàng hài lòng', weightBp: 10000,
    keyResults: [
      { title: 'Tỷ lệ đánh giá 4–5 sao', unit: '%', start: 80, target: 90, weightBp: 6000 },
      { title: 'CTV mới được đào tạo', start: 0, target: 20, weightBp: 4000 },
    ],
  });
  // a commission plan (API.md's example) and two orders entered by hand, so earnings have numbers
  await expectOk('POST', `${t}/commission-plans`, {
    effectiveFrom: '2026-01-01',
    basic: { default: { percentBp: 1000 }, rules: [{ productId: 'CREAM-50', unit: 'hũ', percentBp: 800 }, { category: 'serum', percentBp: 1200 }] },
    addOn: { collaboratorPercentBp: 500, sellerPercentBp: 300 },
    repurchase: { percentBp: 400, bindingDays: 365, maxRepurchases: null, attribution: 'binding' },
    referral: { level1Bp: 300, level2Bp: 100, months: null, minOwnQuantity: 5, minAverageStars: null },
  });
  const order = await expectOk('POST', `${t}/orders`, {
    state: 'approved',
    customer: { phone: '0911222333', name: 'Trần Thị Mỹ' },
    lines: [
      { lineId: '1', productId: 'SERUM-30', unit: 'chai', category: 'serum', quantity: 2, unitPrice: 350000, discount: 0 },
      { lineId: '2', productId: 'CREAM-50', unit: 'hũ', category: 'kem', quantity: 1, unitPrice: 420000, discount: 20000, addOn: true },
    ],
    orderDiscount: 50000,
    shippingFee: 30000,
    attribution: { collaboratorId: hoa.id },
    sellerId: DEMO.seller,
  });
  await expectOk('POST', `${t}/orders/${order.id}/state`, { action: 'complete' });
  await expectOk('POST', `${t}/orders`, {
    customer: { phone: '0922333444', name: 'Ngô Văn Nam' },
    lines: [{ lineId: '1', productId: 'MASK-10', unit: 'hộp', category: 'mask', quantity: 5, unitPrice: 90000, discount: 0 }],
    attribution: { refId: hoa.refId },
  });

  // the order intake: a website that sends signed orders; one of its deliveries cannot be read
  const source = await expectOk('POST', `${t}/webhook-sources`, { name: 'Website cửa hàng' });
  const deliver = (raw: string) => call('POST', `/v1/webhooks/${tenant.id}/${source.id}/orders`, raw, { 'x-ctv-signature': signCtv(raw, source.secret, Math.floor(Date.now() / 1000)) });
  const web = await deliver(
    JSON.stringify({
      externalId: 'WEB-1001',
      revision: 1,
      state: 'approved',
      occurredAt: new Date().toISOString(),
      customer: { phone: '0933444555', name: 'Phan Thị Thu' },
      lines: [{ lineId: '1', productId: 'SERUM-30', unit: 'chai', category: 'serum', quantity: 2, unitPrice: 350000, discount: 0 }],
      attribution: { refId: hoa.refId },
    }),
  );
  const parked = await deliver('{"externalId": "WEB-1002", "revision": 1, ');
  if (web.status !== 200 || parked.status !== 202) throw new Error(`seed: webhook deliveries answered ${web.status} and ${parked.status}`);
  return { tenantId: tenant.id };
}
