import { signCtv } from '../../../functions/webhooks/adapters/signatures';
import { request, type User } from './api';
import { suiteNowSeconds } from './clock';

/** An order event as API.md shows it, with overrides. */
export function orderEvent(overrides: Record<string, unknown> = {}) {
  return {
    externalId: 'HD-10293',
    revision: 1,
    state: 'approved',
    occurredAt: '2026-11-03T10:15:00+07:00',
    customer: { phone: '0912345678', name: 'Trần Văn Bình' },
    lines: [
      {
        lineId: '1',
        productId: 'SERUM-30',
        unit: 'chai',
        category: 'serum',
        quantity: 2,
        unitPrice: 350000,
        discount: 0,
        addOn: false,
        returnedQuantity: 0,
      },
    ],
    orderDiscount: 50000,
    shippingFee: 30000,
    attribution: { collaboratorId: null, refId: null, couponCode: null, opportunityId: null },
    sellerId: null,
    ...overrides,
  };
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
