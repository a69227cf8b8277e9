/**
 * Demo data for `npm start`, loaded through the API itself (so it is exactly what a client could
 * make), on the local server's clock (infra/local/clock.ts), played from the first day of the month
 * before the start up to the start:
 * - the business, its manager, care staff and seller, and a few CTVs with bank details, one
 *   referred by another, one paused, two self-registered on the page and waiting for approval; the
 *   care staff in a group with a monthly KPI plan; a commission plan; an order system (webhook source);
 * - last month (`closedMonth`): orders through the webhook, completed, the clock moved past the
 *   holding days; then the nightly run (`POST …/jobs/nightly`, as `npm run nightly` runs it) closes
 *   the month; its statements are approved and paid out in a batch (one below the minimum payout
 *   stays out of it, one order completed too late stays pending);
 * - this month, at the start: an objective for the manager, two orders entered by hand, one order
 *   from the website, one delivery it could not read, parked for the owner.
 * Every day is relative to the start, so it plays the same on any day of any month.
 */
import { addDays, DEFAULT_TIME_ZONE, localDay, startOfLocalDay } from '../../domain/period';
import { signCtv } from '../../functions/webhooks/adapters/signatures';
import { CLOCK_PATH } from './clock';

export const DEMO = {
  owner: 'demo-owner',
  manager: 'demo-manager',
  careStaff: ['demo-care-1', 'demo-care-2'],
  seller: 'demo-seller',
  pageId: 'my-pham-hoa-sen',
};

/** A call as the owner; a string body is sent as it is (a signed webhook), anything else as JSON. */
type Call = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<{ status: number; body: any }>;

/**
 * The demo's days, from where the clock starts (`LOCAL_NOW`): the month before is the one it closes.
 * `at(day, hour)` is that day of the closed month, local time; the days used (1 to 27) are in every
 * month, and only the order completed on the 27th is still in its holding days (7) at the cut-off.
 */
export function demoTimeline(start: number, timeZone = DEFAULT_TIME_ZONE) {
  const today = localDay(start, timeZone);
  const month = today.slice(0, 7);
  const closedMonth = addDays(`${month}-01`, -1).slice(0, 7);
  const at = (day: number, hour: number) => startOfLocalDay(`${closedMonth}-${String(day).padStart(2, '0')}`, timeZone) + hour * 3_600_000;
  return { today, month, closedMonth, at, begin: at(1, 8) };
}

export interface SeededDemo {
  tenantId: string;
  /** the month the demo closed: statements approved, a payout batch */
  closedMonth: string;
  payoutBatchId: string;
}

/**
 * Seed on a server whose clock reads `demoTimeline(start).begin` (or earlier): the seed moves it
 * forward through last month, then to `start`, where it stays running.
 */
export async function seedDemo(call: Call, clock: { now(): Date }, start: number): Promise<SeededDemo> {
  const { closedMonth, month, today, at } = demoTimeline(start);
  const expectOk = async (method: string, path: string, body?: unknown, headers?: Record<string, string>) => {
    const res = await call(method, path, body, headers);
    if (res.status >= 300) throw new Error(`seed: ${method} ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  /** the local server's clock, moved as anyone moves it (it only moves forward) */
  const moveClock = (instant: number) => expectOk('POST', CLOCK_PATH, { now: new Date(instant).toISOString() });

  const tenant = await expectOk('POST', '/v1/tenants', { name: 'Mỹ phẩm Hoa Sen', pageId: DEMO.pageId });
  const t = `/v1/tenants/${tenant.id}`;
  const firstDay = `${closedMonth}-01`;
  /** the people (the roster, the CTVs, the staff group and its KPI plan), one after the other */
  const addPeople = async () => {
    await expectOk('POST', `${t}/managers`, { userId: DEMO.manager, name: 'Lê Thị Mai' });
    await expectOk('POST', `${t}/care-staff`, { userId: DEMO.careStaff[0], name: 'Phạm Văn Đức', managerUserId: DEMO.manager });
    await expectOk('POST', `${t}/care-staff`, { userId: DEMO.careStaff[1], name: 'Võ Thị Lan', managerUserId: DEMO.manager });
    await expectOk('POST', `${t}/sellers`, { userId: DEMO.seller, name: 'Đặng Quốc Huy' });
    const hoa = await expectOk('POST', `${t}/collaborators`, {
      name: 'Nguyễn Thị Hoa',
      phone: '0912345678',
      careStaffUserId: DEMO.careStaff[0],
      level: 2,
      bank: { bin: '970436', accountNumber: '0011001234567', accountName: 'NGUYEN THI HOA' },
    });
    const binh = await expectOk('POST', `${t}/collaborators`, {
      name: 'Trần Văn Bình',
      phone: '0987654321',
      careStaffUserId: DEMO.careStaff[0],
      referrerRefId: hoa.refId,
      bank: { bin: '970407', accountNumber: '19034567890123', accountName: 'TRAN VAN BINH' },
    });
    const trang = await expectOk('POST', `${t}/collaborators`, {
      name: 'Lý Thu Trang',
      phone: '0356789012',
      careStaffUserId: DEMO.careStaff[1],
      bank: { bin: '970418', accountNumber: '0123456789', accountName: 'LY THU TRANG' },
    });
    const tuan = await expectOk('POST', `${t}/collaborators`, {
      name: 'Hoàng Minh Tuấn',
      phone: '0708123456',
      careStaffUserId: DEMO.careStaff[1],
      level: 3,
    });
    await expectOk('POST', `${t}/collaborators/${tuan.id}/pause`, { reason: 'Tạm nghỉ tháng này', version: tuan.version });
    // self-registrations on the public page, waiting for approval (one referred by Hoa: Hoa's care staff takes it)
    const page = `/v1/pages/${DEMO.pageId}`;
    await expectOk('POST', `${page}/registrations`, { name: 'Bùi Thị Thu', phone: '0933111222', refId: hoa.refId });
    await expectOk('POST', `${page}/registrations`, { name: 'Phan Văn Long', phone: '0945333444', email: 'long@example.vn' });
    // the care staff in a staff group (for KPI plans)
    const group = await expectOk('POST', `${t}/staff-groups`, { name: 'Nhóm chăm sóc miền Nam' });
    for (const userId of DEMO.careStaff) await expectOk('POST', `${t}/staff-groups/${group.id}/members`, { userId });
    // the group's monthly KPI plan (API.md's example), in force from the first day of the demo
    const kpi = await expectOk('POST', `${t}/kpi-plans`, {
      name: 'KPI chăm sóc CTV',
      effectiveFrom: firstDay,
      cycle: 'month',
      distributedIndicator: 'revenue',
      capBp: 15000,
      groups: [
        {
          type: 'required',
          awardPercentBp: 100,
          sliceAmount: 300_000_000,
          conditions: [
            { indicator: 'revenue', comparator: 'gte', target: 300_000_000, weightBp: 6000 },
            { indicator: 'confirmation_rate', comparator: 'gte', target: 7000, weightBp: 2000 },
          ],
        },
        {
          type: 'over_kpi_award',
          awardPercentBp: 200,
          sliceAmount: null,
          conditions: [{ indicator: 'orders', comparator: 'gte', target: 130, weightBp: 2000 }],
        },
      ],
    });
    await expectOk('POST', `${t}/kpi-assignments`, { planId: kpi.id, staffGroupId: group.id, effectiveFrom: firstDay });
    return { hoa, binh, trang };
  };
  // a commission plan (API.md's example): basic 10%, cream 8%, serum 12%; F1 referral 3% for a referrer with 5 units of their own
  const addPlan = () =>
    expectOk('POST', `${t}/commission-plans`, {
      effectiveFrom: firstDay,
      basic: {
        default: { percentBp: 1000 },
        rules: [
          { productId: 'CREAM-50', unit: 'hũ', percentBp: 800 },
          { category: 'serum', percentBp: 1200 },
        ],
      },
      addOn: { collaboratorPercentBp: 500, sellerPercentBp: 300 },
      repurchase: { percentBp: 400, bindingDays: 365, maxRepurchases: null, attribution: 'binding' },
      referral: { level1Bp: 300, level2Bp: 100, months: null, minOwnQuantity: 5, minAverageStars: null },
    });
  // the order intake: a website that sends signed orders, on the server's clock
  const addSource = () => expectOk('POST', `${t}/webhook-sources`, { name: 'Website cửa hàng' });
  // the plan and the order system are independent of the people: added meanwhile
  const [{ hoa, binh, trang }, , source] = await Promise.all([addPeople(), addPlan(), addSource()]);
  const deliver = (raw: string) =>
    call('POST', `/v1/webhooks/${tenant.id}/${source.id}/orders`, raw, {
      'x-ctv-signature': signCtv(raw, source.secret, Math.floor(clock.now().getTime() / 1000)),
    });
  /** a delivery accepted for a retry (a passing failure): wait for the retry before the clock moves on */
  const processed = async (deliveryId: string) => {
    for (const deadline = Date.now() + 60_000; ; ) {
      const delivery = await expectOk('GET', `${t}/webhook-deliveries/${deliveryId}`);
      if (delivery.status === 'processed') return;
      if (delivery.status !== 'accepted' || Date.now() > deadline)
        throw new Error(`seed: the website's delivery ${deliveryId} was not processed: ${JSON.stringify(delivery)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const revisions = new Map<string, number>();
  /** the website sends an order's state at `when`, which the clock is moved to first */
  const webOrder = async (
    when: number,
    externalId: string,
    state: 'approved' | 'completed',
    collaboratorId: string,
    customerPhone: string,
    line: { productId: string; unit: string; category: string; quantity: number; unitPrice: number },
  ) => {
    await moveClock(when);
    const revision = (revisions.get(externalId) ?? 0) + 1;
    revisions.set(externalId, revision);
    const res = await deliver(
      JSON.stringify({
        externalId,
        revision,
        state,
        occurredAt: new Date(when).toISOString(),
        customer: { phone: customerPhone, name: 'Khách lẻ' },
        lines: [{ lineId: '1', ...line, discount: 0 }],
        orderDiscount: 0,
        shippingFee: 0,
        attribution: { collaboratorId },
      }),
    );
    if (res.status === 202 && res.body?.status === 'accepted') await processed(res.body.deliveryId);
    else if (res.status !== 200)
      throw new Error(`seed: the website's order ${externalId} answered ${res.status}: ${JSON.stringify(res.body)}`);
  };
  // last month's orders (holding days 7: all payable by the cut-off but the one completed on the 27th)
  const serum = { productId: 'SERUM-30', unit: 'chai', category: 'serum', unitPrice: 350_000 };
  const mask = { productId: 'MASK-10', unit: 'hộp', category: 'mask', unitPrice: 90_000 };
  const cream = { productId: 'CREAM-50', unit: 'hũ', category: 'kem', unitPrice: 420_000 };
  const w = (n: number) => `WEB-${closedMonth.replace('-', '')}-${n}`;
  // (the website tells some orders when they are confirmed and again when delivered, some only when delivered)
  await webOrder(at(3, 9), w(1), 'approved', binh.id, '0901000001', { ...serum, quantity: 10 }); // 3,500,000 at 12% = 420,000
  await webOrder(at(5, 15), w(1), 'completed', binh.id, '0901000001', { ...serum, quantity: 10 });
  await webOrder(at(6, 16), w(2), 'completed', hoa.id, '0901000002', { ...mask, quantity: 6 }); //      540,000 at 10% =  54,000
  await webOrder(at(8, 17), w(3), 'completed', trang.id, '0901000003', { ...mask, quantity: 2 }); //    180,000 at 10% =  18,000
  await webOrder(at(26, 11), w(4), 'approved', hoa.id, '0901000004', { ...cream, quantity: 1 }); //     420,000 at 8% =   33,600
  await webOrder(at(27, 14), w(4), 'completed', hoa.id, '0901000004', { ...cream, quantity: 1 }); // payable 7 days later, next month: pending

  // this month, at the start: the clock is where LOCAL_NOW put it (and runs on from there)
  await moveClock(start);
  await expectOk('POST', `${t}/okrs`, {
    managerUserId: DEMO.manager,
    period: month,
    title: 'Khách hàng hài lòng',
    weightBp: 10000,
    keyResults: [
      { title: 'Tỷ lệ đánh giá 4–5 sao', unit: '%', start: 80, target: 90, weightBp: 6000 },
      { title: 'CTV mới được đào tạo', start: 0, target: 20, weightBp: 4000 },
    ],
  });
  // two orders entered by hand, so this month's earnings have numbers
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
  // one order from the website, and one delivery it could not read
  const web = await deliver(
    JSON.stringify({
      externalId: 'WEB-1001',
      revision: 1,
      state: 'approved',
      occurredAt: clock.now().toISOString(),
      customer: { phone: '0933444555', name: 'Phan Thị Thu' },
      lines: [{ lineId: '1', productId: 'SERUM-30', unit: 'chai', category: 'serum', quantity: 2, unitPrice: 350000, discount: 0 }],
      attribution: { refId: hoa.refId },
    }),
  );
  const parked = await deliver('{"externalId": "WEB-1002", "revision": 1, ');
  if (web.status !== 200 || parked.status !== 202) throw new Error(`seed: webhook deliveries answered ${web.status} and ${parked.status}`);

  // the nightly run as of today closes last month (the run `npm run nightly` does, here in the server)
  const started = await expectOk('POST', `${t}/jobs/nightly`, { asOf: today });
  for (const deadline = Date.now() + 300_000; ; ) {
    const job = await expectOk('GET', `${t}/jobs/${started.jobId}`);
    if (job.state === 'succeeded') break;
    if (job.state === 'failed') throw new Error(`seed: the nightly run failed: ${job.error ?? JSON.stringify(job)}`);
    if (Date.now() > deadline) throw new Error('seed: the nightly run did not finish in 5 minutes');
    await new Promise((r) => setTimeout(r, 50));
  }
  // its statements approved (the owner, with the version read), then a payout batch of them
  const statements = await expectOk('GET', `${t}/statements?period=${closedMonth}&limit=200`);
  for (const st of statements.items) {
    await expectOk('POST', `${t}/statements/${closedMonth}/${st.collaboratorId}/approve`, undefined, { 'if-match': `"${st.version}"` });
  }
  const batch = await expectOk('POST', `${t}/payouts`, { periodId: closedMonth });
  return { tenantId: tenant.id, closedMonth, payoutBatchId: batch.id };
}
