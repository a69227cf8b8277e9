/**
 * The commission ledger (DOMAIN.md "Money rules"). Entries are append-only: an amount is never
 * edited; a change is a new entry. For every line key the ledger's sum equals the desired amount
 * of the newest computation, so a revision followed by its void nets to exactly 0.
 *
 * States: pending (accrued) → payable (order completed and the holding period passed) → settled
 * (in an approved statement). Once a key holds a settled entry, or an entry of a closed period, a
 * change is booked into the next open period, so closed statements never move. There it takes the
 * state of what it changes (DOMAIN.md "Money rules"): a change to what was payable or settled is a
 * `clawback` (negative) or `adjustment` (positive); a change to what was not yet payable (an order
 * not delivered, or still in its holding period) keeps the line's kind and the order's state, so
 * it becomes payable together with the entries it changes and a CTV is never shown a debt for
 * money never paid.
 */
import * as z from 'zod';
import { sumVnd, type Vnd } from '../money';
import {
  LEDGER_KINDS,
  beneficiaryPart,
  type Beneficiary,
  type CommissionLine,
  type LedgerKind,
  type LineKind,
  type LineSource,
  type Trace,
} from './lines';

export type EntryState = 'pending' | 'payable' | 'settled';
export const ENTRY_STATES: readonly EntryState[] = ['pending', 'payable', 'settled'];

/**
 * accrual: the first entry of a key; change: a delta on a key; reversal: the exact negation of what
 * a key held; clawback / adjustment: a change to what was payable or settled, in the next open
 * period. (A change or reversal of what was not yet payable lands in the next open period too when
 * its own period closed: `carriedForward`.)
 */
export type EntryReason = 'accrual' | 'change' | 'reversal' | 'clawback' | 'adjustment';

export interface LedgerEntry {
  /** `<key>#<seq>`: deterministic, so a conditional put serialises concurrent writers of a key */
  entryId: string;
  key: string;
  /** 1-based position among the key's entries */
  seq: number;
  /** the bucket it counts in (API.md byKind) */
  kind: LedgerKind;
  /** the kind of the line it books against (differs from `kind` for clawbacks and adjustments) */
  lineKind: LineKind;
  beneficiary: Beneficiary;
  amount: Vnd;
  state: EntryState;
  /** the statement period it belongs to */
  periodId: string;
  /** booked into the next open period because the key was settled or its period closed */
  carriedForward: boolean;
  reason: EntryReason;
  source: LineSource;
  trace: Trace;
  recordedAt: string;
  /** the statement period it was settled in */
  settledIn?: string;
}

export interface DiffContext {
  /** ISO instant of the change */
  recordedAt: string;
  /** the period ordinary entries belong to: for an order, the period of its approval */
  periodId: string;
  /** the next open period: where clawbacks and adjustments go */
  openPeriodId: string;
  /** closed (frozen) periods; entries in them, or a `periodId` among them, lock their keys */
  closedPeriodIds?: Iterable<string>;
  /** stamped on entries whose key has no desired line (reversals), e.g. the void revision */
  source?: LineSource;
  /**
   * For an order: its delivery as it stood BEFORE this change (completion or, if never completed,
   * its first return; null while not delivered) and the business's holding days. It says whether
   * the entries a change to a closed period changes were payable at `recordedAt`: if not, the
   * change is not a clawback / adjustment but keeps the line's kind and the order's state. Absent:
   * what a key holds is taken as payable, as vouchers, adjustments and period lines are from when
   * they are recorded.
   */
  delivery?: { completedAt: string | null; holdingDays: number };
}

const NO_PERIODS: ReadonlySet<string> = new Set();
const NO_ENTRIES: readonly LedgerEntry[] = [];

/** A key is locked once any of its entries is settled or sits in a closed period. */
function isLocked(entries: readonly LedgerEntry[], closed: ReadonlySet<string>, periodId: string): boolean {
  if (closed.has(periodId)) return true;
  for (const e of entries) if (e.state === 'settled' || closed.has(e.periodId)) return true;
  return false;
}

/**
 * Whether what a key holds was payable (or settled) at `at`, before the change recorded then: a
 * change to it is then a clawback / adjustment, payable at once; otherwise it takes the state of
 * the entries it changes. Without `delivery` (vouchers, adjustments, period lines: payable when
 * recorded) it is taken as payable. A key with no entry yet (an order approved in a closed month,
 * first seen now) holds nothing payable.
 */
export function heldPayable(entries: readonly LedgerEntry[], delivery: DiffContext['delivery'], at: string): boolean {
  if (!delivery) return true;
  for (const e of entries) {
    if (e.state !== 'pending') return true;
    if (maturity(e, delivery.completedAt, delivery.holdingDays, at).state !== 'pending') return true;
  }
  return false;
}

/**
 * The new entries that make the ledger's sum per key equal the desired amount (absent = 0).
 * `existing` are the entries already recorded for the same source (an order, a voucher, a period),
 * `desired` the newest computation for it. Keys whose sum already matches produce nothing, so
 * repeating a computation is a no-op.
 */
export function diffLedger(existing: readonly LedgerEntry[], desired: readonly CommissionLine[], ctx: DiffContext): LedgerEntry[] {
  const closed: ReadonlySet<string> = ctx.closedPeriodIds ? new Set(ctx.closedPeriodIds) : NO_PERIODS;
  if (closed.has(ctx.openPeriodId)) throw new RangeError(`the open period ${ctx.openPeriodId} is closed`);

  const held = new Map<string, LedgerEntry[]>();
  for (const e of existing) {
    let list = held.get(e.key);
    if (!list) held.set(e.key, (list = []));
    list.push(e);
  }
  const want = new Map<string, CommissionLine>();
  for (const line of desired) {
    if (want.has(line.key)) throw new RangeError(`two desired lines share the key ${line.key}`);
    if (!Number.isSafeInteger(line.amount)) throw new RangeError(`line ${line.key}: amount must be a safe integer`);
    want.set(line.key, line);
  }

  const out: LedgerEntry[] = [];
  const keys: string[] = [...want.keys()];
  for (const k of held.keys()) if (!want.has(k)) keys.push(k);
  for (const key of keys) {
    const entries = held.get(key) ?? NO_ENTRIES;
    const line = want.get(key);
    const target = line?.amount ?? 0;
    let current = 0;
    let last: LedgerEntry | undefined;
    for (const e of entries) {
      current += e.amount;
      if (last === undefined || e.seq > last.seq) last = e;
    }
    if (!Number.isSafeInteger(current)) throw new RangeError(`key ${key}: sum beyond the safe-integer range`);
    const delta = target - current;
    if (delta === 0) continue;
    if (!Number.isSafeInteger(delta)) throw new RangeError(`key ${key}: change beyond the safe-integer range`);

    const seq = (last?.seq ?? 0) + 1;
    const lineKind: LineKind = line?.kind ?? last!.lineKind;
    const locked = isLocked(entries, closed, ctx.periodId);
    let kind: LedgerKind;
    let reason: EntryReason;
    if (locked && heldPayable(entries, ctx.delivery, ctx.recordedAt)) {
      kind = delta < 0 ? 'clawback' : 'adjustment';
      reason = delta < 0 ? 'clawback' : 'adjustment';
    } else {
      kind = lineKind;
      reason = entries.length === 0 ? 'accrual' : target === 0 ? 'reversal' : 'change';
    }
    out.push({
      entryId: `${key}#${seq}`,
      key,
      seq,
      kind,
      lineKind,
      beneficiary: line?.beneficiary ?? last!.beneficiary,
      amount: delta,
      state: 'pending',
      periodId: locked ? ctx.openPeriodId : ctx.periodId,
      carriedForward: locked,
      reason,
      source: line?.source ?? ctx.source ?? last!.source,
      trace: line?.trace ?? last!.trace,
      recordedAt: ctx.recordedAt,
    });
  }
  return out;
}

const DAY_MS = 86_400_000;

/**
 * pending → payable. An order's entries become payable once the order is completed and the holding
 * period (return window) has passed: at completedAt + holdingDays × 24 h. Entries not tied to an
 * order (vouchers, adjustments, period awards, referral) and clawbacks are payable when recorded.
 * `completedAt`: when the order was completed; for an order returned without ever being completed,
 * the time of that return (what was kept was delivered). States never move back.
 */
export function maturity(
  entry: Pick<LedgerEntry, 'state' | 'kind' | 'source' | 'recordedAt'>,
  completedAt: string | null | undefined,
  holdingDays: number,
  asOf: string | number,
): { state: EntryState; payableFrom: number | null } {
  if (!Number.isSafeInteger(holdingDays) || holdingDays < 0) throw new RangeError('holdingDays is a whole number ≥ 0');
  const now = typeof asOf === 'number' ? asOf : Date.parse(asOf);
  if (!Number.isFinite(now)) throw new RangeError(`not an instant: ${String(asOf)}`);
  let payableFrom: number | null;
  if (entry.source.type !== 'order' || entry.kind === 'clawback') {
    payableFrom = Date.parse(entry.recordedAt);
  } else if (completedAt) {
    payableFrom = Date.parse(completedAt) + holdingDays * DAY_MS;
  } else {
    payableFrom = null;
  }
  if (payableFrom !== null && !Number.isFinite(payableFrom)) throw new RangeError('completedAt / recordedAt is not an instant');
  if (entry.state === 'settled') return { state: 'settled', payableFrom };
  if (entry.state === 'payable') return { state: 'payable', payableFrom };
  return { state: payableFrom !== null && now >= payableFrom ? 'payable' : 'pending', payableFrom };
}

/** payable → settled, into the statement of `periodId`. Only payable entries settle. */
export function settle(entry: LedgerEntry, periodId: string): LedgerEntry {
  if (entry.state !== 'payable') throw new RangeError(`entry ${entry.entryId} is ${entry.state}, not payable`);
  return { ...entry, state: 'settled', settledIn: periodId };
}

// ---------------------------------------------------------------------------------------------
// Totals

export type ByKind = Record<LedgerKind, Vnd>;

export function emptyByKind(): ByKind {
  return Object.fromEntries(LEDGER_KINDS.map((k) => [k, 0])) as ByKind;
}

/** Totals per kind and the exact total (= the sum of every line). */
export function totalsByKind(entries: Iterable<{ kind: LedgerKind; amount: Vnd }>): { byKind: ByKind; total: Vnd } {
  const byKind = emptyByKind();
  for (const e of entries) {
    if (!(e.kind in byKind)) throw new RangeError(`unknown ledger kind ${e.kind}`);
    byKind[e.kind] += e.amount;
  }
  for (const k of LEDGER_KINDS) {
    if (!Number.isSafeInteger(byKind[k])) throw new RangeError('a total is beyond the safe-integer range');
  }
  return { byKind, total: sumVnd(LEDGER_KINDS.map((k) => byKind[k])) };
}

const Amount = z.int();
export const Earnings = z
  .object({
    period: z.string().meta({ example: '2026-10' }),
    closed: z.boolean(),
    byKind: z.object(Object.fromEntries(LEDGER_KINDS.map((k) => [k, Amount])) as Record<LedgerKind, typeof Amount>),
    total: Amount,
  })
  .meta({ id: 'Earnings' });
export type Earnings = z.infer<typeof Earnings>;

/** API.md earnings: one beneficiary's entries of one statement period, by kind. */
export function earnings(entries: Iterable<LedgerEntry>, q: { beneficiary: Beneficiary; periodId: string; closed: boolean }): Earnings {
  const who = beneficiaryPart(q.beneficiary);
  const mine: LedgerEntry[] = [];
  for (const e of entries) if (e.periodId === q.periodId && beneficiaryPart(e.beneficiary) === who) mine.push(e);
  const { byKind, total } = totalsByKind(mine);
  return { period: q.periodId, closed: q.closed, byKind, total };
}

/** The ledger's sum per key. */
export function sumByKey(entries: Iterable<{ key: string; amount: Vnd }>): Map<string, Vnd> {
  const sums = new Map<string, Vnd>();
  for (const e of entries) sums.set(e.key, (sums.get(e.key) ?? 0) + e.amount);
  return sums;
}

/** The ledger's sum per beneficiary (`collaborator:<id>` / `seller:<id>`). */
export function sumByBeneficiary(entries: Iterable<{ beneficiary: Beneficiary; amount: Vnd }>): Map<string, Vnd> {
  const sums = new Map<string, Vnd>();
  for (const e of entries) {
    const k = beneficiaryPart(e.beneficiary);
    sums.set(k, (sums.get(k) ?? 0) + e.amount);
  }
  return sums;
}

/** The CTVs (collaborator beneficiaries) that entries pay or take from, each once, in first-seen order. */
export function collaboratorsIn(entries: Iterable<{ beneficiary: Beneficiary }>): string[] {
  const ids = new Set<string>();
  for (const e of entries) if (e.beneficiary.type === 'collaborator') ids.add(e.beneficiary.id);
  return [...ids];
}
