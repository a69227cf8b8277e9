/**
 * Volume at the cut-off (issue 15; DOMAIN.md "The six commission kinds": a period's volume is the
 * credited lines of orders approved in it, net of the returns recorded by its cut-off), over HTTP on
 * the clock server:
 *   - a return recorded after October's cut-off but before a late close does not change October's
 *     award or referral override; one recorded before the cut-off does, each return at its own time;
 *   - an order created more than 100 days before its approval counts in the month of its approval.
 */
import { describe, expect, it } from 'vitest';
import { fileClockServer, ok, phone, runNightly, uid, type ClockServer } from './support/periods';

const s = fileClockServer();

/** Basic 10%; a monthly award of 2% from 20 units; F1 referral 3%. */
const PLAN = (effectiveFrom: string) => ({
  effectiveFrom,
  basic: { default: { percentBp: 1000 } },
  referral: { level1Bp: 300 },
  awards: [{ cycle: 'month', minQuantity: 20, percentBp: 200 }],
});

async function business(server: ClockServer, createdOn: string) {
  server.setNow(`${createdOn}T08:00:00+07:00`);
  const owner = await server.as(uid('owner-'));
  const tenant = (await ok(owner.post('/v1/tenants', { name: 'Thời trang Mai Anh', pageId: uid('mai-') }), 201)).body;
  const base = `/v1/tenants/${tenant.id}`;
  await ok(owner.post(`${base}/commission-plans`, PLAN(createdOn)), 201);
  const source = (await ok(owner.post(`${base}/webhook-sources`, { name: 'Website', kind: 'ctv' }), 201)).body;
  const a = (await ok(owner.post(`${base}/collaborators`, { name: 'Phạm Thị An', phone: phone() }), 201)).body;
  const b = (await ok(owner.post(`${base}/collaborators`, { name: 'Đỗ Văn Bảo', phone: phone(), referrerRefId: a.refId }), 201)).body;
  const customer = phone();
  /** one order line of B's, 30 × 500,000 = 15,000,000, in the given state, at the given time */
  const send = async (
    externalId: string,
    revision: number,
    state: string,
    when: string,
    returnedQuantity = 0,
    quantity = 30,
    unitPrice = 500_000,
  ) => {
    server.setNow(when);
    const event = {
      externalId,
      revision,
      state,
      occurredAt: when,
      customer: { phone: customer, name: 'Khách lẻ' },
      lines: [
        {
          lineId: '1',
          productId: 'AO-DAI',
          unit: 'bộ',
          category: 'ao-dai',
          quantity,
          unitPrice,
          discount: 0,
          addOn: false,
          returnedQuantity,
        },
      ],
      orderDiscount: 0,
      shippingFee: 0,
      attribution: { collaboratorId: b.id, refId: null, couponCode: null, opportunityId: null },
      sellerId: null,
    };
    return (await ok(server.deliver(tenant.id, source, event))).body;
  };
  return { owner, tenantId: tenant.id as string, base, a, b, send };
}
type Business = Awaited<ReturnType<typeof business>>;

/** October's period lines of a CTV, as its statement shows them. */
async function octoberLines(w: Business, ctvId: string, kind: 'award' | 'referral') {
  const st = await ok(w.owner.get(`${w.base}/statements/2026-10/${ctvId}`), 200);
  return st.body.lines.filter((l: any) => l.kind === kind);
}

describe('volume at the cut-off', () => {
  it('a return recorded after the cut-off does not change the award of a close that runs late; one recorded before does', async () => {
    // three businesses with the same October: B sells O1, 30 × 500,000 = 15,000,000, approved 5 Oct
    const onTime = await business(s, '2026-10-01');
    const late = await business(s, '2026-10-01');
    const split = await business(s, '2026-10-01');
    for (const w of [onTime, late, split]) await w.send('HD-1', 1, 'approved', '2026-10-05T10:00:00+07:00');

    // on time: October closes at 00:10 on 1 Nov, then 10 units come back at 00:30
    s.setNow('2026-11-01T00:10:00+07:00');
    await runNightly(s, onTime, '2026-11-01');
    await onTime.send('HD-1', 2, 'returned', '2026-11-01T00:30:00+07:00', 10);

    // late: the same return at 00:30 on 1 Nov, and October closes only on 3 Nov
    await late.send('HD-1', 2, 'returned', '2026-11-01T00:30:00+07:00', 10);
    s.setNow('2026-11-03T09:00:00+07:00');
    await runNightly(s, late, '2026-11-01');

    // split: 4 units back on 31 Oct (before the cut-off), 6 more at 00:30 on 1 Nov (after), close on 3 Nov
    await split.send('HD-1', 2, 'returned', '2026-10-31T20:00:00+07:00', 4);
    await split.send('HD-1', 3, 'returned', '2026-11-01T00:30:00+07:00', 10);
    s.setNow('2026-11-03T09:00:00+07:00');
    await runNightly(s, split, '2026-11-01');

    // on time and late: October's volume is the 30 units kept at the cut-off, 15,000,000:
    // B's award 2% × 15,000,000 = 300,000; A's F1 override 3% × 15,000,000 = 450,000
    for (const w of [onTime, late]) {
      const [award] = await octoberLines(w, w.b.id, 'award');
      expect(award).toMatchObject({ amount: 300_000, trace: { base: 15_000_000, quantity: 30 } });
      const [referral] = await octoberLines(w, w.a.id, 'referral');
      expect(referral).toMatchObject({ amount: 450_000, trace: { base: 15_000_000, refereeId: w.b.id } });
    }
    // split: only the 4 units returned on 31 Oct count against October, each return at its own time:
    // 26 units kept, R = 15,000,000 × 26 / 30 = 13,000,000; award 2% = 260,000; override 3% = 390,000
    const [award] = await octoberLines(split, split.b.id, 'award');
    expect(award).toMatchObject({ amount: 260_000, trace: { base: 13_000_000, quantity: 26 } });
    const [referral] = await octoberLines(split, split.a.id, 'referral');
    expect(referral).toMatchObject({ amount: 390_000, trace: { base: 13_000_000 } });

    // the period records agree: late = on time (O1 was never completed, so its basic waits: only the
    // period lines, payable at the cut-off, are stated)
    const october = async (w: Business) => (await ok(w.owner.get(`${w.base}/periods/2026-10`), 200)).body.byKind;
    expect(await october(late)).toEqual(await october(onTime));
    expect(await october(late)).toMatchObject({ basic: 0, award: 300_000, referral: 450_000 });
  });

  it('an order created more than 100 days before its approval counts in the month of its approval', async () => {
    // created (processing) on 20 June, approved on 15 October: 117 days later (and 103 days before
    // October starts: further back than the 92 days the close used to look)
    const w = await business(s, '2026-06-15');
    await w.send('HD-OLD', 1, 'processing', '2026-06-20T10:00:00+07:00', 0, 25, 200_000);
    await w.send('HD-OLD', 2, 'approved', '2026-10-15T10:00:00+07:00', 0, 25, 200_000);
    s.setNow('2026-11-01T02:00:00+07:00');
    const job = await runNightly(s, w, '2026-11-01');
    expect(job.summary.closed).toEqual(['2026-06', '2026-07', '2026-08', '2026-09', '2026-10']);

    // October's volume: 25 × 200,000 = 5,000,000 (25 units ≥ 20): award 2% = 100,000; A's override 3% = 150,000
    const [award] = await octoberLines(w, w.b.id, 'award');
    expect(award).toMatchObject({ amount: 100_000, trace: { base: 5_000_000, quantity: 25, periodId: '2026-10' } });
    const [referral] = await octoberLines(w, w.a.id, 'referral');
    expect(referral).toMatchObject({ amount: 150_000, trace: { base: 5_000_000 } });
    // and nothing in June, the month of its creation
    expect((await ok(w.owner.get(`${w.base}/periods/2026-06`), 200)).body).toMatchObject({ state: 'closed', statements: 0, total: 0 });
  });
});
