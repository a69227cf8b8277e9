/**
 * Money is integer VND (đồng) and rates are integer basis points (1% = 100 bp).
 * Nothing on the money path uses floating point: products that could pass 2^53 go through BigInt.
 */
export type Vnd = number;
export type BasisPoints = number;

export const BP_PER_UNIT = 10_000;

/**
 * A money result (or a stored amount) past the safe-integer range, 9,007,199,254,740,991 đ: refused
 * rather than rounded. Input amounts are capped far below it (`domain/orders/event.ts`), so this
 * means absurd data; the HTTP layer answers it as a 500 of its own type and logs it.
 */
export class AmountOutOfRange extends RangeError {
  override readonly name = 'AmountOutOfRange';
}

export function assertVnd(value: number, what = 'amount'): Vnd {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${what} must be a safe integer VND amount, got ${value}`);
  return value;
}

/**
 * a × b ÷ c rounded half away from zero, exactly, for integers. c > 0.
 * Fast path when the product is exactly representable; BigInt otherwise.
 */
export function mulDivRound(a: number, b: number, c: number): number {
  if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || !Number.isSafeInteger(c) || c <= 0) {
    throw new RangeError(`mulDivRound needs safe integers and a positive divisor (${a}, ${b}, ${c})`);
  }
  const negative = a < 0 !== b < 0 && a !== 0 && b !== 0;
  const p = Math.abs(a) * Math.abs(b);
  let q: number;
  if (Number.isSafeInteger(p)) {
    q = Math.floor(p / c);
    let r = p - q * c; // exact: every term is below 2^53
    if (r < 0) {
      q -= 1;
      r += c;
    } else if (r >= c) {
      q += 1;
      r -= c;
    }
    if (2 * r >= c) q += 1;
  } else {
    const bp = BigInt(Math.abs(a)) * BigInt(Math.abs(b));
    const bc = BigInt(c);
    let bq = bp / bc;
    if (2n * (bp % bc) >= bc) bq += 1n;
    q = Number(bq);
    if (!Number.isSafeInteger(q)) throw new AmountOutOfRange('mulDivRound result is beyond the safe-integer range');
  }
  return negative && q !== 0 ? -q : q;
}

/** a × b ÷ c rounded down (toward −∞ for the non-negative inputs it is used with). */
export function mulDivFloor(a: number, b: number, c: number): number {
  if (a < 0 || b < 0 || c <= 0) throw new RangeError('mulDivFloor takes non-negative operands and a positive divisor');
  const p = a * b;
  if (Number.isSafeInteger(p)) {
    let q = Math.floor(p / c);
    const r = p - q * c;
    if (r < 0) q -= 1;
    else if (r >= c) q += 1;
    return q;
  }
  return Number((BigInt(a) * BigInt(b)) / BigInt(c));
}

/** A percentage of an amount: amount × bp ÷ 10,000, rounded half away from zero to the đồng. */
export function percentOf(amount: Vnd, bp: BasisPoints): Vnd {
  return mulDivRound(amount, bp, BP_PER_UNIT);
}

/** Round half away from zero of numerator ÷ denominator (denominator > 0), e.g. a rate in bp. */
export function ratioBp(numerator: number, denominator: number): BasisPoints {
  return mulDivRound(numerator, BP_PER_UNIT, denominator);
}

/** Exact sum; throws rather than lose a đồng past the safe-integer range. */
export function sumVnd(values: Iterable<Vnd>): Vnd {
  let total = 0;
  for (const v of values) {
    total += v;
    // checked at every step: a partial sum past 2^53 may already have lost a đồng
    if (!Number.isSafeInteger(total)) throw new AmountOutOfRange('sum is beyond the safe-integer range');
  }
  return total;
}

/**
 * Share `total` over `weights` in proportion: every share but the last is ⌊total × w ÷ W⌋, the last
 * takes the rest, so the shares always add up to `total` exactly (DOMAIN.md, order-level discounts).
 */
export function allocateByWeight(total: Vnd, weights: readonly number[]): Vnd[] {
  if (weights.length === 0) return [];
  const sum = sumVnd(weights);
  if (sum <= 0) {
    // nothing to share by: all of it lands on the last share
    return weights.map((_, i) => (i === weights.length - 1 ? total : 0));
  }
  const shares = weights.map((w) => mulDivFloor(total, w, sum));
  shares[shares.length - 1] = total - sumVnd(shares.slice(0, -1));
  return shares;
}
