import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Webhook signing secrets are stored encrypted (AES-256-GCM) with a key that is not in the table:
 * a table dump alone does not reveal them. The key comes from the function's environment
 * (`WEBHOOK_SECRETS_KEY`): in AWS a generated Secrets Manager value, resolved at deploy time and
 * given only to the functions of routes marked `sealingKey`. The tenant and source ids are bound
 * in as associated data, so a ciphertext copied to another source does not decrypt.
 */
export interface SealedSecret {
  /** the id of the key that sealed it (absent: sealed before key ids, by the key `k0`) */
  kid?: string;
  iv: string;
  data: string;
  tag: string;
}

/**
 * The sealing keys: the current one seals, any listed one opens what it sealed. Rotating the key
 * (docs/security.md, "Rotating the sealing key"): put the new key first, keep the old ones after it until
 * nothing sealed with them is left.
 */
export interface Keyring {
  current: { id: string; key: Uint8Array };
  keys: ReadonlyMap<string, Uint8Array>;
}

/** The id of a key given without one (the single key of a business before key ids). */
export const LEGACY_KEY_ID = 'k0';

const derive = (value: string) => createHash('sha256').update(value).digest();

/**
 * The key ring from `WEBHOOK_SECRETS_KEY`: one value (the key `k0`, as before key ids), or
 * `<id>=<value>` entries separated by commas, the current one first (`k1=…,k0=…`). Locally,
 * without it, a fixed development phrase; in Lambda a missing key is an error rather than a
 * silent weak default.
 */
export function keyringFromEnv(value: string | undefined, inLambda: boolean): Keyring {
  if (!value && inLambda) throw new Error('WEBHOOK_SECRETS_KEY is not set');
  const text = value || 'ctv-cloud local development webhook secrets';
  const entries =
    text.includes('=') && /^[\w-]+=/.test(text)
      ? text.split(',').map((part) => {
          const at = part.indexOf('=');
          const id = part.slice(0, at).trim();
          if (!/^[\w-]{1,32}$/.test(id) || at === part.length - 1)
            throw new Error('WEBHOOK_SECRETS_KEY: use <id>=<value>,… with the current key first');
          return [id, derive(part.slice(at + 1).trim())] as const;
        })
      : [[LEGACY_KEY_ID, derive(text)] as const];
  const [id, key] = entries[0]!;
  return { current: { id, key }, keys: new Map(entries) };
}

/** A key ring of one key (the key `k0`): tests and tools that hold a single key. */
export const singleKeyring = (key: Uint8Array): Keyring => ({ current: { id: LEGACY_KEY_ID, key }, keys: new Map([[LEGACY_KEY_ID, key]]) });

export function newSigningSecret(): string {
  return `whsec_${randomBytes(24).toString('base64url')}`;
}

export function sealSecret(keys: Keyring, secret: string, context: string): SealedSecret {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keys.current.key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const data = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return { kid: keys.current.id, iv: iv.toString('base64'), data: data.toString('base64'), tag: cipher.getAuthTag().toString('base64') };
}

export function openSecret(keys: Keyring, sealed: SealedSecret, context: string): string {
  const key = keys.keys.get(sealed.kid ?? LEGACY_KEY_ID);
  if (!key) throw new Error(`no sealing key ${sealed.kid ?? LEGACY_KEY_ID} in WEBHOOK_SECRETS_KEY`);
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString('utf8');
}

/** What a sealed webhook secret is bound to: its business and source (a copied item does not open elsewhere). */
export const secretContext = (tenantId: string, sourceId: string) => `${tenantId}/${sourceId}`;
