import { allocateByWeight, mulDivRound, sumVnd, type Vnd } from '../money';
import { ruleViolation } from '../errors';

/**
 * Net revenue R of each line (DOMAIN.md, "Orders"): everything downstream is computed on R.
 *
 *   v = unitPrice × quantity − lineDiscount                      (grossValue)
 *   the order-level discount D is shared by v over V = Σ v:
 *     every sharing line but the last gets ⌊D × v ÷ V⌋, the last gets the rest   (orderDiscountShare)
 *   R = v − share                                                (netRevenue)
 *   with returned units the line keeps R × (qty − returned) ÷ qty, rounded half away from zero;
 *   the shares are not recomputed                                (keptNetRevenue)
 *
 * VAT and shipping are not part of it. A line of value 0 (a free gift) has nothing to share by and
 * takes no share; "the last" line is the last line with a value, so the rounding remainder never
 * lands on a free gift (it would make its R negative).
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
    /** D */
    orderDiscount: Vnd;
    /** Σ R = V − D */
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
    const v = line.unitPrice * line.quantity - line.discount;
    if (!Number.isSafeInteger(v)) throw ruleViolation('The line value is too large', `lines.${i}.unitPrice`);
    if (v < 0) throw ruleViolation('The line discount cannot exceed unitPrice × quantity', `lines.${i}.discount`);
    const returned = line.returnedQuantity ?? 0;
    if (returned < 0 || returned > line.quantity) {
      throw ruleViolation('returnedQuantity cannot exceed quantity', `lines.${i}.returnedQuantity`);
    }
    return v;
  });
  const V = sumVnd(values);
  if (D > V) {
    throw ruleViolation(
      `The order discount (${D} đ) is larger than the value of the lines after their discounts (${V} đ)`,
      'orderDiscount',
    );
  }

  // Share D over the lines that have a value; lines of value 0 take nothing.
  const sharing = values.flatMap((v, i) => (v > 0 ? [i] : []));
  const shares = values.map(() => 0);
  allocateByWeight(
    D,
    sharing.map((i) => values[i]!),
  ).forEach((share, k) => {
    shares[sharing[k]!] = share;
  });

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
      orderDiscount: D,
      netRevenue: sumVnd(lines.map((l) => l.netRevenue)),
      keptNetRevenue: sumVnd(lines.map((l) => l.keptNetRevenue)),
      quantity: sumVnd(order.lines.map((l) => l.quantity)),
      keptQuantity: sumVnd(lines.map((l) => l.keptQuantity)),
    },
  };
}
