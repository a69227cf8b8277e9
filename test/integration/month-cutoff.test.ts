/**
 * A month cut-off day (issue 15; DOMAIN.md, "Periods"): with `monthEndDay` 25, 2026-10 runs from 26
 * September to 25 October, local time. An order approved on 27 October counts in 2026-11; October can
 * be closed on the 26th; a change of the cut-off applies to the months not yet closed only.
 * Plan: basic 10%, holding 7 days. Worked by hand:
 *   X  1 × 1,000,000 approved 5 Oct, completed 10 Oct → basic 100,000 in 2026-10, payable 17 Oct
 *   Y  1 × 2,000,000 approved 27 Oct, completed 28 Oct → basic 200,000 in 2026-11 (after the 25th)
 *   Z  1 ×   500,000 approved 28 Nov                    → basic 50,000: 2026-11 under the calendar
 *      month the owner switched back to after October closed (under 25 it would be 2026-12)
 */
import { describe, expect, it } from 'vitest';
import { fileClockServer, ok, phone, uid, waitForJob } from './support/periods';

const s = fileClockServer();

const event = (externalId: string, collaboratorId: string, unitPrice: number, state: string, occurredAt: string, revision: number) => ({
  externalId,
  revision,
  state,
  occurredAt,
  customer: { phone: phone(), name: 'Khách lẻ' },
  lines: [
    {
      lineId: '1',
      productId: 'SERUM-30',
      unit: 'chai',
      category: 'serum',
      quantity: 1,
      unitPrice,
      discount: 0,
      addOn: false,
      returnedQuantity: 0,
    },
  ],
  orderDiscount: 0,
  shippingFee: 0,
  attribution: { collaboratorId, refId: null, couponCode: null, opportunityId: null },
  sellerId: null,
});

describe('a month cut-off day', () => {
  it('months end on the 25th: ledger periods, the close, statements; a later change keeps closed months as they closed', async () => {
    s.setNow('2026-09-28T08:00:00+07:00');
    const owner = await s.as(uid('owner-'));
    const tenant = (await ok(owner.post('/v1/tenants', { name: 'Mỹ phẩm Sen Vàng', pageId: uid('sen-') }), 201)).body;
    const base = `/v1/tenants/${tenant.id}`;
    const set = await owner.patch(`${base}/settings`, { monthEndDay: 25 }, { 'if-match': '"1"' });
    expect(set.status, set.text).toBe(200);
    expect(set.body).toMatchObject({ monthEndDay: 25, monthEnds: [{ from: '2000-01', day: 25 }] });
    expect((await owner.patch(`${base}/settings`, { monthEndDay: 29 }, { 'if-match': '"2"' })).status).toBe(400);

    await ok(owner.post(`${base}/commission-plans`, { effectiveFrom: '2026-10-01', basic: { default: { percentBp: 1000 } } }), 201);
    const source = (await ok(owner.post(`${base}/webhook-sources`, { name: 'Website', kind: 'ctv' }), 201)).body;
    const ctv = (
      await ok(
        owner.post(`${base}/collaborators`, {
          name: 'Nguyễn Thị Hoa',
          phone: phone(),
          bank: { bankName: 'Vietcombank', accountNumber: '0011001234567', accountName: 'NGUYEN THI HOA' },
        }),
        201,
      )
    ).body;
    const send = async (when: string, e: ReturnType<typeof event>) => {
      s.setNow(when);
      await ok(s.deliver(tenant.id, source, e));
    };
    const x = uid('HD-X');
    const y = uid('HD-Y');
    await send('2026-10-05T10:00:00+07:00', event(x, ctv.id, 1_000_000, 'approved', '2026-10-05T10:00:00+07:00', 1));
    await send('2026-10-10T10:00:00+07:00', event(x, ctv.id, 1_000_000, 'completed', '2026-10-10T10:00:00+07:00', 2));
    await send('2026-10-27T10:00:00+07:00', event(y, ctv.id, 2_000_000, 'approved', '2026-10-27T10:00:00+07:00', 1));
    await send('2026-10-28T10:00:00+07:00', event(y, ctv.id, 2_000_000, 'completed', '2026-10-28T10:00:00+07:00', 2));

    const ledger = async (month: string) =>
      (await ok(owner.get(`${base}/collaborators/${ctv.id}/ledger?period=${month}`), 200)).body.items as { amount: number }[];
    expect((await ledger('2026-10')).map((l) => l.amount)).toEqual([100_000]);
    expect((await ledger('2026-11')).map((l) => l.amount)).toEqual([200_000]);

    // 25 October 23:00 local: October has not ended; on the 26th it has and can be closed
    s.setNow('2026-10-25T23:00:00+07:00');
    expect((await owner.post(`${base}/periods/2026-10/close`)).status).toBe(422);
    s.setNow('2026-10-26T08:00:00+07:00');
    const started = await ok(owner.post(`${base}/periods/2026-10/close`), 202);
    const job = await waitForJob(s, { owner, base }, started.body.jobId);
    expect(job).toMatchObject({ state: 'succeeded', asOfInput: '2026-10-26', summary: { closed: ['2026-10'] } });
    const october = (await ok(owner.get(`${base}/periods/2026-10`), 200)).body;
    expect(october).toMatchObject({ state: 'closed', total: 100_000 });
    const statement = (await ok(owner.get(`${base}/statements/2026-10/${ctv.id}`), 200)).body;
    expect(statement.total).toBe(100_000);
    // the month in progress on the 26th is November
    expect((await ok(owner.get(`${base}/periods`), 200)).body.items[0]).toMatchObject({ id: '2026-11', state: 'open' });

    // back to calendar months after October closed: October keeps 26 Sep – 25 Oct, November runs 26 Oct – 30 Nov
    const back = await owner.patch(`${base}/settings`, { monthEndDay: null }, { 'if-match': '"2"' });
    expect(back.status, back.text).toBe(200);
    expect(back.body.monthEnds).toEqual([
      { from: '2000-01', day: 25 },
      { from: '2026-11', day: null },
    ]);
    const z = uid('HD-Z');
    await send('2026-11-28T10:00:00+07:00', event(z, ctv.id, 500_000, 'approved', '2026-11-28T10:00:00+07:00', 1));
    expect((await ledger('2026-11')).map((l) => l.amount).sort((a, b) => a - b)).toEqual([50_000, 200_000]);
    expect(await ledger('2026-12')).toEqual([]);
    expect((await ledger('2026-10')).map((l) => l.amount)).toEqual([100_000]);
  });
});
