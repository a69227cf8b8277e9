/**
 * The shared vocabulary of the commission engine: line kinds, beneficiaries, deterministic line
 * keys, and the trace every ledger line carries (DOMAIN.md, "Money rules").
 *
 * A *commission line* is what the engine wants the ledger to hold for one key: (source, sub-line,
 * kind, beneficiary) → amount. The ledger (ledger.ts) turns desired lines into append-only entries.
 */
import { percentOf, type BasisPoints, type Vnd } from '../money';
import type { Level } from '../entities/collaborator';

/** The kinds a desired line can have; the ledger adds `clawback` for changes after settlement. */
export const LINE_KINDS = [
  'basic',
  'advanced',
  'addOn',
  'repurchase',
  'incurred',
  'referral',
  'award',
  'boost',
  'platformFee',
  'adjustment',
] as const;
export type LineKind = (typeof LINE_KINDS)[number];

/** Every ledger kind, in the order of API.md's earnings `byKind`. */
export const LEDGER_KINDS = [...LINE_KINDS, 'clawback'] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

/** A CTV's lines are for CTV payouts; a seller's add-on lines are for payroll and the staff report. */
export type BeneficiaryType = 'collaborator' | 'seller';
export interface Beneficiary {
  type: BeneficiaryType;
  id: string;
}

/** Which rule produced a line; `ruleRef` in the trace points at the exact place in the plan. */
export type TraceRule =
  | 'basic.product_unit'
  | 'basic.product'
  | 'basic.category'
  | 'basic.default'
  | 'advanced.replace'
  | 'advanced.add'
  | 'addOn.collaborator'
  | 'addOn.seller'
  | 'repurchase'
  | 'selfOrder'
  | 'boost'
  | 'platformFee'
  | 'award.flat'
  | 'award.marginal'
  | 'award.retroactive'
  | 'referral.f1'
  | 'referral.f2'
  | 'incurred.beneficiary'
  | 'incurred.connecting'
  | 'adjustment.bonus'
  | 'adjustment.penalty';

export const ROUNDING = 'half_away_from_zero' as const;

/** One marginal slice of an award: volume in [from, upTo) at percentBp. */
export interface TraceSlice {
  from: Vnd;
  upTo: Vnd;
  percentBp: BasisPoints;
}

/**
 * Why a line has its amount. `base` is what the rate applies to: R (kept net revenue) for order
 * lines, the period volume for awards and referral, qty × end-user price for incurred lines, the
 * commission line's amount for a platform fee line.
 */
export interface Trace {
  rule: TraceRule;
  /** where in the plan: "basic.rules.2", "basic.default", "advanced.0", "boosts.1", "awards.0", … */
  ruleRef: string | null;
  planId: string | null;
  planVersion: number | null;
  orderId?: string;
  lineId?: string;
  voucherId?: string;
  adjustmentId?: string;
  periodId?: string;
  productId?: string;
  base: Vnd;
  rateBp?: BasisPoints;
  fixedPerUnit?: Vnd;
  quantity?: number;
  /** award: the highest bracket reached (1-based); referral: 1 for F1, 2 for F2; otherwise null */
  tier: number | null;
  /** the CTV level whose level rate applied */
  level?: Level;
  /** marginal award slices */
  slices?: TraceSlice[];
  /** referral: whose volume */
  refereeId?: string;
  /** award / referral gates as measured */
  ratings?: { count: number; starsSum: number };
  /** platform fee: the key of the line it is withheld from */
  appliesTo?: string;
  reason?: string;
  rounding: typeof ROUNDING;
}

export type LineSource =
  | { type: 'order'; orderId: string; revision: number }
  | { type: 'voucher'; voucherId: string }
  | { type: 'adjustment'; adjustmentId: string }
  | { type: 'period'; periodId: string };

/** A desired ledger line: the amount the ledger must hold for `key`. Amounts are never 0. */
export interface CommissionLine {
  key: string;
  kind: LineKind;
  beneficiary: Beneficiary;
  amount: Vnd;
  source: LineSource;
  trace: Trace;
}

/** Key parts are escaped so that no id can forge a separator. */
export function keyPart(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    if (ch === 124 /* | */ || ch === 37 /* % */) return encodeURIComponent(s);
  }
  return s;
}
const part = keyPart;

export const beneficiaryPart = (b: Beneficiary) => `${b.type}:${part(b.id)}`;

/**
 * Deterministic line keys:
 *   order lines  `o:<orderId>|l:<lineId>|<kind>[.<slot>]|<beneficiaryType>:<id>`
 *   other lines  `<scope>|<kind>[.<slot>]|<beneficiaryType>:<id>` with scope `v:<voucherId>|l:<n>`,
 *                `a:<adjustmentId>` or `p:<periodId>`
 */
export function orderLineKey(orderId: string, lineId: string, kindSlot: string, b: Beneficiary): string {
  return `o:${part(orderId)}|l:${part(lineId)}|${kindSlot}|${beneficiaryPart(b)}`;
}
export function scopedKey(scope: string, kindSlot: string, b: Beneficiary): string {
  return `${scope}|${kindSlot}|${beneficiaryPart(b)}`;
}
export const scopePart = keyPart;

/**
 * The platform fee withheld from one of a CTV's commission lines: its own negative line,
 * −(amount × fee ÷ 10,000) rounded half away from zero; null when there is no fee or it rounds to 0.
 * `kindSlot` is the withheld line's kind (and slot), so the fee key is unique per line.
 */
export function platformFeeLine(line: CommissionLine, feeBp: BasisPoints | undefined, feeKey: string): CommissionLine | null {
  if (!feeBp || line.amount === 0) return null;
  const amount = -percentOf(line.amount, feeBp);
  if (amount === 0) return null;
  const t = line.trace;
  const trace: Trace = {
    rule: 'platformFee',
    ruleRef: 'platformFeeBp',
    planId: t.planId,
    planVersion: t.planVersion,
    base: line.amount,
    rateBp: feeBp,
    tier: null,
    appliesTo: line.key,
    rounding: ROUNDING,
  };
  if (t.orderId !== undefined) trace.orderId = t.orderId;
  if (t.lineId !== undefined) trace.lineId = t.lineId;
  if (t.voucherId !== undefined) trace.voucherId = t.voucherId;
  if (t.periodId !== undefined) trace.periodId = t.periodId;
  return { key: feeKey, kind: 'platformFee', beneficiary: line.beneficiary, amount, source: line.source, trace };
}

/**
 * `platformFeeLine` for the engine's order lines, which knows the plan, order and line ids: the
 * trace is one literal built whole (the same keys in the same order as platformFeeLine's), not
 * read back from the withheld line's trace, whose shape varies with its rule.
 */
export function orderLineFee(
  line: CommissionLine,
  feeBp: BasisPoints,
  feeKey: string,
  plan: { planId: string; version: number },
  orderId: string,
  lineId: string,
): CommissionLine | null {
  const amount = -percentOf(line.amount, feeBp);
  if (amount === 0) return null;
  const trace: Trace = {
    rule: 'platformFee',
    ruleRef: 'platformFeeBp',
    planId: plan.planId,
    planVersion: plan.version,
    base: line.amount,
    rateBp: feeBp,
    tier: null,
    appliesTo: line.key,
    rounding: ROUNDING,
    orderId,
    lineId,
  };
  return { key: feeKey, kind: 'platformFee', beneficiary: line.beneficiary, amount, source: line.source, trace };
}
