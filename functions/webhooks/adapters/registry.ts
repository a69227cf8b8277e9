import type { WebhookKind } from '../../../domain/entities/webhook-source';
import type { WebhookAdapter } from './adapter';
import { ctv } from './ctv';
import { haravan } from './haravan';
import { kiotviet } from './kiotviet';
import { nhanh } from './nhanh';
import { pancake } from './pancake';
import { sapo } from './sapo';
import { shopify } from './shopify';
import { woocommerce } from './woocommerce';

export type { WebhookAdapter } from './adapter';

/** The webhook adapters, one per source kind (what each is: ./adapter.ts). */
export const WEBHOOK_ADAPTERS: Readonly<Record<WebhookKind, WebhookAdapter>> = {
  ctv,
  haravan,
  sapo,
  kiotviet,
  nhanh,
  pancake,
  shopify,
  woocommerce,
};

export function adapterFor(kind: WebhookKind): WebhookAdapter {
  const adapter = WEBHOOK_ADAPTERS[kind];
  if (!adapter) throw new Error(`no webhook adapter for kind ${String(kind)}`);
  return adapter;
}
