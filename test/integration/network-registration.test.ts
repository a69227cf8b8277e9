import { SignJWT } from 'jose';
import { answerText } from './support/http';
import { describe, expect, inject, it } from 'vitest';
import { as, request, unique, uniquePhone } from './support/api';
import { REGISTRATION_RECEIVED_MESSAGE } from '../../domain/registration';
import { idsOf, ifMatch, network, type Network } from './support/network';

const pathsOf = (body: any): string[] => (body.errors ?? []).map((e: { path: string }) => e.path);

/** The one answer of every accepted registration, new phone or known. */
const RECEIPT = { received: true, message: REGISTRATION_RECEIVED_MESSAGE };

/** The CTV the owner sees with this phone (0… or +84…): how a test finds what a registration made. */
async function ctvWithPhone(n: Network, phone: string) {
  const e164 = phone.startsWith('+84') ? phone : `+84${phone.slice(1)}`;
  const list = await n.owner.get(`${n.base}/collaborators?limit=100`);
  expect(list.status).toBe(200);
  const found = list.body.items.filter((c: any) => c.phone === e164);
  expect(found.length, e164).toBeLessThanOrEqual(1);
  return found[0] ? (await n.owner.get(`${n.base}/collaborators/${found[0].id}`)).body : undefined;
}

describe('self-registration on the public page', () => {
  it('registers without a token: 202 and a receipt naming nobody; the CTV is registered, source registration, normalised phone', async () => {
    const n = await network();
    const phone = uniquePhone();
    const res = await request('POST', `${n.page}/registrations`, {
      body: { name: ' Lý Thu Trang ', phone: `+84 ${phone.slice(1)}`, email: 'trang@example.vn' },
    });
    expect(res.status).toBe(202);
    expect(res.body).toEqual(RECEIPT);
    expect(res.headers.get('location')).toBeNull();
    const ctv = await ctvWithPhone(n, phone);
    expect(ctv).toMatchObject({
      name: 'Lý Thu Trang',
      phone: `+84${phone.slice(1)}`,
      email: 'trang@example.vn',
      source: 'registration',
      status: 'registered',
    });
    expect(ctv.refId).toMatch(/^TRA[A-Z0-9]{5}$/);
    expect(ctv).not.toHaveProperty('careStaffUserId');
    // the page id is case-insensitive
    const other = uniquePhone();
    const upper = await request('POST', `/v1/pages/${n.pageId.toUpperCase()}/registrations`, { body: { name: 'B', phone: other } });
    expect(upper.status).toBe(202);
    expect((await ctvWithPhone(n, other))?.status).toBe('registered');
  });

  it('auto-approval makes registrations start approved', async () => {
    const n = await network();
    const settings = await n.owner.get(`${n.base}/settings`);
    expect((await n.owner.patch(`${n.base}/settings`, { autoApproveRegistrations: true }, ifMatch(settings.body.version))).status).toBe(
      200,
    );
    const phone = uniquePhone();
    const res = await request('POST', `${n.page}/registrations`, { body: { name: 'Hoàng Minh Tuấn', phone } });
    expect(res.status).toBe(202);
    expect(res.body).toEqual(RECEIPT);
    const ctv = await ctvWithPhone(n, phone);
    expect(ctv.status).toBe('approved');
    expect(ctv.approvedAt).toBe(ctv.createdAt);
  });

  it('a REF ID makes the referrer the upline, and the newcomer gets the referrer’s care staff', async () => {
    const n = await network();
    const hoa = await n.addCtv({ careStaffUserId: n.ids.careB });
    const phone = uniquePhone();
    const res = await request('POST', `${n.page}/registrations`, {
      body: { name: 'Trần Văn Bình', phone, refId: ` ${hoa.refId.toLowerCase()} ` },
    });
    expect(res.status).toBe(202);
    const ctv = await ctvWithPhone(n, phone);
    expect(ctv).toMatchObject({ referrerId: hoa.id, referrerRefId: hoa.refId, careStaffUserId: n.ids.careB, managerUserId: n.ids.m2 });
    expect(idsOf(await n.careB.get(`${n.base}/collaborators?status=registered`))).toEqual([ctv.id]);
  });

  it('an unknown page is 404, an unknown or blocked REF ID 422 naming refId, a bad phone 400 naming phone; nothing stored', async () => {
    const n = await network();
    const unknownPage = await request('POST', `/v1/pages/${unique('no-such-page-')}/registrations`, {
      body: { name: 'A', phone: uniquePhone() },
    });
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
    const blockedRef = await request('POST', `${n.page}/registrations`, {
      body: { name: 'A', phone: uniquePhone(), refId: blocked.refId },
    });
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

  it('a known phone and a new one get byte-identical answers with the same status; only the new one makes a CTV', async () => {
    const n = await network();
    // known: registered on the page, and added by hand (paused, so its state differs from a new one's)
    const phone = uniquePhone();
    expect(
      (await request('POST', `${n.page}/registrations`, { body: { name: 'Nguyễn Thị Hoa', phone, email: 'hoa@example.vn' } })).status,
    ).toBe(202);
    const first = await ctvWithPhone(n, phone);
    const manual = await n.addCtv();
    await n.ok(n.owner.post(`${n.base}/collaborators/${manual.id}/pause`, {}, ifMatch(1)));
    const referrer = await n.addCtv({ careStaffUserId: n.ids.careB });

    const fresh = [uniquePhone(), uniquePhone(), uniquePhone()];
    const send = (body: object) => request('POST', `${n.page}/registrations`, { body });
    const answers = [
      await send({ name: 'Kẻ Khác', phone: `84${phone.slice(1)}` }),
      await send({ name: 'X', phone: manual.phone, refId: referrer.refId }),
      await send({ name: 'Người Mới', phone: fresh[0] }),
      await send({ name: 'Người Mới', phone: fresh[1], refId: referrer.refId, email: 'moi@example.vn' }),
      await send({ name: 'Người Mới', phone: fresh[2] }),
    ];
    for (const a of answers) {
      expect(a.status).toBe(202);
      expect(answerText(a)).toBe(answerText(answers[0]!));
      expect(a.headers.get('content-type')).toBe(answers[0]!.headers.get('content-type'));
      expect(a.headers.get('location')).toBeNull();
    }
    expect(answers[0]!.body).toEqual(RECEIPT);
    // nothing of the known CTVs comes back: no id, REF ID, status, name or phone
    for (const known of [first, manual]) {
      for (const secret of [known.id, known.refId, known.name, known.phone.slice(3)]) expect(answers[0]!.text).not.toContain(secret);
    }
    // the known ones are unchanged (same version, state and referrer); each new phone is one new CTV
    const afterFirst = await ctvWithPhone(n, phone);
    expect(afterFirst).toEqual(first);
    const afterManual = (await n.owner.get(`${n.base}/collaborators/${manual.id}`)).body;
    expect(afterManual).toMatchObject({ status: 'paused', version: 2 });
    expect(afterManual.referrerId).toBeUndefined();
    const all = idsOf(await n.owner.get(`${n.base}/collaborators?limit=100`));
    expect(all).toHaveLength(3 + 3);
    for (const p of fresh) expect((await ctvWithPhone(n, p))?.status).toBe('registered');
  });

  it('a known and a new phone get the same 422 for an unknown REF ID: the REF ID is checked before the phone', async () => {
    const n = await network();
    const known = await n.addCtv();
    const [a, b] = [
      await request('POST', `${n.page}/registrations`, { body: { name: 'A', phone: known.phone, refId: 'ZZZZ9999' } }),
      await request('POST', `${n.page}/registrations`, { body: { name: 'A', phone: uniquePhone(), refId: 'ZZZZ9999' } }),
    ];
    expect([a.status, b.status]).toEqual([422, 422]);
    expect(answerText(a)).toBe(answerText(b));
    expect(idsOf(await n.owner.get(`${n.base}/collaborators`))).toEqual([known.id]);
  });

  it('the same phone registered 10 times at once creates one CTV, and all ten get the same 202', async () => {
    const n = await network();
    const phone = uniquePhone();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => request('POST', `${n.page}/registrations`, { body: { name: `Người đăng ký ${i}`, phone } })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(202));
    expect(new Set(results.map((r) => r.text)).size).toBe(1);
    const list = await n.owner.get(`${n.base}/collaborators`);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0].phone).toBe(`+84${phone.slice(1)}`);
  });

  it('the same phone registered at once on two businesses is two CTVs, one in each', async () => {
    const [a, b] = await Promise.all([network(), network()]);
    const phone = uniquePhone();
    const [ra, rb] = await Promise.all([
      request('POST', `${a.page}/registrations`, { body: { name: 'Hoa', phone } }),
      request('POST', `${b.page}/registrations`, { body: { name: 'Hoa', phone } }),
    ]);
    expect([ra.status, rb.status]).toEqual([202, 202]);
    const [ca, cb] = [await ctvWithPhone(a, phone), await ctvWithPhone(b, phone)];
    expect(ca.tenantId).toBe(a.tenantId);
    expect(cb.tenantId).toBe(b.tenantId);
    expect(ca.id).not.toBe(cb.id);
  });

  it('the CTV learns their REF ID by signing in and joining with the registered phone and email', async () => {
    const n = await network();
    const phone = uniquePhone();
    const email = `${unique('reg-')}@example.vn`;
    expect((await request('POST', `${n.page}/registrations`, { body: { name: 'Đinh Thị Ngọc', phone, email } })).status).toBe(202);
    const registered = await ctvWithPhone(n, phone);
    const user = await as(unique('ctv-'), email);
    const joined = await user.post(`${n.page}/join`, { name: 'Đinh Thị Ngọc', phone });
    expect(joined.status).toBe(201);
    expect(joined.body).toEqual({
      tenantId: n.tenantId,
      id: registered.id,
      refId: registered.refId,
      status: 'registered',
      outcome: 'linked',
    });
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
