/**
 * Shopify webhooks over HTTP (VENDORS.md §6, docs/order-systems/shopify.md): the owner creates a
 * `shopify` source with the app's client secret; Shopify signs the exact bytes it sends
 * (base64 HMAC-SHA256 in X-Shopify-Hmac-Sha256) and names the topic in X-Shopify-Topic. The bodies
 * are the SDK fixtures of test/domain/orders/fixtures/shopify (see SOURCES.md there), dated in the
 * week before the suite clock so that they fall in the orders' default date range.
 */
import { answerText } from './support/http';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { signBase64Hmac } from '../../functions/webhooks/adapters/signatures';
import { newBusiness, request, unique, type User } from './support/api';

type Json = Record<string, any>;
const fixture = (name: string): Json =>
  JSON.parse(readFileSync(new URL(`../domain/orders/fixtures/shopify/${name}`, import.meta.url), 'utf8'));

const EXTERNAL_ID = '450789469';
// fixed instants before SUITE_START (2026-12-09T10:00+07:00); Shopify writes the shop's offset
const CREATED_AT = '2026-12-08T09:00:00+07:00';
const FULFILLED_AT = '2026-12-08T11:30:00+07:00';
const REFUNDED_AT = '2026-12-08T15:00:00+07:00';
const ms = (iso: string) => Date.parse(iso);

/** The SDK order, as orders/create sends it on that day (authorized, nothing shipped), with changes. */
const shopifyOrder = (patch: Partial<Json> = {}): Json => ({
  ...fixture('order.json'),
  created_at: CREATED_AT,
  updated_at: CREATED_AT,
  ...patch,
});
const shopifyRefund = (): Json => ({ ...fixture('refund.json'), created_at: REFUNDED_AT });

const clientSecret = () => `shpss_${unique()}${unique()}${unique()}`;

async function shopifySource(owner: User, base: string, secret: string): Promise<string> {
  const res = await owner.post(
    `${base}/webhook-sources`,
    { name: 'Shopify cửa hàng', kind: 'shopify', secret },
    { 'Idempotency-Key': unique('k-') },
  );
  expect(res.status, res.text).toBe(201);
  expect(res.body).not.toHaveProperty('secret');
  return res.body.id as string;
}

interface Delivery {
  topic: string;
  raw: string;
  secret: string;
  /** the signature header as sent; the raw bytes signed with `secret` unless given */
  hmac?: string;
  /** X-Shopify-Webhook-Id: a retry sends the same one */
  webhookId?: string;
}

/** A delivery with the headers Shopify sends (VENDORS.md §6, "Headers"). */
function deliver(tenantId: string, sourceId: string, d: Delivery) {
  return request('POST', `/v1/webhooks/${tenantId}/${sourceId}/orders`, {
    body: d.raw,
    headers: {
      'content-type': 'application/json',
      'x-shopify-topic': d.topic,
      'x-shopify-hmac-sha256': d.hmac ?? signBase64Hmac(d.raw, d.secret),
      'x-shopify-shop-domain': 'cua-hang-thu.myshopify.com',
      'x-shopify-api-version': '2025-07',
      'x-shopify-webhook-id': d.webhookId ?? randomUUID(),
    },
  });
}

/** The order Shopify knows by its id, as the owner sees it. */
async function storedOrder(owner: User, base: string, sourceId: string, externalId = EXTERNAL_ID) {
  const res = await owner.get(`${base}/orders?${new URLSearchParams({ sourceId, externalId }).toString()}`);
  expect(res.status, res.text).toBe(200);
  return res.body.items as Json[];
}

async function shopifyBusiness() {
  const b = await newBusiness('Cửa hàng Shopify');
  const secret = clientSecret();
  const sourceId = await shopifySource(b.owner, b.base, secret);
  const send = (topic: string, body: Json | string, extra: Partial<Delivery> = {}) =>
    deliver(b.tenantId, sourceId, { topic, raw: typeof body === 'string' ? body : JSON.stringify(body), secret, ...extra });
  const stored = async () => {
    const items = await storedOrder(b.owner, b.base, sourceId);
    expect(items).toHaveLength(1);
    return items[0]!;
  };
  return { ...b, secret, sourceId, send, stored };
}

describe('Shopify webhooks', () => {
  it("verifies Shopify's signature on the exact bytes and stores the order's lines and state", async () => {
    const b = await shopifyBusiness();
    const raw = JSON.stringify(shopifyOrder());
    const created = await b.send('orders/create', raw);
    expect(created.status, created.text).toBe(200);
    // processing (authorized, nothing shipped): rank 0 on updated_at × 10
    expect(created.body).toMatchObject({
      revision: ms(CREATED_AT) * 10,
      applied: true,
      orders: [{ orderId: created.body.orderId, revision: ms(CREATED_AT) * 10, applied: true }],
    });

    const order = await b.stored();
    expect(order).toMatchObject({
      id: created.body.orderId,
      externalId: EXTERNAL_ID,
      sourceId: b.sourceId,
      state: 'processing',
      orderDiscount: 0, // the TENOFF code is on the lines (discount_allocations)
      shippingFee: 30_000,
      customer: { phone: '+84912345678', name: 'Bob Norman' },
    });
    // R = 350,000 − the line's share of the 50,000 code: 333,332 + 333,334 + 333,334 = 1,000,000 (Shopify's subtotal_price)
    expect(
      order.lines.map((l: Json) => [l.lineId, l.productId, l.quantity, l.unitPrice, l.discount, l.returnedQuantity, l.netRevenue]),
    ).toEqual([
      ['466157049', 'IPOD2008GREEN', 1, 350_000, 16_668, 0, 333_332],
      ['518995019', 'IPOD2008RED', 1, 350_000, 16_666, 0, 333_334],
      ['703073504', 'IPOD2008BLACK', 1, 350_000, 16_666, 0, 333_334],
    ]);
    expect(order.netRevenue).toBe(1_000_000);

    // a forged body under the original signature, another key, no signature: the same 401
    const forged = raw.replace('"price":"350000.00"', '"price":"35000.00"');
    expect(forged).not.toBe(raw);
    const refusals = [
      await b.send('orders/updated', forged, { hmac: signBase64Hmac(raw, b.secret) }),
      await b.send('orders/updated', raw, { secret: clientSecret() }),
      await b.send('orders/updated', raw, { hmac: '' }),
    ];
    expect(refusals.map((r) => r.status)).toEqual([401, 401, 401]);
    expect(new Set(refusals.map(answerText)).size).toBe(1);
    expect((await b.stored()).revision).toBe(ms(CREATED_AT) * 10);

    // a topic we do not use is acknowledged and changes nothing
    const other = await b.send('products/update', { id: 632910392, title: 'IPod Nano - 8gb' });
    expect(other.status, other.text).toBe(200);
    expect(other.body).toEqual({ orders: [] });
    // so is Shopify's order_edit body: the edited order follows as orders/updated
    const edited = await b.send('orders/edited', fixture('order-edited.json'));
    expect(edited.status, edited.text).toBe(200);
    expect(edited.body).toEqual({ orders: [] });
  });

  it('refunds/create returns units line by line, once', async () => {
    const b = await shopifyBusiness();
    const shipped = shopifyOrder({ updated_at: FULFILLED_AT, financial_status: 'paid', fulfillment_status: 'fulfilled' });
    expect((await b.send('orders/fulfilled', shipped)).status).toBe(200);
    expect((await b.stored()).state).toBe('completed');

    const webhookId = randomUUID();
    const refunded = await b.send('refunds/create', shopifyRefund(), { webhookId });
    expect(refunded.status, refunded.text).toBe(200);
    // the refund's created_at × 10 + 3 (returned)
    expect(refunded.body).toMatchObject({ revision: ms(REFUNDED_AT) * 10 + 3, applied: true });
    const after = await b.stored();
    expect(after.state).toBe('returned');
    // one black and one green unit came back; the red one is kept: R 333,334
    expect(after.lines.map((l: Json) => [l.lineId, l.returnedQuantity, l.netRevenue])).toEqual([
      ['466157049', 1, 0],
      ['518995019', 0, 333_334],
      ['703073504', 1, 0],
    ]);
    expect(after.netRevenue).toBe(333_334);

    // Shopify's retry (the same X-Shopify-Webhook-Id) and the same refund under a new id change nothing
    for (const repeat of [
      await b.send('refunds/create', shopifyRefund(), { webhookId }),
      await b.send('refunds/create', shopifyRefund()),
    ]) {
      expect(repeat.status, repeat.text).toBe(200);
      expect(repeat.body).toEqual({ orders: [] });
    }
    const again = await b.stored();
    expect([again.revision, again.lines.map((l: Json) => l.returnedQuantity)]).toEqual([ms(REFUNDED_AT) * 10 + 3, [1, 0, 1]]);

    // the order update that follows, carrying the refund, agrees with it
    const updated = await b.send(
      'orders/updated',
      shopifyOrder({
        updated_at: REFUNDED_AT,
        financial_status: 'partially_refunded',
        fulfillment_status: 'fulfilled',
        refunds: [shopifyRefund()],
      }),
    );
    expect(updated.status, updated.text).toBe(200);
    expect(updated.body).toMatchObject({ revision: ms(REFUNDED_AT) * 10 + 3, applied: false });
    expect((await b.stored()).lines.map((l: Json) => l.returnedQuantity)).toEqual([1, 0, 1]);
  });

  it('orders/delete voids the order', async () => {
    const b = await shopifyBusiness();
    expect((await b.send('orders/create', shopifyOrder())).status).toBe(200);
    const deleted = await b.send('orders/delete', fixture('order-deleted.json'));
    expect(deleted.status, deleted.text).toBe(200);
    expect(deleted.body.orders).toHaveLength(1);
    const order = await b.stored();
    expect(order.state).toBe('void');
    expect(order.voidedAt).toEqual(expect.any(String));
    // the content is kept as it was
    expect(order.lines.map((l: Json) => l.lineId)).toEqual(['466157049', '518995019', '703073504']);

    // the deletion of an order we never had changes nothing
    const unknown = await b.send('orders/delete', { id: 1234567 });
    expect(unknown.status, unknown.text).toBe(200);
    expect(unknown.body).toEqual({ orders: [] });
    expect(await storedOrder(b.owner, b.base, b.sourceId, '1234567')).toEqual([]);
  });

  it("the same order's deliveries in any order end at the newest state", async () => {
    // checkout: orders/create and orders/paid carry the same updated_at; orders/fulfilled comes later
    const create = shopifyOrder();
    const paid = shopifyOrder({ financial_status: 'paid' });
    const fulfilled = shopifyOrder({ updated_at: FULFILLED_AT, financial_status: 'paid', fulfillment_status: 'fulfilled' });
    const deliveries: Record<string, [string, Json]> = {
      create: ['orders/create', create],
      paid: ['orders/paid', paid],
      fulfilled: ['orders/fulfilled', fulfilled],
    };
    const newest = ms(FULFILLED_AT) * 10 + 2; // completed
    for (const order of [
      ['fulfilled', 'create', 'paid'],
      ['paid', 'fulfilled', 'create'],
      ['create', 'fulfilled', 'paid'],
    ]) {
      const b = await shopifyBusiness();
      const answers = [];
      for (const name of order) {
        const [topic, body] = deliveries[name]!;
        const res = await b.send(topic, body);
        expect(res.status, `${order.join(' → ')}: ${res.text}`).toBe(200);
        answers.push(res.body);
      }
      // every answer reports the newest revision the order holds after it
      expect(answers.at(-1)!.revision, order.join(' → ')).toBe(newest);
      const stored = await b.stored();
      expect([stored.state, stored.revision], order.join(' → ')).toEqual(['completed', newest]);
      // paid, then shipped: approved at the payment (updated_at of orders/paid), completed at shipping
      expect(ms(stored.approvedAt), order.join(' → ')).toBe(ms(CREATED_AT));
      expect(ms(stored.completedAt)).toBe(ms(FULFILLED_AT));
    }
  });

  it('an order in another currency is parked (202) naming the currency, and nothing is stored', async () => {
    const b = await shopifyBusiness();
    const res = await b.send('orders/create', shopifyOrder({ currency: 'USD', presentment_currency: 'USD' }));
    expect(res.status, res.text).toBe(202);
    expect(res.body).toMatchObject({ status: 'parked', deliveryId: expect.any(String) });
    expect(res.body.errors.map((e: Json) => e.path)).toContain('currency');
    expect(await storedOrder(b.owner, b.base, b.sourceId)).toEqual([]);
  });
});
