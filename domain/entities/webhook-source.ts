import * as z from 'zod';
import { text } from '../text';

/** An order system that sends us signed webhooks; `kind` picks the payload adapter and signature scheme. */
export const WEBHOOK_KINDS = ['ctv', 'haravan', 'woocommerce'] as const;
export type WebhookKind = (typeof WEBHOOK_KINDS)[number];

export const CreateWebhookSourceInput = z
  .strictObject({
    name: text(100).meta({ example: 'Haravan cửa hàng chính' }),
    kind: z.enum(WEBHOOK_KINDS).default('ctv').meta({ description: 'ctv: our own event and X-Ctv-Signature' }),
  })
  .meta({ id: 'CreateWebhookSourceInput' });

export const RotateWebhookSecretInput = z
  .strictObject({
    overlapHours: z.int().min(0).max(168).default(24).meta({ description: 'how long the previous secret still verifies' }),
  })
  .meta({ id: 'RotateWebhookSecretInput' });

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
    previousSecretExpiresAt: z.string().optional(),
    secret: z.string().optional().meta({ description: 'only in the answer that created or rotated it' }),
    url: z.string(),
  })
  .meta({ id: 'WebhookSource' });

/** The secrets that verify at an instant: the newest always, the previous until its expiry. */
export function activeSecrets<S>(source: WebhookSource<S>, at: string): StoredSecret<S>[] {
  return source.secrets.filter((s) => !s.expiresAt || s.expiresAt > at);
}

/** Rotation: the new secret first, the previous one kept for the overlap, anything older dropped. */
export function rotate<S>(source: WebhookSource<S>, fresh: S, at: string, overlapUntil: string): WebhookSource<S> {
  const [current] = source.secrets;
  const previous = current && overlapUntil > at ? [{ ...current, expiresAt: overlapUntil }] : [];
  return { ...source, secrets: [{ sealed: fresh, createdAt: at }, ...previous], rotatedAt: at, version: source.version + 1 };
}
