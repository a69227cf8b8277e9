import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../functions/routes';
import { as, newBusiness, request, tokenFor, unique } from './support/api';

// A client that knows only API.md's fixed points.
describe('fixed points', () => {
  it('creates a business, a collaborator, and reads /v1/me', async () => {
    const owner = await as(unique('owner-'));
    const pageId = unique('shop-');
    const created = await owner.post('/v1/tenants', { name: 'Mỹ phẩm Hoa Sen', pageId });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Mỹ phẩm Hoa Sen', pageId });
    expect(typeof created.body.id).toBe('string');

    const ctv = await owner.post(`/v1/tenants/${created.body.id}/collaborators`, { name: 'Nguyễn Thị Hoa', phone: '0912345678' });
    expect(ctv.status).toBe(201);
    expect(ctv.body.status).toBe('approved'); // added by the owner
    expect(ctv.body.refId).toMatch(/^[A-Z0-9]{4,12}$/);
    expect(typeof ctv.body.id).toBe('string');

    const me = await owner.get('/v1/me');
    expect(me.status).toBe(200);
    expect(me.body.sub).toBe(owner.sub);
    expect(me.body.memberships).toContainEqual({ tenantId: created.body.id, role: 'owner' });
  });

  it('serves an OpenAPI 3.1 document that covers every route of the route table', async () => {
    const res = await request('GET', '/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    for (const r of ROUTES) {
      expect(res.body.paths[r.path]?.[r.method.toLowerCase()]?.operationId, `${r.method} ${r.path}`).toBe(r.id);
    }
  });

  it('answers 401 for a missing, forged or expired token', async () => {
    expect((await request('GET', '/v1/me')).status).toBe(401);
    expect((await request('GET', '/v1/me', { token: 'not.a.token' })).status).toBe(401);
    const good = await tokenFor('someone');
    const [h, p] = good.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ sub: 'admin', iss: 'ctv-local', aud: 'ctv-api', exp: 9999999999 })).toString(
      'base64url',
    );
    expect((await request('GET', '/v1/me', { token: `${h}.${forgedPayload}.${good.split('.')[2]}` })).status).toBe(401);
    expect((await request('GET', '/v1/me', { token: `${h}.${p}.${'A'.repeat(43)}` })).status).toBe(401);
    const expired = await tokenFor('someone', { expiresIn: Math.floor(Date.now() / 1000) - 60 });
    const res = await request('GET', '/v1/me', { token: expired });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });

  it('answers 404 for an unknown route and for a business id that cannot exist', async () => {
    const { owner } = await newBusiness();
    expect((await owner.get('/v1/nothing-here')).status).toBe(404);
    expect((await owner.get('/v1/tenants/not-an-id/collaborators')).status).toBe(404);
  });
});
