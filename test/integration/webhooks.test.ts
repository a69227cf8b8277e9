import { suiteNowSeconds } from './support/clock';
import { describe, expect, it } from 'vitest';
import { newBusiness, request, uniquePhone } from './support/api';
import { deliver, newSource, orderEvent } from './support/orders';

describe('order webhooks', () => {
  it('a signed event creates the order; GET shows R per line, the credit and its reason (fixed points)', async () => {
    const { owner, base, tenantId } = await newBusiness();
    const ctv = await owner.post(`${base}/collaborators`, { name: 'Nguyễn Thị Hoa', phone: uniquePhone() });
    const source = await newSource(owner, base);
    expect(source.secret).toMatch(/^whsec_/);
    const listed = await owner.get(`${base}/webhook-sources`);
    expect(JSON.stringify(listed.body)).not.toContain(source.secret);

    const event = orderEvent({ attribution: { collaboratorId: null, refId: ctv.body.refId, couponCode: null, opportunityId: null } });
    const res = await deliver(tenantId, source, event);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ revision: 1, applied: true });
    const order = await owner.get(`${base}/orders/${res.body.orderId}`);
    expect(order.status).toBe(200);
    expect(order.body).toMatchObject({ id: res.body.orderId, externalId: 'HD-10293', revision: 1, state: 'approved' });
    // 2 × 350,000 − order discount 50,000 (one line takes it all); shipping excluded
    expect(order.body.lines[0].netRevenue).toBe(650_000);
    expect(order.body.attribution).toMatchObject({ collaboratorId: ctv.body.id, rule: 'ref_id', reason: 'credited' });
    expect(order.body.commissionLines).toEqual([]); // no commission plan yet
  });

  it('refuses a bad signature, a stale timestamp, an unknown source and an oversize body; parks signed content it cannot read; no order', async () => {
    const { owner, base, tenantId } = await newBusiness();
    const source = await newSource(owner, base);
    const event = orderEvent({ externalId: 'HD-REJECT' });
    const raw = JSON.stringify(event);
    const path = `/v1/webhooks/${tenantId}/${source.id}/orders`;

    expect((await deliver(tenantId, source, event, { secret: 'whsec_wrong' })).status).toBe(401);
    expect((await request('POST', path, { body: raw })).status).toBe(401); // no signature at all
    expect((await request('POST', path, { body: raw, headers: { 'x-ctv-signature': 't=1,v1=zz' } })).status).toBe(401);
    // a minute past the ±300 s window: timestamps are whole seconds, so a request that crosses a
    // second boundary on its way to the check (a millisecond can do) brings one 301 s ahead back into
    // the window (the exact edges: test/domain/orders/signatures.test.ts, on a fixed clock)
    expect((await deliver(tenantId, source, event, { t: suiteNowSeconds() - 360 })).status).toBe(401);
    expect((await deliver(tenantId, source, event, { t: suiteNowSeconds() + 360 })).status).toBe(401);
    expect((await deliver(tenantId, { id: '01ARZ3NDEKTSV4RRFFQ69G5FAV', secret: source.secret }, event)).status).toBe(401);
    const other = await newBusiness();
    expect((await deliver(other.tenantId, source, event)).status).toBe(401); // a source of another business

    const huge = orderEvent({ externalId: 'HD-HUGE', customer: { phone: '0912345678', name: 'x'.repeat(300 * 1024) } });
    const big = await deliver(tenantId, source, huge);
    expect(big.status).toBe(413);

    // signed content that cannot be read is never refused: parked for the owner (202), no order
    const malformed = await deliver(tenantId, source, null, { raw: '{"externalId": "HD-REJECT",' });
    expect(malformed.status).toBe(202);
    expect(malformed.body).toMatchObject({ status: 'parked', errors: [{ path: 'body', message: 'malformed JSON' }] });

    const invalid = await deliver(tenantId, source, { ...event, lines: [{ ...event.lines[0], quantity: -1 }] });
    expect(invalid.status).toBe(202);
    expect(invalid.body.status).toBe('parked');
    expect(invalid.body.errors.map((e: any) => e.path)).toContain('lines.0.quantity');
    const parked = await owner.get(`${base}/webhook-deliveries?status=parked`);
    expect(parked.body.items.map((d: any) => d.id).sort()).toEqual([malformed.body.deliveryId, invalid.body.deliveryId].sort());

    const list = await owner.get(`${base}/orders?from=2026-01-01&to=2026-12-31`);
    expect(list.body.items).toEqual([]);
  });

  it('the same event delivered 5 times gives one order and one set of ledger effects', async () => {
    const { owner, base, tenantId } = await newBusiness();
    await owner.post(`${base}/commission-plans`, { effectiveFrom: '2026-01-01', basic: { default: { percentBp: 1000 } } });
    const ctv = await owner.post(`${base}/collaborators`, { name: 'Hoa', phone: uniquePhone() });
    const source = await newSource(owner, base);
    const event = orderEvent({
      externalId: 'HD-5X',
      lines: [{ lineId: '1', productId: 'SERUM-30', unit: 'chai', category: 'serum', quantity: 30, unitPrice: 500_000, discount: 0 }],
      orderDiscount: 0,
      attribution: { collaboratorId: ctv.body.id },
    });
    const answers = await Promise.all(Array.from({ length: 5 }, () => deliver(tenantId, source, event)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect(answers.filter((a) => a.body.applied)).toHaveLength(1);
    expect(new Set(answers.map((a) => a.body.orderId)).size).toBe(1);

    const order = await owner.get(`${base}/orders/${answers[0]!.body.orderId}`);
    // DOMAIN.md: 30 × 500,000 = 15,000,000 at 10% → 1,500,000, once
    expect(order.body.commissionLines.map((l: any) => [l.kind, l.amount])).toEqual([['basic', 1_500_000]]);
    const earnings = await owner.get(`${base}/collaborators/${ctv.body.id}/earnings?period=2026-11`);
    expect(earnings.body).toMatchObject({ period: '2026-11', total: 1_500_000 });
    expect(earnings.body.byKind.basic).toBe(1_500_000);
    const orders = await owner.get(`${base}/orders?from=2026-11-01&to=2026-11-30`);
    expect(orders.body.items).toHaveLength(1);
  });

  it('a rotated secret: both verify during the overlap; without overlap the old one stops', async () => {
    const { owner, base, tenantId } = await newBusiness();
    const source = await newSource(owner, base);
    const rotated = await owner.post(`${base}/webhook-sources/${source.id}/rotate`, { overlapHours: 24 }, { 'If-Match': '"1"' });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(source.secret);
    expect((await deliver(tenantId, source, orderEvent({ externalId: 'R1' }))).status).toBe(200);
    expect((await deliver(tenantId, { id: source.id, secret: rotated.body.secret }, orderEvent({ externalId: 'R2' }))).status).toBe(200);
    const again = await owner.post(`${base}/webhook-sources/${source.id}/rotate`, { overlapHours: 0 }, { 'If-Match': '"2"' });
    expect((await deliver(tenantId, { id: source.id, secret: rotated.body.secret }, orderEvent({ externalId: 'R3' }))).status).toBe(401);
    expect((await deliver(tenantId, { id: source.id, secret: again.body.secret }, orderEvent({ externalId: 'R3' }))).status).toBe(200);
  });
});
