import { describe, expect, it } from 'vitest';
import { SUITE_MONTH } from './support/clock';
import { newBusiness, uniquePhone } from './support/api';
import { deliver, newSource, orderEvent } from './support/orders';

const API_PLAN = {
  effectiveFrom: '2026-10-01',
  basic: {
    default: { percentBp: 1000 },
    rules: [
      { productId: 'CREAM-50', unit: 'hũ', percentBp: 800 },
      { productId: 'MASK-10', fixedPerUnit: 15000 },
      { category: 'serum', percentBp: 1200 },
    ],
  },
  addOn: { collaboratorPercentBp: 500, sellerPercentBp: 300 },
  repurchase: { percentBp: 400, bindingDays: 365, maxRepurchases: null, attribution: 'binding' },
  referral: { level1Bp: 300, level2Bp: 100, months: null, minOwnQuantity: 5, minAverageStars: null },
  awards: [
    {
      cycle: 'month',
      minQuantity: 20,
      minAverageStars: 4.5,
      mode: 'marginal',
      brackets: [
        { from: 0, percentBp: 100 },
        { from: 10000000, percentBp: 200 },
      ],
    },
  ],
};

const line = (lineId: string, productId: string, unit: string, category: string, quantity: number, unitPrice: number) => ({
  lineId,
  productId,
  unit,
  category,
  quantity,
  unitPrice,
  discount: 0,
});

describe('commission plans', () => {
  it("take API.md's plan version as written, versioned, and price each order with the version in force at its approval", async () => {
    const { owner, base, tenantId } = await newBusiness();
    const created = await owner.post(`${base}/commission-plans`, API_PLAN);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ version: 1, effectiveFrom: '2026-10-01' });
    expect(typeof created.body.id).toBe('string');
    const v2 = await owner.post(`${base}/commission-plans`, { effectiveFrom: '2026-11-15', basic: { default: { percentBp: 2000 } } });
    expect(v2.body.version).toBe(2);
    expect((await owner.get(`${base}/commission-plans`)).body.items.map((v: any) => v.version)).toEqual([2, 1]);
    expect((await owner.get(`${base}/commission-plans/1`)).body.basic.rules).toHaveLength(3);

    const ctv = await owner.post(`${base}/collaborators`, { name: 'Hoa', phone: uniquePhone() });
    const source = await newSource(owner, base);
    const event = (externalId: string, occurredAt: string) =>
      orderEvent({
        externalId,
        occurredAt,
        customer: { phone: uniquePhone() },
        orderDiscount: 0,
        attribution: { collaboratorId: ctv.body.id },
        lines: [
          line('1', 'CREAM-50', 'hũ', 'kem', 2, 400_000), // product+unit 8% of 800,000 = 64,000
          line('2', 'MASK-10', 'hộp', 'mask', 3, 90_000), // fixed 15,000 × 3 = 45,000
          line('3', 'SERUM-30', 'chai', 'serum', 1, 350_000), // category 12% = 42,000
          line('4', 'SOAP', 'bánh', 'other', 5, 20_000), // default 10% of 100,000 = 10,000
        ],
      });
    const before = await deliver(tenantId, source, event('HD-V1', '2026-11-10T10:00:00+07:00'));
    const after = await deliver(tenantId, source, event('HD-V2', '2026-11-20T10:00:00+07:00'));
    const o1 = (await owner.get(`${base}/orders/${before.body.orderId}`)).body;
    const o2 = (await owner.get(`${base}/orders/${after.body.orderId}`)).body;
    expect(o1.plan).toEqual({ planId: 'main', version: 1 });
    expect(o1.commissionLines.map((l: any) => l.amount).sort((a: number, b: number) => a - b)).toEqual([10_000, 42_000, 45_000, 64_000]);
    expect(o1.commissionLines.every((l: any) => l.trace.planVersion === 1 && l.trace.rounding === 'half_away_from_zero')).toBe(true);
    expect(o2.plan).toEqual({ planId: 'main', version: 2 });
    expect(o2.commissionTotal).toBe((2000 * (800_000 + 270_000 + 350_000 + 100_000)) / 10_000);

    // a newer version changes nothing for an order approved before it
    await owner.post(`${base}/commission-plans`, { effectiveFrom: '2026-11-25', basic: { default: { percentBp: 5000 } } });
    await deliver(tenantId, source, { ...event('HD-V1', '2026-11-10T10:00:00+07:00'), revision: 2, state: 'completed' });
    expect((await owner.get(`${base}/orders/${before.body.orderId}`)).body.commissionTotal).toBe(161_000);
  });

  it('refuse bad plans with the field that is wrong', async () => {
    const { owner, base } = await newBusiness();
    const cases: [unknown, string][] = [
      [{ ...API_PLAN, basic: { default: { percentBp: -5 } } }, 'basic.default.percentBp'],
      [
        {
          ...API_PLAN,
          basic: {
            rules: [
              { category: 'serum', percentBp: 100 },
              { category: 'serum', percentBp: 200 },
            ],
          },
        },
        'basic.rules.1',
      ],
      [{ ...API_PLAN, basic: { default: { percentBp: 100, fixedPerUnit: 5 } } }, 'basic.default'],
      [{ ...API_PLAN, effectiveFrom: '01/10/2026' }, 'effectiveFrom'],
      [{ ...API_PLAN, repurchase: { percentBp: 400, attribution: 'whoever' } }, 'repurchase.attribution'],
      [{ ...API_PLAN, surprise: true }, 'surprise'],
    ];
    for (const [body, path] of cases) {
      const res = await owner.post(`${base}/commission-plans`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(
        res.body.errors.map((e: any) => e.path).some((p: string) => p.startsWith(path)),
        `${path} in ${JSON.stringify(res.body.errors)}`,
      ).toBe(true);
    }
    expect((await owner.get(`${base}/commission-plans`)).body.items).toEqual([]);
  });

  it('preview a draft against past orders without writing anything', async () => {
    const { owner, base, tenantId } = await newBusiness();
    await owner.post(`${base}/commission-plans`, { effectiveFrom: '2026-01-01', basic: { default: { percentBp: 1000 } } });
    const ctv = await owner.post(`${base}/collaborators`, { name: 'Hoa', phone: uniquePhone() });
    const source = await newSource(owner, base);
    await deliver(
      tenantId,
      source,
      orderEvent({
        externalId: 'P1',
        occurredAt: '2026-11-05T10:00:00+07:00',
        customer: { phone: uniquePhone() },
        orderDiscount: 0,
        attribution: { collaboratorId: ctv.body.id },
        lines: [line('1', 'X', 'c', 'k', 30, 500_000)],
      }),
    );
    const preview = await owner.post(`${base}/commission-plans/preview`, {
      plan: { effectiveFrom: '2026-01-01', basic: { default: { percentBp: 1500 } } },
      from: '2026-11-01',
      to: '2026-11-30',
    });
    expect(preview.status).toBe(200);
    expect(preview.body.orders).toBe(1);
    expect(preview.body.items).toEqual([{ collaboratorId: ctv.body.id, current: 1_500_000, draft: 2_250_000, difference: 750_000 }]);
    expect((await owner.get(`${base}/commission-plans`)).body.items).toHaveLength(1);
    expect((await owner.get(`${base}/collaborators/${ctv.body.id}/earnings?period=2026-11`)).body.total).toBe(1_500_000);
  });
});

describe('incurred commissions and adjustments', () => {
  it('reach the ledger only when approved; a cancel after approval reverses exactly', async () => {
    const { owner, base } = await newBusiness();
    const ctv = await owner.post(`${base}/collaborators`, { name: 'Hoa', phone: uniquePhone() });
    const voucher = await owner.post(`${base}/incurred-commissions`, {
      collaboratorId: ctv.body.id,
      lines: [{ productId: 'SERUM-30', quantity: 10, endUserPrice: 450_000, percentBp: 800 }],
    });
    expect(voucher.status).toBe(201);
    expect(voucher.body.state).toBe('processing');
    const month = SUITE_MONTH; // approvals count in the business month they happen: now, on the suite clock
    const earnings = async () => (await owner.get(`${base}/collaborators/${ctv.body.id}/earnings?period=${month}`)).body;
    expect((await earnings()).total).toBe(0);

    const approved = await owner.post(`${base}/incurred-commissions/${voucher.body.id}/approve`, { version: 1 });
    expect(approved.status).toBe(200);
    // DOMAIN.md: 10 × 450,000 at 8% → 360,000
    expect((await earnings()).byKind.incurred).toBe(360_000);
    // a stale version is 412, as on every route (the voucher is at version 2 now, the body says 1)
    expect((await owner.post(`${base}/incurred-commissions/${voucher.body.id}/approve`, { version: 1 })).status).toBe(412);
    expect((await owner.post(`${base}/incurred-commissions/${voucher.body.id}/approve`, { version: 2 })).status).toBe(422); // approved already

    const bonus = await owner.post(`${base}/adjustments`, {
      collaboratorId: ctv.body.id,
      type: 'penalty',
      amount: 60_000,
      reason: 'Đơn giả',
    });
    await owner.post(`${base}/adjustments/${bonus.body.id}/approve`, { version: 1 });
    expect(await earnings()).toMatchObject({ total: 300_000 });

    await owner.post(`${base}/incurred-commissions/${voucher.body.id}/cancel`, { version: 2 });
    expect(await earnings()).toMatchObject({ total: -60_000 });
    const ledger = await owner.get(`${base}/collaborators/${ctv.body.id}/ledger?period=${month}`);
    expect(ledger.body.items.map((e: any) => e.amount).sort((a: number, b: number) => a - b)).toEqual([-360_000, -60_000, 360_000]);

    const unknown = await owner.post(`${base}/adjustments`, {
      collaboratorId: '01ARZ3NDEKTSV4RRFFQ69G5FAV',
      type: 'bonus',
      amount: 1,
      reason: 'x',
    });
    expect(unknown.status).toBe(422);
  });
});
