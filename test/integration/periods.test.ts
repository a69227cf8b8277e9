/**
 * Periods over HTTP: listing, closing a month by hand, the KPI/OKR snapshots a run takes, snapshot
 * visibility, and the "changed since" path: after a run, only the CTVs marked as changed are
 * recomputed (the order change writes the marker in its own transaction; change-markers.test.ts
 * covers the other writers).
 */
import { describe, expect, it } from 'vitest';
import { NAMES, octoberWorld, ok, phone, runNightly, snapshotsByName, uid, waitForJob, fileClockServer } from './support/periods';

const s = fileClockServer();

describe('periods', () => {
  it('closes an ended month by hand (once), lists it with its totals, and keeps the KPI / OKR snapshots', async () => {
    const w = await octoberWorld(s);
    s.setNow('2026-10-31T23:00:00+07:00');
    const before = await ok(w.owner.get(`${w.base}/periods`), 200);
    expect(before.body.items).toEqual([{ id: '2026-10', state: 'open' }]);
    const early = await w.owner.post(`${w.base}/periods/2026-10/close`);
    expect(early.status).toBe(422);
    expect(early.body.errors[0].path).toBe('periodId');
    expect((await w.owner.post(`${w.base}/periods/October/close`)).status).toBe(400);

    s.setNow('2026-11-02T08:00:00+07:00');
    const started = await ok(w.owner.post(`${w.base}/periods/2026-10/close`), 202);
    const job = await waitForJob(s, w, started.body.jobId);
    expect(job).toMatchObject({ state: 'succeeded', asOfInput: '2026-11-01', summary: { closed: ['2026-10'] } });
    expect((await w.owner.post(`${w.base}/periods/2026-10/close`)).status).toBe(409);

    const list = await ok(w.owner.get(`${w.base}/periods`), 200);
    expect(list.body.items.map((p: any) => [p.id, p.state])).toEqual([
      ['2026-11', 'open'],
      ['2026-10', 'closed'],
    ]);
    const october = await ok(w.owner.get(`${w.base}/periods/2026-10`), 200);
    expect(october.body).toMatchObject({
      id: '2026-10',
      state: 'closed',
      statements: 3,
      total: 2_360_000,
      settledPeriods: ['2026-10'],
      requestedBy: w.owner.sub,
    });
    expect(october.body.byKind).toMatchObject({ basic: 1_610_000, award: 300_000, referral: 450_000 });
    const november = await ok(w.owner.get(`${w.base}/periods/2026-11`), 200);
    expect(november.body.state).toBe('open');
    // the run took the KPI and OKR results of the open month (issue 6's service), or says why not
    expect(november.body.kpi).not.toBeNull();
    expect(november.body.okr).not.toBeNull();
    expect(november.body.kpi.asOf).toBe(job.asOf);
    const jobs = await ok(w.owner.get(`${w.base}/jobs`), 200);
    expect(jobs.body.items.map((j: any) => j.jobId)).toEqual([job.jobId]);
  });

  it('recomputes only the CTVs changed since the last run', async () => {
    const w = await octoberWorld(s);
    s.setNow('2026-11-01T02:00:00+07:00');
    const first = await runNightly(s, w, '2026-11-01');
    expect(first.summary).toMatchObject({ full: true, snapshots: 3 });

    // C sells 10 × 200,000 on 3 Nov; the order change marks C as changed
    s.setNow('2026-11-03T10:00:00+07:00');
    const event = {
      externalId: uid('HD-N'),
      revision: 1,
      state: 'approved',
      occurredAt: '2026-11-03T10:00:00+07:00',
      customer: { phone: phone(), name: 'Khách mới' },
      lines: [
        {
          lineId: '1',
          productId: 'MASK-10',
          unit: 'hộp',
          category: 'mask',
          quantity: 10,
          unitPrice: 200_000,
          discount: 0,
          addOn: false,
          returnedQuantity: 0,
        },
      ],
      orderDiscount: 0,
      shippingFee: 0,
      attribution: { collaboratorId: w.c.id, refId: null, couponCode: null, opportunityId: null },
      sellerId: null,
    };
    await ok(s.deliver(w.tenantId, w.source, event));

    s.setNow('2026-11-04T02:00:00+07:00');
    const second = await runNightly(s, w, '2026-11-04');
    expect(second.summary).toMatchObject({ full: false, changed: 1, snapshots: 1, written: 1 });
    const snaps = await snapshotsByName(w, '2026-11');
    // C: basic 10% × 2,000,000 = 200,000; 10 units < 20: no award projected
    expect(snaps[NAMES.c]).toMatchObject({
      earnings: { total: 200_000 },
      volume: { revenue: 2_000_000, quantity: 10, orders: 1 },
      projected: { total: 0 },
    });
    expect(snaps[NAMES.a]).toMatchObject({ earnings: { total: 250_000 }, asOf: first.asOf }); // untouched since the first run

    // a new plan version changes every projection: the next run recomputes everyone
    await ok(
      w.owner.post(`${w.base}/commission-plans`, {
        effectiveFrom: '2026-11-01',
        basic: { default: { percentBp: 1000 } },
        awards: [{ cycle: 'month', minQuantity: 10, percentBp: 300 }],
      }),
      201,
    );
    s.setNow('2026-11-05T02:00:00+07:00');
    const third = await runNightly(s, w, '2026-11-05');
    expect(third.summary).toMatchObject({ full: true, snapshots: 3 });
    const after = await snapshotsByName(w, '2026-11');
    // C now reaches 10 units: 3% × 2,000,000 = 60,000; A: 3% × 2,500,000 = 75,000
    expect(after[NAMES.c].projected.total).toBe(60_000);
    expect(after[NAMES.a].projected.total).toBe(75_000);
  });

  it('shows snapshots to the staff who look after the CTV, and to nobody else', async () => {
    const w = await octoberWorld(s);
    s.setNow('2026-11-01T02:00:00+07:00');
    await runNightly(s, w, '2026-11-01');
    const staffId = uid('care-');
    await ok(w.owner.post(`${w.base}/care-staff`, { userId: staffId, name: 'Võ Thị Lan' }), 201);
    const care = await s.as(staffId);
    expect((await ok(care.get(`${w.base}/periods/2026-11/snapshots`), 200)).body.items).toEqual([]);
    expect((await care.get(`${w.base}/periods/2026-11/snapshots/${w.a.id}`)).status).toBe(404);
    const all = await ok(w.owner.get(`${w.base}/periods/2026-11/snapshots?limit=2`), 200);
    expect(all.body.items).toHaveLength(2);
    expect(all.body.nextCursor).toBeTruthy();
    const rest = await ok(w.owner.get(`${w.base}/periods/2026-11/snapshots?limit=2&cursor=${all.body.nextCursor}`), 200);
    expect(rest.body.items).toHaveLength(1);
    expect((await w.owner.get(`${w.base}/periods/2026-11/snapshots/${w.a.id}`)).status).toBe(200);
    expect((await w.owner.get(`${w.base}/periods/2026-12/snapshots/${w.a.id}`)).status).toBe(404);
  });
});
