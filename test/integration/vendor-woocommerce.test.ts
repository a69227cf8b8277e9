/**
 * WooCommerce over HTTP (VENDORS.md §7; docs/order-systems/woocommerce.md): the documented order
 * (test/domain/orders/fixtures/woocommerce-order.json), signed as WooCommerce signs it; order.deleted;
 * partial refunds, whose units only the REST API knows (a local fake answering the documented
 * `GET /wc/v3/orders/<id>/refunds` example); deliveries of one order in any order.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signBase64Hmac } from '../../functions/webhooks/adapters/signatures';
import { newBusiness, request, unique, type User } from './support/api';
import { startFakeVendor, type FakeVendor } from './support/fake-vendor';

type Json = Record<string, any>;
const documented = JSON.parse(readFileSync(new URL('../domain/orders/fixtures/woocommerce-order.json', import.meta.url), 'utf8')) as Json;
const wooOrder = (patch: (o: Json) => void = () => {}): Json => {
  const o = structuredClone(documented);
  patch(o);
  return o;
};

/**
 * The refunds of order 727 as the REST API lists them: the documented example of "List all
 * refunds" (woocommerce-rest-api-docs, source/includes/wp-api-v3/_order-refunds.md @ 03ae8505),
 * in đồng and naming our fixture's line 315 (one of its two units came back).
 */
const refundsOf727 = [
  {
    id: 726,
    date_created_gmt: '2026-11-06T20:07:11',
    amount: '10000.00',
    reason: '',
    refunded_by: 1,
    refunded_payment: false,
    meta_data: [],
    line_items: [],
  },
  {
    id: 724,
    date_created_gmt: '2026-11-06T19:55:37',
    amount: '332500.00',
    reason: '',
    refunded_by: 1,
    refunded_payment: false,
    meta_data: [],
    line_items: [
      {
        id: 314,
        name: 'Serum dưỡng da 30ml',
        product_id: 93,
        variation_id: 0,
        quantity: -1,
        tax_class: '',
        subtotal: '-332500.00',
        subtotal_tax: '0.00',
        total: '-332500.00',
        total_tax: '0.00',
        taxes: [],
        meta_data: [{ id: 2076, key: '_refunded_item_id', value: '315' }],
        sku: 'SERUM-30',
        price: -332500,
      },
    ],
  },
];

let fake: FakeVendor;
beforeAll(async () => {
  fake = await startFakeVendor();
  fake.answer('GET /wp-json/wc/v3/orders/727/refunds', 200, refundsOf727);
});
afterAll(() => fake.close());

async function wooSource(owner: User, base: string, api?: Json) {
  const secret = `wc-secret-${unique()}`;
  const res = await owner.post(`${base}/webhook-sources`, { name: 'WooCommerce', kind: 'woocommerce', secret, ...(api ? { api } : {}) });
  expect(res.status, res.text).toBe(201);
  return { id: res.body.id as string, secret, view: res.body };
}

function deliverWoo(
  tenantId: string,
  source: { id: string; secret: string },
  payload: Json,
  topic = 'order.updated',
  secret = source.secret,
) {
  const raw = JSON.stringify(payload);
  return request('POST', `/v1/webhooks/${tenantId}/${source.id}/orders`, {
    body: raw,
    headers: {
      'x-wc-webhook-topic': topic,
      'x-wc-webhook-signature': signBase64Hmac(raw, secret),
      'x-wc-webhook-delivery-id': unique('wc-'),
    },
  });
}

const orderOf = async (owner: User, base: string, sourceId: string, externalId = '727') => {
  const res = await owner.get(`${base}/orders?sourceId=${sourceId}&externalId=${externalId}`);
  expect(res.status, res.text).toBe(200);
  return res.body.items[0] as Json | undefined;
};

/** WooCommerce's revision rule, worked by hand: modified seconds × 10 + the state's rank (processing 1 … void 5). */
const rev = (gmt: string, rank: number) => (Date.parse(`${gmt}Z`) / 1000) * 10 + rank;

describe('WooCommerce', () => {
  it('order.deleted voids the stored order; an older update delivered after it changes nothing', async () => {
    const { owner, base, tenantId } = await newBusiness();
    const source = await wooSource(owner, base);
    const taken = await deliverWoo(tenantId, source, wooOrder());
    expect(taken.status, taken.text).toBe(200);
    expect((await orderOf(owner, base, source.id))!.state).toBe('approved');

    const deleted = await deliverWoo(tenantId, source, { id: 727 }, 'order.deleted');
    expect(deleted.status, deleted.text).toBe(200);
    expect(deleted.body.orders).toEqual([{ orderId: taken.body.orderId, revision: expect.any(Number), applied: true }]);
    const voided = (await orderOf(owner, base, source.id))!;
    expect(voided.state).toBe('void');
    expect(voided.lines.map((l: Json) => [l.lineId, l.quantity])).toEqual([
      ['315', 2],
      ['316', 1],
    ]); // the content stays, voided

    // the update the shop made before deleting, arriving late, is older than the deletion
    const late = await deliverWoo(tenantId, source, wooOrder());
    expect(late.status).toBe(200);
    expect(late.body).toMatchObject({ applied: false });
    expect((await orderOf(owner, base, source.id))!.state).toBe('void');

    // a deletion of an order never received changes nothing, and says so
    const unknown = await deliverWoo(tenantId, source, { id: 999_001 }, 'order.deleted');
    expect(unknown.status).toBe(200);
    expect(unknown.body).toEqual({ orders: [] });
    expect(await orderOf(owner, base, source.id, '999001')).toBeUndefined();
  });

  it('topics that are not about orders are acknowledged and change nothing', async () => {
    const { owner, base, tenantId } = await newBusiness();
    const source = await wooSource(owner, base);
    const res = await deliverWoo(tenantId, source, { id: 93, name: 'Serum dưỡng da 30ml', price: '350000' }, 'product.updated');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ orders: [] });
  });

  it('a partial refund is parked without API credentials, and placed line by line with them', async () => {
    const { owner, base, tenantId } = await newBusiness();
    const refunded = wooOrder((o) => {
      o.status = 'completed';
      o.date_modified_gmt = '2026-11-06T20:07:11';
      o.refunds = [
        { id: 726, reason: '', total: '-10000.00' },
        { id: 724, reason: '', total: '-332500.00' },
      ];
    });

    const bare = await wooSource(owner, base);
    const parked = await deliverWoo(tenantId, bare, refunded);
    expect(parked.status, parked.text).toBe(202);
    expect(parked.body).toMatchObject({
      status: 'parked',
      errors: [{ path: 'refunds', message: expect.stringContaining('API credentials') }],
    });

    const key = `ck_${unique()}`;
    const secret = `cs_${unique()}`;
    const withApi = await wooSource(owner, base, { baseUrl: fake.baseUrl, key, secret });
    expect(withApi.view.api).toEqual({ baseUrl: fake.baseUrl });
    expect(JSON.stringify(withApi.view)).not.toContain(secret);
    const before = fake.requests.length;
    const placed = await deliverWoo(tenantId, withApi, refunded);
    expect(placed.status, placed.text).toBe(200);
    const call = fake.requests.slice(before).find((r) => r.path.startsWith('/wp-json/wc/v3/orders/727/refunds'));
    expect(call?.headers.authorization).toBe(`Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`);

    const order = (await orderOf(owner, base, withApi.id))!;
    expect(order.state).toBe('returned');
    expect(order.revision).toBe(rev('2026-11-06T20:07:11', 4));
    // refund 724 gave back one of line 315's two units; refund 726 was money only
    expect(order.lines.map((l: Json) => [l.lineId, l.returnedQuantity])).toEqual([
      ['315', 1],
      ['316', 0],
    ]);
  });

  it("one order's deliveries in any order end at the newest", async () => {
    const { owner, base, tenantId } = await newBusiness();
    const steps: Json[] = [
      wooOrder((o) => Object.assign(o, { status: 'pending', date_modified_gmt: '2026-11-03T03:10:00' })),
      wooOrder(), // processing, 03:15:00
      wooOrder((o) => Object.assign(o, { status: 'completed', date_modified_gmt: '2026-11-05T02:00:00' })),
      wooOrder((o) =>
        Object.assign(o, {
          status: 'completed',
          date_modified_gmt: '2026-11-06T20:07:11',
          refunds: [{ id: 724, reason: '', total: '-332500.00' }],
        }),
      ),
    ];
    const orders = [
      [3, 1, 0, 2],
      [2, 3, 1, 0],
    ];
    const ends: Json[] = [];
    for (const order of orders) {
      const source = await wooSource(owner, base, { baseUrl: fake.baseUrl, key: `ck_${unique()}`, secret: `cs_${unique()}` });
      for (const i of order) expect((await deliverWoo(tenantId, source, steps[i]!)).status).toBe(200);
      const end = (await orderOf(owner, base, source.id))!;
      ends.push({
        state: end.state,
        revision: end.revision,
        lines: end.lines,
        approvedAt: end.approvedAt,
        completedAt: end.completedAt,
        createdAt: end.createdAt,
      });
    }
    expect(ends[0]).toEqual(ends[1]);
    expect(ends[0]).toMatchObject({
      state: 'returned',
      revision: rev('2026-11-06T20:07:11', 4),
      createdAt: '2026-11-03T03:10:00Z',
      approvedAt: '2026-11-03T03:15:00Z',
      completedAt: '2026-11-05T02:00:00Z',
    });
  });

  it('an order in another currency is parked with that reason, not priced', async () => {
    const { owner, base, tenantId } = await newBusiness();
    const source = await wooSource(owner, base);
    const res = await deliverWoo(
      tenantId,
      source,
      wooOrder((o) => (o.currency = 'USD')),
    );
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: 'parked', errors: [{ path: 'currency' }] });
    expect(await orderOf(owner, base, source.id)).toBeUndefined();
  });

  it('API credentials are refused for a kind that reads no REST API, naming the field', async () => {
    const { owner, base } = await newBusiness();
    const res = await owner.post(`${base}/webhook-sources`, {
      name: 'Haravan',
      kind: 'haravan',
      api: { baseUrl: fake.baseUrl, key: 'key-123456', secret: 'secret-123456' },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'api' })]);
  });
});
