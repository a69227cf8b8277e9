/**
 * Keys the owner brings (docs/orders.md, "Webhooks"): a source's signing secret may be the vendor's (an app
 * secret, Haravan's webhook authentication string) rather than one we generate, and a Haravan
 * source may keep the verify token of the app's webhook registration to answer its subscription
 * handshake. Both are stored sealed and never shown back: not in an answer, the audit log, an
 * idempotent replay, nor in clear in any item of the business.
 */
import { answerText } from './support/http';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { signBase64Hmac } from '../../functions/webhooks/adapters/signatures';
import { newBusiness, request, unique } from './support/api';
import { tenantItems } from './support/servers';

const fixture = (name: string) => readFileSync(new URL(`../domain/orders/fixtures/${name}`, import.meta.url), 'utf8');
const haravanOrder = fixture('haravan-order.json');
const ownerKey = (prefix: string) => `${prefix}${unique()}${unique()}`;

const webhookPath = (tenantId: string, sourceId: string) => `/v1/webhooks/${tenantId}/${sourceId}/orders`;
const deliverHaravan = (tenantId: string, sourceId: string, secret: string, raw = haravanOrder, header = 'x-haravan-hmacsha256') =>
  request('POST', webhookPath(tenantId, sourceId), { body: raw, headers: { [header]: signBase64Hmac(raw, secret) } });
const handshake = (tenantId: string, sourceId: string, params: Record<string, string>) =>
  request('GET', `${webhookPath(tenantId, sourceId)}?${new URLSearchParams(params).toString()}`);

describe("the owner's signing secret", () => {
  it('a Haravan source created with the vendor key verifies its deliveries, refuses another key, and rotates to the next vendor key', async () => {
    const { owner, base, tenantId } = await newBusiness();
    const secret = ownerKey('hrv-auth-');
    const verifyToken = ownerKey('hrv-verify-');
    const created = await owner.post(
      `${base}/webhook-sources`,
      { name: 'Haravan cửa hàng chính', kind: 'haravan', secret, verifyToken },
      { 'Idempotency-Key': unique('k-') },
    );
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({ kind: 'haravan', url: webhookPath(tenantId, created.body.id) });
    expect(created.body).not.toHaveProperty('secret');
    const sourceId = created.body.id as string;

    const ok = await deliverHaravan(tenantId, sourceId, secret);
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body).toMatchObject({ revision: expect.any(Number), applied: true });
    // the older spelling of the header (Haravan's 2017 middleware) verifies the same way
    const older = await deliverHaravan(tenantId, sourceId, secret, haravanOrder, 'x-haravan-hmac-sha256');
    expect(older.status, older.text).toBe(200);
    expect(older.body).toMatchObject({ orderId: ok.body.orderId, applied: false });
    expect((await deliverHaravan(tenantId, sourceId, ownerKey('other-'), haravanOrder, 'x-haravan-hmac-sha256')).status).toBe(401);
    const wrong = await deliverHaravan(tenantId, sourceId, ownerKey('other-'));
    expect(wrong.status).toBe(401);
    // the same 401 as an unknown source: nothing tells the sender which it was
    const unknown = await deliverHaravan(tenantId, '01KZZZZZZZZZZZZZZZZZZZZZZZ', secret);
    expect(unknown.status).toBe(401);
    expect(answerText(wrong)).toBe(answerText(unknown));

    // the next vendor key, without overlap: the previous one stops verifying at once
    const next = ownerKey('hrv-auth2-');
    const rotated = await owner.post(
      `${base}/webhook-sources/${sourceId}/rotate`,
      { secret: next, overlapHours: 0 },
      { 'If-Match': '"1"' },
    );
    expect(rotated.status, rotated.text).toBe(200);
    expect(rotated.body).not.toHaveProperty('secret');
    expect(rotated.body.rotatedAt).toEqual(expect.any(String));
    expect((await deliverHaravan(tenantId, sourceId, secret)).status).toBe(401);
    const again = await deliverHaravan(tenantId, sourceId, next);
    expect(again.status, again.text).toBe(200);
    expect(again.body).toMatchObject({ orderId: ok.body.orderId, applied: false });

    // a rotation with overlap keeps the previous vendor key for its hours
    const third = ownerKey('hrv-auth3-');
    expect((await owner.post(`${base}/webhook-sources/${sourceId}/rotate`, { secret: third }, { 'If-Match': '"2"' })).status).toBe(200);
    expect((await deliverHaravan(tenantId, sourceId, next)).status).toBe(200);
    expect((await deliverHaravan(tenantId, sourceId, third)).status).toBe(200);

    // never shown back: not listed, not audited, not in the idempotent replay, not in clear in any item
    const keys = [secret, next, third, verifyToken];
    const listed = await owner.get(`${base}/webhook-sources`);
    expect(listed.body.items).toHaveLength(1);
    const audit = await owner.get(`${base}/audit?limit=200`);
    expect(audit.status).toBe(200);
    expect(audit.body.items.map((e: any) => e.action)).toEqual(expect.arrayContaining(['createWebhookSource', 'rotateWebhookSecret']));
    const items = await tenantItems(tenantId);
    expect(items.some((i) => String(i.pk).includes('#IDEM#'))).toBe(true);
    const seen = JSON.stringify([created.body, rotated.body, listed.body, audit.body, items]);
    for (const key of keys) expect(seen).not.toContain(key);
  });

  it('an idempotent retry of a create with the owner secret answers the first result, still without it', async () => {
    const { owner, base } = await newBusiness();
    const secret = ownerKey('wc-secret-');
    const key = unique('k-');
    const body = { name: 'Website WooCommerce', kind: 'woocommerce', secret };
    const first = await owner.post(`${base}/webhook-sources`, body, { 'Idempotency-Key': key });
    const second = await owner.post(`${base}/webhook-sources`, body, { 'Idempotency-Key': key });
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.body).toEqual(first.body);
    expect(second.text).not.toContain(secret);
  });

  it('an idempotent retry of a create with a generated secret answers the same secret, kept sealed meanwhile', async () => {
    const { owner, base, tenantId } = await newBusiness();
    const key = unique('k-');
    const first = await owner.post(`${base}/webhook-sources`, { name: 'Haravan', kind: 'haravan' }, { 'Idempotency-Key': key });
    expect(first.status).toBe(201);
    const secret = first.body.secret as string;
    expect(secret).toMatch(/^whsec_/);
    // the idempotency record keeps the answer for 24 h: sealed, so the table never shows the secret
    const items = await tenantItems(tenantId);
    expect(items.some((i) => String(i.pk).includes('#IDEM#'))).toBe(true);
    expect(JSON.stringify(items)).not.toContain(secret);
    // a client that lost the first answer gets the secret it needs from the retry
    const retry = await owner.post(`${base}/webhook-sources`, { name: 'Haravan', kind: 'haravan' }, { 'Idempotency-Key': key });
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect((await deliverHaravan(tenantId, first.body.id, secret)).status).toBe(200);
  });

  it('rotation needs If-Match, keeps every secret still inside its overlap (3 at most), and a retry with its Idempotency-Key rotates once', async () => {
    const { owner, base, tenantId } = await newBusiness();
    const created = await owner.post(`${base}/webhook-sources`, { name: 'Haravan', kind: 'haravan' });
    const id = created.body.id as string;
    expect(created.body).toMatchObject({ version: 1, activeSecrets: 1 });
    const rotatePath = `${base}/webhook-sources/${id}/rotate`;
    const missing = await owner.post(rotatePath, {});
    expect(missing.status).toBe(428);
    expect(missing.body.errors).toEqual([expect.objectContaining({ path: 'If-Match' })]);
    expect((await owner.post(rotatePath, {}, { 'If-Match': '"7"' })).status).toBe(412);

    // three rotations within a day: each secret given to the order system still verifies
    const key = unique('rot-');
    const first = await owner.post(rotatePath, { overlapHours: 24 }, { 'If-Match': '"1"', 'Idempotency-Key': key });
    expect(first.status, first.text).toBe(200);
    // the same call retried (a lost answer): the first answer again, no second rotation
    const retried = await owner.post(rotatePath, { overlapHours: 24 }, { 'If-Match': '"1"', 'Idempotency-Key': key });
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    expect(retried.body).toEqual(first.body);
    expect(first.body).toMatchObject({ version: 2, activeSecrets: 2 });
    const second = await owner.post(rotatePath, { overlapHours: 24 }, { 'If-Match': '"2"' });
    expect(second.body).toMatchObject({ version: 3, activeSecrets: 3 });
    for (const secret of [created.body.secret, first.body.secret, second.body.secret]) {
      expect((await deliverHaravan(tenantId, id, secret)).status).toBe(200);
    }
    // a fourth secret pushes out the oldest: 3 at most
    const third = await owner.post(rotatePath, { overlapHours: 24 }, { 'If-Match': '"3"' });
    expect(third.body).toMatchObject({ version: 4, activeSecrets: 3 });
    expect((await deliverHaravan(tenantId, id, created.body.secret)).status).toBe(401);
    for (const secret of [first.body.secret, second.body.secret, third.body.secret]) {
      expect((await deliverHaravan(tenantId, id, secret)).status).toBe(200);
    }
    // none of the generated secrets is in clear in the table (the idempotent answer is kept sealed)
    const items = JSON.stringify(await tenantItems(tenantId));
    for (const secret of [first.body.secret, second.body.secret, third.body.secret]) expect(items).not.toContain(secret);
  });

  it('a generated secret is still shown once, at creation and at rotation', async () => {
    const { owner, base, tenantId } = await newBusiness();
    const created = await owner.post(`${base}/webhook-sources`, { name: 'Haravan', kind: 'haravan' });
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^whsec_/);
    expect((await deliverHaravan(tenantId, created.body.id, created.body.secret)).status).toBe(200);
    const rotated = await owner.post(`${base}/webhook-sources/${created.body.id}/rotate`, {}, { 'If-Match': '"1"' });
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(created.body.secret);
    const listed = await owner.get(`${base}/webhook-sources`);
    expect(listed.text).not.toContain(created.body.secret);
    expect(listed.text).not.toContain(rotated.body.secret);
  });

  it('refuses keys that are too short, too long or not printable, and a verify token for a kind without handshake, naming the field', async () => {
    const { owner, base } = await newBusiness();
    const cases: [Record<string, unknown>, string][] = [
      [{ secret: 'short' }, 'secret'],
      [{ secret: 'x'.repeat(257) }, 'secret'],
      [{ secret: 'has a space in it' }, 'secret'],
      [{ secret: 'bí-mật-của-tôi' }, 'secret'],
      [{ secret: 12345678 }, 'secret'],
      [{ kind: 'haravan', verifyToken: 'tiny' }, 'verifyToken'],
      [{ kind: 'haravan', verifyToken: `tab\there-x` }, 'verifyToken'],
      [{ kind: 'ctv', verifyToken: ownerKey('tok-') }, 'verifyToken'],
      [{ kind: 'woocommerce', verifyToken: ownerKey('tok-') }, 'verifyToken'],
    ];
    for (const [extra, field] of cases) {
      const res = await owner.post(`${base}/webhook-sources`, { name: 'Nguồn', ...extra });
      expect(res.status, JSON.stringify(extra)).toBe(400);
      expect(res.body.errors.map((e: any) => e.path)).toEqual([field]);
    }
    expect((await owner.get(`${base}/webhook-sources`)).body.items).toEqual([]);

    const source = (await owner.post(`${base}/webhook-sources`, { name: 'Nguồn' })).body;
    for (const secret of ['short', 'y'.repeat(257), 'with space 123']) {
      const res = await owner.post(`${base}/webhook-sources/${source.id}/rotate`, { secret });
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: any) => e.path)).toEqual(['secret']);
    }
    // the longest and shortest accepted
    expect(
      (await owner.post(`${base}/webhook-sources/${source.id}/rotate`, { secret: 'z'.repeat(256) }, { 'If-Match': `"${source.version}"` }))
        .status,
    ).toBe(200);
    expect((await owner.post(`${base}/webhook-sources`, { name: 'Nguồn 2', secret: '!#$%&()*' })).status).toBe(201);
  });
});

describe("Haravan's subscription handshake", () => {
  it('answers the challenge as plain text for the right verify token, and the same 401 as a bad signature otherwise', async () => {
    const { owner, base, tenantId } = await newBusiness();
    const verifyToken = ownerKey('hrv-verify-');
    const haravan = (
      await owner.post(`${base}/webhook-sources`, { name: 'Haravan', kind: 'haravan', secret: ownerKey('hrv-auth-'), verifyToken })
    ).body;
    const challenge = `${unique('c-')}.${Date.now()}`;
    const good = { 'hub.mode': 'subscribe', 'hub.verify_token': verifyToken, 'hub.challenge': challenge };

    const answered = await handshake(tenantId, haravan.id, good);
    expect(answered.status).toBe(200);
    expect(answered.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(answered.text).toBe(challenge);

    const badSignature = await deliverHaravan(tenantId, haravan.id, ownerKey('other-'));
    expect(badSignature.status).toBe(401);
    const noToken = (await owner.post(`${base}/webhook-sources`, { name: 'Haravan 2', kind: 'haravan' })).body;
    const ctv = (await owner.post(`${base}/webhook-sources`, { name: 'Website' })).body;
    const other = await newBusiness();
    const { 'hub.challenge': _c, ...noChallenge } = good;
    const { 'hub.mode': _m, ...noMode } = good;
    const { 'hub.verify_token': _t, ...noVerifyToken } = good;
    const refused: [string, string, string, Record<string, string>][] = [
      ['a wrong token', tenantId, haravan.id, { ...good, 'hub.verify_token': ownerKey('guess-') }],
      ['a prefix of the token', tenantId, haravan.id, { ...good, 'hub.verify_token': verifyToken.slice(0, -1) }],
      ['another mode', tenantId, haravan.id, { ...good, 'hub.mode': 'unsubscribe' }],
      ['no challenge', tenantId, haravan.id, noChallenge],
      ['no mode', tenantId, haravan.id, noMode],
      ['no token', tenantId, haravan.id, noVerifyToken],
      ['no parameters', tenantId, haravan.id, {}],
      ['a haravan source without a verify token', tenantId, noToken.id, good],
      ['a ctv source', tenantId, ctv.id, good],
      ['an unknown source', tenantId, '01KZZZZZZZZZZZZZZZZZZZZZZZ', good],
      ['a malformed source id', tenantId, 'nope', good],
      ['the source under another business', other.tenantId, haravan.id, good],
    ];
    for (const [who, t, s, params] of refused) {
      const res = await handshake(t, s, params);
      expect(res.status, who).toBe(401);
      expect(answerText(res), who).toBe(answerText(badSignature));
      expect(res.text, who).not.toContain(challenge);
    }
  });
});
