/**
 * A reversal takes the state of what it reverses (DOMAIN.md "Money rules"), over HTTP on the clock
 * server: a return recorded after the approval month closed, of commission never payable, is no
 * clawback and no debt; it becomes payable together with the entry it reverses. What was payable
 * (here: settled and paid) is clawed back at once. Statements, the order's commission lines, the
 * earnings, the CTV's own view and the payout agree.
 *
 * Plan: basic 10%, nothing else; holding period 7 days (the default), minimum payout 100,000 đ.
 * Worked by hand:
 *   P1  CTV P  10 × 200,000 = 2,000,000  approved 20 Oct, never completed → basic 200,000, pending.
 *       10 Nov: 4 of 10 returned → kept 2,000,000 × 6 ÷ 10 = 1,200,000 → 120,000: a change of
 *       −80,000 booked into November (October is closed), pending like the entry it changes; the
 *       order's return is its delivery, so both are payable on 10 + 7 = 17 Nov → November's
 *       statement: 200,000 − 80,000 = 120,000.
 *   Q1  CTV Q   5 × 300,000 = 1,500,000  approved 3 Oct, completed 5 Oct → basic 150,000, payable
 *       12 Oct, settled in October and paid. 10 Nov: 2 of 5 returned → kept 900,000 → 90,000: a
 *       clawback of −60,000, payable at once → November's statement: −60,000 (a debt).
 *   L1  CTV L  10 × 100,000 = 1,000,000  approved 25 Oct, never completed → basic 100,000, pending.
 *       28 Nov: 3 of 10 returned → kept 700,000 → 70,000: −30,000, payable with the entry on
 *       28 Nov + 7 = 5 Dec → November states nothing to pay (70,000 pending); December 70,000.
 */
import { describe, expect, it } from 'vitest';
import { ifMatch } from './support/network';
import { fileClockServer, ok, phone, runNightly, uid, type ClockServer } from './support/periods';

const s = fileClockServer();

function event(
  externalId: string,
  collaboratorId: string,
  qty: number,
  unitPrice: number,
  state: string,
  when: string,
  revision: number,
  returnedQuantity = 0,
) {
  return {
    externalId,
    revision,
    state,
    occurredAt: when,
    customer: { phone: phoneOf(externalId), name: 'Khách lẻ' },
    lines: [
      {
        lineId: '1',
        productId: 'KEM-50',
        unit: 'hộp',
        category: 'kem',
        quantity: qty,
        unitPrice,
        discount: 0,
        addOn: false,
        returnedQuantity,
      },
    ],
    orderDiscount: 0,
    shippingFee: 30_000,
    attribution: { collaboratorId, refId: null, couponCode: null, opportunityId: null },
    sellerId: null,
  };
}
const phones = new Map<string, string>();
const phoneOf = (id: string) => phones.get(id) ?? (phones.set(id, phone()), phones.get(id)!);

async function world(server: ClockServer) {
  server.setNow('2026-10-01T08:00:00+07:00');
  const owner = await server.as(uid('owner-'));
  const tenant = (await ok(owner.post('/v1/tenants', { name: 'Mỹ phẩm Trăng Non', pageId: uid('trang-') }), 201)).body;
  const base = `/v1/tenants/${tenant.id}`;
  await ok(owner.post(`${base}/commission-plans`, { effectiveFrom: '2026-10-01', basic: { default: { percentBp: 1000 } } }), 201);
  const source = (await ok(owner.post(`${base}/webhook-sources`, { name: 'Website', kind: 'ctv' }), 201)).body;
  const pSub = uid('ctv-p-');
  const pEmail = `${pSub}@example.vn`;
  const bank = (n: string) => ({ bankName: 'Vietcombank', accountNumber: `00110${n}`, accountName: 'CTV' });
  const add = async (name: string, extra: Record<string, unknown>) =>
    (await ok(owner.post(`${base}/collaborators`, { name, phone: phone(), ...extra }), 201)).body;
  const p = await add('Phạm Thị Phương', { email: pEmail, bank: bank('1234567') });
  const q = await add('Quách Văn Quang', { bank: bank('2345678') });
  const l = await add('Lý Thị Lan', { bank: bank('3456789') });
  const ex = uid('DH');
  const orderIds: Record<string, string> = {};
  const send = async (when: string, name: string, e: ReturnType<typeof event>) => {
    server.setNow(when);
    const res = await ok(server.deliver(tenant.id, source, e), 200);
    orderIds[name] = res.body.orderId;
  };
  const P1 = (state: string, when: string, revision: number, returned = 0) =>
    event(`${ex}-P1`, p.id, 10, 200_000, state, when, revision, returned);
  const Q1 = (state: string, when: string, revision: number, returned = 0) =>
    event(`${ex}-Q1`, q.id, 5, 300_000, state, when, revision, returned);
  const L1 = (state: string, when: string, revision: number, returned = 0) =>
    event(`${ex}-L1`, l.id, 10, 100_000, state, when, revision, returned);
  await send('2026-10-03T10:00:00+07:00', 'Q1', Q1('approved', '2026-10-03T10:00:00+07:00', 1));
  await send('2026-10-05T10:00:00+07:00', 'Q1', Q1('completed', '2026-10-05T10:00:00+07:00', 2));
  await send('2026-10-20T10:00:00+07:00', 'P1', P1('approved', '2026-10-20T10:00:00+07:00', 1));
  await send('2026-10-25T10:00:00+07:00', 'L1', L1('approved', '2026-10-25T10:00:00+07:00', 1));
  const signInP = async () => {
    const user = await server.as(pSub, pEmail);
    await ok(user.post(`/v1/pages/${tenant.pageId}/join`, { name: p.name, phone: p.phone }));
    return user;
  };
  return { owner, base, p, q, l, send, P1, Q1, L1, orderIds, signInP };
}

const statementOf = async (w: Awaited<ReturnType<typeof world>>, month: string, ctvId: string) =>
  (await ok(w.owner.get(`${w.base}/statements/${month}/${ctvId}`), 200)).body;
const kindAmount = (lines: any[]) => lines.map((l: any) => [l.kind, l.amount]);
const sum = (xs: { amount: number }[]) => xs.reduce((t, x) => t + x.amount, 0);

describe('reversals take the state of what they reverse', () => {
  it('a return after the close of commission never payable is no debt; of commission paid, a clawback at once', async () => {
    const w = await world(s);

    // October closes: P's 200,000 and L's 100,000 are pending (never delivered); Q's 150,000 settles
    s.setNow('2026-11-01T02:00:00+07:00');
    await runNightly(s, w, '2026-11-01');
    const octP = await statementOf(w, '2026-10', w.p.id);
    expect(octP).toMatchObject({ total: 0, pendingTotal: 200_000, balance: 0 });
    expect(octP.lines).toEqual([]);
    expect(await statementOf(w, '2026-10', w.l.id)).toMatchObject({ total: 0, pendingTotal: 100_000 });
    const octQ = await statementOf(w, '2026-10', w.q.id);
    expect(octQ).toMatchObject({ total: 150_000, pendingTotal: 0, balance: 150_000 });
    // Q's October is approved, batched and paid
    await ok(w.owner.post(`${w.base}/statements/2026-10/${w.q.id}/approve`, undefined, ifMatch(octQ.version)), 200);
    const octBatch = (await ok(w.owner.post(`${w.base}/payouts`, { periodId: '2026-10' }), 201)).body;
    expect(octBatch.items.map((i: any) => [i.collaboratorId, i.amount])).toEqual([[w.q.id, 150_000]]);
    await ok(w.owner.post(`${w.base}/payouts/${octBatch.id}/paid`, { reference: 'VCB-1' }, ifMatch(octBatch.version)), 200);

    // November: the returns
    await w.send('2026-11-10T10:00:00+07:00', 'P1', w.P1('returned', '2026-11-10T10:00:00+07:00', 2, 4));
    await w.send('2026-11-10T10:00:00+07:00', 'Q1', w.Q1('returned', '2026-11-10T10:00:00+07:00', 3, 2));
    await w.send('2026-11-28T10:00:00+07:00', 'L1', w.L1('returned', '2026-11-28T10:00:00+07:00', 2, 3));

    // the orders' commission lines: P's −80,000 is a basic change in November, pending with (and
    // payable from the same instant as) the 200,000 it changes; Q's −60,000 is a clawback payable at once
    s.setNow('2026-11-12T10:00:00+07:00');
    const p1 = (await ok(w.owner.get(`${w.base}/orders/${w.orderIds.P1}`), 200)).body;
    expect(p1.commissionLines.map((c: any) => [c.kind, c.amount, c.periodId, c.reason, c.state, c.payableFrom])).toEqual([
      ['basic', 200_000, '2026-10', 'accrual', 'pending', '2026-11-17T03:00:00.000Z'],
      ['basic', -80_000, '2026-11', 'change', 'pending', '2026-11-17T03:00:00.000Z'],
    ]);
    expect(p1.commissionTotal).toBe(120_000);
    const q1 = (await ok(w.owner.get(`${w.base}/orders/${w.orderIds.Q1}`), 200)).body;
    expect(q1.commissionLines.map((c: any) => [c.kind, c.amount, c.periodId, c.state, c.payableFrom])).toEqual([
      ['basic', 150_000, '2026-10', 'payable', '2026-10-12T03:00:00.000Z'],
      ['clawback', -60_000, '2026-11', 'payable', '2026-11-10T03:00:00.000Z'],
    ]);

    // November closes
    s.setNow('2026-12-01T02:00:00+07:00');
    await runNightly(s, w, '2026-12-01');
    // P: no debt: 200,000 − 80,000 = 120,000 settled together, no clawback
    const novP = await statementOf(w, '2026-11', w.p.id);
    expect(kindAmount(novP.lines)).toEqual([
      ['basic', 200_000],
      ['basic', -80_000],
    ]);
    expect(novP).toMatchObject({ total: 120_000, pendingTotal: 0, broughtForward: 0, balance: 120_000 });
    expect(novP.byKind).toMatchObject({ basic: 120_000, clawback: 0 });
    expect(sum(novP.lines)).toBe(novP.total);
    // Q: the clawback, at once; October was paid, so a debt of 60,000
    const novQ = await statementOf(w, '2026-11', w.q.id);
    expect(kindAmount(novQ.lines)).toEqual([['clawback', -60_000]]);
    expect(novQ).toMatchObject({ total: -60_000, broughtForward: 0, balance: -60_000 });
    // L: returned on 28 Nov, payable 5 Dec: nothing to pay and nothing taken back in November
    const novL = await statementOf(w, '2026-11', w.l.id);
    expect(novL).toMatchObject({ total: 0, pendingTotal: 70_000, balance: 0 });
    expect(kindAmount(novL.pending)).toEqual([
      ['basic', 100_000],
      ['basic', -30_000],
    ]);

    // P's own view agrees with the owner's: the statement, and her ledger of each month
    const me = await w.signInP();
    const mine = (await ok(me.get(`${w.base}/me/statements/2026-11`), 200)).body;
    expect(mine).toMatchObject({ total: 120_000, balance: 120_000, pendingTotal: 0 });
    expect(kindAmount(mine.lines)).toEqual(kindAmount(novP.lines));
    const myNov = (await ok(me.get(`${w.base}/me/ledger?period=2026-11`), 200)).body;
    expect(myNov.items.map((e: any) => [e.kind, e.amount, e.reason])).toEqual([['basic', -80_000, 'change']]);
    expect(myNov.earnings).toMatchObject({ closed: true, total: -80_000, byKind: { basic: -80_000, clawback: 0 } });
    const myOct = (await ok(me.get(`${w.base}/me/ledger?period=2026-10`), 200)).body;
    expect(myOct.earnings.total).toBe(200_000);
    // earnings of the quarter = what her statements settle and leave pending: 0 + 120,000
    const q4 = (await ok(w.owner.get(`${w.base}/collaborators/${w.p.id}/earnings?period=2026-Q4`), 200)).body;
    expect(q4).toMatchObject({ total: 120_000, byKind: { basic: 120_000, clawback: 0 } });
    expect(q4.total).toBe(octP.total + novP.total + novP.pendingTotal);

    // the payout of November: P's 120,000; Q's debt is not paid
    for (const [id, st] of [
      [w.p.id, novP],
      [w.q.id, novQ],
    ] as const) {
      await ok(w.owner.post(`${w.base}/statements/2026-11/${id}/approve`, undefined, ifMatch(st.version)), 200);
    }
    const novBatch = (await ok(w.owner.post(`${w.base}/payouts`, { periodId: '2026-11' }), 201)).body;
    expect(novBatch).toMatchObject({ count: 1, total: 120_000 });
    expect(novBatch.items.map((i: any) => [i.collaboratorId, i.amount])).toEqual([[w.p.id, 120_000]]);
    expect(novBatch.skipped).toContainEqual({ collaboratorId: w.q.id, balance: -60_000, reason: 'negative_balance' });
    expect(novBatch.items.some((i: any) => i.collaboratorId === w.l.id)).toBe(false);

    // December closes: L's 100,000 and −30,000 settle together (payable 5 Dec): 70,000
    s.setNow('2027-01-01T02:00:00+07:00');
    await runNightly(s, w, '2027-01-01');
    const decL = await statementOf(w, '2026-12', w.l.id);
    expect(kindAmount(decL.lines)).toEqual([
      ['basic', 100_000],
      ['basic', -30_000],
    ]);
    expect(decL).toMatchObject({ total: 70_000, pendingTotal: 0, balance: 70_000 });
    expect(decL.lines.map((l: any) => l.payableFrom)).toEqual(['2026-12-05T03:00:00.000Z', '2026-12-05T03:00:00.000Z']);
    const lQ4 = (await ok(w.owner.get(`${w.base}/collaborators/${w.l.id}/earnings?period=2026-Q4`), 200)).body;
    expect(lQ4).toMatchObject({ closed: true, total: 70_000 });
    // Q's debt carries on into December: 150,000 paid − 60,000 = 90,000 kept, 60,000 owed
    expect(await statementOf(w, '2026-12', w.q.id)).toMatchObject({ total: 0, broughtForward: -60_000, balance: -60_000 });
    expect(s.errors).toEqual([]);
  });
});
