/**
 * The largest order the event schema accepts (MAX_LINES, 500 lines) under a plan that gives each
 * line every kind it can earn: it is stored in one transaction and read back whole, its commission
 * is the hand-worked sum, its return reverses every line to zero, and the order's answer, grown past
 * 4 MB, goes gzipped to a client that takes it (a Lambda's answer is capped at 6 MB).
 */
import { request, type IncomingHttpHeaders } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { describe, expect, inject, it } from 'vitest';
import { MAX_LINES } from '../../domain/orders/event';
import { as, uniquePhone } from './support/api';
import { suiteNow } from './support/clock';
import { unique } from './support/http';
import { deliver, newSource, orderLine } from './support/orders';

/** GET over node:http, which (unlike fetch) hands over the bytes as sent: the answer's encoding is seen. */
function rawGet(path: string, token: string, acceptEncoding: string): Promise<{ headers: IncomingHttpHeaders; bytes: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${inject('baseUrl')}${path}`,
      { headers: { authorization: `Bearer ${token}`, 'accept-encoding': acceptEncoding } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ headers: res.headers, bytes: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** yyyy-mm-dd in Vietnam, `days` from the suite's now */
const localDay = (days: number) => new Date(suiteNow() + days * 86_400_000 + 7 * 3_600_000).toISOString().slice(0, 10);

describe(`an order of ${MAX_LINES} lines`, () => {
  it('is taken, priced line by line as worked by hand, read back whole, and reversed to zero by its return', async () => {
    const owner = await as(unique('owner-'));
    const tenant = (await owner.post('/v1/tenants', { name: 'Đại lý sỉ Sen Vàng', pageId: unique('si-') })).body;
    const base = `/v1/tenants/${tenant.id}`;
    const ctv = (await owner.post(`${base}/collaborators`, { name: 'Nguyễn Thị Hoa', phone: uniquePhone() })).body;
    const plan = {
      effectiveFrom: '2020-01-01',
      basic: { default: { percentBp: 1000 } },
      platformFeeBp: 500,
      addOn: { collaboratorPercentBp: 500, sellerPercentBp: 300 },
      boosts: [
        { collaboratorIds: [ctv.id], from: localDay(-1), to: localDay(1), percentBp: 200 },
        { collaboratorIds: [ctv.id], from: localDay(-1), to: localDay(1), percentBp: 100 },
      ],
    };
    expect((await owner.post(`${base}/commission-plans`, plan)).status).toBe(201);
    const source = await newSource(owner, base);
    // 100,000 đ a line; every second line an add-on that the seller added
    const lines = Array.from({ length: MAX_LINES }, (_, i) => ({
      ...orderLine(String(i + 1), 1, 100_000),
      productId: `SP-${String(i).padStart(3, '0')}`,
      addOn: i % 2 === 1,
    }));
    const event = {
      externalId: unique('SI-'),
      revision: 1,
      state: 'approved',
      occurredAt: new Date(suiteNow()).toISOString(),
      customer: { phone: '0912345678', name: 'Cửa hàng Minh Anh' },
      lines,
      orderDiscount: 0,
      shippingFee: 0,
      attribution: { collaboratorId: ctv.id, refId: null, couponCode: null, opportunityId: null },
      sellerId: 'seller-lan',
    };
    const taken = await deliver(tenant.id, source, event);
    expect(taken.status, taken.text).toBe(200);
    const orderId = taken.body.orderId as string;

    // by hand, on 100,000 đ: a plain line 10% = 10,000 − 5% fee 500; an add-on line 5% = 5,000 − 250;
    // on every line the boosts 2% = 2,000 − 100 and 1% = 1,000 − 50; the seller 3% of an add-on line = 3,000
    const half = MAX_LINES / 2;
    const ctvTotal = half * (10_000 - 500) + half * (5_000 - 250) + MAX_LINES * (2_000 - 100 + 1_000 - 50);
    expect(ctvTotal).toBe(4_987_500);
    const order = await owner.get(`${base}/orders/${orderId}`);
    expect(order.status, order.text.slice(0, 300)).toBe(200);
    expect(order.body.lines).toHaveLength(MAX_LINES);
    const sumFor = (lines: { beneficiary: { type: string }; amount: number }[], type: string) =>
      lines.filter((l) => l.beneficiary.type === type).reduce((s, l) => s + l.amount, 0);
    const priced = order.body.commissionLines as { beneficiary: { type: string }; amount: number }[];
    // 6 lines each (main, 2 boosts, and a fee for each) and the seller's on the add-on lines
    expect(priced).toHaveLength(MAX_LINES * 6 + half);
    expect(sumFor(priced, 'collaborator')).toBe(ctvTotal);
    expect(sumFor(priced, 'seller')).toBe(half * 3_000);

    // every unit returned: what it held nets to zero
    const returned = await deliver(tenant.id, source, {
      ...event,
      revision: 2,
      state: 'returned',
      lines: lines.map((l) => ({ ...l, returnedQuantity: l.quantity })),
    });
    expect(returned.status, returned.text).toBe(200);
    const after = await owner.get(`${base}/orders/${orderId}`);
    expect(after.body.revision).toBe(2);
    // its ledger: each entry and its reversal
    const held = after.body.commissionLines as { beneficiary: { type: string }; amount: number; reason: string }[];
    expect(held).toHaveLength(2 * priced.length);
    expect(held.filter((l) => l.reason === 'reversal')).toHaveLength(priced.length);
    expect([sumFor(held, 'collaborator'), sumFor(held, 'seller')]).toEqual([0, 0]);

    // 4.4 MB of JSON by now, near a Lambda's 6 MB cap on an answer: gzipped for a client that takes it
    expect(after.text.length).toBeGreaterThan(4_000_000);
    const zipped = await rawGet(`${base}/orders/${orderId}`, owner.token, 'gzip, deflate, br');
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toMatch(/accept-encoding/i);
    expect(zipped.bytes.length).toBeLessThan(after.text.length / 8);
    expect(JSON.parse(gunzipSync(zipped.bytes).toString('utf8'))).toEqual(after.body);
    const plain = await rawGet(`${base}/orders/${orderId}`, owner.token, 'identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(plain.bytes.toString('utf8'))).toEqual(after.body);
  });
});
