import { createHash } from 'node:crypto';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, inject, it } from 'vitest';
import { createStore } from '../../functions/store/client';
import { listRatingsOfCollaborator, readStarsCounters } from '../../functions/store/feedback';
import { keys } from '../../functions/store/keys';
import { request } from './support/api';
import { SUITE_MONTH, suiteNow } from './support/clock';
import { kpiNetwork, oneLine, vn } from './kpi-support';

const store = () => createStore({ tableName: inject('tableName'), endpoint: inject('ddbEndpoint') });

/** CSAT of a manager for a period, as the owner reads it. */
async function csatOf(k: Awaited<ReturnType<typeof kpiNetwork>>, managerUserId: string, period: string) {
  const res = await k.owner.get(`${k.base}/okr-results?period=${period}&managerUserId=${managerUserId}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items[0].csat;
}

describe('customer feedback on orders', () => {
  it("a rating counts once, for the manager of the order's CTV's team, in the periods of its ratedAt", async () => {
    const k = await kpiNetwork();
    const a = await k.addCtv({ careStaffUserId: k.ids.careA });
    const b = await k.addCtv({ careStaffUserId: k.ids.careB });
    const orderA = await k.send('F1', 1, 'approved', vn('2026-10-05T10:00:00'), a.id);
    await k.send('F2', 1, 'approved', vn('2026-10-05T10:00:00'), b.id);

    const res = await k.careA.post(`${k.base}/orders/${orderA}/feedback`, {
      stars: 5,
      comment: 'Hàng tốt, giao nhanh',
      ratedAt: vn('2026-10-20T10:00:00'),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({
      orderId: orderA,
      stars: 5,
      comment: 'Hàng tốt, giao nhanh',
      ratedAt: '2026-10-20T03:00:00.000Z',
      channel: 'staff',
      recordedBy: k.ids.careA,
      collaboratorId: a.id,
      careStaffUserId: k.ids.careA,
      managerUserId: k.ids.m1,
    });
    // once per order, whoever asks again
    const again = await k.owner.post(`${k.base}/orders/${orderA}/feedback`, { stars: 1 });
    expect([again.status, again.body.errors[0].path]).toEqual([409, 'orderId']);
    expect((await k.m1.get(`${k.base}/orders/${orderA}/feedback`)).body).toMatchObject({ stars: 5, managerUserId: k.ids.m1 });

    // m1's CSAT moved once, in October, its ISO week 43, Q4 and 2026; m2's did not; November is empty
    for (const period of ['2026-10', '2026-W43', '2026-Q4', '2026']) {
      expect(await csatOf(k, k.ids.m1, period), period).toEqual({
        ratings: 1,
        positive: 1,
        percentBp: 10_000,
        coefficient: 1,
        flagged: true,
      });
    }
    expect(await csatOf(k, k.ids.m1, '2026-11')).toMatchObject({ ratings: 0, positive: 0 });
    expect(await csatOf(k, k.ids.m2, '2026-10')).toMatchObject({ ratings: 0, positive: 0 });

    // stored so that a CTV's ratings of a period can be read (for the commission's average stars)
    expect(await readStarsCounters(store(), k.tenantId, a.id, '2026-10')).toEqual({ ratings: 1, starsTotal: 5 });
    expect(await readStarsCounters(store(), k.tenantId, a.id, '2026-11')).toEqual({ ratings: 0, starsTotal: 0 });
    const listed = await listRatingsOfCollaborator(
      store(),
      k.tenantId,
      a.id,
      { from: '2026-09-30T17:00:00.000Z', to: '2026-10-31T17:00:00.000Z' },
      { limit: 10 },
    );
    expect(listed.items.map((r) => [r.orderId, r.stars])).toEqual([[orderA, 5]]);
    expect(
      (
        await listRatingsOfCollaborator(
          store(),
          k.tenantId,
          b.id,
          { from: '2026-01-01T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z' },
          { limit: 10 },
        )
      ).items,
    ).toEqual([]);
  });

  it('ratedAt defaults to now, cannot be in the future (400) nor before the order (422); stars are 1–5; only confirmed orders', async () => {
    const k = await kpiNetwork();
    const a = await k.addCtv({ careStaffUserId: k.ids.careA });
    const order = await k.send('T1', 1, 'approved', vn('2026-10-05T10:00:00'), a.id);
    const path = `${k.base}/orders/${order}/feedback`;

    const future = await k.careA.post(path, { stars: 4, ratedAt: new Date(suiteNow() + 3600_000).toISOString() });
    expect(future.status).toBe(400);
    expect(future.body.errors).toEqual([{ path: 'ratedAt', message: 'cannot be in the future' }]);
    const before = await k.careA.post(path, { stars: 4, ratedAt: vn('2026-10-04T10:00:00') });
    expect([before.status, before.body.errors[0].path]).toEqual([422, 'ratedAt']);
    const notADate = await k.careA.post(path, { stars: 4, ratedAt: '20/10/2026' });
    expect([notADate.status, notADate.body.errors[0].path]).toEqual([400, 'ratedAt']);
    for (const stars of [0, 6, 4.5]) {
      const bad = await k.careA.post(path, { stars });
      expect([bad.status, bad.body.errors[0].path], String(stars)).toEqual([400, 'stars']);
    }
    expect((await k.careA.post(path, { stars: 4, extra: 1 })).body.errors).toEqual([{ path: 'extra', message: 'unknown field' }]);
    expect((await k.careA.get(path)).status).toBe(404); // nothing was recorded

    const started = suiteNow();
    const ok = await k.careA.post(path, { stars: 4 });
    expect(ok.status).toBe(201);
    expect(Date.parse(ok.body.ratedAt)).toBeGreaterThanOrEqual(started - 1000);
    expect(Date.parse(ok.body.ratedAt)).toBeLessThanOrEqual(suiteNow());

    const processing = await k.send('T2', 1, 'processing', vn('2026-10-05T10:00:00'), a.id);
    const early = await k.careA.post(`${k.base}/orders/${processing}/feedback`, { stars: 5 });
    expect([early.status, early.body.errors[0].path]).toEqual([422, 'orderId']);
  });

  it('the credited CTV, the care staff and manager of the order and the owner may rate; no one else', async () => {
    const k = await kpiNetwork();
    const ctv = await k.ctvWithAccount(k.ids.careA);
    const other = await k.addCtv({ careStaffUserId: k.ids.careA });
    const orders = await Promise.all(
      ['P1', 'P2', 'P3', 'P4'].map((id) => k.send(id, 1, 'approved', vn('2026-10-05T10:00:00'), ctv.ctv.id)),
    );
    const otherOrder = await k.send('P5', 1, 'approved', vn('2026-10-05T10:00:00'), other.id);
    const rate = (user: typeof k.owner, orderId: string) => user.post(`${k.base}/orders/${orderId}/feedback`, { stars: 5 });

    // out of sight: the same 404 as an order that does not exist
    expect((await rate(k.careB, orders[0]!)).status).toBe(404);
    expect((await rate(k.m2, orders[0]!)).status).toBe(404);
    expect((await rate(k.stranger, orders[0]!)).status).toBe(404);
    expect((await rate(ctv.user, otherOrder)).status).toBe(404); // another CTV's order
    expect((await rate(k.seller, orders[0]!)).status).toBe(403);
    expect((await rate(k.owner, 'O0000000000000000000000000000000')).status).toBe(404);

    const byCtv = await rate(ctv.user, orders[0]!);
    expect([byCtv.status, byCtv.body.channel, byCtv.body.recordedBy]).toEqual([201, 'collaborator', ctv.user.sub]);
    expect((await rate(k.careA, orders[1]!)).status).toBe(201);
    expect((await rate(k.m1, orders[2]!)).status).toBe(201);
    expect((await rate(k.owner, orders[3]!)).status).toBe(201);
    // the seller may not read ratings of orders they did not work on either
    expect((await k.seller.get(`${k.base}/orders/${orders[0]}/feedback`)).status).toBe(404);
  });

  it('a one-time link for the customer: works once, before it expires; the token is stored only as a hash', async () => {
    const k = await kpiNetwork();
    const a = await k.addCtv({ careStaffUserId: k.ids.careA });
    const order = await k.send('L1', 1, 'completed', vn('2026-10-05T10:00:00'), a.id, oneLine(250_000, 2));

    expect((await k.seller.post(`${k.base}/orders/${order}/feedback-links`)).status).toBe(403);
    expect((await k.careB.post(`${k.base}/orders/${order}/feedback-links`)).status).toBe(404);
    const link = await k.careA.post(`${k.base}/orders/${order}/feedback-links`);
    expect(link.status, JSON.stringify(link.body)).toBe(201);
    expect(link.body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(link.body.url).toBe(`/v1/feedback/${link.body.token}`);
    const expires = Date.parse(link.body.expiresAt) - suiteNow();
    expect(expires).toBeGreaterThan(7 * 86400_000 - 60_000);
    expect(expires).toBeLessThanOrEqual(7 * 86400_000);
    const item = await store().db.send(
      new GetCommand({
        TableName: inject('tableName'),
        Key: keys.feedbackLink(createHash('sha256').update(link.body.token).digest('hex')),
      }),
    );
    expect(item.Item).toMatchObject({ orderId: order, tenantId: k.tenantId });
    expect(JSON.stringify(item.Item)).not.toContain(link.body.token);

    // what the rating page shows (no sign-in)
    const info = await request('GET', link.body.url);
    expect(info.status).toBe(200);
    expect(info.body).toMatchObject({
      businessName: 'Mỹ phẩm Hoa Sen',
      orderExternalId: 'L1',
      used: false,
      items: [{ productId: 'SERUM-30', unit: 'chai', quantity: 2 }],
    });

    // two submissions at once: exactly one is recorded
    const [first, second] = await Promise.all([
      request('POST', link.body.url, { body: { stars: 4, comment: 'Ổn' } }),
      request('POST', link.body.url, { body: { stars: 1 } }),
    ]);
    expect([first.status, second.status].sort()).toEqual([201, 409]);
    const recorded = first.status === 201 ? first.body : second.body;
    expect(recorded).toMatchObject({ orderId: order, channel: 'customer_link' });
    expect((await request('POST', link.body.url, { body: { stars: 5 } })).status).toBe(409);
    expect((await request('GET', link.body.url)).body.used).toBe(true);
    const stored = await k.owner.get(`${k.base}/orders/${order}/feedback`);
    expect(stored.body).toMatchObject({ stars: recorded.stars, recordedBy: 'customer', channel: 'customer_link', managerUserId: k.ids.m1 });
    // the customer's rating is dated now: in the suite clock's month, not in the order's October
    expect((await csatOf(k, k.ids.m1, SUITE_MONTH)).ratings).toBe(1);
    expect((await csatOf(k, k.ids.m1, '2026-10')).ratings).toBe(0);

    // the order is rated: no new link, and the staff cannot rate it again
    expect((await k.careA.post(`${k.base}/orders/${order}/feedback-links`)).status).toBe(409);
    expect((await k.careA.post(`${k.base}/orders/${order}/feedback`, { stars: 3 })).status).toBe(409);

    // an unknown or malformed token
    expect((await request('POST', `/v1/feedback/${'A'.repeat(43)}`, { body: { stars: 5 } })).status).toBe(404);
    expect((await request('POST', '/v1/feedback/short', { body: { stars: 5 } })).status).toBe(404);
    const badBody = await request('POST', link.body.url, { body: { stars: 5, ratedAt: vn('2026-10-06T10:00:00') } });
    expect([badBody.status, badBody.body.errors[0].path]).toEqual([400, 'ratedAt']); // the customer's rating is dated now
  });

  it('an expired link answers 410 and records nothing', async () => {
    const k = await kpiNetwork();
    const a = await k.addCtv({ careStaffUserId: k.ids.careA });
    const order = await k.send('E1', 1, 'approved', vn('2026-10-05T10:00:00'), a.id);
    const link = await k.m1.post(`${k.base}/orders/${order}/feedback-links`);
    expect(link.status).toBe(201);
    // seven days pass: move the link's end into the past
    const hash = createHash('sha256').update(link.body.token).digest('hex');
    await store().db.send(
      new UpdateCommand({
        TableName: inject('tableName'),
        Key: keys.feedbackLink(hash),
        UpdateExpression: 'SET validUntil = :past',
        ExpressionAttributeValues: { ':past': new Date(suiteNow() - 1000).toISOString() },
      }),
    );
    const late = await request('POST', link.body.url, { body: { stars: 5 } });
    expect(late.status).toBe(410);
    expect(late.headers.get('content-type')).toContain('application/problem+json');
    expect((await request('GET', link.body.url)).status).toBe(410);
    expect((await k.owner.get(`${k.base}/orders/${order}/feedback`)).status).toBe(404);
    // staff may still record the rating themselves, or send a new link
    expect((await k.m1.post(`${k.base}/orders/${order}/feedback-links`)).status).toBe(201);
  });
});
