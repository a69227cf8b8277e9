import { describe, expect, it } from 'vitest';
import { ifMatch } from './support/network';
import { kpiNetwork, vn } from './kpi-support';

const objective = (managerUserId: string, overrides: Record<string, unknown> = {}) => ({
  managerUserId,
  period: '2026-10',
  title: 'Khách hàng hài lòng hơn',
  weightBp: 6000,
  keyResults: [
    { title: 'Số CTV được đào tạo', start: 0, target: 100, weightBp: 5000 },
    { title: 'Tỷ lệ hoàn hàng', unit: '%', start: 8, target: 5, weightBp: 5000 },
  ],
  ...overrides,
});

describe("managers' objectives and key results", () => {
  it('the owner sets any manager’s objectives, a manager their own; checked, naming the field', async () => {
    const k = await kpiNetwork();
    const created = await k.owner.post(`${k.base}/okrs`, objective(k.ids.m1));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.headers.get('etag')).toBe('"1"');
    expect(created.body).toMatchObject({ managerUserId: k.ids.m1, period: '2026-10', version: 1, scoreBp: 0 });
    expect(created.body.keyResults.map((kr: any) => [kr.id, kr.current, kr.progressBp])).toEqual([
      ['1', 0, 0],
      ['2', 8, 0],
    ]);

    expect((await k.m1.post(`${k.base}/okrs`, objective(k.ids.m1, { title: 'Mạng lưới lớn hơn' }))).status).toBe(201);
    expect((await k.m1.post(`${k.base}/okrs`, objective(k.ids.m2))).status).toBe(403);
    expect((await k.careA.post(`${k.base}/okrs`, objective(k.ids.m1))).status).toBe(403);
    expect((await k.stranger.post(`${k.base}/okrs`, objective(k.ids.m1))).status).toBe(404);
    const notManager = await k.owner.post(`${k.base}/okrs`, objective(k.ids.careA));
    expect([notManager.status, notManager.body.errors[0].path]).toEqual([422, 'managerUserId']);
    const weights = await k.owner.post(
      `${k.base}/okrs`,
      objective(k.ids.m1, { keyResults: [{ title: 'X', start: 0, target: 1, weightBp: 9000 }] }),
    );
    expect([weights.status, weights.body.errors[0].path]).toEqual([400, 'keyResults']);
    const period = await k.owner.post(`${k.base}/okrs`, objective(k.ids.m1, { period: '2026-13' }));
    expect([period.status, period.body.errors[0].path]).toEqual([400, 'period']);

    const all = await k.owner.get(`${k.base}/okrs?period=2026-10`);
    expect(all.body.items).toHaveLength(2);
    expect((await k.m2.get(`${k.base}/okrs?period=2026-10`)).body.items).toEqual([]);
    expect((await k.m2.get(`${k.base}/okrs?period=2026-10&managerUserId=${k.ids.m1}`)).body.items).toEqual([]);
    expect((await k.m1.get(`${k.base}/okrs?period=2026-11`)).body.items).toEqual([]);
    expect((await k.m2.get(`${k.base}/okrs/${created.body.id}`)).status).toBe(404);
  });

  it("a key result's current value is updated over the version read (If-Match); progress and score follow", async () => {
    const k = await kpiNetwork();
    const o = (await k.owner.post(`${k.base}/okrs`, objective(k.ids.m1))).body;
    const path = `${k.base}/okrs/${o.id}/key-results/1`;
    expect((await k.m1.patch(path, { current: 25 })).status).toBe(428);
    expect((await k.m1.patch(path, { current: 25 }, ifMatch(7))).status).toBe(412);
    expect((await k.m1.patch(`${k.base}/okrs/${o.id}/key-results/9`, { current: 25 }, ifMatch(1))).status).toBe(404);
    expect((await k.m2.patch(path, { current: 25 }, ifMatch(1))).status).toBe(404);
    expect((await k.careA.patch(path, { current: 25 }, ifMatch(1))).status).toBe(403);
    expect((await k.m1.patch(path, { current: 25.00001 }, ifMatch(1))).status).toBe(400);

    const first = await k.m1.patch(path, { current: 25 }, ifMatch(1));
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.headers.get('etag')).toBe('"2"');
    expect(first.body.keyResults[0]).toMatchObject({ current: 25, progressBp: 2500, updatedBy: k.ids.m1 });
    // the return rate goes from 8% down to 6.5%: half of the way to 5%
    const second = await k.owner.patch(`${k.base}/okrs/${o.id}/key-results/2`, { current: 6.5, version: 2 });
    expect(second.status).toBe(200);
    expect(second.body.keyResults.map((kr: any) => kr.progressBp)).toEqual([2500, 5000]);
    expect(second.body.scoreBp).toBe(3750);
    // the same If-Match twice: the second one lost
    expect((await k.m1.patch(path, { current: 30 }, ifMatch(2))).status).toBe(412);
    const got = await k.m1.get(`${k.base}/okrs/${o.id}`);
    expect([got.headers.get('etag'), got.body.version, got.body.keyResults[0].current]).toEqual(['"3"', 3, 25]);
  });
});

describe('okr-results: CSAT with the business’s step table, and the OKR score', () => {
  it("per manager: the team's CSAT, k from the settings, the weighted OKR score; the owner sees all, a manager themselves", async () => {
    const k = await kpiNetwork();
    // m1: objective 1 (weight 60%) at 3750 bp, objective 2 (40%) at 10000 bp → 0.6 × 3750 + 0.4 × 10000 = 6250 bp
    const o1 = (await k.owner.post(`${k.base}/okrs`, objective(k.ids.m1))).body;
    await k.ok(k.m1.patch(`${k.base}/okrs/${o1.id}/key-results/1`, { current: 25 }, ifMatch(1)));
    await k.ok(k.m1.patch(`${k.base}/okrs/${o1.id}/key-results/2`, { current: 6.5 }, ifMatch(2)));
    const o2 = (
      await k.owner.post(
        `${k.base}/okrs`,
        objective(k.ids.m1, { title: 'Doanh số', weightBp: 4000, keyResults: [{ title: 'Đơn', start: 0, target: 10, weightBp: 10000 }] }),
      )
    ).body;
    await k.ok(k.m1.patch(`${k.base}/okrs/${o2.id}/key-results/1`, { current: 12 }, ifMatch(1)));

    // three ratings on the team's orders in October: 5, 4 and 2 stars → 2 of 3 = 6667 bp
    const a = await k.addCtv({ careStaffUserId: k.ids.careA });
    const a2 = await k.addCtv({ careStaffUserId: k.ids.careA2 });
    const orders = [
      await k.send('C1', 1, 'approved', vn('2026-10-02T10:00:00'), a.id),
      await k.send('C2', 1, 'approved', vn('2026-10-02T10:00:00'), a.id),
      await k.send('C3', 1, 'approved', vn('2026-10-02T10:00:00'), a2.id),
    ];
    const stars = [5, 4, 2];
    for (const [i, orderId] of orders.entries()) {
      await k.ok(k.owner.post(`${k.base}/orders/${orderId}/feedback`, { stars: stars[i], ratedAt: vn(`2026-10-1${i}T10:00:00`) }));
    }

    const get = async (user = k.owner) => {
      const res = await user.get(`${k.base}/okr-results?period=2026-10`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return Object.fromEntries(res.body.items.map((i: any) => [i.managerUserId, i]));
    };
    // the default table: fewer than 10 ratings → k 1.0, flagged
    let results = await get();
    expect(results[k.ids.m1]).toMatchObject({
      period: '2026-10',
      scoreBp: 6250,
      score: 0.625,
      csat: { ratings: 3, positive: 2, percentBp: 6667, coefficient: 1, flagged: true },
    });
    expect(results[k.ids.m1].objectives.map((o: any) => o.scoreBp)).toEqual([3750, 10_000]); // in the order they were set
    expect(results[k.ids.m2]).toMatchObject({ scoreBp: 0, objectives: [], csat: { ratings: 0, coefficient: 1, flagged: true } });

    // the owner lowers the minimum to 3: 6667 bp is below every default step → 0.5
    const settings = await k.owner.get(`${k.base}/settings`);
    const csat = { ...settings.body.csat, minRatings: 3 };
    const patched = await k.owner.patch(`${k.base}/settings`, { csat }, ifMatch(settings.body.version));
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    results = await get();
    expect(results[k.ids.m1].csat).toEqual({ ratings: 3, positive: 2, percentBp: 6667, coefficient: 0.5, flagged: false });
    // … and adds a step at 60% → 0.9
    await k.ok(
      k.owner.patch(
        `${k.base}/settings`,
        { csat: { ...csat, steps: [...csat.steps, { minPercentBp: 6000, coefficient: 0.9 }] } },
        ifMatch(patched.body.version),
      ),
    );
    results = await get();
    expect(results[k.ids.m1].csat.coefficient).toBe(0.9);

    // who sees what
    expect(Object.keys(await get(k.m1))).toEqual([k.ids.m1]);
    expect((await k.m1.get(`${k.base}/okr-results?period=2026-10&managerUserId=${k.ids.m2}`)).body.items).toEqual([]);
    expect(
      (await k.owner.get(`${k.base}/okr-results?period=2026-10&managerUserId=${k.ids.m2}`)).body.items.map((i: any) => i.managerUserId),
    ).toEqual([k.ids.m2]);
    expect((await k.careA.get(`${k.base}/okr-results?period=2026-10`)).status).toBe(403);
    expect((await k.stranger.get(`${k.base}/okr-results?period=2026-10`)).status).toBe(404);
    const bad = await k.owner.get(`${k.base}/okr-results?period=October`);
    expect([bad.status, bad.body.errors[0].path]).toEqual([400, 'period']);
  });
});
