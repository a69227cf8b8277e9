import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { signBase64Hmac } from '../../functions/webhooks/adapters/signatures';
import { as, newBusiness, request, unique, uniquePhone } from './support/api';
import { deliver, newSource, orderEvent } from './support/orders';

const line = (lineId: string, quantity: number, unitPrice: number, extra: Record<string, unknown> = {}) => ({
  lineId,
  productId: `P-${lineId}`,
  unit: 'hộp',
  category: 'serum',
  quantity,
  unitPrice,
  discount: 0,
  ...extra,
});

const sumByKind = (lines: { kind: string; amount: number }[]) => {
  const out: Record<string, number> = {};
  for (const l of lines) out[l.kind] = (out[l.kind] ?? 0) + l.amount;
  for (const k of Object.keys(out)) if (out[k] === 0) delete out[k];
  return out;
};

/** What must not depend on delivery order: the order's content and state times, and the commission it holds. */
const essence = (order: any) => ({
  revision: order.revision,
  state: order.state,
  createdAt: order.createdAt,
  approvedAt: order.approvedAt,
  completedAt: order.completedAt,
  returnedAt: order.returnedAt,
  voidedAt: order.voidedAt,
  lines: order.lines,
  netRevenue: order.netRevenue,
  attribution: order.attribution,
  commission: sumByKind(order.commissionLines),
});

async function businessWithPlan(plan: Record<string, unknown> = {}) {
  const b = await newBusiness();
  const res = await b.owner.post(`${b.base}/commission-plans`, {
    effectiveFrom: '2026-01-01',
    basic: { default: { percentBp: 1000 } },
    ...plan,
  });
  if (res.status !== 201) throw new Error(JSON.stringify(res.body));
  const source = await newSource(b.owner, b.base);
  return { ...b, source };
}

describe('orders: revisions, returns and attribution', () => {
  it('a shuffled sequence of revisions (with repeats) ends in the same state as the sorted one', async () => {
    const { owner, base, tenantId, source } = await businessWithPlan();
    const ctv = await owner.post(`${base}/collaborators`, { name: 'Nguyễn Thị Hoa', phone: uniquePhone() });
    const revisions = (externalId: string, phone: string) => {
      const common = {
        externalId,
        customer: { phone, name: 'Khách' },
        orderDiscount: 10_000,
        attribution: { collaboratorId: ctv.body.id },
      };
      const lines = (returned: number) => [line('1', 2, 350_000), line('2', 3, 120_000, { returnedQuantity: returned })];
      return [
        orderEvent({ ...common, revision: 1, state: 'processing', occurredAt: '2026-11-03T09:00:00+07:00', lines: lines(0) }),
        orderEvent({ ...common, revision: 2, state: 'approved', occurredAt: '2026-11-03T10:00:00+07:00', lines: lines(0) }),
        orderEvent({ ...common, revision: 3, state: 'completed', occurredAt: '2026-11-05T10:00:00+07:00', lines: lines(0) }),
        orderEvent({ ...common, revision: 4, state: 'returned', occurredAt: '2026-11-06T10:00:00+07:00', lines: lines(1) }),
      ];
    };
    // each run has its own customer: the first completed order binds its customer, which would
    // make every later run's order a repurchase
    const phone = uniquePhone();
    const sortedId = unique('HD-SORTED-');
    for (const e of revisions(sortedId, phone)) expect((await deliver(tenantId, source, e)).status).toBe(200);
    const sorted = (await owner.get(`${base}/orders/${(await deliver(tenantId, source, revisions(sortedId, phone)[0])).body.orderId}`))
      .body;
    expect(sorted.state).toBe('returned');

    await fc.assert(
      fc.asyncProperty(
        fc
          .array(fc.integer({ min: 0, max: 3 }), { minLength: 4, maxLength: 7 })
          .chain((extra) => fc.shuffledSubarray([0, 1, 2, 3, ...extra], { minLength: 4 + extra.length, maxLength: 4 + extra.length })),
        async (order) => {
          const externalId = unique('HD-SHUF-');
          const events = revisions(externalId, uniquePhone());
          let orderId = '';
          for (const i of order) {
            const res = await deliver(tenantId, source, events[i]);
            expect(res.status).toBe(200);
            orderId = res.body.orderId;
          }
          const got = (await owner.get(`${base}/orders/${orderId}`)).body;
          expect(essence(got)).toEqual(essence(sorted));
        },
      ),
      { numRuns: 12 },
    );
  });

  it('a partial return changes exactly the returned line, and its commission', async () => {
    const { owner, base, tenantId, source } = await businessWithPlan();
    const ctv = await owner.post(`${base}/collaborators`, { name: 'Hoa', phone: uniquePhone() });
    const base_ = {
      externalId: 'HD-RET',
      customer: { phone: uniquePhone() },
      orderDiscount: 0,
      attribution: { collaboratorId: ctv.body.id },
    };
    const first = await deliver(
      tenantId,
      source,
      orderEvent({ ...base_, revision: 1, lines: [line('1', 2, 350_000), line('2', 3, 100_000)] }),
    );
    const before = (await owner.get(`${base}/orders/${first.body.orderId}`)).body;
    expect(before.lines.map((l: any) => l.netRevenue)).toEqual([700_000, 300_000]);
    expect(sumByKind(before.commissionLines)).toEqual({ basic: 100_000 });

    await deliver(
      tenantId,
      source,
      orderEvent({
        ...base_,
        revision: 2,
        state: 'returned',
        lines: [line('1', 2, 350_000), line('2', 3, 100_000, { returnedQuantity: 1 })],
      }),
    );
    const after = (await owner.get(`${base}/orders/${first.body.orderId}`)).body;
    expect(after.lines[0].netRevenue).toBe(700_000); // untouched
    expect(after.lines[1].netRevenue).toBe(200_000); // 300,000 × 2/3
    expect(after.netRevenue).toBe(900_000);
    // 10% of 900,000; the reversal is a new line, the first one stays
    expect(sumByKind(after.commissionLines)).toEqual({ basic: 90_000 });
    expect(after.commissionLines.map((l: any) => l.amount).sort((a: number, b: number) => a - b)).toEqual([-10_000, 30_000, 70_000]);
    const earnings = await owner.get(`${base}/collaborators/${ctv.body.id}/earnings?period=2026-11`);
    expect(earnings.body.total).toBe(90_000);

    // a void nets everything to exactly zero
    await deliver(
      tenantId,
      source,
      orderEvent({ ...base_, revision: 3, state: 'void', lines: [line('1', 2, 350_000), line('2', 3, 100_000, { returnedQuantity: 1 })] }),
    );
    const voided = (await owner.get(`${base}/orders/${first.body.orderId}`)).body;
    expect(sumByKind(voided.commissionLines)).toEqual({});
    expect((await owner.get(`${base}/collaborators/${ctv.body.id}/earnings?period=2026-11`)).body.total).toBe(0);
  });

  it('records why an order was or was not credited', async () => {
    const { owner, base, tenantId, source } = await businessWithPlan();
    const paused = await owner.post(`${base}/collaborators`, { name: 'Tạm dừng', phone: uniquePhone() });
    await owner.post(`${base}/collaborators/${paused.body.id}/pause`, { version: paused.body.version });
    const cases: [Record<string, unknown>, { collaboratorId: string | null; rule: string | null; reason: string }][] = [
      [{}, { collaboratorId: null, rule: null, reason: 'no_hint' }],
      [{ refId: 'NOPE1234' }, { collaboratorId: null, rule: null, reason: 'unknown_ref_id' }],
      // the hint that decided is named even when its CTV cannot be credited
      [{ collaboratorId: paused.body.id }, { collaboratorId: null, rule: 'collaborator_id', reason: 'collaborator_not_approved' }],
      [{ couponCode: paused.body.refId }, { collaboratorId: null, rule: 'coupon', reason: 'collaborator_not_approved' }],
    ];
    for (const [i, [hints, expected]] of cases.entries()) {
      const res = await deliver(
        tenantId,
        source,
        orderEvent({ externalId: `HD-ATTR-${i}`, customer: { phone: uniquePhone() }, attribution: hints }),
      );
      const order = (await owner.get(`${base}/orders/${res.body.orderId}`)).body;
      expect(order.attribution, JSON.stringify(hints)).toMatchObject(expected);
      expect(order.commissionLines).toEqual([]);
    }
  });

  it('binds a customer to the CTV of their first completed order; later orders are repurchases for that CTV', async () => {
    const { owner, base, tenantId, source } = await businessWithPlan({ repurchase: { percentBp: 400, bindingDays: 365 } });
    const a = await owner.post(`${base}/collaborators`, { name: 'CTV A', phone: uniquePhone() });
    const b = await owner.post(`${base}/collaborators`, { name: 'CTV B', phone: uniquePhone() });
    const customer = { phone: uniquePhone(), name: 'Khách quen' };
    const first = {
      externalId: 'HD-B1',
      customer,
      orderDiscount: 0,
      attribution: { refId: a.body.refId },
      lines: [line('1', 1, 1_000_000)],
    };
    await deliver(tenantId, source, orderEvent({ ...first, revision: 1, state: 'approved', occurredAt: '2026-11-02T10:00:00+07:00' }));
    await deliver(tenantId, source, orderEvent({ ...first, revision: 2, state: 'completed', occurredAt: '2026-11-04T10:00:00+07:00' }));

    // the bound customer calls the hotline, and the order even names CTV B: the binding wins
    const second = await deliver(
      tenantId,
      source,
      orderEvent({
        externalId: 'HD-B2',
        customer,
        orderDiscount: 0,
        occurredAt: '2026-11-10T10:00:00+07:00',
        attribution: { refId: b.body.refId },
        lines: [line('1', 1, 1_000_000)],
      }),
    );
    const order = (await owner.get(`${base}/orders/${second.body.orderId}`)).body;
    expect(order.attribution).toMatchObject({ collaboratorId: a.body.id, rule: 'binding', isRepurchase: true });
    // DOMAIN.md: 1,000,000 at 4% → 40,000
    expect(sumByKind(order.commissionLines)).toEqual({ repurchase: 40_000 });
    const earningsA = (await owner.get(`${base}/collaborators/${a.body.id}/earnings?period=2026-11`)).body;
    expect(earningsA.byKind).toMatchObject({ basic: 100_000, repurchase: 40_000 });
    expect(earningsA.total).toBe(140_000);
    expect((await owner.get(`${base}/collaborators/${b.body.id}/earnings?period=2026-11`)).body.total).toBe(0);
  });

  it('add-on lines earn the CTV the add-on rate and the seller the seller rate (DOMAIN.md example)', async () => {
    const { owner, base, tenantId, source } = await businessWithPlan({ addOn: { collaboratorPercentBp: 500, sellerPercentBp: 300 } });
    const sellerId = unique('seller-');
    await owner.post(`${base}/sellers`, { userId: sellerId, name: 'Đặng Quốc Huy' });
    const ctv = await owner.post(`${base}/collaborators`, { name: 'Hoa', phone: uniquePhone() });
    const res = await deliver(
      tenantId,
      source,
      orderEvent({
        externalId: 'HD-ADDON',
        customer: { phone: uniquePhone() },
        orderDiscount: 0,
        sellerId,
        attribution: { collaboratorId: ctv.body.id },
        lines: [line('A', 1, 500_000), line('B', 1, 200_000, { addOn: true })],
      }),
    );
    const order = (await owner.get(`${base}/orders/${res.body.orderId}`)).body;
    const ctvLines = order.commissionLines.filter((l: any) => l.beneficiary.type === 'collaborator');
    const sellerLines = order.commissionLines.filter((l: any) => l.beneficiary.type === 'seller');
    expect(sumByKind(ctvLines)).toEqual({ basic: 50_000, addOn: 10_000 });
    expect(sumByKind(sellerLines)).toEqual({ addOn: 6_000 });
    expect(order.commissionTotal).toBe(60_000);
    const seller = await as(sellerId);
    const earnings = await seller.get(`${base}/sellers/${sellerId}/earnings?period=2026-11`);
    expect(earnings.status).toBe(200);
    expect(earnings.body.byKind.addOn).toBe(6_000);
    expect((await seller.get(`${base}/sellers/${unique('other-')}/earnings?period=2026-11`)).status).toBe(404);
  });
});

describe('manual orders and lists', () => {
  it('care staff enter orders for their CTVs and move them through their states', async () => {
    const { owner, base } = await businessWithPlan();
    const careId = unique('care-');
    const otherCare = unique('care-');
    await owner.post(`${base}/care-staff`, { userId: careId, name: 'Phạm Văn Đức' });
    await owner.post(`${base}/care-staff`, { userId: otherCare, name: 'Võ Thị Lan' });
    const mine = await owner.post(`${base}/collaborators`, { name: 'CTV của Đức', phone: uniquePhone(), careStaffUserId: careId });
    const theirs = await owner.post(`${base}/collaborators`, { name: 'CTV của Lan', phone: uniquePhone(), careStaffUserId: otherCare });
    const staff = await as(careId);
    const body = (collaboratorId: string) => ({
      customer: { phone: uniquePhone(), name: 'Khách lẻ' },
      lines: [line('1', 3, 200_000)],
      attribution: { collaboratorId },
    });
    expect((await staff.post(`${base}/orders`, body(theirs.body.id))).status).toBe(403);
    const created = await staff.post(`${base}/orders`, { ...body(mine.body.id), state: 'approved' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ state: 'approved', revision: 1, sourceId: 'manual' });
    expect(sumByKind(created.body.commissionLines)).toEqual({ basic: 60_000 });
    const path = `${base}/orders/${created.body.id}/state`;

    const completed = await staff.post(path, { action: 'complete' });
    expect(completed.status).toBe(200);
    expect(completed.body).toMatchObject({ state: 'completed', revision: 2 });
    expect((await staff.post(path, { action: 'approve' })).status).toBe(422);
    const returned = await staff.post(path, { action: 'return', lines: [{ lineId: '1', quantity: 1 }] });
    expect(returned.body.lines[0]).toMatchObject({ returnedQuantity: 1, netRevenue: 400_000 });
    expect(sumByKind(returned.body.commissionLines)).toEqual({ basic: 40_000 });
    expect((await staff.post(path, { action: 'return', lines: [{ lineId: '1', quantity: 5 }] })).status).toBe(422);
    expect((await staff.post(path, { action: 'void' })).status).toBe(422);
    // two changes from the same version: one is taken, the other is told the order moved on (412)
    const etag = (await staff.get(`${base}/orders/${created.body.id}`)).headers.get('etag')!;
    const raced = await Promise.all(
      [1, 2].map(() => staff.post(path, { action: 'return', lines: [{ lineId: '1', quantity: 1 }] }, { 'if-match': etag })),
    );
    expect(raced.map((r) => r.status).sort()).toEqual([200, 412]);

    // the other care staff does not see it; the owner does
    expect((await (await as(otherCare)).get(`${base}/orders/${created.body.id}`)).status).toBe(404);
    expect((await owner.get(`${base}/orders/${created.body.id}`)).status).toBe(200);
  });

  it('orders from an order system change only through its webhooks', async () => {
    const { owner, base, tenantId, source } = await businessWithPlan();
    const res = await deliver(tenantId, source, orderEvent({ externalId: 'HD-WEB', customer: { phone: uniquePhone() } }));
    const change = await owner.post(`${base}/orders/${res.body.orderId}/state`, { action: 'complete' });
    expect(change.status).toBe(422);
  });

  it('lists by date range, CTV, care staff and state, newest first, with a cursor', async () => {
    const { owner, base, tenantId, source } = await businessWithPlan();
    const careId = unique('care-');
    await owner.post(`${base}/care-staff`, { userId: careId, name: 'Đức' });
    const a = await owner.post(`${base}/collaborators`, { name: 'A', phone: uniquePhone(), careStaffUserId: careId });
    const b = await owner.post(`${base}/collaborators`, { name: 'B', phone: uniquePhone() });
    const make = (externalId: string, occurredAt: string, collaboratorId: string, state = 'approved') =>
      deliver(
        tenantId,
        source,
        orderEvent({ externalId, occurredAt, state, customer: { phone: uniquePhone() }, attribution: { collaboratorId } }),
      );
    await make('L1', '2026-10-30T10:00:00+07:00', a.body.id);
    await make('L2', '2026-11-02T10:00:00+07:00', b.body.id);
    await make('L3', '2026-11-03T10:00:00+07:00', a.body.id, 'processing');
    await make('L4', '2026-11-04T10:00:00+07:00', a.body.id);
    const ext = (res: any) => res.body.items.map((o: any) => o.externalId);

    const all: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await owner.get(
        `${base}/orders?from=2026-10-01&to=2026-11-30&limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(page.status).toBe(200);
      all.push(...ext(page));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(all).toEqual(['L4', 'L3', 'L2', 'L1']);
    expect(ext(await owner.get(`${base}/orders?from=2026-11-01&to=2026-11-30`))).toEqual(['L4', 'L3', 'L2']);
    expect(ext(await owner.get(`${base}/orders?from=2026-10-01&to=2026-11-30&collaboratorId=${a.body.id}`))).toEqual(['L4', 'L3', 'L1']);
    expect(ext(await owner.get(`${base}/orders?from=2026-10-01&to=2026-11-30&state=processing`))).toEqual(['L3']);
    const staff = await as(careId);
    expect(ext(await staff.get(`${base}/orders?from=2026-10-01&to=2026-11-30`))).toEqual(['L4', 'L3', 'L1']);
    expect((await owner.get(`${base}/orders?from=2026-11-30&to=2026-10-01`)).status).toBe(422);
  });
});

describe('order-system adapters', () => {
  const fixture = (name: string) => readFileSync(new URL(`../domain/orders/fixtures/${name}`, import.meta.url), 'utf8');

  it('Haravan: its own HMAC header and payload become an order', async () => {
    const { owner, base, tenantId } = await businessWithPlan();
    const source = await newSource(owner, base, 'haravan');
    const raw = fixture('haravan-order.json');
    const path = `/v1/webhooks/${tenantId}/${source.id}/orders`;
    const bad = await request('POST', path, { body: raw, headers: { 'x-haravan-hmacsha256': signBase64Hmac(raw, 'wrong') } });
    expect(bad.status).toBe(401);
    const res = await request('POST', path, { body: raw, headers: { 'x-haravan-hmacsha256': signBase64Hmac(raw, source.secret) } });
    expect(res.status).toBe(200);
    const order = (await owner.get(`${base}/orders/${res.body.orderId}`)).body;
    expect(order.externalId).toBe(String(JSON.parse(raw).id));
    expect(order.customer.phone).toBe('+84912345678');
    expect(order.attribution.reason).toBe('unknown_ref_id'); // the fixture's REF ID is nobody here
  });

  it('WooCommerce: its ping is answered, its signature checked, its payload mapped', async () => {
    const { owner, base, tenantId } = await businessWithPlan();
    const source = await newSource(owner, base, 'woocommerce');
    const path = `/v1/webhooks/${tenantId}/${source.id}/orders`;
    const ping = await request('POST', path, { body: 'webhook_id=15', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(ping.status).toBe(200);
    const raw = fixture('woocommerce-order.json');
    expect((await request('POST', path, { body: raw, headers: { 'x-wc-webhook-signature': 'bm9wZQ==' } })).status).toBe(401);
    const res = await request('POST', path, { body: raw, headers: { 'x-wc-webhook-signature': signBase64Hmac(raw, source.secret) } });
    expect(res.status).toBe(200);
    const order = (await owner.get(`${base}/orders/${res.body.orderId}`)).body;
    expect(order.state).toBe('approved'); // WooCommerce "processing" = paid, awaiting fulfilment
    expect(order.customer.phone).toBe('+84912345678');
  });
});
