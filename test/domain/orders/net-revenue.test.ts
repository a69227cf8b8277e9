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

  it('an order discount above V counts as V: every R is 0 (no longer refused here)', () => {
    // Until issue 13 this threw a rule violation naming orderDiscount. DOMAIN.md, "Orders", now says
    // "a D above V counts as V", so the computation takes it and every line is discounted away.
    // (The API schema, OrderEvent in domain/orders/event.ts, still refuses D > V as a 422.)
    const over = computeNetRevenue({ lines: [line('1', 2, 350_000), line('2', 1, 300_000, 20_000)], orderDiscount: 980_001 });
    expect(over.lines.map((l) => l.orderDiscountShare)).toEqual([700_000, 280_000]);
    expect(over.lines.map((l) => l.netRevenue)).toEqual([0, 0]);
    expect(over.totals).toMatchObject({ grossValue: 980_000, orderDiscount: 980_000, netRevenue: 0, keptNetRevenue: 0 });
    // exactly V: the same, everything is discounted away
    const all = computeNetRevenue({ lines: [line('1', 2, 350_000), line('2', 1, 300_000, 20_000)], orderDiscount: 980_000 });
    expect(all.lines.map((l) => l.orderDiscountShare)).toEqual([700_000, 280_000]);
    expect(all.lines.map((l) => l.netRevenue)).toEqual([0, 0]);
    expect(all.totals).toMatchObject({ orderDiscount: 980_000, netRevenue: 0 });
  });

  it('rejects a line discount above its value and a return above its quantity', () => {
    expect(domainErrorOf(() => computeNetRevenue({ lines: [line('1', 1, 1000, 1001)] })).errors[0]!.path).toBe('lines.0.discount');
    expect(domainErrorOf(() => computeNetRevenue({ lines: [line('1', 1, 1000, 0, 2)] })).errors[0]!.path).toBe('lines.0.returnedQuantity');
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

describe('net revenue is never below zero (DOMAIN.md, "Orders", issue 13)', () => {
  const shares = (r: ReturnType<typeof computeNetRevenue>) => r.lines.map((l) => l.orderDiscountShare);
  const revenues = (r: ReturnType<typeof computeNetRevenue>) => r.lines.map((l) => l.netRevenue);

  it('lines 333,333 / 333,333 / 1,000 with an order discount of 667,665 (the real case)', () => {
    // v = 333,333 / 333,333 / 1,000; V = 667,666; D = 667,665 (V − 1)
    // D × v = 667,665 × 333,333 = 222,554,777,445 = 333,332 × 667,666 + 334,333
    //   → lines 1 and 2 each get ⌊333,332.5007…⌋ = 333,332
    // line 3 gets the rest: 667,665 − 2 × 333,332 = 667,665 − 666,664 = 1,001 > its v = 1,000
    //   (the old rule stored R3 = 1,000 − 1,001 = −1, with R = 1 / 1 / −1)
    // line 3 keeps 1,000 and passes the excess 1 back to line 2: 333,332 + 1 = 333,333 ≤ 333,333, it stops
    // shares 333,332 / 333,333 / 1,000 (Σ = 667,665 = D); R = 1 / 0 / 0 (Σ = 1 = V − D)
    const r = computeNetRevenue({
      lines: [line('1', 1, 333_333), line('2', 1, 333_333), line('3', 1, 1_000)],
      orderDiscount: 667_665,
    });
    expect(shares(r)).toEqual([333_332, 333_333, 1_000]);
    expect(revenues(r)).toEqual([1, 0, 0]);
    expect(r.totals).toMatchObject({ grossValue: 667_666, orderDiscount: 667_665, netRevenue: 1, keptNetRevenue: 1 });
  });

  it('the excess moves back over several lines, one at a time', () => {
    // five lines of 1,000; V = 5,000; D = 4,999
    // lines 1–4: ⌊4,999 × 1,000 ÷ 5,000⌋ = ⌊999.8⌋ = 999 each (Σ 3,996); line 5: 4,999 − 3,996 = 1,003
    // line 5 keeps 1,000, passes 3 → line 4: 999 + 3 = 1,002, keeps 1,000, passes 2
    //   → line 3: 999 + 2 = 1,001, keeps 1,000, passes 1 → line 2: 999 + 1 = 1,000, stops
    // shares 999 / 1,000 / 1,000 / 1,000 / 1,000; R = 1 / 0 / 0 / 0 / 0 (Σ = 1 = V − D)
    const r = computeNetRevenue({ lines: ['1', '2', '3', '4', '5'].map((id) => line(id, 1, 1_000)), orderDiscount: 4_999 });
    expect(shares(r)).toEqual([999, 1_000, 1_000, 1_000, 1_000]);
    expect(revenues(r)).toEqual([1, 0, 0, 0, 0]);
  });

  it('D = V: every line gives up its whole value', () => {
    // V = 667,666 = D: ⌊D × v ÷ V⌋ = v exactly for lines 1 and 2; line 3 gets the rest, 1,000 = its v
    const r = computeNetRevenue({
      lines: [line('1', 1, 333_333), line('2', 1, 333_333), line('3', 1, 1_000)],
      orderDiscount: 667_666,
    });
    expect(shares(r)).toEqual([333_333, 333_333, 1_000]);
    expect(revenues(r)).toEqual([0, 0, 0]);
  });

  it('D > V counts as V: every R is 0', () => {
    // D = 1,000,000 > V = 667,666: the same as D = 667,666
    const r = computeNetRevenue({
      lines: [line('1', 1, 333_333), line('2', 1, 333_333, 0, 1), line('3', 1, 1_000)],
      orderDiscount: 1_000_000,
    });
    expect(shares(r)).toEqual([333_333, 333_333, 1_000]);
    expect(revenues(r)).toEqual([0, 0, 0]);
    expect(r.lines.map((l) => l.keptNetRevenue)).toEqual([0, 0, 0]);
    expect(r.totals).toMatchObject({ grossValue: 667_666, orderDiscount: 667_666, netRevenue: 0, keptNetRevenue: 0 });
  });

  it('a zero-value line takes no share, wherever it stands', () => {
    // gift first: V = 1,000; D = 999: gift ⌊999 × 0 ÷ 1,000⌋ = 0; the 999 đ line ⌊999 × 999 ÷ 1,000⌋ = ⌊998.001⌋ = 998;
    // the last (1 đ) gets 999 − 998 = 1 = its v. Shares 0 / 998 / 1; R = 0 / 1 / 0
    const first = computeNetRevenue({ lines: [line('gift', 1, 0), line('A', 1, 999), line('B', 1, 1)], orderDiscount: 999 });
    expect(shares(first)).toEqual([0, 998, 1]);
    expect(revenues(first)).toEqual([0, 1, 0]);
    // gift last, D = V − 1 = 999 over 500 / 500 / 0: ⌊999 × 500 ÷ 1,000⌋ = 499 twice; the gift gets the rest,
    // 999 − 998 = 1 > its v = 0: it keeps 0 and passes 1 back to B: 499 + 1 = 500. Shares 499 / 500 / 0; R = 1 / 0 / 0
    const last = computeNetRevenue({ lines: [line('A', 1, 500), line('B', 1, 500), line('gift', 1, 0)], orderDiscount: 999 });
    expect(shares(last)).toEqual([499, 500, 0]);
    expect(revenues(last)).toEqual([1, 0, 0]);
    // only zero-value lines: V = 0, so any D counts as 0 (no division by zero)
    const nothing = computeNetRevenue({ lines: [line('gift', 2, 0), line('free', 1, 5_000, 5_000)], orderDiscount: 10_000 });
    expect(shares(nothing)).toEqual([0, 0]);
    expect(revenues(nothing)).toEqual([0, 0]);
    expect(nothing.totals).toMatchObject({ grossValue: 0, orderDiscount: 0, netRevenue: 0 });
  });

  it('one line takes the whole discount, up to its value', () => {
    // v = 3 × 100,000 − 20,000 = 280,000: D = 50,000 → R = 230,000; D = 280,000 → 0; D = 300,000 counts as 280,000 → 0
    expect(revenues(computeNetRevenue({ lines: [line('1', 3, 100_000, 20_000)], orderDiscount: 50_000 }))).toEqual([230_000]);
    expect(revenues(computeNetRevenue({ lines: [line('1', 3, 100_000, 20_000)], orderDiscount: 280_000 }))).toEqual([0]);
    const over = computeNetRevenue({ lines: [line('1', 3, 100_000, 20_000)], orderDiscount: 300_000 });
    expect(shares(over)).toEqual([280_000]);
    expect(revenues(over)).toEqual([0]);
  });

  it('a line whose discount equals its value is a zero-value line', () => {
    // v = 2 × 50,000 − 100,000 = 0 (last); the other v = 700,000 = V; D = 699,999:
    // line 1: ⌊699,999 × 700,000 ÷ 700,000⌋ = 699,999; line 2 the rest, 0. R = 1 / 0
    const r = computeNetRevenue({ lines: [line('1', 2, 350_000), line('2', 2, 50_000, 100_000)], orderDiscount: 699_999 });
    expect(r.lines[1]).toMatchObject({ grossValue: 0, orderDiscountShare: 0, netRevenue: 0 });
    expect(revenues(r)).toEqual([1, 0]);
    // in front, with D = V = 700,000: it still takes nothing, line 2 takes everything
    const front = computeNetRevenue({ lines: [line('1', 2, 50_000, 100_000), line('2', 2, 350_000)], orderDiscount: 700_000 });
    expect(shares(front)).toEqual([0, 700_000]);
    expect(revenues(front)).toEqual([0, 0]);
  });

  it('takes unitPrice × quantity exactly even past 2^53', () => {
    // 3,002,399,751,580,331 × 3 = 9,007,199,254,740,993 = 2^53 + 1, which floating point rounds to 2^53;
    // minus the line discount 9,007,199,253,740,992 the line is worth 1,000,001, not 1,000,000
    const r = computeNetRevenue({ lines: [line('1', 3, 3_002_399_751_580_331, 9_007_199_253_740_992)], orderDiscount: 1_000_000 });
    expect(r.lines[0]).toMatchObject({ grossValue: 1_000_001, orderDiscountShare: 1_000_000, netRevenue: 1 });
  });
});

/** A line price: mostly ordinary, often tiny (so a last line can be too small for its rest). */
const priceArb = fc.oneof(fc.integer({ min: 0, max: 5_000_000 }), fc.integer({ min: 0, max: 20 }), fc.constant(0));

const lineArb = fc.record({ quantity: fc.integer({ min: 1, max: 50 }), unitPrice: priceArb }).chain(({ quantity, unitPrice }) =>
  fc.record({
    quantity: fc.constant(quantity),
    unitPrice: fc.constant(unitPrice),
    discount: fc.oneof(fc.integer({ min: 0, max: quantity * unitPrice }), fc.constant(0), fc.constant(quantity * unitPrice)),
    returnedQuantity: fc.integer({ min: 0, max: quantity }),
  }),
);

/** Orders with D anywhere in [0, V], often just below V (where the carry back happens), sometimes above V. */
const orderArb = fc.array(lineArb, { minLength: 1, maxLength: 12 }).chain((ls) => {
  const lines = ls.map((l, i) => ({ lineId: String(i + 1), ...l }));
  const V = lines.reduce((s, l) => s + l.unitPrice * l.quantity - l.discount, 0);
  return fc.record({
    lines: fc.constant(lines),
    orderDiscount: fc.oneof(
      fc.integer({ min: 0, max: V }),
      fc.integer({ min: Math.max(0, V - 20), max: V }),
      fc.integer({ min: V, max: V + 1_000_000 }),
    ),
  });
});

/**
 * The DOMAIN.md rule written again, independently, in BigInt: the floors and the rest as the rule
 * first gives them; then the part of the last line's share above its v is an excess E that the
 * lines before it soak up from the back, each up to the room it has left (v − its floor).
 */
function referenceShares(values: bigint[], discount: bigint): bigint[] {
  const V = values.reduce((a, b) => a + b, 0n);
  const D = discount > V ? V : discount;
  if (V === 0n) return values.map(() => 0n);
  const n = values.length;
  const out = values.map((v, i) => (i < n - 1 ? (D * v) / V : 0n));
  out[n - 1] = D - out.reduce((a, b) => a + b, 0n);
  let E = out[n - 1]! > values[n - 1]! ? out[n - 1]! - values[n - 1]! : 0n;
  out[n - 1] = out[n - 1]! - E;
  for (let i = n - 2; i >= 0 && E > 0n; i--) {
    const room = values[i]! - out[i]!;
    const take = E < room ? E : room;
    out[i] = out[i]! + take;
    E -= take;
  }
  if (E !== 0n) throw new Error('reference model: excess left over');
  return out;
}

describe('net revenue, invariants', () => {
  it('every R ≥ 0, Σ R = V − min(D, V), every share ≤ its v, and the shares follow the rule', () => {
    fc.assert(
      fc.property(orderArb, (order) => {
        const r = computeNetRevenue(order);
        const vs = order.lines.map((l) => l.unitPrice * l.quantity - l.discount);
        const V = vs.reduce((s, v) => s + v, 0);
        const applied = Math.min(order.orderDiscount, V);
        r.lines.forEach((l, i) => {
          expect(l.grossValue).toBe(vs[i]);
          expect(l.netRevenue).toBeGreaterThanOrEqual(0);
          expect(l.orderDiscountShare).toBeGreaterThanOrEqual(0);
          // non-last lines (and the last one too) never take more than their v
          expect(l.orderDiscountShare).toBeLessThanOrEqual(vs[i]!);
          expect(l.netRevenue).toBe(vs[i]! - l.orderDiscountShare);
          expect(l.keptNetRevenue).toBeGreaterThanOrEqual(0);
        });
        expect(r.lines.reduce((s, l) => s + l.orderDiscountShare, 0)).toBe(applied);
        expect(r.lines.reduce((s, l) => s + l.netRevenue, 0)).toBe(V - applied);
        expect(r.totals).toMatchObject({ grossValue: V, orderDiscount: applied, netRevenue: V - applied });
        const expected = referenceShares(vs.map(BigInt), BigInt(order.orderDiscount));
        expect(r.lines.map((l) => BigInt(l.orderDiscountShare))).toEqual(expected);
      }),
      { numRuns: 500 },
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
