import { signCtv } from '../../../functions/webhooks/adapters/signatures';
import { apiExample } from '../../domain/orders/helpers';
import { request, type User } from './api';
import { suiteNowSeconds } from './clock';

/** The order event of API.md (apiExample), as a first revision without a REF ID, with overrides. */
export function orderEvent(overrides: Record<string, unknown> = {}) {
  const example = apiExample();
  return { ...example, revision: 1, attribution: { ...example.attribution, refId: null }, ...overrides };
}

/** One line of that event: its product, unit and category, another id, quantity and unit price. */
export function orderLine(lineId: string, quantity: number, unitPrice: number) {
  return { ...apiExample().lines[0]!, lineId, quantity, unitPrice };
}

export async function newSource(owner: User, base: string, kind = 'ctv') {
  const res = await owner.post(`${base}/webhook-sources`, { name: `Nguồn ${kind}`, kind });
  if (res.status !== 201) throw new Error(`webhook source: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; secret: string; url: string };
}

/** Deliver an event signed as an order system would (t = now on the suite clock unless given). */
export async function deliver(
  tenantId: string,
  source: { id: string; secret: string },
  event: unknown,
  options: { t?: number; secret?: string; raw?: string; headers?: Record<string, string> } = {},
) {
  const raw = options.raw ?? JSON.stringify(event);
  const t = options.t ?? suiteNowSeconds();
  return request('POST', `/v1/webhooks/${tenantId}/${source.id}/orders`, {
    body: raw,
    headers: { 'x-ctv-signature': signCtv(raw, options.secret ?? source.secret, t), ...options.headers },
  });
}
