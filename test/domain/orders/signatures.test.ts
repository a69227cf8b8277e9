import { describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import {
  signBase64Hmac,
  signCtv,
  verifyCtvSignature,
  verifyHaravanSignature,
  verifyWooCommerceSignature,
} from '../../../functions/webhooks/adapters/signatures';

const BODY = JSON.stringify({ externalId: 'HD-10293', revision: 3, customer: { name: 'Trần Văn Bình' } });
const SECRET = 'whsec_current_0123456789';
const OLD_SECRET = 'whsec_previous_9876543210';
const NOW = 1_793_700_000; // unix seconds

const hexMac = (secret: string, message: string) => createHmac('sha256', secret).update(Buffer.from(message, 'utf8')).digest('hex');
const b64Mac = (secret: string, message: string) => createHmac('sha256', secret).update(Buffer.from(message, 'utf8')).digest('base64');

describe('X-Ctv-Signature', () => {
  it('signs t + "." + the raw body with HMAC-SHA256, hex', () => {
    expect(signCtv(BODY, SECRET, NOW)).toBe(`t=${NOW},v1=${hexMac(SECRET, `${NOW}.${BODY}`)}`);
  });

  it('accepts a good signature', () => {
    expect(verifyCtvSignature(BODY, signCtv(BODY, SECRET, NOW), [SECRET], NOW)).toEqual({
      result: 'ok',
      timestamp: NOW,
      secretIndex: 0,
    });
    // the same bytes as a Buffer
    expect(verifyCtvSignature(Buffer.from(BODY, 'utf8'), signCtv(BODY, SECRET, NOW), [SECRET], NOW).result).toBe('ok');
    // a header written by hand, with spaces and upper-case hex
    const hand = `t=${NOW}, v1=${hexMac(SECRET, `${NOW}.${BODY}`).toUpperCase()}`;
    expect(verifyCtvSignature(BODY, hand, [SECRET], NOW).result).toBe('ok');
  });

  it('rejects a changed body or a wrong secret', () => {
    const header = signCtv(BODY, SECRET, NOW);
    expect(verifyCtvSignature(BODY.replace('"revision":3', '"revision":4'), header, [SECRET], NOW)).toEqual({ result: 'bad_signature' });
    expect(verifyCtvSignature(BODY, header, ['another-secret'], NOW)).toEqual({ result: 'bad_signature' });
    // the timestamp is signed too: moving it breaks the signature
    const moved = header.replace(`t=${NOW}`, `t=${NOW + 1}`);
    expect(verifyCtvSignature(BODY, moved, [SECRET], NOW)).toEqual({ result: 'bad_signature' });
  });

  it('rejects a timestamp more than 300 s off, either way', () => {
    expect(verifyCtvSignature(BODY, signCtv(BODY, SECRET, NOW - 300), [SECRET], NOW).result).toBe('ok');
    expect(verifyCtvSignature(BODY, signCtv(BODY, SECRET, NOW + 300), [SECRET], NOW).result).toBe('ok');
    expect(verifyCtvSignature(BODY, signCtv(BODY, SECRET, NOW - 301), [SECRET], NOW)).toEqual({ result: 'stale', timestamp: NOW - 301 });
    expect(verifyCtvSignature(BODY, signCtv(BODY, SECRET, NOW + 301), [SECRET], NOW).result).toBe('stale');
    // an old timestamp with a forged signature is a bad signature, not a replay
    expect(verifyCtvSignature(BODY, signCtv(BODY, 'forged', NOW - 3600), [SECRET], NOW).result).toBe('bad_signature');
  });

  it('accepts either of two secrets while the source rotates', () => {
    const byOld = signCtv(BODY, OLD_SECRET, NOW);
    expect(verifyCtvSignature(BODY, byOld, [SECRET, OLD_SECRET], NOW)).toEqual({ result: 'ok', timestamp: NOW, secretIndex: 1 });
    expect(verifyCtvSignature(BODY, byOld, [SECRET], NOW).result).toBe('bad_signature');
    // a sender that signs with both secrets during the rotation
    const both = `t=${NOW},v1=${hexMac('unknown', `${NOW}.${BODY}`)},v1=${hexMac(SECRET, `${NOW}.${BODY}`)}`;
    expect(verifyCtvSignature(BODY, both, [SECRET], NOW).result).toBe('ok');
  });

  it('a source has one to three secrets (the newest and two still inside their overlap), never none or four', () => {
    expect(() => verifyCtvSignature(BODY, signCtv(BODY, SECRET, NOW), [], NOW)).toThrow(RangeError);
    expect(verifyCtvSignature(BODY, signCtv(BODY, 'third', NOW), [SECRET, OLD_SECRET, 'third'], NOW)).toMatchObject({
      result: 'ok',
      secretIndex: 2,
    });
    expect(() => verifyCtvSignature(BODY, signCtv(BODY, SECRET, NOW), [SECRET, OLD_SECRET, 'third', 'fourth'], NOW)).toThrow(RangeError);
  });

  it('says malformed for headers that are not the scheme', () => {
    const mac = hexMac(SECRET, `${NOW}.${BODY}`);
    const malformed = [
      undefined,
      null,
      '',
      'hello',
      `v1=${mac}`,
      `t=${NOW}`,
      `t=${NOW},v0=${mac}`,
      `t=abc,v1=${mac}`,
      `t=-5,v1=${mac}`,
      `t=${NOW},t=${NOW},v1=${mac}`,
      `t=${NOW},v1=${mac.slice(0, 63)}`,
      `t=${NOW},v1=${mac.slice(0, 62)}zz`,
      `t=${NOW};v1=${mac}`,
    ];
    for (const header of malformed) {
      expect(verifyCtvSignature(BODY, header, [SECRET], NOW), String(header)).toEqual({ result: 'malformed' });
    }
  });
});

describe('X-Haravan-Hmacsha256 and X-WC-Webhook-Signature', () => {
  const cases = [
    ['Haravan', verifyHaravanSignature],
    ['WooCommerce', verifyWooCommerceSignature],
  ] as const;

  for (const [name, verify] of cases) {
    describe(name, () => {
      it('accepts the base64 HMAC-SHA256 of the raw body', () => {
        expect(verify(BODY, b64Mac(SECRET, BODY), SECRET)).toBe('ok');
        expect(signBase64Hmac(BODY, SECRET)).toBe(b64Mac(SECRET, BODY));
      });

      it('rejects a changed body or another secret', () => {
        expect(verify(`${BODY} `, b64Mac(SECRET, BODY), SECRET)).toBe('bad_signature');
        expect(verify(BODY, b64Mac('other', BODY), SECRET)).toBe('bad_signature');
      });

      it('accepts the previous secret during a rotation', () => {
        expect(verify(BODY, b64Mac(OLD_SECRET, BODY), [SECRET, OLD_SECRET])).toBe('ok');
      });

      it('says malformed for a header that is not a base64 SHA-256', () => {
        expect(verify(BODY, undefined, SECRET)).toBe('malformed');
        expect(verify(BODY, '', SECRET)).toBe('malformed');
        expect(verify(BODY, hexMac(SECRET, BODY), SECRET)).toBe('malformed');
        expect(verify(BODY, b64Mac(SECRET, BODY).slice(0, 40), SECRET)).toBe('malformed');
      });
    });
  }
});
