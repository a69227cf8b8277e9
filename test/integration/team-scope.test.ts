/**
 * A manager acts only inside their team, care staff only for their CTVs (issue 16): entering an
 * order, adding a CTV under care staff, entering and listing vouchers. The owner acts anywhere.
 * Team m1 = care staff careA and careA2; team m2 = careB (test/integration/support/network.ts).
 */
import { describe, expect, it } from 'vitest';
import { network } from './support/network';
import { uniquePhone } from './support/api';
import { suiteNow } from './support/clock';
import { kpiNetwork, smallPlan, TZ } from './kpi-support';
import { localDay } from '../../domain/period';

const manualOrder = (collaboratorId?: string) => ({
  customer: { phone: uniquePhone(), name: 'Trần Văn Bình' },
  lines: [{ lineId: '1', productId: 'SERUM-30', unit: 'chai', category: 'serum', quantity: 1, unitPrice: 350_000, discount: 0 }],
  ...(collaboratorId ? { attribution: { collaboratorId, refId: null, couponCode: null, opportunityId: null } } : {}),
});

describe("a manager's team", () => {
  it('a manager enters orders only for their team’s CTVs, named; the owner for anyone', async () => {
    const n = await network();
    const ours = await n.addCtv({ careStaffUserId: n.ids.careA });
    const theirs = await n.addCtv({ careStaffUserId: n.ids.careB });
    expect((await n.m1.post(`${n.base}/orders`, manualOrder(ours.id))).status).toBe(201);
    const outside = await n.m1.post(`${n.base}/orders`, manualOrder(theirs.id));
    expect(outside.status).toBe(403);
    // naming nobody would let the REF ID, a coupon or a bound customer credit anyone: refused too
    expect((await n.m1.post(`${n.base}/orders`, manualOrder())).status).toBe(403);
    expect((await n.m2.post(`${n.base}/orders`, manualOrder(theirs.id))).status).toBe(201);
    expect((await n.owner.post(`${n.base}/orders`, manualOrder(theirs.id))).status).toBe(201);
    // nothing was stored for the refused ones: the owner sees three orders, m1 its one
    // the orders were entered now, on the suite clock: the 30 days before today hold them
    const list = async (who: typeof n.owner) => (await who.get(`${n.base}/orders?limit=100`)).body.items as unknown[];
    expect(await list(n.owner)).toHaveLength(3);
    expect(await list(n.m1)).toHaveLength(1);
  });

  it('a manager adds CTVs under their own team’s care staff only', async () => {
    const n = await network();
    const add = (who: typeof n.owner, careStaffUserId: string) =>
      who.post(`${n.base}/collaborators`, { name: 'Nguyễn Văn An', phone: uniquePhone(), careStaffUserId });
    expect((await add(n.m1, n.ids.careA2)).status).toBe(201);
    expect((await add(n.m1, n.ids.careB)).status).toBe(403);
    expect((await add(n.owner, n.ids.careB)).status).toBe(201);
    const ctvs = (await n.owner.get(`${n.base}/collaborators?careStaffUserId=${n.ids.careB}`)).body.items;
    expect(ctvs).toHaveLength(1); // only the owner's
  });

  it('a manager enters vouchers for their team only, and lists only their team’s', async () => {
    const n = await network();
    const ours = await n.addCtv({ careStaffUserId: n.ids.careA });
    const theirs = await n.addCtv({ careStaffUserId: n.ids.careB });
    const adjustment = (collaboratorId: string) => ({ collaboratorId, type: 'bonus', amount: 50_000, reason: 'Thưởng nóng' });
    const path = `${n.base}/adjustments`;
    const mine = await n.m1.post(path, adjustment(ours.id));
    expect(mine.status, mine.text).toBe(201);
    const refused = await n.m1.post(path, adjustment(theirs.id));
    expect(refused.status).toBe(403);
    expect(refused.body.errors).toEqual([expect.objectContaining({ path: 'collaboratorId' })]);
    const m2s = await n.m2.post(path, adjustment(theirs.id));
    expect(m2s.status).toBe(201);
    expect((await n.owner.post(path, adjustment(theirs.id))).status).toBe(201);

    const ids = async (who: typeof n.owner) =>
      ((await who.get(`${path}?limit=100`)).body.items as { id: string }[]).map((v) => v.id).sort();
    expect(await ids(n.m1)).toEqual([mine.body.id]);
    expect((await ids(n.m2)).length).toBe(2); // m2's own and the owner's for m2's CTV
    expect((await ids(n.owner)).length).toBe(3);
  });
});

describe("a manager's period view", () => {
  it("shows the KPI results of their team's care staff and their own OKR only; the owner every one", async () => {
    const k = await kpiNetwork();
    const planId = await k.plan(smallPlan());
    for (const userId of [k.ids.careA, k.ids.careA2, k.ids.careB]) await k.assign({ planId, userId });
    const day = localDay(suiteNow(), TZ);
    const month = day.slice(0, 7);
    const started = await k.owner.post(`${k.base}/jobs/nightly`, { asOf: day });
    expect(started.status, started.text).toBe(202);
    for (let i = 0; i < 400; i++) {
      const job = await k.owner.get(`${k.base}/jobs/${started.body.jobId}`);
      if (job.body.state === 'succeeded') break;
      expect(job.body.state).not.toBe('failed');
      await new Promise((r) => setTimeout(r, 25));
    }
    const view = async (who: typeof k.owner) => {
      const res = await who.get(`${k.base}/periods/${month}`);
      expect(res.status, res.text).toBe(200);
      return {
        kpi: (res.body.kpi.items as { userId: string }[]).map((i) => i.userId).sort(),
        okr: (res.body.okr.items as { managerUserId: string }[]).map((i) => i.managerUserId).sort(),
      };
    };
    expect(await view(k.owner)).toEqual({ kpi: [k.ids.careA, k.ids.careA2, k.ids.careB].sort(), okr: [k.ids.m1, k.ids.m2].sort() });
    expect(await view(k.m1)).toEqual({ kpi: [k.ids.careA, k.ids.careA2].sort(), okr: [k.ids.m1] });
    expect(await view(k.m2)).toEqual({ kpi: [k.ids.careB], okr: [k.ids.m2] });
  });
});
