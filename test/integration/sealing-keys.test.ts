/**
 * The sealing key ring (issue 16; docs/security.md, "Rotating the sealing key"): sealed values carry the id of
 * the key that sealed them, so the key can be rotated: the new key seals, the old ones still open
 * what they sealed, and a value whose key is no longer listed cannot be opened.
 */
import { describe, expect, it } from 'vitest';
import { keyringFromEnv, openSecret, sealSecret } from '../../functions/webhooks/secrets';

const CONTEXT = '01KTENANT0000000000000000/01KSOURCE0000000000000000';

describe('the sealing key ring', () => {
  it('one value is the key k0, as before key ids; a sealed value names its key', () => {
    const ring = keyringFromEnv('a long random secret value', true);
    expect(ring.current.id).toBe('k0');
    const sealed = sealSecret(ring, 'whsec_abc', CONTEXT);
    expect(sealed.kid).toBe('k0');
    expect(openSecret(ring, sealed, CONTEXT)).toBe('whsec_abc');
    // a value sealed before key ids (no kid) opens with k0
    const { kid: _kid, ...legacy } = sealed;
    expect(openSecret(ring, legacy, CONTEXT)).toBe('whsec_abc');
  });

  it('rotation: the new key first seals; the old one, listed after it, still opens; dropped, it does not', () => {
    const before = keyringFromEnv('old-secret-value', true);
    const old = sealSecret(before, 'whsec_old', CONTEXT);
    const rotated = keyringFromEnv('k1=new-secret-value,k0=old-secret-value', true);
    expect(rotated.current.id).toBe('k1');
    expect(openSecret(rotated, old, CONTEXT)).toBe('whsec_old');
    const fresh = sealSecret(rotated, 'whsec_new', CONTEXT);
    expect(fresh.kid).toBe('k1');
    expect(() => openSecret(before, fresh, CONTEXT)).toThrow(/no sealing key k1/);
    const newOnly = keyringFromEnv('k1=new-secret-value', true);
    expect(openSecret(newOnly, fresh, CONTEXT)).toBe('whsec_new');
    expect(() => openSecret(newOnly, old, CONTEXT)).toThrow(/no sealing key k0/);
  });

  it('a sealed value opens only in its own context; a malformed ring or a missing key in Lambda is refused', () => {
    const ring = keyringFromEnv('k2=some-secret', true);
    const sealed = sealSecret(ring, 'token', CONTEXT);
    expect(() => openSecret(ring, sealed, `${CONTEXT}x`)).toThrow();
    expect(() => keyringFromEnv('k1=', true)).toThrow(/WEBHOOK_SECRETS_KEY/);
    expect(() => keyringFromEnv(undefined, true)).toThrow(/not set/);
    expect(keyringFromEnv(undefined, false).current.id).toBe('k0'); // locally: the development phrase
  });
});
