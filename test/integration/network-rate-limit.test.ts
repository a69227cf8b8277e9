import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { makeDeps } from '../../functions/deps';
import { createStore } from '../../functions/store/client';
import { rateLimitFromEnv, startLocalServer, TokenBuckets, type LocalServer } from '../../infra/local/server';
import { as, newBusiness, unique, uniquePhone } from './support/api';

describe('the local throttle on public writes', () => {
  it('a token bucket per client: a burst, then one token per 1/rate seconds', () => {
    let now = 0;
    const buckets = new TokenBuckets({ ratePerSecond: 2, burst: 3 }, () => now);
    expect([1, 2, 3].map(() => buckets.take('1.2.3.4').allowed)).toEqual([true, true, true]);
    expect(buckets.take('1.2.3.4')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(buckets.take('5.6.7.8').allowed).toBe(true); // another client has its own bucket
    now = 499;
    expect(buckets.take('1.2.3.4').allowed).toBe(false);
    now = 1000; // 1 s at 2/s: two tokens (the refused takes cost nothing)
    expect([1, 2, 3].map(() => buckets.take('1.2.3.4').allowed)).toEqual([true, true, false]);
    now = 60_000; // never above the burst
    expect([1, 2, 3, 4].map(() => buckets.take('1.2.3.4').allowed)).toEqual([true, true, true, false]);
  });

  it('LOCAL_PUBLIC_RATE: <rate>/<burst>, a rate alone, off, or the default', () => {
    expect(rateLimitFromEnv(undefined)).toEqual({ ratePerSecond: 20, burst: 50 });
    expect(rateLimitFromEnv('5/10')).toEqual({ ratePerSecond: 5, burst: 10 });
    expect(rateLimitFromEnv('3')).toEqual({ ratePerSecond: 3, burst: 3 });
    expect(rateLimitFromEnv('off')).toBe(false);
    expect(() => rateLimitFromEnv('fast')).toThrow(/LOCAL_PUBLIC_RATE/);
  });

  describe('a local server with a low limit', () => {
    let server: LocalServer;
    beforeAll(async () => {
      const deps = makeDeps({
        store: createStore({ tableName: inject('tableName'), endpoint: inject('ddbEndpoint') }),
        log: () => undefined,
      });
      server = await startLocalServer({ deps, jwtSecret: inject('jwtSecret'), publicRateLimit: { ratePerSecond: 0.01, burst: 3 } });
    });
    afterAll(async () => server?.close());

    it('answers 429 problem+json with Retry-After once the burst is spent, and throttles only public writes', async () => {
      const { tenant, owner, base } = await newBusiness();
      const post = (body: unknown, token?: string) =>
        fetch(`${server.url}/v1/pages/${tenant.pageId}/registrations`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify(body),
        });
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await post({ name: `Người ${i}`, phone: uniquePhone() })).status);
      expect(statuses).toEqual([202, 202, 202, 429, 429]);
      const limited = await post({ name: 'X', phone: uniquePhone() });
      expect(limited.status).toBe(429);
      expect(limited.headers.get('content-type')).toContain('application/problem+json');
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(await limited.json()).toMatchObject({ status: 429, title: 'Too many requests' });
      // a token does not lift the limit on a public route; other routes are not throttled
      const signed = await as(unique('u-'));
      expect((await post({ name: 'Y', phone: uniquePhone() }, signed.token)).status).toBe(429);
      expect((await fetch(`${server.url}/v1/openapi.json`)).status).toBe(200);
      const create = await fetch(`${server.url}${base}/collaborators`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${owner.token}` },
        body: JSON.stringify({ name: 'Z', phone: uniquePhone() }),
      });
      expect(create.status).toBe(201);
      // only the three let through were stored (and the one added by hand)
      expect((await owner.get(`${base}/collaborators`)).body.items).toHaveLength(4);
    });
  });
});
