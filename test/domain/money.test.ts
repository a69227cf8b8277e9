import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { allocateByWeight, AmountOutOfRange, mulDivRound, percentOf, ratioBp, sumVnd } from '../../domain/money';

describe('money', () => {
  it('rounds half away from zero', () => {
    expect(mulDivRound(5, 1, 2)).toBe(3); // 2.5 → 3
    expect(mulDivRound(-5, 1, 2)).toBe(-3); // −2.5 → −3
    expect(mulDivRound(7, 1, 3)).toBe(2); // 2.33 → 2
    expect(mulDivRound(-7, 1, 3)).toBe(-2);
    expect(mulDivRound(0, 123, 7)).toBe(0);
  });

  it('prices DOMAIN.md examples to the đồng', () => {
    expect(percentOf(15_000_000, 1000)).toBe(1_500_000); // basic 10%
    expect(percentOf(15_000_000, 1500)).toBe(2_250_000); // advanced replace 15%
    expect(percentOf(1_000_000, 400)).toBe(40_000); // repurchase 4%
    expect(percentOf(4_500_000, 800)).toBe(360_000); // incurred 10 × 450,000 at 8%
    expect(ratioBp(170, 200)).toBe(8500); // CSAT 85%
  });

  it('agrees with exact BigInt arithmetic beyond 2^53', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e15, max: 1e15 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        (a, b, c) => {
          const p = BigInt(a) * BigInt(b);
          const abs = p < 0n ? -p : p;
          let q = abs / BigInt(c);
          if (2n * (abs % BigInt(c)) >= BigInt(c)) q += 1n;
          const expected = p < 0n ? -q : q;
          const exp = Number(expected);
          if (!Number.isSafeInteger(exp)) return true;
          expect(mulDivRound(a, b, c)).toBe(exp);
          return true;
        },
      ),
    );
  });

  it('refuses a sum or product past 2^53 with AmountOutOfRange (a RangeError), never a rounded amount', () => {
    expect(sumVnd([Number.MAX_SAFE_INTEGER - 1, 1])).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => sumVnd([Number.MAX_SAFE_INTEGER, 1])).toThrow(AmountOutOfRange);
    // a partial sum past the range is refused even when later terms bring it back
    expect(() => sumVnd([Number.MAX_SAFE_INTEGER, 2, -2])).toThrow(AmountOutOfRange);
    expect(() => mulDivRound(Number.MAX_SAFE_INTEGER, 3, 1)).toThrow(AmountOutOfRange);
    expect(new AmountOutOfRange('x')).toBeInstanceOf(RangeError);
  });

  it('allocates a discount so the shares add up exactly, remainder on the last line', () => {
    expect(allocateByWeight(50_000, [700_000, 300_000])).toEqual([35_000, 15_000]);
    expect(allocateByWeight(100, [1, 1, 1])).toEqual([33, 33, 34]);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e9 }),
        fc.array(fc.integer({ min: 0, max: 1e9 }), { minLength: 1, maxLength: 20 }),
        (total, weights) => {
          const shares = allocateByWeight(total, weights);
          expect(shares.reduce((s, x) => s + x, 0)).toBe(total);
        },
      ),
    );
  });
});
