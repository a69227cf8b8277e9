import { mulDivRound, sumVnd, type Vnd } from '../money';
import { ruleViolation } from '../errors';

/**
 * Net revenue R of each line (DOMAIN.md, "Orders"): everything downstream is computed on R.
 *
 *   v = unitPrice × quantity − lineDiscount                      (grossValue)
 *   the order-level discount D is shared by v over V = Σ v; a D above V counts as V:
 *     every line but the last gets ⌊D × v ÷ V⌋, the last gets the rest,
 *     but no line takes more than its v: what the last line cannot take goes to the line before
 *     it, and so on                                              (orderDiscountShare)
 *   R = v − share                                                (netRevenue)
 *   with returned units the line keeps R × (qty − returned) ÷ qty, rounded half away from zero;
 *   the shares are not recomputed                                (keptNetRevenue)
 *
 * So 0 ≤ share ≤ v and R ≥ 0 on every line, Σ share = min(D, V) and Σ R = V − min(D, V).
 * VAT and shipping are not part of it. A line of value 0 (a free gift) gets ⌊D × 0 ÷ V⌋ = 0 and can
 * take nothing, so a rounding remainder that would land on it moves back to the lines before it.
 *
 * Why the carry back is needed: the floors of the lines before the last can fall short of their
 * exact shares by up to one đồng each, and the last line takes all of that on top of its own exact
 * share; when D is close to V and the last line is small, that is more than its v (lines 333,333 /
 * 333,333 / 1,000 with D = 667,665 would leave the last line at R = −1).
 * Everything is integer: D × v can pass 2^53, so that product is taken in BigInt.
 */
export interface NetRevenueLineInput {
  lineId: string;
  quantity: number;
  unitPrice: Vnd;
  discount: Vnd;
  returnedQuantity?: number;
}

export interface NetRevenueInput {
  lines: readonly NetRevenueLineInput[];
  orderDiscount?: Vnd;
}

export interface LineNetRevenue {
  lineId: string;
  /** v = unitPrice × quantity − line discount */
  grossValue: Vnd;
  orderDiscountShare: Vnd;
  /** R = v − share, for the whole quantity sold */
  netRevenue: Vnd;
  keptQuantity: number;
  /** R × kept ÷ quantity, rounded half away from zero */
  keptNetRevenue: Vnd;
}

export interface OrderNetRevenue {
  lines: LineNetRevenue[];
  totals: {
    /** V = Σ v */
    grossValue: Vnd;
    /** the order discount applied: min(D, V) (a D above V counts as V) = Σ share */
    orderDiscount: Vnd;
    /** Σ R = V − min(D, V) */
    netRevenue: Vnd;
    /** Σ kept R: what the order is worth after its returns */
    keptNetRevenue: Vnd;
    quantity: number;
    keptQuantity: number;
  };
}

export function computeNetRevenue(order: NetRevenueInput): OrderNetRevenue {
  const D = order.orderDiscount ?? 0;
  if (!Number.isSafeInteger(D) || D < 0) throw ruleViolation('The order discount must be a whole, non-negative amount', 'orderDiscount');

  const values = order.lines.map((line, i) => {
    if (!Number.isSafeInteger(line.quantity) || line.quantity < 0) {
      throw ruleViolation('The quantity must be a whole, non-negative number', `lines.${i}.quantity`);
    }
    if (!Number.isSafeInteger(line.unitPrice) || line.unitPrice < 0) {
      throw ruleViolation('The unit price must be a whole, non-negative amount', `lines.${i}.unitPrice`);
    }
    if (!Number.isSafeInteger(line.discount) || line.discount < 0) {
      throw ruleViolation('The line discount must be a whole, non-negative amount', `lines.${i}.discount`);
    }
    // unitPrice × quantity may pass 2^53 even when v does not: exact in BigInt
    const exact = BigInt(line.unitPrice) * BigInt(line.quantity) - BigInt(line.discount);
    if (exact > BigInt(Number.MAX_SAFE_INTEGER)) throw ruleViolation('The line value is too large', `lines.${i}.unitPrice`);
    if (exact < 0n) throw ruleViolation('The line discount cannot exceed unitPrice × quantity', `lines.${i}.discount`);
    const returned = line.returnedQuantity ?? 0;
    if (!Number.isSafeInteger(returned) || returned < 0 || returned > line.quantity) {
      throw ruleViolation('returnedQuantity cannot exceed quantity', `lines.${i}.returnedQuantity`);
    }
    return Number(exact);
  });
  const V = sumVnd(values);
  const applied = Math.min(D, V); // a D above V counts as V
  const shares = shareOrderDiscount(applied, values, V);

  const lines = order.lines.map((line, i): LineNetRevenue => {
    const grossValue = values[i]!;
    const orderDiscountShare = shares[i]!;
    const netRevenue = grossValue - orderDiscountShare;
    const keptQuantity = line.quantity - (line.returnedQuantity ?? 0);
    const keptNetRevenue = keptQuantity === line.quantity ? netRevenue : mulDivRound(netRevenue, keptQuantity, line.quantity);
    return { lineId: line.lineId, grossValue, orderDiscountShare, netRevenue, keptQuantity, keptNetRevenue };
  });

  return {
    lines,
    totals: {
      grossValue: V,
      orderDiscount: applied,
      netRevenue: sumVnd(lines.map((l) => l.netRevenue)),
      keptNetRevenue: sumVnd(lines.map((l) => l.keptNetRevenue)),
      quantity: sumVnd(order.lines.map((l) => l.quantity)),
      keptQuantity: sumVnd(lines.map((l) => l.keptQuantity)),
    },
  };
}

/**
 * The shares of an order discount D ≤ V = Σ values (DOMAIN.md): ⌊D × v ÷ V⌋ for every line but the
 * last, the rest for the last; then, from the last line back to the first, a line holding more than
 * its v keeps v and passes the excess to the line before it.
 *
 * Each floor is at most v (D ≤ V) and the rest is at least 0 (the floors add up to at most D). The
 * first line never ends above its v: excess reaches it only when every later line holds its whole v,
 * and then it holds D − Σ later v ≤ V − Σ later v = its own v.
 */
function shareOrderDiscount(D: Vnd, values: readonly Vnd[], V: Vnd): Vnd[] {
  const n = values.length;
  if (n === 0 || D === 0) return values.map(() => 0);
  const bD = BigInt(D);
  const bV = BigInt(V); // > 0 here: 0 < D ≤ V
  const shares = values.map((v) => Number((bD * BigInt(v)) / bV)); // ≤ v, so a safe integer
  shares[n - 1] = D - sumVnd(shares.slice(0, -1));
  for (let i = n - 1; i > 0; i--) {
    const excess = shares[i]! - values[i]!;
    if (excess > 0) {
      shares[i] = values[i]!;
      shares[i - 1]! += excess;
    }
  }
  if (shares[0]! > values[0]!) throw new Error('order discount shares: the first line holds more than its value'); // unreachable, see above
  return shares;
}
