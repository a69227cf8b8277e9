import { describe, expect, it } from 'vitest';
import { apiPlan, kpiNetwork, oneLine, smallPlan, vn } from './kpi-support';

describe('KPI plans', () => {
  it("API.md's plan → 201 with its id and version 1; listed, read with its versions", async () => {
    const k = await kpiNetwork();
    const res = await k.owner.post(`${k.base}/kpi-plans`, apiPlan());
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({
      version: 1,
      name: 'KPI chăm sóc CTV',
      cycle: 'month',
      capBp: 15000,
      effectiveFrom: '2026-10-01',
      createdBy: k.owner.sub,
    });
    expect(res.body.id).toMatch(/^[0-9A-Z]{26}$/);
    expect(res.body.groups[1].sliceAmount).toBeNull();

    const list = await k.careA.get(`${k.base}/kpi-plans`);
    expect(list.status).toBe(200);
    expect(list.body.items.map((p: any) => p.id)).toEqual([res.body.id]);
    const got = await k.m1.get(`${k.base}/kpi-plans/${res.body.id}`);
    expect(got.body).toMatchObject({ id: res.body.id, version: 1 });
    expect(got.body.versions.map((v: any) => v.version)).toEqual([1]);
    expect((await k.owner.get(`${k.base}/kpi-plans/01ARZ3NDEKTSV4RRFFQ69G5FAV`)).status).toBe(404);
  });

  it('refuses a plan that breaks the rules, naming the field', async () => {
    const k = await kpiNetwork();
    const weights = apiPlan();
    (weights.groups as any)[1].conditions[0].weightBp = 1000;
    const bad = await k.owner.post(`${k.base}/kpi-plans`, weights);
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: any) => e.path)).toEqual(['groups']);

    const slices = apiPlan();
    (slices.groups as any)[0].sliceAmount = null;
    expect((await k.owner.post(`${k.base}/kpi-plans`, slices)).body.errors.map((e: any) => e.path)).toEqual(['groups.0.sliceAmount']);
    const target = apiPlan();
    (target.groups as any)[0].conditions[1].target = 0;
    expect((await k.owner.post(`${k.base}/kpi-plans`, target)).body.errors.map((e: any) => e.path)).toEqual([
      'groups.0.conditions.1.target',
    ]);
    const unknown = await k.owner.post(`${k.base}/kpi-plans`, { ...apiPlan(), bonus: 1 });
    expect(unknown.body.errors).toEqual([{ path: 'bonus', message: 'unknown field' }]);
    expect((await k.owner.get(`${k.base}/kpi-plans`)).body.items).toEqual([]);
  });

  it('only the owner defines and assigns plans', async () => {
    const k = await kpiNetwork();
    for (const user of [k.m1, k.careA, k.seller]) {
      expect((await user.post(`${k.base}/kpi-plans`, apiPlan())).status).toBe(403);
    }
    expect((await k.stranger.post(`${k.base}/kpi-plans`, apiPlan())).status).toBe(404);
    expect((await k.stranger.get(`${k.base}/kpi-plans`)).status).toBe(404);
    expect((await k.seller.get(`${k.base}/kpi-plans`)).status).toBe(403);
    const planId = await k.plan(apiPlan());
    expect((await k.m1.post(`${k.base}/kpi-assignments`, { planId, userId: k.ids.careA, effectiveFrom: '2026-10-01' })).status).toBe(403);
  });

  it('a new version takes effect from its date; earlier periods keep the version they had', async () => {
    const k = await kpiNetwork();
    const planId = await k.plan(smallPlan({ effectiveFrom: '2026-09-01' }));
    await k.assign({ planId, userId: k.ids.careA, effectiveFrom: '2026-09-01' });
    const earlier = await k.owner.post(`${k.base}/kpi-plans/${planId}/versions`, smallPlan({ effectiveFrom: '2026-08-01' }));
    expect(earlier.status).toBe(422);
    expect(earlier.body.errors[0].path).toBe('effectiveFrom');
    // version 2 from November: revenue target 2,000,000
    const v2plan = smallPlan({ effectiveFrom: '2026-11-01' });
    (v2plan.groups as any)[0].conditions[0].target = 2_000_000;
    const v2 = await k.owner.post(`${k.base}/kpi-plans/${planId}/versions`, v2plan);
    expect(v2.status, JSON.stringify(v2.body)).toBe(201);
    expect(v2.body).toMatchObject({ id: planId, version: 2, effectiveFrom: '2026-11-01' });
    expect((await k.owner.post(`${k.base}/kpi-plans/01ARZ3NDEKTSV4RRFFQ69G5FAV/versions`, v2plan)).status).toBe(404);

    const got = await k.owner.get(`${k.base}/kpi-plans/${planId}`);
    expect(got.body.version).toBe(2);
    expect(got.body.versions.map((v: any) => [v.version, v.effectiveFrom])).toEqual([
      [1, '2026-09-01'],
      [2, '2026-11-01'],
    ]);

    const a1 = await k.addCtv({ careStaffUserId: k.ids.careA });
    await k.send('V1', 1, 'approved', vn('2026-10-10T10:00:00'), a1.id, oneLine(1_500_000));
    await k.send('V2', 1, 'approved', vn('2026-11-10T10:00:00'), a1.id, oneLine(1_500_000));
    const october = await k.resultOf(k.owner, '2026-10', k.ids.careA);
    const november = await k.resultOf(k.owner, '2026-11', k.ids.careA);
    expect(october.plan).toMatchObject({ id: planId, version: 1 });
    expect(october.conditions[0]).toMatchObject({ indicator: 'revenue', actual: 1_500_000, target: 1_000_000, holds: true });
    expect(november.plan).toMatchObject({ id: planId, version: 2 });
    expect(november.conditions[0]).toMatchObject({ indicator: 'revenue', actual: 1_500_000, target: 2_000_000, holds: false });
    expect(november.award).toBe(0);
    // no plan was in force in August; a quarter has no plan of its cycle
    expect(await k.resultOf(k.owner, '2026-08', k.ids.careA)).toBeUndefined();
    expect(await k.resultOf(k.owner, '2026-Q4', k.ids.careA)).toBeUndefined();
  });
});

describe('KPI assignments', () => {
  it('to a staff group or to one care staff, checked; listed', async () => {
    const k = await kpiNetwork();
    const planId = await k.plan(apiPlan());
    const group = await k.groupWith('Miền Bắc', [k.ids.careA]);
    const both = await k.owner.post(`${k.base}/kpi-assignments`, {
      planId,
      userId: k.ids.careA,
      staffGroupId: group,
      effectiveFrom: '2026-10-01',
    });
    expect(both.status).toBe(400);
    expect(both.body.errors[0].path).toBe('userId');
    const neither = await k.owner.post(`${k.base}/kpi-assignments`, { planId, effectiveFrom: '2026-10-01' });
    expect(neither.status).toBe(400);
    const noPlan = await k.owner.post(`${k.base}/kpi-assignments`, {
      planId: '01ARZ3NDEKTSV4RRFFQ69G5FAV',
      userId: k.ids.careA,
      effectiveFrom: '2026-10-01',
    });
    expect([noPlan.status, noPlan.body.errors[0].path]).toEqual([422, 'planId']);
    const noGroup = await k.owner.post(`${k.base}/kpi-assignments`, {
      planId,
      staffGroupId: '01ARZ3NDEKTSV4RRFFQ69G5FAV',
      effectiveFrom: '2026-10-01',
    });
    expect([noGroup.status, noGroup.body.errors[0].path]).toEqual([422, 'staffGroupId']);
    const notStaff = await k.owner.post(`${k.base}/kpi-assignments`, { planId, userId: k.ids.m1, effectiveFrom: '2026-10-01' });
    expect([notStaff.status, notStaff.body.errors[0].path]).toEqual([422, 'userId']);
    const badDate = await k.owner.post(`${k.base}/kpi-assignments`, { planId, userId: k.ids.careA, effectiveFrom: '2026-10-32' });
    expect([badDate.status, badDate.body.errors[0].path]).toEqual([400, 'effectiveFrom']);

    const toGroup = await k.owner.post(`${k.base}/kpi-assignments`, { planId, staffGroupId: group, effectiveFrom: '2026-10-01' });
    expect(toGroup.status).toBe(201);
    expect(toGroup.body).toMatchObject({ planId, staffGroupId: group, effectiveFrom: '2026-10-01', createdBy: k.owner.sub });
    const toPerson = await k.owner.post(`${k.base}/kpi-assignments`, { planId, userId: k.ids.careB, effectiveFrom: '2026-11-01' });
    expect(toPerson.status).toBe(201);
    const all = await k.m1.get(`${k.base}/kpi-assignments`);
    expect(all.body.items.map((a: any) => a.id)).toEqual([toGroup.body.id, toPerson.body.id]);
    const ofB = await k.owner.get(`${k.base}/kpi-assignments?userId=${k.ids.careB}`);
    expect(ofB.body.items.map((a: any) => a.id)).toEqual([toPerson.body.id]);
    const page = await k.owner.get(`${k.base}/kpi-assignments?limit=1`);
    expect(page.body.items).toHaveLength(1);
    const next = await k.owner.get(`${k.base}/kpi-assignments?limit=1&cursor=${page.body.nextCursor}`);
    expect(next.body.items.map((a: any) => a.id)).toEqual([toPerson.body.id]);
  });

  it("a person's own plan overrides the group's, even a newer group assignment", async () => {
    const k = await kpiNetwork();
    const groupPlan = await k.plan(smallPlan({ name: 'Nhóm' }));
    const ownPlanBody = smallPlan({ name: 'Riêng' });
    (ownPlanBody.groups as any)[0].conditions[0].target = 500_000;
    const ownPlan = await k.plan(ownPlanBody);
    const group = await k.groupWith('Cả đội', [k.ids.careA, k.ids.careB]);
    await k.assign({ planId: groupPlan, staffGroupId: group, effectiveFrom: '2026-01-01' });
    await k.assign({ planId: ownPlan, userId: k.ids.careA, effectiveFrom: '2026-01-01' });
    const a = await k.addCtv({ careStaffUserId: k.ids.careA });
    const b = await k.addCtv({ careStaffUserId: k.ids.careB });
    await k.send('G1', 1, 'approved', vn('2026-10-10T10:00:00'), a.id, oneLine(800_000));
    await k.send('G2', 1, 'approved', vn('2026-10-10T10:00:00'), b.id, oneLine(800_000));

    const resA = await k.resultOf(k.owner, '2026-10', k.ids.careA);
    const resB = await k.resultOf(k.owner, '2026-10', k.ids.careB);
    expect(resA.plan.id).toBe(ownPlan);
    expect(resA.assignment.userId).toBe(k.ids.careA);
    expect(resA.conditions[0]).toMatchObject({ target: 500_000, holds: true });
    expect(resB.plan.id).toBe(groupPlan);
    expect(resB.conditions[0]).toMatchObject({ target: 1_000_000, holds: false });

    // the group gets a newer plan from October: careB follows it, careA keeps their own
    const newer = await k.plan(smallPlan({ name: 'Nhóm mới' }));
    await k.assign({ planId: newer, staffGroupId: group, effectiveFrom: '2026-10-01' });
    expect((await k.resultOf(k.owner, '2026-10', k.ids.careB)).plan.id).toBe(newer);
    const again = await k.resultOf(k.owner, '2026-10', k.ids.careA);
    expect([again.plan.id, again.score, again.award]).toEqual([resA.plan.id, resA.score, resA.award]);
  });
});

describe('KPI results: who sees whose', () => {
  it('the owner sees every care staff, a manager their team, care staff only themselves', async () => {
    const k = await kpiNetwork();
    const planId = await k.plan(smallPlan());
    const group = await k.groupWith('Tất cả', [k.ids.careA, k.ids.careA2, k.ids.careB]);
    await k.assign({ planId, staffGroupId: group });
    const users = (res: any) => res.body.items.map((i: any) => i.userId).sort();

    const owner = await k.owner.get(`${k.base}/kpi-results?period=2026-10`);
    expect(owner.status).toBe(200);
    expect(users(owner)).toEqual([k.ids.careA, k.ids.careA2, k.ids.careB].sort());
    expect(users(await k.m1.get(`${k.base}/kpi-results?period=2026-10`))).toEqual([k.ids.careA, k.ids.careA2].sort());
    expect(users(await k.m2.get(`${k.base}/kpi-results?period=2026-10`))).toEqual([k.ids.careB]);
    expect(users(await k.careA.get(`${k.base}/kpi-results?period=2026-10`))).toEqual([k.ids.careA]);
    // asking for someone out of sight gives nothing, not their result
    expect(users(await k.careA.get(`${k.base}/kpi-results?period=2026-10&userId=${k.ids.careB}`))).toEqual([]);
    expect(users(await k.m2.get(`${k.base}/kpi-results?period=2026-10&userId=${k.ids.careA}`))).toEqual([]);
    expect(users(await k.m1.get(`${k.base}/kpi-results?period=2026-10&userId=${k.ids.careA2}`))).toEqual([k.ids.careA2]);

    expect((await k.seller.get(`${k.base}/kpi-results?period=2026-10`)).status).toBe(403);
    expect((await k.stranger.get(`${k.base}/kpi-results?period=2026-10`)).status).toBe(404);
    const ctv = await k.ctvWithAccount(k.ids.careA);
    expect((await ctv.user.get(`${k.base}/kpi-results?period=2026-10`)).status).toBe(403);

    // pages of the roster
    const first = await k.owner.get(`${k.base}/kpi-results?period=2026-10&limit=2`);
    expect(first.body.items).toHaveLength(2);
    const rest = await k.owner.get(`${k.base}/kpi-results?period=2026-10&limit=2&cursor=${first.body.nextCursor}`);
    expect([...users(first), ...users(rest)].sort()).toEqual([k.ids.careA, k.ids.careA2, k.ids.careB].sort());

    const bad = await k.owner.get(`${k.base}/kpi-results?period=2026-13`);
    expect([bad.status, bad.body.errors[0].path]).toEqual([400, 'period']);
    expect((await k.owner.get(`${k.base}/kpi-results`)).status).toBe(400);
  });
});
