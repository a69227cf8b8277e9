import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_BUSINESSES_PER_ACCOUNT } from '../../domain/tenant-limits';
import { as, newBusiness, unique } from './support/api';

const create = (user: Awaited<ReturnType<typeof as>>, pageId = unique('gioi-han-'), headers?: Record<string, string>) =>
  user.post('/v1/tenants', { name: 'Cửa hàng', pageId }, headers);

/** The businesses an account owns, as /v1/me lists them. */
const owned = async (user: Awaited<ReturnType<typeof as>>) =>
  ((await user.get('/v1/me')).body.memberships as { tenantId: string; role: string }[])
    .filter((m) => m.role === 'owner')
    .map((m) => m.tenantId);

describe('businesses per account (MAX_BUSINESSES_PER_ACCOUNT, default 3)', () => {
  it('an account creates up to the limit; the next is 422 naming the limit and stores nothing (its page id stays free)', async () => {
    expect(DEFAULT_MAX_BUSINESSES_PER_ACCOUNT).toBe(3);
    const user = await as(unique('founder-'));
    const made: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await create(user);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      made.push(res.body.id);
    }
    const pageId = unique('fourth-');
    const fourth = await create(user, pageId);
    expect(fourth.status).toBe(422);
    expect(fourth.headers.get('content-type')).toContain('application/problem+json');
    expect(fourth.body.detail ?? fourth.body.title).toMatch(/at most 3 businesses/);
    expect((await owned(user)).sort()).toEqual(made.sort());
    // nothing of the refused business: another account can take its page id
    const other = await as(unique('other-'));
    expect((await create(other, pageId)).status).toBe(201);
  });

  it('counts only businesses the account owns: being a manager or care staff elsewhere does not count', async () => {
    const user = await as(unique('staff-'));
    for (let i = 0; i < 3; i++) {
      const { owner, base } = await newBusiness();
      expect((await owner.post(`${base}/managers`, { userId: user.sub, name: 'Lê Thị Mai' })).status).toBe(201);
    }
    for (let i = 0; i < 3; i++) expect((await create(user)).status).toBe(201);
    expect((await create(user)).status).toBe(422);
  });

  it('a taken page id (409) or a replayed create (Idempotency-Key) uses up nothing', async () => {
    const user = await as(unique('retry-'));
    const { tenant: taken } = await newBusiness();
    expect((await create(user, taken.pageId)).status).toBe(409);
    expect((await create(user, taken.pageId.toUpperCase())).status).toBe(409);
    const key = { 'idempotency-key': unique('k-') };
    const page = unique('p-');
    const first = await create(user, page, key);
    expect(first.status).toBe(201);
    const replay = await create(user, page, key);
    expect([replay.status, replay.body.id]).toEqual([201, first.body.id]);
    // two 409s and a replay later, one business: two more fit, then the limit
    expect((await create(user)).status).toBe(201);
    expect((await create(user)).status).toBe(201);
    expect((await create(user)).status).toBe(422);
    expect(await owned(user)).toHaveLength(3);
  });

  it('eight creates at once by one account: exactly three businesses, the rest 422', async () => {
    const user = await as(unique('burst-'));
    const results = await Promise.all(Array.from({ length: 8 }, () => create(user)));
    const statuses = results.map((r) => r.status).sort();
    // a create that lost a write race to another of the burst may be told 409 (retry), never a fourth 201
    expect(statuses.filter((s) => s === 201)).toHaveLength(3);
    expect(
      statuses.every((s) => s === 201 || s === 422 || s === 409),
      JSON.stringify(statuses),
    ).toBe(true);
    expect(statuses.filter((s) => s === 422).length).toBeGreaterThan(0);
    expect(await owned(user)).toHaveLength(3);
  });
});
