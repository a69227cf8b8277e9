import { inject, describe, expect, it } from 'vitest';
import { createCtvClient, type Problem } from '../../client';
import { newBusiness, tokenFor, unique } from './support/api';

/**
 * A front end's calls through the typed client (client/, generated from the OpenAPI document by
 * `npm run client`), over real HTTP with a real JWT. `npm test` type-checks this file, so a route,
 * a field or an answer that the document stops declaring breaks the build; the `@ts-expect-error`
 * lines prove the types are real (they would be unused, an error, if everything were `any`).
 */
describe('the typed client', () => {
  it('reads the signed-in account and a business, typed from the document', async () => {
    const { owner, tenantId } = await newBusiness();
    const api = createCtvClient({ baseUrl: inject('baseUrl'), token: () => owner.token });

    const me = await api.GET('/v1/me');
    expect(me.response.status).toBe(200);
    const roles: string[] = me.data?.memberships.filter((m) => m.tenantId === tenantId).map((m) => m.role) ?? [];
    expect(roles).toEqual(['owner']);

    const created = await api.POST('/v1/tenants/{tenantId}/collaborators', {
      params: { path: { tenantId } },
      body: { name: 'Nguyễn Thị Lan', phone: '0912345678' },
    });
    expect(created.response.status).toBe(201);
    const id: string | undefined = created.data?.id;
    expect(id).toMatch(/^[0-9A-Z]{26}$/);

    // @ts-expect-error: a path the API does not have
    void (() => api.GET('/v1/tenants/{tenantId}/no-such-thing', { params: { path: { tenantId } } }));
    // @ts-expect-error: the body misses the required name
    void (() => api.POST('/v1/tenants/{tenantId}/collaborators', { params: { path: { tenantId } }, body: { phone: '0912345678' } }));
  });

  it('gives a problem answer as a typed error', async () => {
    const token = await tokenFor(unique('stranger-'));
    const api = createCtvClient({ baseUrl: inject('baseUrl'), token: () => token });
    const { tenantId } = await newBusiness();
    const res = await api.GET('/v1/tenants/{tenantId}/collaborators', { params: { path: { tenantId }, query: {} } });
    expect(res.data).toBeUndefined();
    const problem: Problem | undefined = res.error;
    expect(problem?.status).toBe(res.response.status);
    expect([403, 404]).toContain(problem?.status);
    expect(problem?.title).toEqual(expect.any(String));
  });
});
