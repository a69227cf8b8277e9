import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Webhook signing secrets are stored encrypted (AES-256-GCM) with a key that is not in the table:
 * a table dump alone does not reveal them. The key comes from the function's environment
 * (`WEBHOOK_SECRETS_KEY`): in AWS a generated Secrets Manager value, resolved at deploy time and
 * given only to the functions of routes marked `webhookSecrets`. The tenant and source ids are
 * bound in as associated data, so
 * a ciphertext copied to another source does not decrypt.
 */
export interface SealedSecret {
  iv: string;
  data: string;
  tag: string;
}

/**
 * The 256-bit key: SHA-256 of a high-entropy secret string (in AWS, a generated Secrets Manager
 * value passed as `WEBHOOK_SECRETS_KEY`). Locally, without it, a fixed development phrase; in
 * Lambda a missing key is an error rather than a silent weak default.
 */
export function keyFromEnv(value: string | undefined, inLambda: boolean): Buffer {
  if (!value && inLambda) throw new Error('WEBHOOK_SECRETS_KEY is not set');
  return createHash('sha256').update(value || 'ctv-cloud local development webhook secrets').digest();
}

export function newSigningSecret(): string {
  return `whsec_${randomBytes(24).toString('base64url')}`;
}

export function sealSecret(key: Uint8Array, secret: string, context: string): SealedSecret {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const data = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return { iv: iv.toString('base64'), data: data.toString('base64'), tag: cipher.getAuthTag().toString('base64') };
}

export function openSecret(key: Uint8Array, sealed: SealedSecret, context: string): string {
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString('utf8');
}

/** What a sealed webhook secret is bound to: its business and source (a copied item does not open elsewhere). */
export const secretContext = (tenantId: string, sourceId: string) => `${tenantId}/${sourceId}`;
