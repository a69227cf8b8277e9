import * as z from 'zod';
import { text } from '../text';

/** An order system that sends us signed webhooks; `kind` picks the payload adapter and signature scheme. */
export const WEBHOOK_KINDS = ['ctv', 'haravan', 'sapo', 'kiotviet', 'nhanh', 'pancake', 'shopify', 'woocommerce'] as const;
export type WebhookKind = (typeof WEBHOOK_KINDS)[number];

/** Lengths of a key the owner brings (a signing secret, a verify token). */
export const OWNER_KEY_MIN = 8;
export const OWNER_KEY_MAX = 256;
const PRINTABLE_NO_SPACE = /^[\x21-\x7e]*$/;

/** A key the owner brings from the order system: 8–256 printable ASCII characters, no spaces, as given. */
const ownerKey = (what: string) =>
  z
    .string({ error: `${what}: a string` })
    .min(OWNER_KEY_MIN, { error: `${what}: at least ${OWNER_KEY_MIN} characters` })
    .max(OWNER_KEY_MAX, { error: `${what}: at most ${OWNER_KEY_MAX} characters` })
    .regex(PRINTABLE_NO_SPACE, { error: `${what}: printable ASCII characters only, no spaces` });

const ownerSecret = () =>
  ownerKey('the signing secret').meta({
    description:
      "the key the order system signs with, when the owner cannot choose it (an app's client secret; Haravan's webhook authentication string); absent: one is generated and shown once. Never shown back.",
  });

/** A URL of a vendor's REST API: https (http only off AWS, for a local fake; checked where the source is saved). */
const vendorUrl = (example: string) =>
  z
    .url({ protocol: /^https?$/, error: 'an http(s) URL' })
    .max(512)
    .meta({ example });

/**
 * Credentials for the vendor's REST API, for the details a webhook lacks (WooCommerce's per-line
 * refunds; KiotViet's customer phone and returns). `key` and `secret` are sealed like the signing
 * secret and never shown back.
 */
export const VendorApiInput = z
  .strictObject({
    baseUrl: vendorUrl('https://shop.example.vn').meta({ description: 'woocommerce: the site URL; kiotviet: https://public.kiotapi.com' }),
    tokenUrl: vendorUrl('https://id.kiotviet.vn/connect/token')
      .optional()
      .meta({ description: 'kiotviet: the OAuth token endpoint (default https://id.kiotviet.vn/connect/token)' }),
    account: text(100).optional().meta({ description: 'kiotviet: the retailer name (sent as the Retailer header)' }),
    key: ownerKey('the API key').meta({ description: 'woocommerce: the consumer key (read access); kiotviet: the client id' }),
    secret: ownerKey('the API secret').meta({ description: 'woocommerce: the consumer secret; kiotviet: the client secret' }),
  })
  .meta({ id: 'VendorApiInput' });
export type VendorApiInput = z.output<typeof VendorApiInput>;

export const CreateWebhookSourceInput = z
  .strictObject({
    name: text(100).meta({ example: 'Haravan cửa hàng chính' }),
    kind: z.enum(WEBHOOK_KINDS).default('ctv').meta({ description: 'ctv: our own event and X-Ctv-Signature' }),
    secret: ownerSecret().optional(),
    verifyToken: ownerKey('the verify token').optional().meta({
      description:
        "haravan: the Verify Token of the app's webhook registration; the subscription handshake is answered when it matches. Never shown back.",
    }),
    api: VendorApiInput.optional().meta({ description: 'woocommerce, kiotviet: REST API credentials for what the webhook lacks' }),
  })
  .meta({ id: 'CreateWebhookSourceInput' });

export const RotateWebhookSecretInput = z
  .strictObject({
    overlapHours: z.int().min(0).max(168).default(24).meta({ description: 'how long the previous secret still verifies' }),
    secret: ownerSecret().optional(),
  })
  .meta({ id: 'RotateWebhookSecretInput' });

/** A vendor's subscription handshake on the webhook URL (Haravan: GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…). */
export const WebhookHandshakeQuery = z.strictObject({
  'hub.mode': z.string().max(32).optional().meta({ example: 'subscribe' }),
  'hub.verify_token': z.string().max(OWNER_KEY_MAX).optional().meta({ description: "the source's verify token" }),
  'hub.challenge': z.string().max(512).optional().meta({ description: 'answered back as text/plain' }),
});

export interface StoredSecret<Sealed> {
  sealed: Sealed;
  createdAt: string;
  /** set on the previous secret when rotated: it verifies until then */
  expiresAt?: string;
}

export interface WebhookSource<Sealed = unknown> {
  id: string;
  tenantId: string;
  name: string;
  kind: WebhookKind;
  secrets: StoredSecret<Sealed>[];
  /** the owner's verify token for the vendor's subscription handshake (haravan), sealed like the secrets */
  verifyToken?: Sealed;
  /** the vendor's REST API (woocommerce, kiotviet): where, and the credentials sealed */
  api?: { baseUrl: string; tokenUrl?: string; account?: string; key: Sealed; secret: Sealed };
  createdAt: string;
  createdBy: string;
  rotatedAt?: string;
  version: number;
}

export const WebhookSourceView = z
  .object({
    id: z.string(),
    tenantId: z.string(),
    name: z.string(),
    kind: z.enum(WEBHOOK_KINDS),
    createdAt: z.string(),
    createdBy: z.string(),
    rotatedAt: z.string().optional(),
    previousSecretExpiresAt: z.string().optional().meta({ description: 'when the latest previous secret stops verifying' }),
    activeSecrets: z.int().meta({ description: 'how many secrets verify now (1 to 3: the newest and those still inside their overlap)' }),
    version: z.int().meta({ description: 'send it as If-Match to rotate' }),
    secret: z.string().optional().meta({ description: 'only in the answer that created or rotated it' }),
    api: z
      .object({ baseUrl: z.string(), tokenUrl: z.string().optional(), account: z.string().optional() })
      .optional()
      .meta({ description: 'the vendor REST API the source reads details from (its credentials are never shown)' }),
    url: z.string(),
  })
  .meta({ id: 'WebhookSource' });

/** The secrets that verify at an instant: the newest always, the previous until its expiry. */
export function activeSecrets<S>(source: WebhookSource<S>, at: string): StoredSecret<S>[] {
  return source.secrets.filter((s) => !s.expiresAt || s.expiresAt > at);
}

/** The most secrets a source holds at once: the newest and up to two still inside their overlap. */
export const MAX_SOURCE_SECRETS = 3;

/**
 * Rotation: the new secret first; the current one kept for the overlap; older ones still inside
 * their own overlap kept as they were (never extended), up to MAX_SOURCE_SECRETS in all, so two
 * quick rotations never drop the secret an order system still signs with.
 */
export function rotate<S>(source: WebhookSource<S>, fresh: S, at: string, overlapUntil: string): WebhookSource<S> {
  const [current, ...older] = activeSecrets(source, at);
  const previous = current && overlapUntil > at ? [{ ...current, expiresAt: overlapUntil }] : [];
  const secrets = [{ sealed: fresh, createdAt: at }, ...previous, ...older].slice(0, MAX_SOURCE_SECRETS);
  return { ...source, secrets, rotatedAt: at, version: source.version + 1 };
}
