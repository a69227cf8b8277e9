import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { computeNetRevenue, type NetRevenueLineInput } from '../../../domain/orders/net-revenue';
import { domainErrorOf } from './helpers';

const line = (lineId: string, quantity: number, unitPrice: number, discount = 0, returnedQuantity = 0): NetRevenueLineInput => ({
  lineId,
  quantity,
  unitPrice,
  discount,
  returnedQuantity,
});

describe('net revenue, by hand', () => {
  it('2 × 350,000 and a second line share an order discount of 50,000', () => {
    // v1 = 700,000; v2 = 300,000 − 20,000 = 280,000; V = 980,000
    // share1 = ⌊50,000 × 700,000 ÷ 980,000⌋ = ⌊35,714.28…⌋ = 35,714; share2 = 50,000 − 35,714 = 14,286
    const r = computeNetRevenue({ lines: [line('1', 2, 350_000), line('2', 1, 300_000, 20_000)], orderDiscount: 50_000 });
    expect(r.lines).toEqual([
      { lineId: '1', grossValue: 700_000, orderDiscountShare: 35_714, netRevenue: 664_286, keptQuantity: 2, keptNetRevenue: 664_286 },
      { lineId: '2', grossValue: 280_000, orderDiscountShare: 14_286, netRevenue: 265_714, keptQuantity: 1, keptNetRevenue: 265_714 },
    ]);
    expect(r.totals).toEqual({
      grossValue: 980_000,
      orderDiscount: 50_000,
      netRevenue: 930_000,
      keptNetRevenue: 930_000,
      quantity: 3,
      keptQuantity: 3,
    });
  });

  it('a line with returned units keeps its share of R; the discount shares are not recomputed', () => {
    // same order, one of the two serums returned: line 1 keeps 664,286 × 1 ÷ 2 = 332,143
    const r = computeNetRevenue({ lines: [line('1', 2, 350_000, 0, 1), line('2', 1, 300_000, 20_000)], orderDiscount: 50_000 });
    expect(r.lines[0]).toMatchObject({ orderDiscountShare: 35_714, netRevenue: 664_286, keptQuantity: 1, keptNetRevenue: 332_143 });
    expect(r.lines[1]).toMatchObject({ orderDiscountShare: 14_286, keptNetRevenue: 265_714 });
    expect(r.totals.keptNetRevenue).toBe(597_857);
    expect(r.totals.keptQuantity).toBe(2);
  });

  it('rounds the kept revenue half away from zero', () => {
    // R = 700,000 − 1 = 699,999; half of it is 349,999.5 → 350,000
    expect(computeNetRevenue({ lines: [line('1', 2, 350_000, 0, 1)], orderDiscount: 1 }).lines[0]!.keptNetRevenue).toBe(350_000);
    // R = 3 × 100,000 − 200,000 = 100,000 over 3 units: keep 2 → 66,666.67 → 66,667; keep 1 → 33,333.33 → 33,333
    expect(computeNetRevenue({ lines: [line('1', 3, 100_000, 200_000, 1)] }).lines[0]!.keptNetRevenue).toBe(66_667);
    expect(computeNetRevenue({ lines: [line('1', 3, 100_000, 200_000, 2)] }).lines[0]!.keptNetRevenue).toBe(33_333);
  });

  it('a full return keeps nothing', () => {
    const r = computeNetRevenue({ lines: [line('1', 2, 350_000, 0, 2), line('2', 1, 300_000, 20_000, 1)], orderDiscount: 50_000 });
    expect(r.lines.map((l) => l.keptNetRevenue)).toEqual([0, 0]);
    expect(r.totals.keptNetRevenue).toBe(0);
    expect(r.totals.netRevenue).toBe(930_000);
  });

  it('gives the rounding remainder to the last line with a value, never to a free gift', () => {
    // V = 800,000, D = 100,001: line A ⌊100,001 × 5 ÷ 8⌋ = 62,500; B the rest, 37,501; the 0 đ gift nothing
    const r = computeNetRevenue({
      lines: [line('A', 1, 500_000), line('B', 1, 300_000), line('gift', 1, 0)],
      orderDiscount: 100_001,
    });
    expect(r.lines.map((l) => l.orderDiscountShare)).toEqual([62_500, 37_501, 0]);
    expect(r.lines.map((l) => l.netRevenue)).toEqual([437_500, 262_499, 0]);
  });

  it('excludes shipping and VAT: only lines and discounts enter', () => {
    const r = computeNetRevenue({ lines: [line('1', 1, 100_000)] });
    expect(r.totals.netRevenue).toBe(100_000);
  });

  it('an order discount above V is a rule violation naming orderDiscount', () => {
    const err = domainErrorOf(() =>
      computeNetRevenue({ lines: [line('1', 2, 350_000), line('2', 1, 300_000, 20_000)], orderDiscount: 980_001 }),
    );
    expect(err.kind).toBe('rule_violation');
    expect(err.errors.map((e) => e.path)).toEqual(['orderDiscount']);
    // exactly V is allowed: everything is discounted away
    const all = computeNetRevenue({ lines: [line('1', 2, 350_000), line('2', 1, 300_000, 20_000)], orderDiscount: 980_000 });
    expect(all.lines.map((l) => l.netRevenue)).toEqual([0, 0]);
  });

  it('rejects a line discount above its value and a return above its quantity', () => {
    expect(domainErrorOf(() => computeNetRevenue({ lines: [line('1', 1, 1000, 1001)] })).errors[0]!.path).toBe('lines.0.discount');
    expect(domainErrorOf(() => computeNetRevenue({ lines: [line('1', 1, 1000, 0, 2)] })).errors[0]!.path).toBe(
      'lines.0.returnedQuantity',
    );
  });

  it('stays exact for amounts whose products pass 2^53', () => {
    // D × v = 10^15 × 6×10^14 is far beyond 2^53: share1 = ⌊10^15 × 6 ÷ 10⌋ exactly
    const r = computeNetRevenue({
      lines: [line('1', 1, 600_000_000_000_000), line('2', 1, 400_000_000_000_000)],
      orderDiscount: 999_999_999_999_999,
    });
    expect(r.lines[0]!.orderDiscountShare).toBe(599_999_999_999_999); // ⌊599,999,999,999,999.4⌋
    expect(r.lines[1]!.orderDiscountShare).toBe(400_000_000_000_000);
  });
});

const lineArb = fc
  .record({ quantity: fc.integer({ min: 1, max: 50 }), unitPrice: fc.integer({ min: 0, max: 5_000_000 }) })
  .chain(({ quantity, unitPrice }) =>
    fc.record({
      quantity: fc.constant(quantity),
      unitPrice: fc.constant(unitPrice),
      discount: fc.integer({ min: 0, max: quantity * unitPrice }),
      returnedQuantity: fc.integer({ min: 0, max: quantity }),
    }),
  );

const orderArb = fc.array(lineArb, { minLength: 1, maxLength: 12 }).chain((ls) => {
  const lines = ls.map((l, i) => ({ lineId: String(i + 1), ...l }));
  const V = lines.reduce((s, l) => s + l.unitPrice * l.quantity - l.discount, 0);
  return fc.record({ lines: fc.constant(lines), orderDiscount: fc.integer({ min: 0, max: V }) });
});

/** The DOMAIN.md rule written again, independently, in BigInt. */
function referenceShares(values: bigint[], D: bigint): bigint[] {
  const sharing = values.map((v, i) => [v, i] as const).filter(([v]) => v > 0n);
  const V = values.reduce((a, b) => a + b, 0n);
  const out = values.map(() => 0n);
  let given = 0n;
  sharing.forEach(([v, i], k) => {
    if (k < sharing.length - 1) {
      out[i] = (D * v) / V;
      given += out[i]!;
    } else out[i] = D - given;
  });
  return out;
}

describe('net revenue, invariants', () => {
  it('Σ shares = D exactly, Σ R = V − D, and the shares follow the rule', () => {
    fc.assert(
      fc.property(orderArb, (order) => {
        const r = computeNetRevenue(order);
        const V = order.lines.reduce((s, l) => s + l.unitPrice * l.quantity - l.discount, 0);
        expect(r.lines.reduce((s, l) => s + l.orderDiscountShare, 0)).toBe(order.orderDiscount);
        expect(r.lines.reduce((s, l) => s + l.netRevenue, 0)).toBe(V - order.orderDiscount);
        expect(r.totals.netRevenue).toBe(V - order.orderDiscount);
        const expected = referenceShares(
          order.lines.map((l) => BigInt(l.unitPrice * l.quantity - l.discount)),
          BigInt(order.orderDiscount),
        );
        expect(r.lines.map((l) => BigInt(l.orderDiscountShare))).toEqual(expected);
      }),
    );
  });

  it('the kept revenue is R × kept ÷ qty rounded half away from zero; a full return keeps 0', () => {
    fc.assert(
      fc.property(orderArb, (order) => {
        const r = computeNetRevenue(order);
        r.lines.forEach((l, i) => {
          const src = order.lines[i]!;
          const kept = src.quantity - src.returnedQuantity;
          expect(l.keptQuantity).toBe(kept);
          // |R × kept ÷ qty − kept R| ≤ ½, with ties away from zero
          const twice = 2 * l.netRevenue * kept; // exact: well below 2^53 here
          const lower = 2 * l.keptNetRevenue * src.quantity - src.quantity;
          const upper = 2 * l.keptNetRevenue * src.quantity + src.quantity;
          expect(twice >= lower && twice <= upper).toBe(true);
          if (l.netRevenue >= 0) expect(twice).toBeLessThan(upper);
          if (kept === 0) expect(l.keptNetRevenue).toBe(0);
          if (kept === src.quantity) expect(l.keptNetRevenue).toBe(l.netRevenue);
        });
      }),
    );
  });
});
