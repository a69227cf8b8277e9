/**
 * Sapo webhooks over HTTP (VENDORS.md §2, docs/order-systems/sapo.md): the owner creates a `sapo`
 * source with the app's secret key; Sapo signs the exact bytes it sends (base64 HMAC-SHA256 in
 * X-Sapo-Hmac-Sha256) and names the topic in X-Sapo-Topic. One source kind serves Sapo Web and
 * Sapo Go / POS, told apart by the body. The bodies are the fixtures of
 * test/domain/orders/fixtures/sapo (see SOURCES.md there), dated in the week before the suite clock.
 */
import { answerText } from './support/http';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { signBase64Hmac } from '../../functions/webhooks/adapters/signatures';
import { newBusiness, request, unique, type User } from './support/api';

type Json = Record<string, any>;
const fixture = (name: string): Json =>
  JSON.parse(readFileSync(new URL(`../domain/orders/fixtures/sapo/${name}`, import.meta.url), 'utf8'));
const webOrder = (patch: Json = {}): Json => ({ ...fixture('web-order.json'), ...patch });
const webRefund = (): Json => fixture('web-refund.json');
const goOrder = (patch: Json = {}): Json => ({ ...fixture('go-order.json'), ...patch });

const WEB_ID = '1025371';
const GO_ID = '12345678';
const ms = (iso: string) => Date.parse(iso);
/** revisions are epoch ms × 10 + the state's rank: processing 0, approved 1, completed 2, returned 3, void 4 */
const revision = (iso: string, rank: number) => ms(iso) * 10 + rank;

const secretKey = () => `sapo-secret-${unique()}${unique()}`;

type Product = 'web' | 'go';
interface Delivery {
  topic: string;
  raw: string;
  secret: string;
  product: Product;
  /** the signature header as sent; the raw bytes signed with `secret` unless given */
  hmac?: string;
}

/** A delivery with the headers each product was seen to send (VENDORS.md §2, "Headers"). */
function deliver(tenantId: string, sourceId: string, d: Delivery) {
  const id = String((JSON.parse(d.raw) as Json).id ?? '');
  const product: Record<string, string> =
    d.product === 'go'
      ? { 'x-sapo-tenant-domain': 'cua-hang-thu.mysapogo.com', 'x-sapo-object-id': id, 'x-sapo-order-id': id, 'user-agent': 'JVM' }
      : { 'x-sapo-shop-domain': 'cua-hang-thu.mysapo.net' };
  return request('POST', `/v1/webhooks/${tenantId}/${sourceId}/orders`, {
    body: d.raw,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'x-sapo-topic': d.topic,
      'x-sapo-hmac-sha256': d.hmac ?? signBase64Hmac(d.raw, d.secret),
      ...product,
    },
  });
}

/** The orders Sapo knows by that id, as the owner sees them (none or one). */
async function storedOrders(owner: User, base: string, sourceId: string, externalId: string) {
  const res = await owner.get(`${base}/orders?${new URLSearchParams({ sourceId, externalId }).toString()}`);
  expect(res.status, res.text).toBe(200);
  return res.body.items as Json[];
}

async function sapoBusiness() {
  const b = await newBusiness('Cửa hàng Sapo');
  const secret = secretKey();
  const created = await b.owner.post(
    `${b.base}/webhook-sources`,
    { name: 'Sapo cửa hàng', kind: 'sapo', secret },
    { 'Idempotency-Key': unique('k-') },
  );
  expect(created.status, created.text).toBe(201);
  expect(created.body).not.toHaveProperty('secret');
  const sourceId = created.body.id as string;
  const send = (product: Product, topic: string, body: Json | string, extra: Partial<Delivery> = {}) =>
    deliver(b.tenantId, sourceId, { product, topic, raw: typeof body === 'string' ? body : JSON.stringify(body), secret, ...extra });
  const stored = async (externalId: string) => {
    const items = await storedOrders(b.owner, b.base, sourceId, externalId);
    expect(items, externalId).toHaveLength(1);
    return items[0]!;
  };
  return { ...b, secret, sourceId, send, stored };
}

const linesOf = (order: Json) =>
  order.lines.map((l: Json) => [l.lineId, l.productId, l.unit, l.quantity, l.unitPrice, l.discount, l.returnedQuantity, l.netRevenue]);

describe('Sapo webhooks', () => {
  it('a Sapo Web order, signed over its exact bytes, is stored with its lines and state; other keys and forgeries get 401', async () => {
    const b = await sapoBusiness();
    const raw = JSON.stringify(webOrder());
    const created = await b.send('web', 'orders/create', raw);
    expect(created.status, created.text).toBe(200);
    const rev = revision('2026-12-02T03:15:00Z', 1); // paid, not shipped: approved
    expect(created.body).toMatchObject({
      revision: rev,
      applied: true,
      orders: [{ orderId: created.body.orderId, revision: rev, applied: true }],
    });

    const order = await b.stored(WEB_ID);
    expect(order).toMatchObject({
      id: created.body.orderId,
      externalId: WEB_ID,
      sourceId: b.sourceId,
      state: 'approved',
      orderDiscount: 50_000, // total_discounts 70,000 − the line's 20,000
      shippingFee: 30_000,
      customer: { phone: '+84912345678', name: 'Trần Văn Bình' },
    });
    // line values 700,000 and 280,000 share the 50,000 by value: 35,714 and 14,286
    expect(linesOf(order)).toEqual([
      ['4660001', 'SERUM-30', 'cái', 2, 350_000, 0, 0, 664_286],
      ['4660002', 'CREAM-50', 'hũ', 1, 300_000, 20_000, 0, 265_714],
    ]);
    expect(order.netRevenue).toBe(930_000); // subtotal_price

    // a forged body under the original signature, another key, no signature: the same 401
    const forged = raw.replace('"price":"350000"', '"price":"35000"');
    expect(forged).not.toBe(raw);
    const refusals = [
      await b.send('web', 'orders/updated', forged, { hmac: signBase64Hmac(raw, b.secret) }),
      await b.send('web', 'orders/updated', raw, { secret: secretKey() }),
      await b.send('web', 'orders/updated', raw, { hmac: '' }),
    ];
    expect(refusals.map((r) => r.status)).toEqual([401, 401, 401]);
    expect(new Set(refusals.map(answerText)).size).toBe(1);
    expect((await b.stored(WEB_ID)).revision).toBe(rev);

    // the same bytes again (Sapo's retry) change nothing; a topic that is not an order carries none
    const again = await b.send('web', 'orders/create', raw);
    expect(again.status, again.text).toBe(200);
    expect(again.body).toMatchObject({ orderId: created.body.orderId, revision: rev, applied: false });
    const customer = await b.send('web', 'customers/update', { id: 207119551, phone: '+84912345678' });
    expect(customer.status, customer.text).toBe(200);
    expect(customer.body).toEqual({ orders: [] });
  });

  it('a Sapo Go order is stored with its lines, units and state; another key gets 401', async () => {
    const b = await sapoBusiness();
    const raw = JSON.stringify(goOrder());
    const finalized = await b.send('go', 'orders/finalized', raw);
    expect(finalized.status, finalized.text).toBe(200);
    expect(finalized.body).toMatchObject({ revision: revision('2026-12-02T03:20:00Z', 1), applied: true });

    const order = await b.stored(GO_ID);
    expect(order).toMatchObject({
      externalId: GO_ID,
      state: 'approved',
      orderDiscount: 50_000, // order_discount_amount
      shippingFee: 25_000, // delivery_fee
      customer: { phone: '+84987654321', name: 'Lê Thị Hoa' },
    });
    // line values 465,000 and 300,000 (V = 765,000) share the 50,000: 30,392 and 19,608
    expect(linesOf(order)).toEqual([
      ['111', 'TRA-XANH-500', 'hộp', 2, 250_000, 35_000, 0, 434_608],
      ['112', 'MAT-ONG-1L', 'cái', 1, 300_000, 0, 0, 280_392],
    ]);
    expect(order.netRevenue).toBe(715_000); // total 740,000 − delivery_fee 25,000

    const wrongKey = await b.send('go', 'orders/update', raw, { secret: secretKey() });
    expect(wrongKey.status).toBe(401);
    const forged = await b.send('go', 'orders/update', raw.replace('"delivery_fee":25000', '"delivery_fee":0'), {
      hmac: signBase64Hmac(raw, b.secret),
    });
    expect(forged.status).toBe(401);
    expect((await b.stored(GO_ID)).shippingFee).toBe(25_000);
  });

  it('orders/delete voids the Sapo Web order; the deletion of an order never received changes nothing', async () => {
    const b = await sapoBusiness();
    expect((await b.send('web', 'orders/create', webOrder())).status).toBe(200);
    const deleted = await b.send('web', 'orders/delete', { id: Number(WEB_ID) });
    expect(deleted.status, deleted.text).toBe(200);
    expect(deleted.body.orders).toHaveLength(1);
    const order = await b.stored(WEB_ID);
    expect(order.state).toBe('void');
    expect(order.voidedAt).toEqual(expect.any(String));
    expect(order.revision % 10).toBe(4); // the time we received it × 10 + 4
    expect(order.lines.map((l: Json) => l.lineId)).toEqual(['4660001', '4660002']); // content kept

    const unknown = await b.send('web', 'orders/delete', { id: 999001 });
    expect(unknown.status, unknown.text).toBe(200);
    expect(unknown.body).toEqual({ orders: [] });
    expect(await storedOrders(b.owner, b.base, b.sourceId, '999001')).toEqual([]);
  });

  it('refunds/create returns units line by line, once; the order update that lists the refund agrees', async () => {
    const b = await sapoBusiness();
    const shipped = webOrder({ modified_on: '2026-12-04T08:00:00Z', fulfillment_status: 'fulfilled' });
    expect((await b.send('web', 'orders/fulfilled', shipped)).status).toBe(200);
    expect((await b.stored(WEB_ID)).state).toBe('completed');

    const refunded = await b.send('web', 'refunds/create', webRefund());
    expect(refunded.status, refunded.text).toBe(200);
    const refundRevision = revision('2026-12-06T04:00:00Z', 3); // created_on × 10 + 3
    expect(refunded.body).toMatchObject({ revision: refundRevision, applied: true });
    const after = await b.stored(WEB_ID);
    expect(after.state).toBe('returned');
    // 1 of the 2 serums came back: R 664,286 × 1/2 = 332,143; the cream is kept (265,714)
    expect(after.lines.map((l: Json) => [l.lineId, l.returnedQuantity, l.netRevenue])).toEqual([
      ['4660001', 1, 332_143],
      ['4660002', 0, 265_714],
    ]);
    expect(after.netRevenue).toBe(597_857);

    // Sapo's retry of the refund changes nothing
    const retry = await b.send('web', 'refunds/create', webRefund());
    expect(retry.status, retry.text).toBe(200);
    expect(retry.body).toEqual({ orders: [] });

    // the order stamped when the refund was made, listing it: the same revision, nothing new
    const updated = await b.send(
      'web',
      'orders/updated',
      webOrder({
        modified_on: '2026-12-06T04:00:00Z',
        fulfillment_status: 'fulfilled',
        financial_status: 'partially_refunded',
        refunds: [webRefund()],
      }),
    );
    expect(updated.status, updated.text).toBe(200);
    expect(updated.body).toMatchObject({ revision: refundRevision, applied: false });
    expect((await b.stored(WEB_ID)).lines.map((l: Json) => l.returnedQuantity)).toEqual([1, 0]);
  });

  it("the same order's deliveries in any order end at the newest state", async () => {
    // Sapo Go: created as a draft, finalized, then completed two days later
    const go: Record<string, [string, Json]> = {
      draft: ['orders/create', goOrder({ status: 'draft', modified_on: '2026-12-02T02:40:00Z', finalized_on: null })],
      finalized: ['orders/finalized', goOrder()],
      completed: [
        'orders/update',
        goOrder({ status: 'completed', modified_on: '2026-12-04T08:00:00Z', completed_on: '2026-12-04T08:00:00Z' }),
      ],
    };
    const newest = revision('2026-12-04T08:00:00Z', 2);
    for (const order of [
      ['completed', 'draft', 'finalized'],
      ['finalized', 'completed', 'draft'],
      ['draft', 'completed', 'finalized'],
    ]) {
      const b = await sapoBusiness();
      const answers = [];
      for (const name of order) {
        const [topic, body] = go[name]!;
        const res = await b.send('go', topic, body);
        expect(res.status, `${order.join(' → ')}: ${res.text}`).toBe(200);
        answers.push(res.body);
      }
      expect(answers.at(-1)!.revision, order.join(' → ')).toBe(newest);
      const stored = await b.stored(GO_ID);
      expect([stored.state, stored.revision], order.join(' → ')).toEqual(['completed', newest]);
      expect(ms(stored.completedAt)).toBe(ms('2026-12-04T08:00:00Z'));
    }

    // Sapo Web: orders/paid stamped with the same second as orders/create still wins, either way round
    for (const first of ['paid', 'create'] as const) {
      const b = await sapoBusiness();
      const create = webOrder({ financial_status: 'pending' });
      const paid = webOrder();
      const sequence: [string, Json][] =
        first === 'paid'
          ? [
              ['orders/paid', paid],
              ['orders/create', create],
            ]
          : [
              ['orders/create', create],
              ['orders/paid', paid],
            ];
      for (const [topic, body] of sequence) expect((await b.send('web', topic, body)).status).toBe(200);
      const stored = await b.stored(WEB_ID);
      expect([stored.state, stored.revision], first).toEqual(['approved', revision('2026-12-02T03:15:00Z', 1)]);
    }
  });

  it('a status, payment state or return it cannot map is parked (202) naming the field, and nothing is stored', async () => {
    const b = await sapoBusiness();
    const cases: [Product, string, Json, string][] = [
      ['go', 'orders/update', goOrder({ status: 'pending_approval' }), 'status'],
      ['go', 'orders/create_return', goOrder({ modified_on: '2026-12-05T02:00:00Z' }), 'order_returns'],
      ['go', 'orders/update', goOrder({ return_status: 'returned', modified_on: '2026-12-05T03:00:00Z' }), 'return_status'],
      ['web', 'orders/updated', webOrder({ financial_status: 'chargeback' }), 'financial_status'],
      ['web', 'orders/create', webOrder({ currency: 'USD' }), 'currency'],
    ];
    const parked: string[] = [];
    for (const [product, topic, body, field] of cases) {
      const res = await b.send(product, topic, body);
      expect(res.status, `${topic} ${field}: ${res.text}`).toBe(202);
      expect(res.body).toMatchObject({ status: 'parked', deliveryId: expect.any(String) });
      expect(
        res.body.errors.map((e: Json) => e.path),
        field,
      ).toContain(field);
      parked.push(res.body.deliveryId);
    }
    expect(await storedOrders(b.owner, b.base, b.sourceId, GO_ID)).toEqual([]);
    expect(await storedOrders(b.owner, b.base, b.sourceId, WEB_ID)).toEqual([]);
    const listed = await b.owner.get(`${b.base}/webhook-deliveries?status=parked`);
    expect(listed.status, listed.text).toBe(200);
    expect(listed.body.items.map((d: Json) => d.id).sort()).toEqual([...parked].sort());

    // a cancelled Sapo Go order is taken whatever its return: it earns nothing anyway
    const cancelled = await b.send(
      'go',
      'orders/cancelled',
      goOrder({ status: 'cancelled', return_status: 'returned', modified_on: '2026-12-05T04:00:00Z' }),
    );
    expect(cancelled.status, cancelled.text).toBe(200);
    expect((await b.stored(GO_ID)).state).toBe('void');
  });
});
