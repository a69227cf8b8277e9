import { zoneName, type Zone } from '../period';
/**
 * The order commission engine: the DESIRED ledger lines of one order revision under one plan
 * version (DOMAIN.md "The six commission kinds", "Plan options").
 *
 * For the credited CTV each order line earns exactly one line kind, the first that applies:
 *   self-order rate (plan switch) → add-on → repurchase → advanced `replace` → basic.
 * Then top-ups: advanced `add` on basic lines only; every boost in force at approval on any line.
 * A platform fee is its own negative line per CTV commission line. A seller who added an add-on
 * line earns the seller add-on rate on it (a staff line, never withheld).
 * Only approved / completed / returned orders accrue; the base is always the kept R and quantity.
 */
import { percentOf, type Vnd } from '../money';
import { DEFAULT_TIME_ZONE, addDays, startOfLocalDay } from '../period';
import type { Level } from '../entities/collaborator';
import {
  ROUNDING,
  beneficiaryPart,
  keyPart,
  platformFeeLine,
  type Beneficiary,
  type CommissionLine,
  type LineKind,
  type LineSource,
  type Trace,
  type TraceRule,
} from './lines';
import { planInForce, rateForLevel, type LevelRates, type Rate, type StoredPlanVersion } from './plan';

export type OrderState = 'processing' | 'approved' | 'completed' | 'returned' | 'void';
/** States that accrue commission; `processing` and `void` produce nothing. */
export const ACCRUING_STATES: ReadonlySet<OrderState> = new Set(['approved', 'completed', 'returned']);

export interface PricedOrderLine {
  lineId: string;
  productId: string;
  unit: string;
  category: string;
  quantity: number;
  returnedQuantity: number;
  /** R of the full line */
  netRevenue: Vnd;
  /** R after returns: R × (qty − returned) ÷ qty, rounded half away from zero */
  keptNetRevenue: Vnd;
  addOn: boolean;
}

/** One revision of an order as the order model hands it over, attribution and R already decided. */
export interface PricedOrder {
  orderId: string;
  revision: number;
  state: OrderState;
  /** ISO instant the order was first approved: picks the plan version and the boosts */
  approvedAt?: string | null;
  completedAt?: string | null;
  /** the credited (approved) CTV, or null when the order is not credited */
  collaboratorId: string | null;
  /** the credited CTV's level at approval */
  collaboratorLevel: Level;
  sellerId: string | null;
  isRepurchase: boolean;
  isSelfOrder: boolean;
  lines: readonly PricedOrderLine[];
}

export interface PricingFacts {
  /** the business's IANA zone: boosts' local days are read in it */
  timeZone: Zone;
}

// ---------------------------------------------------------------------------------------------
// A plan version compiled for lookups (cached per plan object and zone). Every rate choice is
// built once here, so pricing a line allocates only its own key, trace and line.

interface Choice {
  kind: LineKind;
  /** kind and slot as they appear in the key: "basic", "advanced.add", "boost.1", … */
  kindSlot: string;
  rule: TraceRule;
  ruleRef: string;
  rate: Rate;
  level?: Level;
}

/** a basic rule's choice for CTV levels 1, 2, 3 */
type LevelChoices = readonly [Choice, Choice, Choice];

interface CompiledBoost {
  start: number;
  end: number;
  choice: Choice;
}
interface CompiledAdvanced {
  mode: 'replace' | 'add';
  choice: Choice;
}
interface CompiledPlan {
  /** productId → unit → choices */
  productUnit: Map<string, Map<string, LevelChoices>>;
  product: Map<string, LevelChoices>;
  category: Map<string, LevelChoices>;
  byDefault: LevelChoices | null;
  advanced: Map<string, Map<string, CompiledAdvanced>>;
  boosts: Map<string, CompiledBoost[]>;
  addOn: Choice | null;
  seller: Choice | null;
  repurchase: Choice | null;
  selfOrder: Choice | null;
}

const compiledCache = new WeakMap<StoredPlanVersion, Map<string, CompiledPlan>>();

function levelChoices(rule: Rate & { levels?: LevelRates | undefined }, kindRule: TraceRule, ruleRef: string): LevelChoices {
  const at = (level: Level): Choice => {
    const { rate, level: lv } = rateForLevel(rule, level);
    const c: Choice = { kind: 'basic', kindSlot: 'basic', rule: kindRule, ruleRef, rate };
    if (lv !== undefined) c.level = lv;
    return c;
  };
  return [at(1), at(2), at(3)];
}

function compile(plan: StoredPlanVersion, timeZone: Zone): CompiledPlan {
  let byZone = compiledCache.get(plan);
  const hit = byZone?.get(zoneName(timeZone));
  if (hit) return hit;
  const pct = (percentBp: number): Rate => ({ percentBp });
  const c: CompiledPlan = {
    productUnit: new Map(),
    product: new Map(),
    category: new Map(),
    byDefault: plan.basic.default ? levelChoices(plan.basic.default, 'basic.default', 'basic.default') : null,
    advanced: new Map(),
    boosts: new Map(),
    addOn: plan.addOn
      ? { kind: 'addOn', kindSlot: 'addOn', rule: 'addOn.collaborator', ruleRef: 'addOn.collaboratorPercentBp', rate: pct(plan.addOn.collaboratorPercentBp) }
      : null,
    seller: plan.addOn?.sellerPercentBp
      ? { kind: 'addOn', kindSlot: 'addOn', rule: 'addOn.seller', ruleRef: 'addOn.sellerPercentBp', rate: pct(plan.addOn.sellerPercentBp) }
      : null,
    repurchase: plan.repurchase
      ? { kind: 'repurchase', kindSlot: 'repurchase', rule: 'repurchase', ruleRef: 'repurchase.percentBp', rate: pct(plan.repurchase.percentBp) }
      : null,
    selfOrder:
      plan.selfOrder?.mode === 'rate'
        ? { kind: 'basic', kindSlot: 'basic.selfOrder', rule: 'selfOrder', ruleRef: 'selfOrder.percentBp', rate: pct(plan.selfOrder.percentBp ?? 0) }
        : null,
  };
  (plan.basic.rules ?? []).forEach((rule, i) => {
    // the first rule of a scope wins; validatePlan rejects overlaps anyway
    const ref = `basic.rules.${i}`;
    if (rule.productId !== undefined && rule.category === undefined) {
      if (rule.unit !== undefined) {
        let units = c.productUnit.get(rule.productId);
        if (!units) c.productUnit.set(rule.productId, (units = new Map()));
        if (!units.has(rule.unit)) units.set(rule.unit, levelChoices(rule, 'basic.product_unit', ref));
      } else if (!c.product.has(rule.productId)) c.product.set(rule.productId, levelChoices(rule, 'basic.product', ref));
    } else if (rule.category !== undefined && rule.productId === undefined && rule.unit === undefined) {
      if (!c.category.has(rule.category)) c.category.set(rule.category, levelChoices(rule, 'basic.category', ref));
    }
  });
  (plan.advanced ?? []).forEach((rule, index) => {
    const compiled: CompiledAdvanced = {
      mode: rule.mode,
      choice: {
        kind: 'advanced',
        kindSlot: rule.mode === 'add' ? 'advanced.add' : 'advanced',
        rule: rule.mode === 'add' ? 'advanced.add' : 'advanced.replace',
        ruleRef: `advanced.${index}`,
        rate: rule.percentBp !== undefined ? { percentBp: rule.percentBp } : { fixedPerUnit: rule.fixedPerUnit ?? 0 },
      },
    };
    let byProduct = c.advanced.get(rule.collaboratorId);
    if (!byProduct) c.advanced.set(rule.collaboratorId, (byProduct = new Map()));
    for (const productId of rule.productIds) if (!byProduct.has(productId)) byProduct.set(productId, compiled);
  });
  (plan.boosts ?? []).forEach((boost, index) => {
    const compiled: CompiledBoost = {
      start: startOfLocalDay(boost.from, timeZone),
      end: startOfLocalDay(addDays(boost.to, 1), timeZone),
      choice: { kind: 'boost', kindSlot: `boost.${index}`, rule: 'boost', ruleRef: `boosts.${index}`, rate: { percentBp: boost.percentBp } },
    };
    for (const id of new Set(boost.collaboratorIds)) {
      let list = c.boosts.get(id);
      if (!list) c.boosts.set(id, (list = []));
      list.push(compiled);
    }
  });
  if (!byZone) compiledCache.set(plan, (byZone = new Map()));
  byZone.set(zoneName(timeZone), c);
  return c;
}

// ---------------------------------------------------------------------------------------------

function basicChoiceCompiled(c: CompiledPlan, productId: string, unit: string, category: string, level: Level): Choice | null {
  const choices = c.productUnit.get(productId)?.get(unit) ?? c.product.get(productId) ?? c.category.get(category) ?? c.byDefault;
  return choices ? choices[level - 1]! : null;
}

/** Which basic rule a line falls under (product+unit, product, category, default) and its rate for a level. */
export function basicRuleFor(
  plan: StoredPlanVersion,
  line: Pick<PricedOrderLine, 'productId' | 'unit' | 'category'>,
  level: Level,
): { rule: TraceRule; ruleRef: string; rate: Rate; level?: Level } | null {
  const choice = basicChoiceCompiled(compile(plan, DEFAULT_TIME_ZONE), line.productId, line.unit, line.category, level);
  if (!choice) return null;
  const { rule, ruleRef, rate } = choice;
  return choice.level !== undefined ? { rule, ruleRef, rate, level: choice.level } : { rule, ruleRef, rate };
}

function amountFor(rate: Rate, base: Vnd, quantity: number): Vnd {
  if (rate.percentBp !== undefined) return percentOf(base, rate.percentBp);
  const amount = (rate.fixedPerUnit ?? 0) * quantity;
  if (!Number.isSafeInteger(amount)) throw new RangeError('fixed commission is beyond the safe-integer range');
  return amount;
}

function checkLine(line: PricedOrderLine): void {
  if (
    !Number.isSafeInteger(line.quantity) ||
    !Number.isSafeInteger(line.returnedQuantity) ||
    line.quantity < 0 ||
    line.returnedQuantity < 0 ||
    line.returnedQuantity > line.quantity
  ) {
    throw new RangeError(`order line ${line.lineId}: quantities must be whole and 0 ≤ returned ≤ quantity`);
  }
  if (!Number.isSafeInteger(line.keptNetRevenue) || line.keptNetRevenue < 0) {
    throw new RangeError(`order line ${line.lineId}: kept net revenue must be a non-negative whole VND amount`);
  }
}

/** What every line of one order shares while it is priced. */
interface OrderContext {
  order: PricedOrder;
  plan: StoredPlanVersion;
  source: LineSource;
  /** `o:<orderId>|l:` */
  keyPrefix: string;
  feeBp: number | undefined;
  out: CommissionLine[];
}

function emit(
  x: OrderContext,
  line: PricedOrderLine,
  lineKey: string,
  keptQty: number,
  b: Beneficiary,
  bPart: string,
  choice: Choice,
  withFee: boolean,
): void {
  const amount = amountFor(choice.rate, line.keptNetRevenue, keptQty);
  if (amount === 0) return;
  const trace: Trace = {
    rule: choice.rule,
    ruleRef: choice.ruleRef,
    planId: x.plan.planId,
    planVersion: x.plan.version,
    orderId: x.order.orderId,
    lineId: line.lineId,
    productId: line.productId,
    base: line.keptNetRevenue,
    quantity: keptQty,
    tier: null,
    rounding: ROUNDING,
  };
  if (choice.rate.percentBp !== undefined) trace.rateBp = choice.rate.percentBp;
  else trace.fixedPerUnit = choice.rate.fixedPerUnit ?? 0;
  if (choice.level !== undefined) trace.level = choice.level;
  const cl: CommissionLine = {
    key: `${x.keyPrefix}${lineKey}|${choice.kindSlot}|${bPart}`,
    kind: choice.kind,
    beneficiary: b,
    amount,
    source: x.source,
    trace,
  };
  x.out.push(cl);
  if (withFee && x.feeBp) {
    const fee = platformFeeLine(cl, x.feeBp, `${x.keyPrefix}${lineKey}|platformFee.${choice.kindSlot}|${bPart}`);
    if (fee) x.out.push(fee);
  }
}

const NO_BOOSTS: readonly CompiledBoost[] = [];

/**
 * The desired ledger lines of one order revision under `plan` (the version in force at the order's
 * approval; see `priceOrderAt`). Lines whose amount is 0 are omitted. Deterministic: the same
 * inputs give the same lines, in the same order, with the same keys.
 */
export function priceOrder(order: PricedOrder, plan: StoredPlanVersion, facts: PricingFacts): CommissionLine[] {
  if (!ACCRUING_STATES.has(order.state)) return [];
  if (order.approvedAt === undefined || order.approvedAt === null) throw new RangeError(`order ${order.orderId} is ${order.state} without approvedAt`);
  const approvedMs = Date.parse(order.approvedAt);
  if (!Number.isFinite(approvedMs)) throw new RangeError(`order ${order.orderId}: approvedAt is not an instant`);

  const c = compile(plan, facts.timeZone);
  const x: OrderContext = {
    order,
    plan,
    source: { type: 'order', orderId: order.orderId, revision: order.revision },
    keyPrefix: `o:${keyPart(order.orderId)}|l:`,
    feeBp: plan.platformFeeBp,
    out: [],
  };
  const ctv = order.collaboratorId;
  const selfOrder = order.isSelfOrder && plan.selfOrder !== undefined;
  const creditCtv = ctv !== null && !(selfOrder && plan.selfOrder?.mode === 'not_credited');
  const ctvBeneficiary: Beneficiary | null = creditCtv ? { type: 'collaborator', id: ctv } : null;
  const ctvPart = ctvBeneficiary ? beneficiaryPart(ctvBeneficiary) : '';
  let boosts = NO_BOOSTS;
  if (creditCtv) {
    const candidates = c.boosts.get(ctv);
    if (candidates) boosts = candidates.filter((b) => b.start <= approvedMs && approvedMs < b.end);
  }
  const advanced = creditCtv ? c.advanced.get(ctv) : undefined;
  const seller: Beneficiary | null = order.sellerId !== null && c.seller ? { type: 'seller', id: order.sellerId } : null;
  const sellerPart = seller ? beneficiaryPart(seller) : '';

  for (const line of order.lines) {
    checkLine(line);
    const keptQty = line.quantity - line.returnedQuantity;
    const lineKey = keyPart(line.lineId);

    if (ctvBeneficiary) {
      let main: Choice | null;
      let topUp: Choice | null = null;
      if (selfOrder && c.selfOrder) main = c.selfOrder;
      else if (line.addOn && c.addOn) main = c.addOn;
      else if (order.isRepurchase && c.repurchase) main = c.repurchase;
      else {
        const adv = advanced?.get(line.productId);
        if (adv && adv.mode === 'replace') main = adv.choice;
        else {
          main = basicChoiceCompiled(c, line.productId, line.unit, line.category, order.collaboratorLevel);
          if (adv) topUp = adv.choice;
        }
      }
      if (main) emit(x, line, lineKey, keptQty, ctvBeneficiary, ctvPart, main, true);
      if (topUp) emit(x, line, lineKey, keptQty, ctvBeneficiary, ctvPart, topUp, true);
      for (const boost of boosts) emit(x, line, lineKey, keptQty, ctvBeneficiary, ctvPart, boost.choice, true);
    }

    if (line.addOn && seller) emit(x, line, lineKey, keptQty, seller, sellerPart, c.seller!, false);
  }
  return x.out;
}

/**
 * Price an order with the plan version in force at its approval (DOMAIN.md: recomputing a past
 * period gives the same numbers). No version in force, or an order that does not accrue: no lines.
 */
export function priceOrderAt(
  order: PricedOrder,
  versions: readonly StoredPlanVersion[],
  facts: PricingFacts,
): { plan: StoredPlanVersion | null; lines: CommissionLine[] } {
  if (!ACCRUING_STATES.has(order.state)) return { plan: null, lines: [] };
  if (order.approvedAt === undefined || order.approvedAt === null) throw new RangeError(`order ${order.orderId} is ${order.state} without approvedAt`);
  const plan = planInForce(versions, order.approvedAt, facts.timeZone);
  return { plan, lines: plan ? priceOrder(order, plan, facts) : [] };
}
