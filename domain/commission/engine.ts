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
import { DEFAULT_TIME_ZONE, addDays, startOfLocalDay, zoneName, type Zone } from '../period';
import type { Level } from '../entities/collaborator';
import {
  ROUNDING,
  beneficiaryPart,
  keyPart,
  orderLineFee,
  type Beneficiary,
  type CommissionLine,
  type LineKind,
  type LineSource,
  type Trace,
  type TraceRule,
} from './lines';
import { IdFilter } from './id-filter';
import { parseInstant } from './instant';
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
  /** ISO instant the order was first approved: picks the plan version and the boosts (read only for a CTV with boosts) */
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
  /** the CTV level whose level rate this is (basic rules), else undefined */
  level: Level | undefined;
  /** the rate read once, so pricing a line does not look at the rate object's shape */
  percentBp: number | undefined;
  fixedPerUnit: number;
  /** the keys' middles, `|basic|` and `|platformFee.basic|`: a key is line prefix + middle + beneficiary */
  keyMiddle: string;
  feeKeyMiddle: string;
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
/** A product's basic rules: by unit (product + unit rules), and for any unit (a product rule). */
interface ProductRules {
  byUnit: Map<string, LevelChoices> | undefined;
  anyUnit: LevelChoices | undefined;
}
/** What a plan says about one CTV alone: its advanced rules by product, and its boosts. */
interface CollaboratorRules {
  advanced: Map<string, CompiledAdvanced> | undefined;
  boosts: CompiledBoost[];
}
/** One map per thing a line is looked up by, so a line costs one lookup per key it has. */
interface CompiledPlan {
  products: Map<string, ProductRules>;
  category: Map<string, LevelChoices>;
  byDefault: LevelChoices | null;
  collaborators: Map<string, CollaboratorRules>;
  /** the ids of `collaborators`: most orders' CTVs are not there, and this says so cheaply */
  collaboratorIds: IdFilter;
  addOn: Choice | null;
  seller: Choice | null;
  repurchase: Choice | null;
  selfOrder: Choice | null;
}

const compiledCache = new WeakMap<StoredPlanVersion, Map<string, CompiledPlan>>();
/** the last plan compiled or found: a run of orders is nearly always priced under one plan (no WeakMap lookup per order) */
let last: { plan: StoredPlanVersion; zone: string; compiled: CompiledPlan } | null = null;

const middles = new Map<string, { keyMiddle: string; feeKeyMiddle: string }>();
/** One string per kind and slot, whatever the plan: the engine tells key middles apart by identity. */
function keyMiddles(kindSlot: string): { keyMiddle: string; feeKeyMiddle: string } {
  let m = middles.get(kindSlot);
  if (!m) middles.set(kindSlot, (m = { keyMiddle: `|${kindSlot}|`, feeKeyMiddle: `|platformFee.${kindSlot}|` }));
  return m;
}

function choice(kind: LineKind, kindSlot: string, rule: TraceRule, ruleRef: string, rate: Rate, level?: Level): Choice {
  return {
    kind,
    kindSlot,
    rule,
    ruleRef,
    rate,
    percentBp: rate.percentBp,
    fixedPerUnit: rate.fixedPerUnit ?? 0,
    level,
    ...keyMiddles(kindSlot),
  };
}

function levelChoices(rule: Rate & { levels?: LevelRates | undefined }, kindRule: TraceRule, ruleRef: string): LevelChoices {
  const at = (level: Level): Choice => {
    const { rate, level: lv } = rateForLevel(rule, level);
    return choice('basic', 'basic', kindRule, ruleRef, rate, lv);
  };
  return [at(1), at(2), at(3)];
}

function compile(plan: StoredPlanVersion, timeZone: Zone): CompiledPlan {
  const zone = zoneName(timeZone);
  if (last !== null && last.plan === plan && last.zone === zone) return last.compiled;
  let byZone = compiledCache.get(plan);
  let c = byZone?.get(zone);
  if (!c) {
    c = compileNew(plan, timeZone);
    if (!byZone) compiledCache.set(plan, (byZone = new Map()));
    byZone.set(zone, c);
  }
  last = { plan, zone, compiled: c };
  return c;
}

function compileNew(plan: StoredPlanVersion, timeZone: Zone): CompiledPlan {
  const pct = (percentBp: number): Rate => ({ percentBp });
  const c: CompiledPlan = {
    products: new Map(),
    category: new Map(),
    byDefault: plan.basic.default ? levelChoices(plan.basic.default, 'basic.default', 'basic.default') : null,
    collaborators: new Map(),
    collaboratorIds: new IdFilter([]),
    addOn: plan.addOn
      ? choice('addOn', 'addOn', 'addOn.collaborator', 'addOn.collaboratorPercentBp', pct(plan.addOn.collaboratorPercentBp))
      : null,
    seller: plan.addOn?.sellerPercentBp
      ? choice('addOn', 'addOn', 'addOn.seller', 'addOn.sellerPercentBp', pct(plan.addOn.sellerPercentBp))
      : null,
    repurchase: plan.repurchase
      ? choice('repurchase', 'repurchase', 'repurchase', 'repurchase.percentBp', pct(plan.repurchase.percentBp))
      : null,
    selfOrder:
      plan.selfOrder?.mode === 'rate'
        ? choice('basic', 'basic.selfOrder', 'selfOrder', 'selfOrder.percentBp', pct(plan.selfOrder.percentBp ?? 0))
        : null,
  };
  const productRules = (productId: string): ProductRules => {
    let rules = c.products.get(productId);
    if (!rules) c.products.set(productId, (rules = { byUnit: undefined, anyUnit: undefined }));
    return rules;
  };
  const collaboratorRules = (id: string): CollaboratorRules => {
    let rules = c.collaborators.get(id);
    if (!rules) c.collaborators.set(id, (rules = { advanced: undefined, boosts: [] }));
    return rules;
  };
  (plan.basic.rules ?? []).forEach((rule, i) => {
    // the first rule of a scope wins; validatePlan rejects overlaps anyway
    const ref = `basic.rules.${i}`;
    if (rule.productId !== undefined && rule.category === undefined) {
      const product = productRules(rule.productId);
      if (rule.unit !== undefined) {
        product.byUnit ??= new Map();
        if (!product.byUnit.has(rule.unit)) product.byUnit.set(rule.unit, levelChoices(rule, 'basic.product_unit', ref));
      } else product.anyUnit ??= levelChoices(rule, 'basic.product', ref);
    } else if (rule.category !== undefined && rule.productId === undefined && rule.unit === undefined) {
      if (!c.category.has(rule.category)) c.category.set(rule.category, levelChoices(rule, 'basic.category', ref));
    }
  });
  (plan.advanced ?? []).forEach((rule, index) => {
    const compiled: CompiledAdvanced = {
      mode: rule.mode,
      choice: choice(
        'advanced',
        rule.mode === 'add' ? 'advanced.add' : 'advanced',
        rule.mode === 'add' ? 'advanced.add' : 'advanced.replace',
        `advanced.${index}`,
        rule.percentBp !== undefined ? { percentBp: rule.percentBp } : { fixedPerUnit: rule.fixedPerUnit ?? 0 },
      ),
    };
    const byProduct = (collaboratorRules(rule.collaboratorId).advanced ??= new Map());
    for (const productId of rule.productIds) if (!byProduct.has(productId)) byProduct.set(productId, compiled);
  });
  (plan.boosts ?? []).forEach((boost, index) => {
    const compiled: CompiledBoost = {
      start: startOfLocalDay(boost.from, timeZone),
      end: startOfLocalDay(addDays(boost.to, 1), timeZone),
      choice: choice('boost', `boost.${index}`, 'boost', `boosts.${index}`, { percentBp: boost.percentBp }),
    };
    for (const id of new Set(boost.collaboratorIds)) collaboratorRules(id).boosts.push(compiled);
  });
  c.collaboratorIds = new IdFilter([...c.collaborators.keys()]);
  return c;
}

// ---------------------------------------------------------------------------------------------

function basicChoiceCompiled(c: CompiledPlan, productId: string, unit: string, category: string, level: Level): Choice | null {
  const product = c.products.get(productId);
  const choices = product?.byUnit?.get(unit) ?? product?.anyUnit ?? c.category.get(category) ?? c.byDefault;
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

/**
 * The trace of a CTV or seller line. One object literal per rate shape, so every trace is built
 * whole with one hidden class and nothing added afterwards (adding properties to a built object
 * costs an extra allocation per line); the keys and their order are the same in every branch.
 */
function traceOf(choice: Choice, plan: StoredPlanVersion, orderId: string, line: PricedOrderLine, quantity: number): Trace {
  const { rule, ruleRef, level } = choice;
  const { planId, version: planVersion } = plan;
  const { lineId, productId, keptNetRevenue: base } = line;
  const rounding = ROUNDING;
  if (choice.percentBp !== undefined) {
    const rateBp = choice.percentBp;
    return level === undefined
      ? { rule, ruleRef, planId, planVersion, orderId, lineId, productId, base, quantity, tier: null, rounding, rateBp }
      : { rule, ruleRef, planId, planVersion, orderId, lineId, productId, base, quantity, tier: null, rounding, rateBp, level };
  }
  const fixedPerUnit = choice.fixedPerUnit;
  return level === undefined
    ? { rule, ruleRef, planId, planVersion, orderId, lineId, productId, base, quantity, tier: null, rounding, fixedPerUnit }
    : { rule, ruleRef, planId, planVersion, orderId, lineId, productId, base, quantity, tier: null, rounding, fixedPerUnit, level };
}

function amountOf(choice: Choice, base: Vnd, quantity: number): Vnd {
  if (choice.percentBp !== undefined) return percentOf(base, choice.percentBp);
  const amount = choice.fixedPerUnit * quantity;
  if (!Number.isSafeInteger(amount)) throw new RangeError('fixed commission is beyond the safe-integer range');
  return amount;
}

/** What every line of one order shares while it is priced. */
interface OrderContext {
  order: PricedOrder;
  plan: StoredPlanVersion;
  source: LineSource;
  feeBp: number | undefined;
  out: CommissionLine[];
  /**
   * The last key tail built, `|<kind.slot>|<beneficiary>` (and its fee's, once needed), with the
   * middle and beneficiary part it was built from: the lines of an order mostly earn one kind for
   * one beneficiary, so each key is then one concatenation, prefix + tail.
   */
  tailMiddle: string;
  tailBeneficiary: string;
  tail: string;
  feeTail: string | null;
}

/** Push the line `choice` earns `b` on `line` (none when it is 0), and its platform fee when `withFee`. */
function emit(
  x: OrderContext,
  line: PricedOrderLine,
  /** `o:<orderId>|l:<lineId>` */
  linePrefix: string,
  keptQty: number,
  b: Beneficiary,
  bPart: string,
  choice: Choice,
  withFee: boolean,
): void {
  const amount = amountOf(choice, line.keptNetRevenue, keptQty);
  if (amount === 0) return;
  if (choice.keyMiddle !== x.tailMiddle || bPart !== x.tailBeneficiary) {
    x.tailMiddle = choice.keyMiddle;
    x.tailBeneficiary = bPart;
    x.tail = choice.keyMiddle + bPart;
    x.feeTail = null;
  }
  const cl: CommissionLine = {
    key: linePrefix + x.tail,
    kind: choice.kind,
    beneficiary: b,
    amount,
    source: x.source,
    trace: traceOf(choice, x.plan, x.order.orderId, line, keptQty),
  };
  x.out.push(cl);
  if (withFee && x.feeBp) {
    const fee = orderLineFee(cl, x.feeBp, linePrefix + (x.feeTail ??= choice.feeKeyMiddle + bPart), x.plan, x.order.orderId, line.lineId);
    if (fee) x.out.push(fee);
  }
}

const NO_BOOSTS: readonly CompiledBoost[] = [];

/**
 * The boosts in force at the order's approval. The approval instant is read here only: boosts are
 * the one rule that depends on it, and reading it for every order cost a fifth of pricing
 * (test/bench/commission.ts); `priceOrderAt` has read it already to pick the plan.
 */
function boostsAt(boosts: CompiledBoost[], order: PricedOrder): CompiledBoost[] {
  const approvedMs = parseInstant(order.approvedAt!);
  if (!Number.isFinite(approvedMs)) throw new RangeError(`order ${order.orderId}: approvedAt is not an instant`);
  return boosts.filter((b) => b.start <= approvedMs && approvedMs < b.end);
}

/**
 * The desired ledger lines of one order revision under `plan` (the version in force at the order's
 * approval; see `priceOrderAt`). Lines whose amount is 0 are omitted. Deterministic: the same
 * inputs give the same lines, in the same order, with the same keys.
 */
export function priceOrder(order: PricedOrder, plan: StoredPlanVersion, facts: PricingFacts): CommissionLine[] {
  if (!ACCRUING_STATES.has(order.state)) return [];
  if (order.approvedAt === undefined || order.approvedAt === null)
    throw new RangeError(`order ${order.orderId} is ${order.state} without approvedAt`);

  const c = compile(plan, facts.timeZone);
  const x: OrderContext = {
    order,
    plan,
    source: { type: 'order', orderId: order.orderId, revision: order.revision },
    feeBp: plan.platformFeeBp,
    out: [],
    tailMiddle: '',
    tailBeneficiary: '',
    tail: '',
    feeTail: null,
  };
  const keyPrefix = `o:${keyPart(order.orderId)}|l:`;
  const ctv = order.collaboratorId;
  const selfOrder = order.isSelfOrder && plan.selfOrder !== undefined;
  const creditCtv = ctv !== null && !(selfOrder && plan.selfOrder?.mode === 'not_credited');
  const ctvBeneficiary: Beneficiary | null = creditCtv ? { type: 'collaborator', id: ctv } : null;
  const ctvPart = ctvBeneficiary ? beneficiaryPart(ctvBeneficiary) : '';
  const ctvRules = creditCtv && c.collaboratorIds.mayHave(ctv) ? c.collaborators.get(ctv) : undefined;
  const boosts = ctvRules?.boosts.length ? boostsAt(ctvRules.boosts, order) : NO_BOOSTS;
  const advanced = ctvRules?.advanced;
  const seller: Beneficiary | null = order.sellerId !== null && c.seller ? { type: 'seller', id: order.sellerId } : null;
  const sellerPart = seller ? beneficiaryPart(seller) : '';

  for (const line of order.lines) {
    checkLine(line);
    const keptQty = line.quantity - line.returnedQuantity;
    const linePrefix = keyPrefix + keyPart(line.lineId);

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
      if (main) emit(x, line, linePrefix, keptQty, ctvBeneficiary, ctvPart, main, true);
      if (topUp) emit(x, line, linePrefix, keptQty, ctvBeneficiary, ctvPart, topUp, true);
      for (const boost of boosts) emit(x, line, linePrefix, keptQty, ctvBeneficiary, ctvPart, boost.choice, true);
    }

    if (line.addOn && seller) emit(x, line, linePrefix, keptQty, seller, sellerPart, c.seller!, false);
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
  if (order.approvedAt === undefined || order.approvedAt === null)
    throw new RangeError(`order ${order.orderId} is ${order.state} without approvedAt`);
  const plan = planInForce(versions, order.approvedAt, facts.timeZone);
  return { plan, lines: plan ? priceOrder(order, plan, facts) : [] };
}
