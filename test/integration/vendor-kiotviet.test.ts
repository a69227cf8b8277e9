/**
 * KiotViet over HTTP (docs/order-systems/kiotviet.md): invoice.update deliveries signed with
 * X-Hub-Signature, several invoices per delivery, deletions, refusals that park, and the Public API
 * lookups (customer phone, returns) against a local fake of KiotViet.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { kiotVietApi } from '../../functions/webhooks/adapters/kiotviet';
import { VendorApiError, type FetchJson } from '../../functions/webhooks/adapters/adapter';
import { signBase64Hmac } from '../../functions/webhooks/adapters/signatures';
import { newBusiness, request, unique, type User } from './support/api';
import { startFakeKiotViet, type FakeKiotViet } from './support/fake-kiotviet';

const fixture = (name: string) => readFileSync(new URL(`../domain/orders/fixtures/kiotviet/${name}`, import.meta.url), 'utf8');
const invoiceUpdate = fixture('invoice-update.json');
const invoiceDelete = fixture('invoice-delete.json');
const customerDoc = JSON.parse(fixture('customer.json'));
const returnsDoc = JSON.parse(fixture('returns.json'));

type Json = Record<string, any>;
/** The fixture delivery, patched, as the bytes KiotViet would send. */
const patched = (patch: (d: Json) => void): string => {
  const d = JSON.parse(invoiceUpdate);
  patch(d);
  return JSON.stringify(d);
};
const hex = (raw: string, secret: string) => createHmac('sha256', secret).update(raw, 'utf8').digest('hex');
/** The Secret KiotViet's docs ask for: 8+ random characters, base64-encoded; the owner brings that text. */
const kiotSecret = () => Buffer.from(`kv-${unique()}${unique()}`, 'utf8').toString('base64');

interface Shop {
  owner: User;
  base: string;
  tenantId: string;
  sourceId: string;
  secret: string;
  send(raw: string, signature?: string): ReturnType<typeof request>;
  order(orderId: string): Promise<Json>;
}

async function kiotVietShop(api?: FakeKiotViet): Promise<Shop> {
  const { owner, base, tenantId } = await newBusiness('Mỹ phẩm Sen Vàng');
  const secret = kiotSecret();
  const body: Json = { name: 'KiotViet cửa hàng chính', kind: 'kiotviet', secret };
  if (api) body.api = { baseUrl: api.url, tokenUrl: api.tokenUrl, account: api.retailer, key: api.clientId, secret: api.clientSecret };
  const created = await owner.post(`${base}/webhook-sources`, body);
  if (created.status !== 201) throw new Error(`kiotviet source: ${created.status} ${created.text}`);
  const sourceId = created.body.id as string;
  return {
    owner,
    base,
    tenantId,
    sourceId,
    secret,
    send: (raw, signature = hex(raw, secret)) =>
      request('POST', `/v1/webhooks/${tenantId}/${sourceId}/orders`, {
        body: raw,
        headers: { 'x-hub-signature': signature, 'content-type': 'application/json' },
      }),
    order: async (orderId) => (await owner.get(`${base}/orders/${orderId}`)).body,
  };
}

async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

let fakes: FakeKiotViet[] = [];
const fakeKiotViet = async () => {
  const fake = await startFakeKiotViet({
    clientId: `client-${unique()}`,
    clientSecret: `secret-${unique()}${unique()}`,
    retailer: 'retailer-name',
  });
  fakes.push(fake);
  return fake;
};
afterEach(async () => {
  await Promise.all(fakes.map((f) => f.close()));
  fakes = [];
});

describe('KiotViet deliveries', () => {
  it('takes X-Hub-Signature in hex or base64 (with or without sha256=, keyed with the Secret text or its decoded bytes), and refuses another key or none with 401', async () => {
    const shop = await kiotVietShop();
    const first = await shop.send(invoiceUpdate);
    expect(first.status, first.text).toBe(200);
    expect(first.body.orders.map((o: Json) => o.applied)).toEqual([true, true]);

    // keyed with the bytes the base64 Secret decodes to (which KiotViet uses is not documented)
    const decoded = createHmac('sha256', Buffer.from(shop.secret, 'base64')).update(invoiceUpdate, 'utf8').digest();
    const [decodedHex, decodedBase64] = [decoded.toString('hex'), decoded.toString('base64')];
    // the same invoices at the same revisions, signed the other ways: taken, nothing changes
    const otherWays = [
      signBase64Hmac(invoiceUpdate, shop.secret),
      `sha256=${hex(invoiceUpdate, shop.secret)}`,
      `sha256=${signBase64Hmac(invoiceUpdate, shop.secret)}`,
      decodedHex,
      decodedBase64,
    ];
    for (const signature of otherWays) {
      const again = await shop.send(invoiceUpdate, signature);
      expect(again.status, signature).toBe(200);
      expect(again.body.orders).toEqual(first.body.orders.map((o: Json) => ({ ...o, applied: false })));
    }

    const other = kiotSecret();
    expect((await shop.send(invoiceUpdate, hex(invoiceUpdate, other))).status).toBe(401);
    expect((await shop.send(invoiceUpdate, signBase64Hmac(invoiceUpdate, other))).status).toBe(401);
    expect(
      (await shop.send(invoiceUpdate, createHmac('sha256', Buffer.from(other, 'base64')).update(invoiceUpdate).digest('hex'))).status,
    ).toBe(401);
    // a signature of other bytes, or no signature at all
    expect((await shop.send(invoiceUpdate, hex(`${invoiceUpdate} `, shop.secret))).status).toBe(401);
    const unsigned = await request('POST', `/v1/webhooks/${shop.tenantId}/${shop.sourceId}/orders`, { body: invoiceUpdate });
    expect(unsigned.status).toBe(401);
  });

  it('creates both invoices of one delivery as orders, as the adapter maps them', async () => {
    const shop = await kiotVietShop();
    const res = await shop.send(invoiceUpdate);
    expect(res.status, res.text).toBe(200);
    expect(res.body.orders).toHaveLength(2);
    const [delivered, counter] = await Promise.all(res.body.orders.map((o: Json) => shop.order(o.orderId)));
    expect(delivered).toMatchObject({
      externalId: 'invoice:1000045123',
      state: 'approved',
      customer: { phone: '+84912345678', name: 'Trần Văn Bình' },
      orderDiscount: 50_000,
      shippingFee: 30_000,
      // v1 = 700,000 and v2 = 3 × 300,000 − 3 × 20,000 = 840,000 share D = 50,000: 22,727 and 27,273
      netRevenue: 1_490_000,
    });
    expect(delivered.lines.map((l: Json) => [l.lineId, l.discount, l.netRevenue])).toEqual([
      ['3000001', 0, 677_273],
      ['3000002', 60_000, 812_727],
    ]);
    expect(counter).toMatchObject({ externalId: 'invoice:1000045124', state: 'completed', netRevenue: 199_000 });
    expect(counter.customer.phone ?? null).toBeNull();
  });

  it('voids an invoice named by invoice.delete RemoveId; an unknown id changes nothing', async () => {
    const shop = await kiotVietShop();
    const created = await shop.send(invoiceUpdate);
    const orderId = created.body.orders[0].orderId;
    const removed = await shop.send(invoiceDelete);
    expect(removed.status, removed.text).toBe(200);
    expect(removed.body.orders).toEqual([{ orderId, revision: expect.any(Number), applied: true }]);
    expect((await shop.order(orderId)).state).toBe('void');
    // the other invoice is untouched
    expect((await shop.order(created.body.orders[1].orderId)).state).toBe('completed');
    // an invoice we never had, and a bare RemoveId body (no document type): no order changes
    const unknown = await shop.send(invoiceDelete.replace('1000045123', '1000099999'));
    expect(unknown.status, unknown.text).toBe(200);
    expect(unknown.body.orders).toEqual([]);
    const bare = await shop.send(JSON.stringify({ RemoveId: [1000045124] }));
    expect(bare.body.orders).toEqual([]);
    expect((await shop.order(created.body.orders[1].orderId)).state).toBe('completed');
  });

  it('parks a delivery with a non-whole quantity (202), naming the field, and creates neither invoice', async () => {
    const shop = await kiotVietShop();
    const raw = patched((d) => (d.Notifications[0].Data[1].InvoiceDetails[0].Quantity = 1.5));
    const res = await shop.send(raw);
    expect(res.status, res.text).toBe(202);
    expect(res.body).toMatchObject({ status: 'parked', deliveryId: expect.any(String) });
    expect(res.body.errors).toEqual([
      { path: 'Notifications.0.Data.1.InvoiceDetails.0.Quantity', message: expect.stringContaining('whole') },
    ]);
    for (const externalId of ['invoice:1000045123', 'invoice:1000045124']) {
      const found = await shop.owner.get(`${shop.base}/orders?sourceId=${shop.sourceId}&externalId=${encodeURIComponent(externalId)}`);
      expect(found.status, found.text).toBe(200);
      expect(found.body.items).toEqual([]);
    }
  });

  it('answers order, product and stock notifications with no order change', async () => {
    const shop = await kiotVietShop();
    const raw = JSON.stringify({
      Id: unique('kv-'),
      Attempt: 1,
      Notifications: [
        { Action: 'order.update', Data: [{ Id: 77, Code: 'DH000077', Status: 1, StatusValue: 'Phiếu tạm', OrderDetails: [] }] },
        { Action: 'stock.update', Data: [{ ProductId: 3000001, OnHand: 12 }] },
      ],
    });
    const res = await shop.send(raw);
    expect(res.status, res.text).toBe(200);
    expect(res.body.orders).toEqual([]);
  });

  it('ends at the newest revision of an invoice whatever order its deliveries arrive in', async () => {
    const shop = await kiotVietShop();
    const revision = (modified: string, status: number, deliveryStatus: number) =>
      patched((d) => {
        d.Id = unique('kv-');
        const invoice = d.Notifications[0].Data[0];
        d.Notifications[0].Data = [invoice];
        invoice.ModifiedDate = modified;
        invoice.Status = status;
        invoice.InvoiceDelivery.Status = deliveryStatus;
      });
    const r1 = revision('2026-11-03T10:15:00.2500000', 3, 1); // approved, not yet picked up
    const r2 = revision('2026-11-03T14:02:11.0000000', 3, 2); // approved, on its way
    const r3 = revision('2026-11-04T16:00:00.0000000', 1, 3); // completed, delivered
    const r4 = revision('2026-11-04T16:00:00.0000000', 1, 5); // the same instant, the goods came back: returned
    const answers = [];
    for (const raw of [r3, r1, r4, r2]) answers.push(await shop.send(raw));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    // r1 and r2 arrive after r3: older, not applied; r4 is newer than r3 by its state's rank only
    expect(answers.map((a) => a.body.applied)).toEqual([true, false, true, false]);
    const order = await shop.order(answers[0]!.body.orderId);
    expect(order.state).toBe('returned');
    // 2026-11-04 16:00 (+07:00) = 09:00 UTC; × 10 + 4 (returned)
    expect(order.revision).toBe(Date.UTC(2026, 10, 4, 9, 0, 0) * 10 + 4);
    expect(order.lines.map((l: Json) => l.returnedQuantity)).toEqual([2, 3]);

    // the same four at once, shuffled, for another invoice: the same end
    const again = [r2, r4, r1, r3].map((raw) => raw.replaceAll('1000045123', '1000045200'));
    const parallel = await Promise.all(again.map((raw) => shop.send(raw)));
    expect(parallel.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    const other = await shop.order(parallel[0]!.body.orderId);
    expect(other).toMatchObject({ externalId: 'invoice:1000045200', state: 'returned', revision: order.revision });
  });
});

describe('KiotViet deliveries with the Public API', () => {
  it("adds the customer's phone and the per-line returns, asking KiotViet with one token", async () => {
    const kv = await fakeKiotViet();
    kv.customers.set('5000124', customerDoc);
    // 130 returns of other invoices first: the invoice's returns are on the second page
    const others = Array.from({ length: 130 }, (_, i) => ({
      ...returnsDoc.data[1],
      id: 700_000 + i,
      code: `TH${700_000 + i}`,
      invoiceId: 1_000_030_000 + i,
    }));
    kv.returns.push(...others, ...returnsDoc.data);
    const shop = await kiotVietShop(kv);

    const res = await shop.send(invoiceUpdate);
    expect(res.status, res.text).toBe(200);
    const [delivered, counter] = await Promise.all(res.body.orders.map((o: Json) => shop.order(o.orderId)));
    // TH000601: 1 CREAM-50 back; TH000603 (2 SERUM-30) is cancelled
    expect(delivered.state).toBe('returned');
    expect(delivered.lines.map((l: Json) => [l.lineId, l.returnedQuantity])).toEqual([
      ['3000001', 0],
      ['3000002', 1],
    ]);
    // the order is as new as its return: 2026-11-05 14:20:30.5 (+07:00) = 07:20:30.500 UTC, × 10 + 4
    expect(delivered.revision).toBe(Date.UTC(2026, 10, 5, 7, 20, 30, 500) * 10 + 4);
    // R2 812,727 keeps 2 of 3 units: 541,818
    expect(delivered.lines.map((l: Json) => l.netRevenue)).toEqual([677_273, 541_818]);
    expect(counter.customer.phone).toBe('+84987654321');

    const tokenRequests = kv.requests.filter((r) => r.path === '/connect/token');
    expect(tokenRequests).toHaveLength(1);
    expect(tokenRequests[0]!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(tokenRequests[0]!.body))).toEqual({
      scopes: 'PublicApi.Access',
      grant_type: 'client_credentials',
      client_id: kv.clientId,
      client_secret: kv.clientSecret,
    });
    const calls = kv.requests.filter((r) => r.path !== '/connect/token');
    for (const call of calls) {
      expect(call.headers.authorization).toBe(`Bearer ${kv.tokensIssued[0]}`);
      expect(call.headers.retailer).toBe('retailer-name');
    }
    expect(calls.filter((c) => c.path.startsWith('/customers/')).map((c) => c.path)).toEqual(['/customers/5000124']);
    const returnsCalls = calls.filter((c) => c.path === '/returns').map((c) => c.query);
    // two pages for each invoice, from its purchase date
    expect(returnsCalls).toHaveLength(4);
    expect(returnsCalls).toEqual(
      expect.arrayContaining([
        { lastModifiedFrom: '2026-11-03T09:40:12.1230000', pageSize: '100', currentItem: '0' },
        { lastModifiedFrom: '2026-11-03T09:40:12.1230000', pageSize: '100', currentItem: '100' },
        { lastModifiedFrom: '2026-11-03T10:20:45.0000000', pageSize: '100', currentItem: '0' },
        { lastModifiedFrom: '2026-11-03T10:20:45.0000000', pageSize: '100', currentItem: '100' },
      ]),
    );

    // the next delivery reuses the token
    const later = await shop.send(patched((d) => (d.Notifications[0].Data = [d.Notifications[0].Data[1]])));
    expect(later.status, later.text).toBe(200);
    expect(kv.tokensIssued).toHaveLength(1);
    expect(kv.requests.filter((r) => r.path === '/connect/token')).toHaveLength(1);
  });

  it('takes an invoice whose customer KiotViet no longer has, without a phone', async () => {
    const kv = await fakeKiotViet();
    const shop = await kiotVietShop(kv);
    const res = await shop.send(patched((d) => (d.Notifications[0].Data = [d.Notifications[0].Data[1]])));
    expect(res.status, res.text).toBe(200);
    expect(kv.requests.some((r) => r.path === '/customers/5000124')).toBe(true);
    expect((await shop.order(res.body.orderId)).customer.phone ?? null).toBeNull();
  });

  it('retries when KiotViet fails (202 accepted, never parked for it), and applies the lookups once it answers', async () => {
    const kv = await fakeKiotViet();
    kv.customers.set('5000124', customerDoc);
    kv.returns.push(...returnsDoc.data);
    kv.failWith = 503;
    const shop = await kiotVietShop(kv);
    const res = await shop.send(invoiceUpdate);
    expect(res.status, res.text).toBe(202);
    expect(res.body.status).toBe('accepted');
    kv.failWith = null;
    const done = await until(
      'the retry',
      async () => (await shop.owner.get(`${shop.base}/webhook-deliveries/${res.body.deliveryId}`)).body,
      (d: Json) => d.status !== 'accepted',
    );
    expect(done.status).toBe('processed');
    const orders = await Promise.all(done.orderIds.map((id: string) => shop.order(id)));
    expect(orders.map((o) => [o.externalId, o.state]).sort()).toEqual([
      ['invoice:1000045123', 'returned'],
      ['invoice:1000045124', 'completed'],
    ]);
  });
});

describe('the KiotViet API client', () => {
  const credentials = () => ({
    baseUrl: 'https://public.kiotapi.com/',
    account: 'retailer-name',
    key: `id-${unique()}`,
    secret: `secret-${unique()}`,
  });
  /** A fetch that answers tokens and GETs as told, and records the calls. */
  const fakeFetch = (
    answers: { token?: (n: number) => { status: number; body: unknown }; get?: (n: number) => { status: number; body: unknown } } = {},
  ) => {
    const calls: { url: string; method: string; headers: Record<string, string>; body?: string }[] = [];
    let tokens = 0;
    let gets = 0;
    const fetchJson: FetchJson = async (url, init) => {
      calls.push({ url, ...init });
      if (init.method === 'POST') {
        tokens += 1;
        return (
          answers.token?.(tokens) ?? { status: 200, body: { access_token: `token-${tokens}`, expires_in: 86400, token_type: 'Bearer' } }
        );
      }
      gets += 1;
      return answers.get?.(gets) ?? { status: 200, body: { ok: gets } };
    };
    return { calls, fetchJson };
  };

  it('asks the default token endpoint once, then GETs under the base URL with the token and the retailer', async () => {
    const { calls, fetchJson } = fakeFetch();
    const api = kiotVietApi(credentials(), fetchJson);
    expect(await api.getJson('/customers/1')).toEqual({ ok: 1 });
    expect(await api.getJson('/returns', { pageSize: '100', currentItem: '0' })).toEqual({ ok: 2 });
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'POST https://id.kiotviet.vn/connect/token',
      'GET https://public.kiotapi.com/customers/1',
      'GET https://public.kiotapi.com/returns?pageSize=100&currentItem=0',
    ]);
    expect(calls[1]!.headers).toMatchObject({ authorization: 'Bearer token-1', retailer: 'retailer-name' });
  });

  it('shares one token request between concurrent calls and between clients of the same credentials', async () => {
    const { calls, fetchJson } = fakeFetch();
    const same = credentials();
    await Promise.all([
      kiotVietApi(same, fetchJson).getJson('/a'),
      kiotVietApi(same, fetchJson).getJson('/b'),
      kiotVietApi(same, fetchJson).getJson('/c'),
    ]);
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(1);
    // other credentials: their own token
    await kiotVietApi(credentials(), fetchJson).getJson('/d');
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(2);
  });

  it('asks again for a token about to expire, and for a token KiotViet refuses (once)', async () => {
    // 60 s left is inside the renewal margin: every call asks for a new one
    const short = fakeFetch({ token: (n) => ({ status: 200, body: { access_token: `short-${n}`, expires_in: 60 } }) });
    const api = kiotVietApi(credentials(), short.fetchJson);
    await api.getJson('/a');
    await api.getJson('/b');
    expect(short.calls.filter((c) => c.method === 'POST')).toHaveLength(2);

    const refused = fakeFetch({ get: (n) => (n === 1 ? { status: 401, body: {} } : { status: 200, body: { ok: n } }) });
    expect(await kiotVietApi(credentials(), refused.fetchJson).getJson('/a')).toEqual({ ok: 2 });
    expect(refused.calls.map((c) => c.headers.authorization ?? c.method)).toEqual(['POST', 'Bearer token-1', 'POST', 'Bearer token-2']);
  });

  it('throws VendorApiError on a failed token request or answer, and does not keep a failed token', async () => {
    const failing = fakeFetch({
      token: (n) =>
        n === 1 ? { status: 400, body: { error: 'invalid_client' } } : { status: 200, body: { access_token: 'ok', expires_in: 86400 } },
    });
    const api = kiotVietApi(credentials(), failing.fetchJson);
    await expect(api.getJson('/a')).rejects.toMatchObject({ name: 'VendorApiError', status: 400 });
    expect(await api.getJson('/a')).toEqual({ ok: 1 });

    const down = fakeFetch({ get: () => ({ status: 503, body: null }) });
    const error = await kiotVietApi(credentials(), down.fetchJson)
      .getJson('/returns')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VendorApiError);
    expect((error as VendorApiError).status).toBe(503);

    const noToken = fakeFetch({ token: () => ({ status: 200, body: { expires_in: 86400 } }) });
    await expect(kiotVietApi(credentials(), noToken.fetchJson).getJson('/a')).rejects.toBeInstanceOf(VendorApiError);
    // the retailer name is required by every call
    const { account: _account, ...withoutAccount } = credentials();
    await expect(kiotVietApi(withoutAccount, fakeFetch().fetchJson).getJson('/a')).rejects.toBeInstanceOf(VendorApiError);
  });
});
