import { describe, expect, it } from 'vitest';
import { newBusiness, uniquePhone } from './support/api';
import { deliver, newSource, orderEvent } from './support/orders';

/**
 * An order whose customer has no phone, or a foreign one, is taken and credited by its hints, but
 * binds nobody (API.md: "customer.phone may be missing, null or not Vietnamese"). A Vietnamese
 * customer is the control: the same two orders make the second one a repurchase by binding.
 */
const line = { lineId: '1', productId: 'SERUM-30', unit: 'chai', category: 'serum', quantity: 1, unitPrice: 1_000_000, discount: 0 };

async function business() {
  const b = await newBusiness();
  const plan = await b.owner.post(`${b.base}/commission-plans`, {
    effectiveFrom: '2026-01-01',
    basic: { default: { percentBp: 1000 } },
    repurchase: { percentBp: 400, bindingDays: 365 },
  });
  expect(plan.status).toBe(201);
  const source = await newSource(b.owner, b.base);
  const ctv = async (name: string) => {
    const res = await b.owner.post(`${b.base}/collaborators`, { name, phone: uniquePhone() });
    expect(res.status).toBe(201);
    return res.body as { id: string; refId: string };
  };
  return { ...b, source, a: await ctv('CTV A'), b: await ctv('CTV B') };
}

type World = Awaited<ReturnType<typeof business>>;

/** Deliver one signed order and read it back. */
async function order(w: World, event: Record<string, unknown>) {
  const res = await deliver(w.tenantId, w.source, orderEvent({ orderDiscount: 0, shippingFee: 0, lines: [line], ...event }));
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.applied).toBe(true);
  const read = await w.owner.get(`${w.base}/orders/${res.body.orderId}`);
  expect(read.status).toBe(200);
  return read.body;
}

describe('orders: the customer phone', () => {
  it('takes an order with no phone, a foreign phone or a Vietnamese one, credited by its explicit CTV id', async () => {
    const w = await business();
    const vn = uniquePhone();
    const cases: [string, Record<string, unknown>, string | null][] = [
      ['no phone', { name: 'Khách lẻ' }, null],
      ['a null phone', { phone: null, name: 'Khách lẻ' }, null],
      ['a foreign phone', { phone: '+65 9123 4567', name: 'Tan Wei Ming' }, '+6591234567'],
      ['a foreign phone after 00', { phone: '0082 10-1234-5678', name: 'Kim' }, '+821012345678'],
      ['not a phone (dropped)', { phone: 'gọi chị Lan', name: 'Khách' }, null],
      ['a Vietnamese phone', { phone: vn, name: 'Trần Văn Bình' }, `+84${vn.slice(1)}`],
    ];
    for (const [label, customer, phone] of cases) {
      const o = await order(w, {
        externalId: `HD-PHONE-${label}`,
        state: 'approved',
        customer,
        attribution: { collaboratorId: w.a.id },
      });
      expect(o.customer, label).toEqual({ phone, name: customer.name });
      expect(o.attribution, label).toMatchObject({
        collaboratorId: w.a.id,
        rule: 'collaborator_id',
        reason: 'credited',
        isRepurchase: false,
      });
      // credited: 10% of 1,000,000
      expect(o.commissionTotal, label).toBe(100_000);
    }
  });

  it('a later order of a customer with no phone or a foreign one is not credited by binding; a Vietnamese one is', async () => {
    const w = await business();
    const customers: [string, Record<string, unknown>, boolean][] = [
      ['no phone', { name: 'Khách lẻ' }, false],
      ['foreign', { phone: '+65 9123 4567', name: 'Tan Wei Ming' }, false],
      ['Vietnamese', { phone: uniquePhone(), name: 'Khách quen' }, true],
    ];
    for (const [label, customer, binds] of customers) {
      // the first order, credited to A by its CTV id, is completed: a Vietnamese customer is now A's
      const first = { externalId: `HD-FIRST-${label}`, customer, attribution: { collaboratorId: w.a.id } };
      await order(w, { ...first, revision: 1, state: 'approved', occurredAt: '2026-11-02T10:00:00+07:00' });
      const completed = await order(w, { ...first, revision: 2, state: 'completed', occurredAt: '2026-11-04T10:00:00+07:00' });
      expect(completed.attribution, label).toMatchObject({ collaboratorId: w.a.id, rule: 'collaborator_id' });

      // the same customer buys again with no hint at all
      const again = await order(w, {
        externalId: `HD-AGAIN-${label}`,
        customer,
        state: 'approved',
        occurredAt: '2026-11-10T10:00:00+07:00',
      });
      // and again, naming CTV B
      const named = await order(w, {
        externalId: `HD-NAMED-${label}`,
        customer,
        state: 'approved',
        occurredAt: '2026-11-11T10:00:00+07:00',
        attribution: { collaboratorId: w.b.id },
      });
      if (binds) {
        expect(again.attribution, label).toMatchObject({ collaboratorId: w.a.id, rule: 'binding', isRepurchase: true });
        expect(again.commissionTotal, label).toBe(40_000); // repurchase 4%
        expect(named.attribution, label).toMatchObject({ collaboratorId: w.a.id, rule: 'binding', isRepurchase: true });
      } else {
        expect(again.attribution, label).toMatchObject({ collaboratorId: null, rule: null, reason: 'no_hint', isRepurchase: false });
        expect(again.commissionLines, label).toEqual([]);
        expect(named.attribution, label).toMatchObject({
          collaboratorId: w.b.id,
          rule: 'collaborator_id',
          reason: 'credited',
          isRepurchase: false,
        });
        expect(named.commissionTotal, label).toBe(100_000); // basic 10% for B, not a repurchase for A
      }
    }
  });

  it('care staff entering an order by hand: no phone or a foreign one is taken, a typo is a 400 naming customer.phone', async () => {
    const w = await business();
    const manual = (customer: Record<string, unknown>) =>
      w.owner.post(`${w.base}/orders`, { customer, lines: [line], attribution: { collaboratorId: w.a.id } });

    const none = await manual({ name: 'Khách vãng lai' });
    expect(none.status, JSON.stringify(none.body)).toBe(201);
    expect(none.body.customer).toEqual({ phone: null, name: 'Khách vãng lai' });

    const foreign = await manual({ phone: '+65 9123 4567' });
    expect(foreign.status, JSON.stringify(foreign.body)).toBe(201);
    expect(foreign.body.customer.phone).toBe('+6591234567');
    expect(foreign.body.attribution).toMatchObject({ collaboratorId: w.a.id, rule: 'collaborator_id' });

    const typo = await manual({ phone: '0912 345 67' });
    expect(typo.status).toBe(400);
    expect(typo.body.errors.map((e: { path: string }) => e.path)).toEqual(['customer.phone']);
  });
});
