import { describe, expect, it } from 'vitest';
import { as, newBusiness, unique, uniquePhone } from './support/api';
import { deliver, newSource, orderEvent } from './support/orders';

/**
 * `GET …/sellers/{userId}/earnings` names an account of the business: an id that is not a member
 * there (now or before) and has no seller total in the period asked is a 404 problem+json, as an
 * unknown CTV is for `GET …/collaborators/{id}/earnings`; it is never a 200 of zeros.
 */
const problemOf = (res: { status: number; headers: Headers; body: any }) => ({
  status: res.status,
  contentType: res.headers.get('content-type'),
  problemStatus: res.body?.status,
});
const NOT_FOUND = { status: 404, contentType: 'application/problem+json', problemStatus: 404 };

describe('seller earnings of an unknown id', () => {
  it('is a 404 problem+json for the owner and a manager, for a month, a quarter and a year', async () => {
    const { owner, base } = await newBusiness();
    const managerId = unique('manager-');
    expect((await owner.post(`${base}/managers`, { userId: managerId, name: 'Lê Minh Tâm' })).status).toBe(201);
    const manager = await as(managerId);
    const nobody = unique('nobody-');
    for (const caller of [owner, manager]) {
      for (const period of ['2026-11', '2026-Q4', '2026']) {
        expect(problemOf(await caller.get(`${base}/sellers/${nobody}/earnings?period=${period}`)), `${caller.sub} ${period}`).toEqual(
          NOT_FOUND,
        );
      }
    }
    // the CTV equivalent, for comparison
    expect(problemOf(await owner.get(`${base}/collaborators/${unique('ctv-')}/earnings?period=2026-11`))).toEqual(NOT_FOUND);
  });

  it('a seller of another business is unknown here', async () => {
    const a = await newBusiness();
    const b = await newBusiness();
    const sellerId = unique('seller-');
    expect((await b.owner.post(`${b.base}/sellers`, { userId: sellerId, name: 'Đặng Quốc Huy' })).status).toBe(201);
    expect((await b.owner.get(`${b.base}/sellers/${sellerId}/earnings?period=2026-11`)).status).toBe(200);
    expect(problemOf(await a.owner.get(`${a.base}/sellers/${sellerId}/earnings?period=2026-11`))).toEqual(NOT_FOUND);
  });

  it('a seller on the roster without earnings yet answers zeros, to the owner and to themselves', async () => {
    const { owner, base } = await newBusiness();
    const sellerId = unique('seller-');
    expect((await owner.post(`${base}/sellers`, { userId: sellerId, name: 'Võ Thị Lan' })).status).toBe(201);
    const seller = await as(sellerId);
    for (const caller of [owner, seller]) {
      const res = await caller.get(`${base}/sellers/${sellerId}/earnings?period=2026-11`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ period: '2026-11', total: 0 });
      expect(Object.values(res.body.byKind).every((v) => v === 0)).toBe(true);
    }
    // a seller still sees only their own
    expect((await seller.get(`${base}/sellers/${unique('other-')}/earnings?period=2026-11`)).status).toBe(404);
  });

  it('an id an order named as its seller is known by its totals, in the periods it has them', async () => {
    const { owner, base, tenantId } = await newBusiness();
    const plan = await owner.post(`${base}/commission-plans`, {
      effectiveFrom: '2026-01-01',
      basic: { default: { percentBp: 1000 } },
      addOn: { collaboratorPercentBp: 500, sellerPercentBp: 300 },
    });
    expect(plan.status).toBe(201);
    const source = await newSource(owner, base);
    const ctv = await owner.post(`${base}/collaborators`, { name: 'Nguyễn Thị Hoa', phone: uniquePhone() });
    const sellerId = unique('pos-seller-'); // named by the order system, never put on the roster
    const line = {
      lineId: '1',
      productId: 'SERUM-30',
      unit: 'chai',
      category: 'serum',
      quantity: 1,
      unitPrice: 200_000,
      discount: 0,
      addOn: true,
    };
    const res = await deliver(
      tenantId,
      source,
      orderEvent({
        customer: { phone: uniquePhone() },
        orderDiscount: 0,
        sellerId,
        attribution: { collaboratorId: ctv.body.id },
        lines: [line],
      }),
    );
    expect(res.status).toBe(200);
    const earnings = await owner.get(`${base}/sellers/${sellerId}/earnings?period=2026-11`);
    expect(earnings.status).toBe(200);
    expect(earnings.body.byKind.addOn).toBe(6_000);
    expect((await owner.get(`${base}/sellers/${sellerId}/earnings?period=2026-Q4`)).body.total).toBe(6_000);
    // a month without a total: nothing says this id belongs to the business
    expect(problemOf(await owner.get(`${base}/sellers/${sellerId}/earnings?period=2026-12`))).toEqual(NOT_FOUND);
  });

  it('a former seller stays readable (their past earnings are payroll)', async () => {
    const { owner, base } = await newBusiness();
    const sellerId = unique('seller-');
    expect((await owner.post(`${base}/sellers`, { userId: sellerId, name: 'Phan Thị Mai' })).status).toBe(201);
    expect((await owner.delete(`${base}/sellers/${sellerId}`)).status).toBe(204);
    const res = await owner.get(`${base}/sellers/${sellerId}/earnings?period=2026-11`);
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(0);
  });
});
