/**
 * Nhanh.vn and Pancake POS webhooks over HTTP (VENDORS.md §4–5; docs/order-systems/nhanh.md and
 * pancake.md). Neither signs: the owner creates a `nhanh` source whose secret is the verify token
 * set in Nhanh (sent in the verifyToken header or the body's webhooksVerifyToken), or a `pancake`
 * source whose secret is the value of the X-Ctv-Token request header set in Pancake. The bodies are
 * the fixtures of test/domain/orders/fixtures/nhanh and pancake (see SOURCES.md there), dated the
 * day before the suite clock.
 */
import { answerText } from './support/http';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { newBusiness, request, unique, type User } from './support/api';
import { tenantItems } from './support/servers';

type Json = Record<string, any>;
const fixture = (dir: 'nhanh' | 'pancake', name: string): Json =>
  JSON.parse(readFileSync(new URL(`../domain/orders/fixtures/${dir}/${name}`, import.meta.url), 'utf8'));

// fixed instants the day before SUITE_START (2026-12-09T10:00+07:00)
const seconds = (iso: string) => Date.parse(iso) / 1000;
const NEW_AT = seconds('2026-12-08T09:00:00+07:00');
const CONFIRMED_AT = seconds('2026-12-08T09:30:00+07:00');
const SUCCESS_AT = seconds('2026-12-08T16:00:00+07:00');
const RETURNED_AT = seconds('2026-12-08T18:00:00+07:00');

const ownerToken = (prefix: string) => `${prefix}${unique()}${unique()}`;
const webhookPath = (tenantId: string, sourceId: string) => `/v1/webhooks/${tenantId}/${sourceId}/orders`;
const deliver = (tenantId: string, sourceId: string, body: Json | string, headers: Record<string, string> = {}) =>
  request('POST', webhookPath(tenantId, sourceId), {
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...headers },
  });

async function source(owner: User, base: string, kind: 'nhanh' | 'pancake', secret: string): Promise<string> {
  const res = await owner.post(`${base}/webhook-sources`, { name: `Nguồn ${kind}`, kind, secret }, { 'Idempotency-Key': unique('k-') });
  expect(res.status, res.text).toBe(201);
  expect(res.body).not.toHaveProperty('secret');
  return res.body.id as string;
}

/** The order the order system knows by `externalId`, as the owner sees it. */
async function storedOrder(owner: User, base: string, sourceId: string, externalId: string): Promise<Json> {
  const res = await owner.get(`${base}/orders?${new URLSearchParams({ sourceId, externalId }).toString()}`);
  expect(res.status, res.text).toBe(200);
  expect(res.body.items, `order ${externalId}`).toHaveLength(1);
  return res.body.items[0] as Json;
}

const lineFacts = (order: Json) =>
  (order.lines as Json[]).map((l) => ({
    lineId: l.lineId,
    productId: l.productId,
    quantity: l.quantity,
    unitPrice: l.unitPrice,
    discount: l.discount,
    returnedQuantity: l.returnedQuantity,
  }));

/** The v3 order of the fixture, as Nhanh sends it at `updatedAt` with `status`. */
const nhanhV3 = (status: string, updatedAt: number, patch: (o: Json) => void = () => {}): Json => {
  const o = fixture('nhanh', 'order-add-v3.json');
  o.event = status === 'New' ? 'orderAdd' : 'orderUpdate';
  o.data.info.status = status;
  o.data.info.createdAt = NEW_AT;
  o.data.info.updatedAt = updatedAt;
  patch(o);
  return o;
};

async function nhanhBusiness() {
  const b = await newBusiness('Cửa hàng Nhanh.vn');
  const token = ownerToken('nhanh-verify-');
  const sourceId = await source(b.owner, b.base, 'nhanh', token);
  const send = (body: Json | string, headers: Record<string, string> = { verifyToken: token }) =>
    deliver(b.tenantId, sourceId, body, headers);
  const stored = (externalId: string) => storedOrder(b.owner, b.base, sourceId, externalId);
  return { ...b, token, sourceId, send, stored };
}

describe('Nhanh.vn webhooks', () => {
  it('takes the verify token from the header or the body, refuses any other, and maps the order line by line', async () => {
    const n = await nhanhBusiness();

    // v3, the token in the verifyToken header (Nhanh's general webhook page)
    const v3 = await n.send(nhanhV3('Confirmed', CONFIRMED_AT));
    expect(v3.status, v3.text).toBe(200);
    expect(v3.body).toMatchObject({
      revision: CONFIRMED_AT * 10 + 2,
      applied: true,
      orders: [{ orderId: v3.body.orderId, applied: true }],
    });
    const order = await n.stored('125123098');
    expect(order).toMatchObject({
      id: v3.body.orderId,
      state: 'approved',
      revision: CONFIRMED_AT * 10 + 2,
      customer: { phone: '+84912345678', name: 'Lê Thị Hoa' },
      orderDiscount: 0,
      shippingFee: 30_000,
    });
    expect(lineFacts(order)).toEqual([
      // 9,000 off each of 2 units
      { lineId: '1231264453', productId: '1231264453', quantity: 2, unitPrice: 189_000, discount: 18_000, returnedQuantity: 0 },
      { lineId: '1231253490', productId: '1231253490', quantity: 1, unitPrice: 109_000, discount: 0, returnedQuantity: 0 },
    ]);

    // v2, the token in the body's webhooksVerifyToken (Nhanh's order webhook page), no header
    const v2Body = { ...fixture('nhanh', 'order-add-v2.json'), webhooksVerifyToken: n.token };
    const v2 = await n.send(v2Body, {});
    expect(v2.status, v2.text).toBe(200);
    const v2Order = await n.stored('89354328');
    expect(v2Order).toMatchObject({ state: 'processing', orderDiscount: 20_000, shippingFee: 25_000, customer: { phone: '+84987654321' } });
    expect(lineFacts(v2Order)).toEqual([
      { lineId: '5001', productId: 'SERUM-30', quantity: 2, unitPrice: 350_000, discount: 0, returnedQuantity: 0 },
      { lineId: '5002', productId: 'CREAM-50', quantity: 1, unitPrice: 300_000, discount: 20_000, returnedQuantity: 0 },
    ]);
    // the body's token is a secret: the delivery is kept without it (the owner reads the body as kept)
    const kept = await n.owner.get(
      `${n.base}/webhook-deliveries/${(await n.owner.get(`${n.base}/webhook-deliveries?status=processed`)).body.items.find((d: Json) => d.orderIds.includes(v2.body.orderId)).id}`,
    );
    expect(kept.status, kept.text).toBe(200);
    expect(kept.body.body).toContain('"webhooksVerifyToken":"[redacted]"');
    expect(JSON.stringify(await tenantItems(n.tenantId))).not.toContain(n.token);
    // one right placement is enough: a right header with a stale body token
    const eitherOne = await n.send({ ...v2Body, webhooksVerifyToken: 'an-old-token-1' });
    expect(eitherOne.status, eitherOne.text).toBe(200);

    const unknown = await deliver(n.tenantId, '01KZZZZZZZZZZZZZZZZZZZZZZZ', nhanhV3('Confirmed', CONFIRMED_AT), { verifyToken: n.token });
    expect(unknown.status).toBe(401);
    const refused: [string, Json | string, Record<string, string>][] = [
      ['a wrong header token', nhanhV3('Confirmed', CONFIRMED_AT), { verifyToken: ownerToken('guess-') }],
      ['a prefix of the token', nhanhV3('Confirmed', CONFIRMED_AT), { verifyToken: n.token.slice(0, -1) }],
      ['a wrong body token', { ...v2Body, webhooksVerifyToken: ownerToken('guess-') }, {}],
      ['the token in another body field', { ...v2Body, webhooksVerifyToken: undefined, verifyToken: n.token }, {}],
      ['no token at all', nhanhV3('Confirmed', CONFIRMED_AT), {}],
      ['a body that is not JSON', `webhooksVerifyToken=${n.token}`, {}],
    ];
    for (const [what, body, headers] of refused) {
      const res = await n.send(body, headers);
      expect(res.status, what).toBe(401);
      // the same answer as an unknown source: nothing tells the sender which it was
      expect(answerText(res), what).toBe(answerText(unknown));
    }
  });

  it('an orderDelete naming two orders voids both', async () => {
    const n = await nhanhBusiness();
    for (const id of [12345, 12346]) {
      const res = await n.send(nhanhV3('Confirmed', CONFIRMED_AT, (o) => (o.data.info.id = id)));
      expect(res.status, res.text).toBe(200);
    }
    const deleted = await n.send(fixture('nhanh', 'order-delete-v3.json'));
    expect(deleted.status, deleted.text).toBe(200);
    expect(deleted.body.orders).toHaveLength(2);
    expect(deleted.body.orders.every((o: Json) => o.applied === true)).toBe(true);
    for (const id of ['12345', '12346']) {
      const order = await n.stored(id);
      expect(order.state, id).toBe('void');
      expect(order.voidedAt, id).toEqual(expect.any(String));
      expect(order.revision, id).toBeGreaterThan(CONFIRMED_AT * 10 + 2);
    }
    // deleting orders we never received changes nothing and answers 200 with no order
    const unknownIds = await n.send({ event: 'orderDelete', businessId: 10000, data: [99990001, 99990002] });
    expect(unknownIds.status, unknownIds.text).toBe(200);
    expect(unknownIds.body.orders).toEqual([]);
  });

  it("the same order's deliveries, shuffled and repeated, end at the newest", async () => {
    const n = await nhanhBusiness();
    const created = nhanhV3('New', NEW_AT);
    const confirmed = nhanhV3('Confirmed', CONFIRMED_AT);
    // delivered and paid: the customer took 3 units of the first product in the end
    const success = nhanhV3('Success', SUCCESS_AT, (o) => (o.data.products[0].quantity = 3));
    const answers = [];
    for (const body of [success, created, confirmed, success]) {
      const res = await n.send(body);
      expect(res.status, res.text).toBe(200);
      answers.push(res.body.applied);
    }
    expect(answers).toEqual([true, false, false, false]);
    const order = await n.stored('125123098');
    expect(order).toMatchObject({ state: 'completed', revision: SUCCESS_AT * 10 + 3 });
    expect(order.approvedAt).toBe(new Date(CONFIRMED_AT * 1000).toISOString());
    expect(lineFacts(order)[0]).toMatchObject({ quantity: 3, discount: 27_000 }); // 9,000 × 3

    // the return order (type 14) at Success gives 1 unit of that line back; re-dated after the Success
    const back = fixture('nhanh', 'order-return-v3.json');
    back.data.info.createdAt = SUCCESS_AT + 600;
    back.data.info.updatedAt = RETURNED_AT;
    const res = await n.send(back);
    expect(res.status, res.text).toBe(200);
    const after = await n.stored('125123098');
    expect(after).toMatchObject({ state: 'returned', revision: RETURNED_AT * 10 + 4 });
    expect(lineFacts(after).map((l) => l.returnedQuantity)).toEqual([1, 0]);
  });

  it('an unknown status is parked (202), naming the field', async () => {
    const n = await nhanhBusiness();
    const res = await n.send(nhanhV3('Lost', CONFIRMED_AT));
    expect(res.status, res.text).toBe(202);
    expect(res.body).toMatchObject({ status: 'parked', deliveryId: expect.any(String) });
    expect(res.body.errors.map((e: Json) => e.path)).toEqual(['data.info.status']);
    // a v2 status-only update that does not cancel: parked too, naming the products it lacks
    const statusOnly: Json = { ...fixture('nhanh', 'order-update-v2-status.json'), webhooksVerifyToken: n.token };
    statusOnly.data.status = 'Shipping';
    const partial = await n.send(statusOnly, {});
    expect(partial.status, partial.text).toBe(202);
    expect(partial.body.errors.map((e: Json) => e.path)).toEqual(['data.products']);
  });
});

/** The POS order of the fixture at `updatedAt` (ISO) with `status`. */
const pancakeOrder = (status: number, updatedAt: string, patch: (o: Json) => void = () => {}): Json => {
  const o = fixture('pancake', 'order.json');
  o.status = status;
  o.inserted_at = '2026-12-08T02:00:00Z';
  o.updated_at = updatedAt;
  patch(o);
  return o;
};

async function pancakeBusiness() {
  const b = await newBusiness('Cửa hàng Pancake');
  const token = ownerToken('pancake-');
  const sourceId = await source(b.owner, b.base, 'pancake', token);
  const send = (body: Json | string, headers: Record<string, string> = { 'X-Ctv-Token': token }) =>
    deliver(b.tenantId, sourceId, body, headers);
  const stored = () => storedOrder(b.owner, b.base, sourceId, '1187');
  return { ...b, token, sourceId, send, stored };
}

describe('Pancake POS webhooks', () => {
  it('takes the token from X-Ctv-Token or Authorization: Bearer, refuses any other, and maps the order line by line', async () => {
    const p = await pancakeBusiness();
    const ok = await p.send(pancakeOrder(1, '2026-12-08T02:30:00.000Z'));
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body).toMatchObject({ revision: Date.parse('2026-12-08T02:30:00.000Z') * 10 + 2, applied: true });
    const order = await p.stored();
    expect(order).toMatchObject({
      state: 'approved',
      orderDiscount: 50_000,
      shippingFee: 30_000,
      customer: { phone: '+84901234567', name: 'Nguyễn Thị Mai' },
    });
    expect(lineFacts(order)).toEqual([
      // 10,000 off each of 2 units
      { lineId: '501', productId: 'SERUM-30', quantity: 2, unitPrice: 350_000, discount: 20_000, returnedQuantity: 0 },
      { lineId: '502', productId: 'MASK-5', quantity: 3, unitPrice: 120_000, discount: 0, returnedQuantity: 0 },
    ]);

    const bearer = await p.send(pancakeOrder(3, '2026-12-08T09:00:00.000Z'), { Authorization: `Bearer ${p.token}` });
    expect(bearer.status, bearer.text).toBe(200);
    expect((await p.stored()).state).toBe('completed');

    const unknown = await deliver(p.tenantId, '01KZZZZZZZZZZZZZZZZZZZZZZZ', pancakeOrder(1, '2026-12-08T02:30:00.000Z'), {
      'X-Ctv-Token': p.token,
    });
    expect(unknown.status).toBe(401);
    const refused: [string, Record<string, string>][] = [
      ['a wrong token', { 'X-Ctv-Token': ownerToken('guess-') }],
      ['a prefix of the token', { 'X-Ctv-Token': p.token.slice(0, -1) }],
      ['a wrong bearer', { Authorization: `Bearer ${ownerToken('guess-')}` }],
      ['the token without Bearer', { Authorization: p.token }],
      ['the token in another header', { 'X-Api-Key': p.token }],
      ['no token', {}],
    ];
    for (const [what, headers] of refused) {
      const res = await p.send(pancakeOrder(6, '2026-12-08T10:00:00.000Z'), headers);
      expect(res.status, what).toBe(401);
      expect(answerText(res), what).toBe(answerText(unknown));
    }
    expect((await p.stored()).state).toBe('completed');
  });

  it('a partial return takes the returned units line by line; one that does not say which is parked', async () => {
    const p = await pancakeBusiness();
    expect((await p.send(pancakeOrder(3, '2026-12-08T09:00:00.000Z'))).status).toBe(200);
    const vague = await p.send(pancakeOrder(15, '2026-12-08T11:00:00.000Z'));
    expect(vague.status, vague.text).toBe(202);
    expect(vague.body.errors.map((e: Json) => e.path)).toEqual(['order_items']);

    const partial = await p.send(pancakeOrder(15, '2026-12-08T11:00:00.001Z', (o) => (o.order_items[1].returned_count = 1)));
    expect(partial.status, partial.text).toBe(200);
    const order = await p.stored();
    expect(order.state).toBe('returned');
    expect(lineFacts(order).map((l) => l.returnedQuantity)).toEqual([0, 1]);
    expect(order.returnedAt).toBe('2026-12-08T11:00:00.001Z');
  });

  it("the same order's deliveries, shuffled and repeated, end at the newest", async () => {
    const p = await pancakeBusiness();
    const deliveries = [
      pancakeOrder(16, '2026-12-08T12:00:00.000Z', (o) => (o.order_items[1].quantity = 4)),
      pancakeOrder(0, '2026-12-08T02:00:00.000Z'),
      pancakeOrder(16, '2026-12-08T12:00:00.000Z', (o) => (o.order_items[1].quantity = 4)),
      pancakeOrder(2, '2026-12-08T05:00:00.000Z'),
      pancakeOrder(1, '2026-12-08T02:30:00.000Z'),
    ];
    const applied = [];
    for (const body of deliveries) {
      const res = await p.send(body);
      expect(res.status, res.text).toBe(200);
      applied.push(res.body.applied);
    }
    expect(applied).toEqual([true, false, false, false, false]);
    const order = await p.stored();
    expect(order).toMatchObject({ state: 'completed', revision: Date.parse('2026-12-08T12:00:00.000Z') * 10 + 3 });
    expect(order.approvedAt).toBe('2026-12-08T02:30:00.000Z');
    expect(lineFacts(order)[1]).toMatchObject({ quantity: 4 });
  });

  it('an unknown status is parked (202), naming the field', async () => {
    const p = await pancakeBusiness();
    const res = await p.send(pancakeOrder(99, '2026-12-08T02:30:00.000Z'));
    expect(res.status, res.text).toBe(202);
    expect(res.body).toMatchObject({ status: 'parked', deliveryId: expect.any(String) });
    expect(res.body.errors.map((e: Json) => e.path)).toEqual(['status']);
  });
});
