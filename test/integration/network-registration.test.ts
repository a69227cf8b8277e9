import { SignJWT } from 'jose';
import { describe, expect, inject, it } from 'vitest';
import { as, request, unique, uniquePhone } from './support/api';
import { idsOf, ifMatch, network } from './support/network';

const pathsOf = (body: any): string[] => (body.errors ?? []).map((e: { path: string }) => e.path);

describe('self-registration on the public page', () => {
  it('registers without a token: registered, source registration, normalised phone; only id, REF ID and status come back', async () => {
    const n = await network();
    const phone = uniquePhone();
    const res = await request('POST', `${n.page}/registrations`, { body: { name: ' Lý Thu Trang ', phone: `+84 ${phone.slice(1)}`, email: 'trang@example.vn' } });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body).sort()).toEqual(['id', 'refId', 'status']);
    expect(res.body.status).toBe('registered');
    expect(res.body.refId).toMatch(/^TRA[A-Z0-9]{5}$/);
    const ctv = (await n.owner.get(`${n.base}/collaborators/${res.body.id}`)).body;
    expect(ctv).toMatchObject({ name: 'Lý Thu Trang', phone: `+84${phone.slice(1)}`, email: 'trang@example.vn', source: 'registration', status: 'registered' });
    expect(ctv).not.toHaveProperty('careStaffUserId');
    // the page id is case-insensitive
    const upper = await request('POST', `/v1/pages/${n.pageId.toUpperCase()}/registrations`, { body: { name: 'B', phone: uniquePhone() } });
    expect(upper.status).toBe(201);
  });

  it('auto-approval makes registrations start approved', async () => {
    const n = await network();
    const settings = await n.owner.get(`${n.base}/settings`);
    expect((await n.owner.patch(`${n.base}/settings`, { autoApproveRegistrations: true }, ifMatch(settings.body.version))).status).toBe(200);
    const res = await request('POST', `${n.page}/registrations`, { body: { name: 'Hoàng Minh Tuấn', phone: uniquePhone() } });
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('approved');
    const ctv = (await n.owner.get(`${n.base}/collaborators/${res.body.id}`)).body;
    expect(ctv.approvedAt).toBe(ctv.createdAt);
  });

  it('a REF ID makes the referrer the upline, and the newcomer gets the referrer’s care staff', async () => {
    const n = await network();
    const hoa = await n.addCtv({ careStaffUserId: n.ids.careB });
    const res = await request('POST', `${n.page}/registrations`, { body: { name: 'Trần Văn Bình', phone: uniquePhone(), refId: ` ${hoa.refId.toLowerCase()} ` } });
    expect(res.status).toBe(201);
    const ctv = (await n.owner.get(`${n.base}/collaborators/${res.body.id}`)).body;
    expect(ctv).toMatchObject({ referrerId: hoa.id, referrerRefId: hoa.refId, careStaffUserId: n.ids.careB, managerUserId: n.ids.m2 });
    expect(idsOf(await n.careB.get(`${n.base}/collaborators?status=registered`))).toEqual([res.body.id]);
  });

  it('an unknown page is 404, an unknown or blocked REF ID 422 naming refId, a bad phone 400 naming phone; nothing stored', async () => {
    const n = await network();
    const unknownPage = await request('POST', `/v1/pages/${unique('no-such-page-')}/registrations`, { body: { name: 'A', phone: uniquePhone() } });
    expect(unknownPage.status).toBe(404);
    expect(unknownPage.headers.get('content-type')).toContain('application/problem+json');

    const unknownRef = await request('POST', `${n.page}/registrations`, { body: { name: 'A', phone: uniquePhone(), refId: 'ZZZZ9999' } });
    expect(unknownRef.status).toBe(422);
    expect(pathsOf(unknownRef.body)).toEqual(['refId']);
    const malformedRef = await request('POST', `${n.page}/registrations`, { body: { name: 'A', phone: uniquePhone(), refId: 'x!' } });
    expect(malformedRef.status).toBe(400);
    expect(pathsOf(malformedRef.body)).toEqual(['refId']);

    const blocked = await n.addCtv();
    await n.ok(n.owner.post(`${n.base}/collaborators/${blocked.id}/block`, {}, ifMatch(1)));
    const blockedRef = await request('POST', `${n.page}/registrations`, { body: { name: 'A', phone: uniquePhone(), refId: blocked.refId } });
    expect(blockedRef.status).toBe(422);
    expect(pathsOf(blockedRef.body)).toEqual(['refId']);

    for (const phone of ['12345', '0123456789', '+1 415 555 0100', '091234567']) {
      const bad = await request('POST', `${n.page}/registrations`, { body: { name: 'A', phone } });
      expect(bad.status, phone).toBe(400);
      expect(pathsOf(bad.body)).toEqual(['phone']);
    }
    const noName = await request('POST', `${n.page}/registrations`, { body: { phone: uniquePhone(), extra: 1 } });
    expect(noName.status).toBe(400);
    expect(pathsOf(noName.body).sort()).toEqual(['extra', 'name']);
    expect(idsOf(await n.owner.get(`${n.base}/collaborators`))).toEqual([blocked.id]);
  });

  it('a phone already in the business answers 200 with that registration and creates no second CTV, without echoing its data', async () => {
    const n = await network();
    const phone = uniquePhone();
    const first = await request('POST', `${n.page}/registrations`, { body: { name: 'Nguyễn Thị Hoa', phone, email: 'hoa@example.vn' } });
    expect(first.status).toBe(201);
    const again = await request('POST', `${n.page}/registrations`, { body: { name: 'Kẻ Khác', phone: `84${phone.slice(1)}`, refId: 'ZZZZ9999' } });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(JSON.stringify(again.body)).not.toContain('Hoa');
    expect(JSON.stringify(again.body)).not.toContain(phone.slice(1));
    // a phone added by hand answers the same way, and its state follows the CTV
    const manual = await n.addCtv();
    await n.ok(n.owner.post(`${n.base}/collaborators/${manual.id}/pause`, {}, ifMatch(1)));
    const dup = await request('POST', `${n.page}/registrations`, { body: { name: 'X', phone: manual.phone } });
    expect(dup.status).toBe(200);
    expect(dup.body).toEqual({ id: manual.id, refId: manual.refId, status: 'paused' });
    const all = idsOf(await n.owner.get(`${n.base}/collaborators`));
    expect(all.sort()).toEqual([first.body.id, manual.id].sort());
  });

  it('the same phone registered 10 times at once creates one CTV: one 201, nine 200 with the same id', async () => {
    const n = await network();
    const phone = uniquePhone();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => request('POST', `${n.page}/registrations`, { body: { name: `Người đăng ký ${i}`, phone } })),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    const ids = new Set(results.map((r) => r.body.id));
    expect(ids.size).toBe(1);
    const list = await n.owner.get(`${n.base}/collaborators`);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0].id).toBe([...ids][0]);
  });

  it('the same phone registered at once on two businesses is two CTVs, one in each', async () => {
    const [a, b] = await Promise.all([network(), network()]);
    const phone = uniquePhone();
    const [ra, rb] = await Promise.all([
      request('POST', `${a.page}/registrations`, { body: { name: 'Hoa', phone } }),
      request('POST', `${b.page}/registrations`, { body: { name: 'Hoa', phone } }),
    ]);
    expect([ra.status, rb.status]).toEqual([201, 201]);
    expect(ra.body.id).not.toBe(rb.body.id);
  });
});

async function tokenWithClaims(sub: string, claims: Record<string, unknown>) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(sub)
    .setIssuer('ctv-local')
    .setAudience('ctv-api')
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(inject('jwtSecret')));
}

describe('joining a business with an account', () => {
  it('a new phone: a new CTV linked to the account, with the collaborator role; joining again changes nothing', async () => {
    const n = await network();
    const user = await as(unique('ctv-'));
    const res = await user.post(`${n.page}/join`, { name: 'Đinh Thị Ngọc', phone: uniquePhone() });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ tenantId: n.tenantId, status: 'registered', outcome: 'created' });
    const me = await user.get('/v1/me');
    expect(me.body.memberships).toEqual([{ tenantId: n.tenantId, role: 'collaborator' }]);
    const own = await user.get(`${n.base}/collaborators/me`);
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ id: res.body.id, userId: user.sub, source: 'registration' });
    expect((await user.get(`${n.base}/collaborators/${res.body.id}`)).status).toBe(200);

    const again = await user.post(`${n.page}/join`, { name: 'Đinh Thị Ngọc', phone: uniquePhone() });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: res.body.id, outcome: 'already_joined' });
    expect(idsOf(await n.owner.get(`${n.base}/collaborators`))).toEqual([res.body.id]);
  });

  it('an existing CTV is linked only when the token proves its email or verified phone', async () => {
    const n = await network();
    const phone = uniquePhone();
    const ctv = await n.addCtv({ phone, email: 'Hoa.Nguyen@example.vn' });

    // knowing the phone is not enough
    const impostor = await as(unique('impostor-'), 'someone@example.vn');
    const refused = await impostor.post(`${n.page}/join`, { name: 'Hoa', phone });
    expect(refused.status).toBe(409);
    expect(pathsOf(refused.body)).toEqual(['phone']);
    const unverified = await request('POST', `${n.page}/join`, {
      token: await tokenWithClaims(unique('u-'), { email: 'hoa.nguyen@example.vn', email_verified: 'false' }),
      body: { name: 'Hoa', phone },
    });
    expect(unverified.status).toBe(409);
    expect((await impostor.get('/v1/me')).body.memberships).toEqual([]);

    const owner = await as(unique('hoa-'), 'hoa.nguyen@EXAMPLE.vn');
    const linked = await owner.post(`${n.page}/join`, { name: 'ignored', phone });
    expect(linked.status).toBe(201);
    expect(linked.body).toMatchObject({ id: ctv.id, outcome: 'linked', status: 'approved' });
    const record = (await owner.get(`${n.base}/collaborators/me`)).body;
    expect(record).toMatchObject({ id: ctv.id, name: ctv.name, userId: owner.sub, version: 2 });

    // now that it has an account, nobody else can take it, whatever they prove
    const other = await as(unique('other-'), 'hoa.nguyen@example.vn');
    const taken = await other.post(`${n.page}/join`, { name: 'Hoa', phone });
    expect(taken.status).toBe(409);
  });

  it('a verified phone_number claim (Cognito) links the record with that phone', async () => {
    const n = await network();
    const phone = uniquePhone();
    const ctv = await n.addCtv({ phone });
    const sub = unique('phone-');
    const unverified = await request('POST', `${n.page}/join`, {
      token: await tokenWithClaims(sub, { phone_number: `+84${phone.slice(1)}`, phone_number_verified: 'false' }),
      body: { name: 'Hoa', phone },
    });
    expect(unverified.status).toBe(409);
    const verified = await request('POST', `${n.page}/join`, {
      token: await tokenWithClaims(sub, { phone_number: `+84${phone.slice(1)}`, phone_number_verified: 'true' }),
      body: { name: 'Hoa', phone },
    });
    expect(verified.status).toBe(201);
    expect(verified.body).toMatchObject({ id: ctv.id, outcome: 'linked' });
  });

  it('join answers 404 for an unknown page, 422 for an unknown REF ID, 401 without a token', async () => {
    const n = await network();
    const user = await as(unique('u-'));
    expect((await user.post(`/v1/pages/${unique('nope-')}/join`, { name: 'A', phone: uniquePhone() })).status).toBe(404);
    const ref = await user.post(`${n.page}/join`, { name: 'A', phone: uniquePhone(), refId: 'ZZZZ9999' });
    expect(ref.status).toBe(422);
    expect(pathsOf(ref.body)).toEqual(['refId']);
    expect((await request('POST', `${n.page}/join`, { body: { name: 'A', phone: uniquePhone() } })).status).toBe(401);
    expect((await user.get('/v1/me')).body.memberships).toEqual([]);
  });
});
