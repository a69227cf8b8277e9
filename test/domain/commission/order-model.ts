/**
 * A reference model of the commission lines of one order revision, written from DOMAIN.md ("Money
 * rules", "The six commission kinds", "Plan options") to check `domain/commission/engine.ts`
 * against. It imports nothing from the domain; money is BigInt, rounded half away from zero once
 * per line.
 *
 * - Only approved, completed and returned orders accrue. The base of every line is the kept R
 *   (after returns) and the kept quantity.
 * - The credited CTV (none when the order is not credited, or is a self-order under a
 *   `not_credited` plan) earns on each order line exactly one line kind, the first that applies:
 *   the self-order rate (a self-order under a `rate` plan; it stands in for the line's basic
 *   commission, so it counts as `basic`), add-on (the line is flagged and the plan has an add-on
 *   rate), repurchase (the order is a repurchase and the plan has a repurchase rate), advanced
 *   `replace` for this CTV and product, basic (product+unit, product, category, default; a level
 *   rate when the rule has one for the CTV's level).
 * - Top-ups for the CTV: advanced `add` on a line that earns basic; every boost naming the CTV whose
 *   local days (both inclusive, Asia/Ho_Chi_Minh) cover the approval day, on any line.
 * - A percentage line is kept R × bp ÷ 10,000; a fixed line is the amount × kept quantity.
 * - A platform fee is withheld from each of the CTV's lines: its own negative line of
 *   −(amount × fee ÷ 10,000).
 * - The seller who added an add-on line earns the seller add-on rate on it (never withheld).
 * - Lines of 0 đ are not lines.
 */

export interface ModelRate {
  percentBp?: number;
  fixedPerUnit?: number;
}
type WithLevels = ModelRate & { levels?: { '1'?: ModelRate; '2'?: ModelRate; '3'?: ModelRate } };

export interface ModelPlan {
  basic: { default?: WithLevels; rules?: (WithLevels & { productId?: string; unit?: string; category?: string })[] };
  advanced?: { collaboratorId: string; productIds: string[]; percentBp?: number; fixedPerUnit?: number; mode: 'replace' | 'add' }[];
  addOn?: { collaboratorPercentBp: number; sellerPercentBp?: number };
  repurchase?: { percentBp: number };
  platformFeeBp?: number;
  selfOrder?: { mode: 'not_credited' | 'rate'; percentBp?: number };
  boosts?: { collaboratorIds: string[]; from: string; to: string; percentBp: number }[];
}

export interface ModelOrderLine {
  lineId: string;
  productId: string;
  unit: string;
  category: string;
  quantity: number;
  returnedQuantity: number;
  keptNetRevenue: number;
  addOn: boolean;
}

export interface ModelOrder {
  state: 'processing' | 'approved' | 'completed' | 'returned' | 'void';
  /** an instant with its offset */
  approvedAt: string;
  collaboratorId: string | null;
  collaboratorLevel: 1 | 2 | 3;
  sellerId: string | null;
  isRepurchase: boolean;
  isSelfOrder: boolean;
  lines: readonly ModelOrderLine[];
}

export type ModelKind = 'basic' | 'advanced' | 'addOn' | 'repurchase' | 'boost' | 'platformFee';

export interface ModelLine {
  /** `collaborator:<id>` or `seller:<id>` */
  beneficiary: string;
  kind: ModelKind;
  lineId: string;
  /** kept R for a percentage line, the withheld line's amount for a fee */
  base: number;
  rateBp?: number;
  fixedPerUnit?: number;
  amount: number;
  /** a fee: the line it is withheld from (its kind and amount) */
  withheldFrom?: { kind: ModelKind; amount: number };
}

/** n ÷ d rounded half away from zero; d > 0. */
export function roundHalfAway(n: bigint, d: bigint): bigint {
  const neg = n < 0n;
  const a = neg ? -n : n;
  let q = a / d;
  if (2n * (a % d) >= d) q += 1n;
  return neg ? -q : q;
}

function amountOf(rate: ModelRate, keptR: number, keptQty: number): number {
  if (rate.percentBp !== undefined) return Number(roundHalfAway(BigInt(keptR) * BigInt(rate.percentBp), 10_000n));
  return Number(BigInt(rate.fixedPerUnit ?? 0) * BigInt(keptQty));
}

function withLevel(rule: WithLevels, level: 1 | 2 | 3): ModelRate {
  const own = rule.levels?.[String(level) as '1' | '2' | '3'];
  return (
    own ?? {
      ...(rule.percentBp !== undefined ? { percentBp: rule.percentBp } : {}),
      ...(rule.fixedPerUnit !== undefined ? { fixedPerUnit: rule.fixedPerUnit } : {}),
    }
  );
}

function basicRate(plan: ModelPlan, line: ModelOrderLine, level: 1 | 2 | 3): ModelRate | null {
  const rules = plan.basic.rules ?? [];
  const productUnit = rules.find((r) => r.productId === line.productId && r.unit === line.unit && r.category === undefined);
  const product = rules.find((r) => r.productId === line.productId && r.unit === undefined && r.category === undefined);
  const category = rules.find((r) => r.category === line.category && r.productId === undefined && r.unit === undefined);
  const rule = productUnit ?? product ?? category ?? plan.basic.default;
  return rule ? withLevel(rule, level) : null;
}

/** The local day (YYYY-MM-DD) of an instant in Viet Nam (UTC+7 all year, no daylight saving). */
export function vietnamDay(instant: string): string {
  return new Date(Date.parse(instant) + 7 * 3_600_000).toISOString().slice(0, 10);
}

export function modelOrderLines(order: ModelOrder, plan: ModelPlan): ModelLine[] {
  if (order.state !== 'approved' && order.state !== 'completed' && order.state !== 'returned') return [];
  const out: ModelLine[] = [];
  const selfOrder = order.isSelfOrder && plan.selfOrder !== undefined;
  const ctv = order.collaboratorId !== null && !(selfOrder && plan.selfOrder!.mode === 'not_credited') ? order.collaboratorId : null;
  const approvalDay = vietnamDay(order.approvedAt);
  const boosts =
    ctv === null ? [] : (plan.boosts ?? []).filter((b) => b.collaboratorIds.includes(ctv) && b.from <= approvalDay && approvalDay <= b.to);
  const feeBp = plan.platformFeeBp ?? 0;

  for (const line of order.lines) {
    const keptQty = line.quantity - line.returnedQuantity;
    const push = (beneficiary: string, kind: ModelKind, rate: ModelRate, withheld: boolean) => {
      const amount = amountOf(rate, line.keptNetRevenue, keptQty);
      if (amount === 0) return;
      const l: ModelLine = { beneficiary, kind, lineId: line.lineId, base: line.keptNetRevenue, amount };
      if (rate.percentBp !== undefined) l.rateBp = rate.percentBp;
      else l.fixedPerUnit = rate.fixedPerUnit ?? 0;
      out.push(l);
      if (withheld && feeBp > 0) {
        const fee = -Number(roundHalfAway(BigInt(amount) * BigInt(feeBp), 10_000n));
        if (fee !== 0)
          out.push({
            beneficiary,
            kind: 'platformFee',
            lineId: line.lineId,
            base: amount,
            rateBp: feeBp,
            amount: fee,
            withheldFrom: { kind, amount },
          });
      }
    };

    if (ctv !== null) {
      const who = `collaborator:${ctv}`;
      const advanced = (plan.advanced ?? []).find((a) => a.collaboratorId === ctv && a.productIds.includes(line.productId));
      const advancedRate: ModelRate | undefined =
        advanced && (advanced.percentBp !== undefined ? { percentBp: advanced.percentBp } : { fixedPerUnit: advanced.fixedPerUnit ?? 0 });
      if (selfOrder && plan.selfOrder!.mode === 'rate') push(who, 'basic', { percentBp: plan.selfOrder!.percentBp ?? 0 }, true);
      else if (line.addOn && plan.addOn) push(who, 'addOn', { percentBp: plan.addOn.collaboratorPercentBp }, true);
      else if (order.isRepurchase && plan.repurchase) push(who, 'repurchase', { percentBp: plan.repurchase.percentBp }, true);
      else if (advanced?.mode === 'replace') push(who, 'advanced', advancedRate!, true);
      else {
        const basic = basicRate(plan, line, order.collaboratorLevel);
        if (basic) push(who, 'basic', basic, true);
        if (advanced?.mode === 'add') push(who, 'advanced', advancedRate!, true);
      }
      for (const b of boosts) push(who, 'boost', { percentBp: b.percentBp }, true);
    }

    if (line.addOn && order.sellerId !== null && plan.addOn?.sellerPercentBp !== undefined) {
      push(`seller:${order.sellerId}`, 'addOn', { percentBp: plan.addOn.sellerPercentBp }, false);
    }
  }
  return out;
}
