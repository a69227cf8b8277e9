import { describe, expect, it } from 'vitest';
import { signLocalToken, verifyLocalToken } from '../../infra/local/jwt';

/**
 * The local server's JWT check (the stand-in for API Gateway's authorizer) keeps the tokens it has
 * verified: a kept token must still be refused from its expiry on, under another secret, and when
 * any byte of it changes. Every instant is given, none is read from the machine's clock.
 */
const SECRET = 'local-jwt-test-secret';
const EXP = Date.parse('2031-03-01T00:00:00Z') / 1000;
const BEFORE = (EXP - 3600) * 1000;

describe('verifyLocalToken', () => {
  it('answers a verified token again until its exp, and refuses it from exp on, as jose does', async () => {
    const token = await signLocalToken(SECRET, 'user-a', { expiresIn: EXP });
    expect(await verifyLocalToken(SECRET, token, BEFORE)).toMatchObject({ sub: 'user-a', exp: String(EXP) });
    // the second answer comes from the kept token
    expect(await verifyLocalToken(SECRET, token, EXP * 1000 - 1)).toMatchObject({ sub: 'user-a' });
    expect(await verifyLocalToken(SECRET, token, EXP * 1000)).toBeNull();
    expect(await verifyLocalToken(SECRET, token, EXP * 1000 + 86_400_000)).toBeNull();
  });

  it('gives each caller its own copy of the claims', async () => {
    const token = await signLocalToken(SECRET, 'user-b', { expiresIn: EXP });
    for (let i = 0; i < 2; i++) {
      // the first answer is verified afresh, the second is the kept one
      const claims = await verifyLocalToken(SECRET, token, BEFORE);
      claims!.sub = 'someone-else';
    }
    expect((await verifyLocalToken(SECRET, token, BEFORE))!.sub).toBe('user-b');
  });

  it('does not answer a token verified under one secret when it is checked under another', async () => {
    const token = await signLocalToken(SECRET, 'user-c', { expiresIn: EXP });
    expect(await verifyLocalToken(SECRET, token, BEFORE)).not.toBeNull();
    expect(await verifyLocalToken('another-secret', token, BEFORE)).toBeNull();
  });

  it('refuses a kept token with its payload or its signature changed', async () => {
    const token = await signLocalToken(SECRET, 'user-d', { expiresIn: EXP });
    expect(await verifyLocalToken(SECRET, token, BEFORE)).not.toBeNull();
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const otherPayload = Buffer.from(JSON.stringify({ ...claims, sub: 'admin' })).toString('base64url');
    expect(await verifyLocalToken(SECRET, `${header}.${otherPayload}.${signature}`, BEFORE)).toBeNull();
    const flipped = signature.startsWith('A') ? `B${signature.slice(1)}` : `A${signature.slice(1)}`;
    expect(await verifyLocalToken(SECRET, `${header}.${payload}.${flipped}`, BEFORE)).toBeNull();
  });

  it('refuses a token that was never valid, and does not keep it', async () => {
    const expired = await signLocalToken(SECRET, 'user-e', { expiresIn: EXP });
    expect(await verifyLocalToken(SECRET, expired, EXP * 1000 + 1000)).toBeNull();
    // checked again at an instant it would pass: verified afresh, not refused from a kept failure
    expect(await verifyLocalToken(SECRET, expired, BEFORE)).toMatchObject({ sub: 'user-e' });
  });
});
