import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, inject, it } from 'vitest';
import { keys } from '../../functions/store/keys';
import { newBusiness, unique, uniquePhone } from './support/api';
import { deliver, newSource, orderEvent } from './support/orders';

/**
 * Money limits (docs/api.md, "Money limits"): every amount of an order is at most 10^12 đ, refused as a 400
 * naming the field; a stored number past 2^53 (only absurd data gets there) is answered as a 500
 * problem of its own type, `amount_out_of_range`, never a BigInt crash or a rounded amount.
 */
const MAX = 1_000_000_000_000;

const line = (lineId: string, quantity: number, unitPrice: number) => ({
  lineId,
  productId: `P-${lineId}`,
  unit: 'căn',
  category: 'bất động sản',
  quantity,
  unitPrice,
  discount: 0,
});

async function businessWithPlan() {
  const b = await newBusiness();
  const plan = await b.owner.post(`${b.base}/commission-plans`, { effectiveFrom: '2026-01-01', basic: { default: { percentBp: 1000 } } });
  if (plan.status !== 201) throw new Error(JSON.stringify(plan.body));
  return { ...b, source: await newSource(b.owner, b.base) };
}

/** The fields named by a refused manual order (400), or by a signed delivery parked for the owner (202). */
const pathsOf = (res: { status: number; body: any }, status: 400 | 202 = 400) => {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  if (status === 202) expect(res.body.status).toBe('parked');
  return (res.body.errors as { path: string }[]).map((e) => e.path);
};
const parkedPathsOf = (res: { status: number; body: any }) => pathsOf(res, 202);

describe('money limits', () => {
  it('an order of 10^12 đ is priced; one đồng more on a unit price, a line, the order or a fee is parked (signed) or a 400 (by hand) naming the field', async () => {
    const { owner, base, tenantId, source } = await businessWithPlan();
    const ctv = await owner.post(`${base}/collaborators`, { name: 'Trương Văn Long', phone: uniquePhone() });
    const event = (externalId: string, overrides: Record<string, unknown>) =>
      orderEvent({
        externalId,
        customer: { phone: uniquePhone() },
        orderDiscount: 0,
        shippingFee: 0,
        attribution: { collaboratorId: ctv.body.id },
        ...overrides,
      });

    const largest = await deliver(tenantId, source, event(unique('HD-MAX-'), { lines: [line('1', 1, MAX)] }));
    expect(largest.status, JSON.stringify(largest.body)).toBe(200);
    const order = (await owner.get(`${base}/orders/${largest.body.orderId}`)).body;
    expect(order.netRevenue).toBe(MAX);
    expect(order.commissionTotal).toBe(MAX / 10);

    expect(parkedPathsOf(await deliver(tenantId, source, event(unique('HD-'), { lines: [line('1', 1, MAX + 1)] })))).toContain(
      'lines.0.unitPrice',
    );
    expect(parkedPathsOf(await deliver(tenantId, source, event(unique('HD-'), { lines: [line('1', 1_000_000, 1_000_001)] })))).toContain(
      'lines.0.unitPrice',
    );
    expect(parkedPathsOf(await deliver(tenantId, source, event(unique('HD-'), { lines: [line('1', 1, MAX), line('2', 1, 1)] })))).toEqual([
      'lines',
    ]);
    expect(
      parkedPathsOf(await deliver(tenantId, source, event(unique('HD-'), { lines: [line('1', 1, 1000)], shippingFee: MAX + 1 }))),
    ).toEqual(['shippingFee']);

    // an order entered by hand has the same limit
    const manual = await owner.post(`${base}/orders`, {
      customer: { phone: uniquePhone() },
      lines: [line('1', 1, 600_000_000_000), line('2', 1, 400_000_000_001)],
      attribution: { collaboratorId: ctv.body.id },
    });
    expect(pathsOf(manual)).toEqual(['lines']);
  });

  it('an order whose commission under the plan is past 2^53 is parked (202) naming the lines, stores no order, and a retry stays parked', async () => {
    const b = await newBusiness();
    // 10^9 đ per unit (the plan's largest fixed amount) on 10 lines of 10^6 units at 1 đ:
    // each line earns 10^15 đ, the order 10^16 > 2^53 − 1 ≈ 9.007 × 10^15
    const plan = await b.owner.post(`${b.base}/commission-plans`, {
      effectiveFrom: '2026-01-01',
      basic: { default: { fixedPerUnit: 1_000_000_000 } },
    });
    expect(plan.status, JSON.stringify(plan.body)).toBe(201);
    const source = await newSource(b.owner, b.base);
    const ctv = await b.owner.post(`${b.base}/collaborators`, { name: 'Trương Văn Long', phone: uniquePhone() });
    const externalId = unique('HD-HUGE-');
    const event = orderEvent({
      externalId,
      customer: { phone: uniquePhone() },
      orderDiscount: 0,
      shippingFee: 0,
      attribution: { collaboratorId: ctv.body.id },
      lines: Array.from({ length: 10 }, (_, i) => line(String(i + 1), 1_000_000, 1)),
    });
    // signed: parked for the owner (202), never refused; the same delivery again stays parked, stored once
    const deliveryIds: string[] = [];
    for (let attempt = 0; attempt < 2; attempt++) {
      const res = await deliver(b.tenantId, source, event);
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      expect(res.body.status).toBe('parked');
      expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(['lines']);
      deliveryIds.push(res.body.deliveryId);
    }
    expect(deliveryIds[1]).toBe(deliveryIds[0]);
    // a control order in the same days is stored and listed: the list's window holds the huge one's time
    const control = await deliver(b.tenantId, source, orderEvent({ ...event, externalId: unique('HD-SMALL-'), lines: [line('1', 1, 1)] }));
    expect(control.status, JSON.stringify(control.body)).toBe(200);
    const listed = await b.owner.get(`${b.base}/orders?from=2026-11-01&to=2026-11-30&limit=10`);
    expect(listed.status, JSON.stringify(listed.body)).toBe(200);
    expect(listed.body.items.map((o: { id: string }) => o.id)).toEqual([control.body.orderId]);
  });

  it('a stored total past 2^53 answers a 500 problem of type amount_out_of_range, not a crash', async () => {
    const { owner, base, tenantId } = await newBusiness();
    const ctv = await owner.post(`${base}/collaborators`, { name: 'Hồ Thị Ngọc', phone: uniquePhone() });
    const beneficiary = `collaborator:${ctv.body.id}`;
    const client = new DynamoDBClient({
      endpoint: inject('ddbEndpoint'),
      region: 'ap-southeast-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const putTotal = (periodId: string, basic: string) => {
      const key = keys.earnings(tenantId, beneficiary, periodId);
      return client.send(
        new PutItemCommand({
          TableName: inject('tableName'),
          Item: { pk: { S: key.pk }, sk: { S: key.sk }, entity: { S: 'earnings' }, k_basic: { N: basic }, total: { N: basic } },
        }),
      );
    };
    try {
      // one stored number past the safe range (lib-dynamodb would read it as a BigInt)
      await putTotal('2027-01', String(2n ** 60n));
      // two safe months whose sum is past it
      await putTotal('2026-11', '5000000000000000');
      await putTotal('2026-12', '5000000000000000');
    } finally {
      client.destroy();
    }
    const expected = { status: 500, type: 'urn:ctv-cloud:problem:amount_out_of_range' };
    for (const period of ['2027-01', '2027', '2026-Q4']) {
      const res = await owner.get(`${base}/collaborators/${ctv.body.id}/earnings?period=${period}`);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect({ status: res.status, type: res.body.type }, period).toEqual(expected);
      expect(res.body.detail).toContain('9,007,199,254,740,991');
    }
    const nov = await owner.get(`${base}/collaborators/${ctv.body.id}/earnings?period=2026-11`);
    expect(nov.status).toBe(200);
    expect(nov.body.total).toBe(5_000_000_000_000_000);
    const afterNov = await owner.get(`${base}/collaborators/${ctv.body.id}/earnings?period=2026-12`);
    expect(afterNov.body.total).toBe(5_000_000_000_000_000);
  });
});
