/**
 * Period statements (DOMAIN.md "Periods, snapshots and payouts", "Money rules"), pure.
 *
 * Statements are monthly. At a month's close each CTV gets one statement that SETTLES every ledger
 * entry of theirs that became payable by the cut-off and was not settled before: the entries
 * booked into the month (orders approved in it, vouchers, adjustments, changes to entries of
 * closed months carried forward, the period-level lines of the close) and the entries still pending
 * at the previous close. A carried-forward change takes the state of what it changes (see
 * commission/ledger.ts): a clawback is payable when recorded, a change to an order entry not yet
 * payable when it was made keeps the order's maturity, so it settles in the same statement as the
 * entry it changes.
 * Entries not yet payable (the order is not completed, or is still inside the holding period)
 * stay pending and are carried, unchanged, to the next statement, which settles them once payable.
 * So each entry is settled exactly once, into the statement that covers the day it became payable.
 *
 * A statement's `total` is the exact sum of its lines; `byKind` splits the same lines. Its
 * `balance` adds what was brought forward from the previous statement: a balance that was never
 * paid out (below the minimum payout, negative = debt, or not approved in time) carries into the
 * next statement, and the previous statement is marked `carried` in the same write, so no amount
 * can be paid twice or lost.
 *
 * States: draft (at close) → approved (owner) → batched (in a payout batch) → paid; a draft or
 * approved statement still unpaid at the next close → carried.
 */
import * as z from 'zod';
import { maturity, totalsByKind, type ByKind, type LedgerEntry } from './commission/ledger';
import { LEDGER_KINDS, ROUNDING, scopePart, scopedKey, type Beneficiary, type CommissionLine, type LedgerKind } from './commission/lines';
import { sumVnd, type Vnd } from './money';
import { text } from './text';

export const STATEMENT_STATES = ['draft', 'approved', 'batched', 'paid', 'carried'] as const;
export type StatementState = (typeof STATEMENT_STATES)[number];

/** Statement states whose balance has not left the business: at the next close they carry over. */
export const CARRYABLE: readonly StatementState[] = ['draft', 'approved'];

/** A settled line: the ledger entry as it was settled, with the instant it became payable. */
export interface StatementLine extends LedgerEntry {
  state: 'settled';
  settledIn: string;
  payableFrom: string;
}

export interface PreviousStatement {
  periodId: string;
  status: StatementState;
  balance: Vnd;
  /** its entries still pending at its close */
  pending: readonly LedgerEntry[];
}

export interface StatementInput {
  collaboratorId: string;
  /** the month being closed */
  periodId: string;
  /** the month's cut-off: epoch ms of the local midnight after its last day */
  cutoff: number;
  holdingDays: number;
  /** the CTV's latest statement before this month, if any */
  previous: PreviousStatement | null;
  /** the CTV's ledger entries booked into this month */
  entries: readonly LedgerEntry[];
  /** completion (or, if never completed, return) time of an order; null while not delivered */
  completedAt: (orderId: string) => string | null | undefined;
}

export interface StatementComputation {
  lines: StatementLine[];
  pending: LedgerEntry[];
  byKind: ByKind;
  /** Σ lines */
  total: Vnd;
  pendingTotal: Vnd;
  /** the previous statement's unpaid balance, carried into this one (negative: debt) */
  broughtForward: Vnd;
  broughtForwardFrom: string | null;
  /** total + broughtForward: what the business owes the CTV after this statement */
  balance: Vnd;
  /** true when the previous statement is carried into this one (it becomes `carried`) */
  carriesPrevious: boolean;
}

/**
 * When an entry became payable. Period-level lines (awards, referral) are payable at their
 * period's cut-off — they are booked with recordedAt = the cut-off − 1 ms, so `maturity` agrees;
 * everything else follows `maturity` (orders: completion + holding period; vouchers, adjustments
 * and clawbacks: when recorded).
 */
function payableFromOf(e: LedgerEntry, completedAt: string | null | undefined, holdingDays: number, at: number) {
  return maturity({ ...e, state: 'pending' }, completedAt, holdingDays, at);
}

const orderIdOf = (e: LedgerEntry) => (e.source.type === 'order' ? e.source.orderId : null);

/** Deterministic order of lines: when they were recorded, then their id. */
export function compareEntries(a: Pick<LedgerEntry, 'recordedAt' | 'entryId'>, b: Pick<LedgerEntry, 'recordedAt' | 'entryId'>): number {
  const ta = Date.parse(a.recordedAt);
  const tb = Date.parse(b.recordedAt);
  if (ta !== tb) return ta - tb;
  return a.entryId < b.entryId ? -1 : a.entryId > b.entryId ? 1 : 0;
}

/** The statement of one CTV for one month: which entries settle, which stay pending, the totals. */
export function computeStatement(input: StatementInput): StatementComputation {
  if (!Number.isSafeInteger(input.cutoff)) throw new RangeError('cutoff is an epoch-ms instant');
  const seen = new Set<string>();
  const candidates: LedgerEntry[] = [];
  const beneficiary = `collaborator:${input.collaboratorId}`;
  for (const e of [...(input.previous?.pending ?? []), ...input.entries]) {
    if (seen.has(e.entryId)) continue;
    if (`${e.beneficiary.type}:${e.beneficiary.id}` !== beneficiary) {
      throw new RangeError(`entry ${e.entryId} belongs to ${e.beneficiary.type}:${e.beneficiary.id}, not ${beneficiary}`);
    }
    seen.add(e.entryId);
    candidates.push(e);
  }
  candidates.sort(compareEntries);

  const lastInstant = input.cutoff - 1;
  const lines: StatementLine[] = [];
  const pending: LedgerEntry[] = [];
  for (const e of candidates) {
    const orderId = orderIdOf(e);
    const m = payableFromOf(e, orderId ? input.completedAt(orderId) : null, input.holdingDays, lastInstant);
    if (m.state === 'payable' && m.payableFrom !== null) {
      lines.push({ ...e, state: 'settled', settledIn: input.periodId, payableFrom: new Date(m.payableFrom).toISOString() });
    } else {
      pending.push(e);
    }
  }
  const { byKind, total } = totalsByKind(lines);
  const previous = input.previous;
  const carriesPrevious = !!previous && CARRYABLE.includes(previous.status);
  const broughtForward = carriesPrevious ? previous!.balance : 0;
  return {
    lines,
    pending,
    byKind,
    total,
    pendingTotal: sumVnd(pending.map((e) => e.amount)),
    broughtForward,
    broughtForwardFrom: carriesPrevious && broughtForward !== 0 ? previous!.periodId : null,
    balance: total + broughtForward,
    carriesPrevious,
  };
}

/** Nothing to state: no line, nothing pending, nothing brought forward. */
export const isEmptyStatement = (s: StatementComputation) => s.lines.length === 0 && s.pending.length === 0 && s.broughtForward === 0;

/** A statement's totals recomputed from its lines (what a reader can check). */
export function totalsOfLines(lines: Iterable<{ kind: LedgerKind; amount: Vnd }>): { byKind: ByKind; total: Vnd } {
  return totalsByKind(lines);
}

// ---------------------------------------------------------------------------------------------
// Disputes

export const DISPUTE_STATES = ['open', 'adjusted', 'rejected'] as const;
export type DisputeState = (typeof DISPUTE_STATES)[number];

export const OpenDisputeInput = z
  .strictObject({
    entryId: z.string().min(1).max(600).meta({ description: 'the statement line disputed (its entryId)' }),
    message: text(2000).meta({ example: 'Đơn HD-10293 tôi bán 30 hộp, sao chỉ tính 20?' }),
  })
  .meta({ id: 'OpenDisputeInput' });
export type OpenDisputeInput = z.infer<typeof OpenDisputeInput>;

export const ResolveDisputeInput = z
  .discriminatedUnion('outcome', [
    z.strictObject({
      outcome: z.literal('adjusted'),
      amount: z
        .int()
        .min(-1_000_000_000)
        .max(1_000_000_000)
        .refine((v) => v !== 0, 'an adjustment is not 0')
        .meta({ description: 'VND; positive pays the CTV more, negative takes back' }),
      reason: text(1000),
    }),
    z.strictObject({ outcome: z.literal('rejected'), reason: text(1000) }),
  ])
  .meta({ id: 'ResolveDisputeInput' });
export type ResolveDisputeInput = z.infer<typeof ResolveDisputeInput>;

export interface Dispute {
  id: string;
  tenantId: string;
  collaboratorId: string;
  /** the statement's month */
  periodId: string;
  entryId: string;
  /** the disputed line as it stands in the statement */
  line: { kind: LedgerKind; amount: Vnd; key: string };
  message: string;
  status: DisputeState;
  openedAt: string;
  openedBy: string;
  resolvedAt?: string;
  resolvedBy?: string;
  resolution?: { outcome: 'adjusted' | 'rejected'; reason: string; amount?: Vnd; bookedIn?: string };
  version: number;
}

/**
 * The ledger line an `adjusted` dispute books: a manual adjustment for the CTV, in the open month,
 * keyed by the dispute so that a retried resolution books it once.
 */
export function disputeAdjustmentLine(
  d: Pick<Dispute, 'id' | 'collaboratorId' | 'periodId' | 'entryId'>,
  amount: Vnd,
  reason: string,
): CommissionLine {
  const beneficiary: Beneficiary = { type: 'collaborator', id: d.collaboratorId };
  const adjustmentId = `dispute.${d.id}`;
  return {
    key: scopedKey(`a:${scopePart(adjustmentId)}`, 'adjustment', beneficiary),
    kind: 'adjustment',
    beneficiary,
    amount,
    source: { type: 'adjustment', adjustmentId },
    trace: {
      rule: amount >= 0 ? 'adjustment.bonus' : 'adjustment.penalty',
      ruleRef: `disputes.${d.id}`,
      planId: null,
      planVersion: null,
      adjustmentId,
      periodId: d.periodId,
      base: amount,
      tier: null,
      reason: `${reason} (khiếu nại dòng ${d.entryId} kỳ ${d.periodId})`,
      rounding: ROUNDING,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Views

const Amount = z.int();
export const ByKindView = z
  .object(Object.fromEntries(LEDGER_KINDS.map((k) => [k, Amount])) as Record<LedgerKind, typeof Amount>)
  .meta({ id: 'AmountsByKind' });

export const StatementLineView = z
  .object({
    entryId: z.string(),
    key: z.string(),
    kind: z.enum(LEDGER_KINDS),
    lineKind: z.string(),
    amount: Amount,
    periodId: z.string().meta({ description: 'the month the entry was booked into' }),
    reason: z.string(),
    recordedAt: z.string(),
    payableFrom: z.string().optional(),
    source: z.object({ type: z.string() }).loose(),
    trace: z.object({ rule: z.string() }).loose(),
  })
  .meta({ id: 'StatementLine' });

export const StatementView = z
  .object({
    tenantId: z.string(),
    collaboratorId: z.string(),
    collaborator: z.object({ name: z.string(), refId: z.string() }),
    periodId: z.string(),
    status: z.enum(STATEMENT_STATES),
    byKind: ByKindView,
    total: Amount.meta({ description: 'Σ lines' }),
    lineCount: z.int(),
    pendingCount: z.int(),
    pendingTotal: Amount.meta({ description: 'Σ entries not yet payable, carried to the next statement' }),
    broughtForward: Amount,
    broughtForwardFrom: z.string().nullable(),
    balance: Amount.meta({ description: 'total + broughtForward' }),
    openDisputes: z.int(),
    createdAt: z.string(),
    approvedAt: z.string().optional(),
    approvedBy: z.string().optional(),
    batchId: z.string().optional(),
    paidAt: z.string().optional(),
    carriedTo: z.string().optional(),
    version: z.int(),
    lines: z.array(StatementLineView).optional(),
    pending: z.array(StatementLineView).optional(),
  })
  .meta({ id: 'Statement' });

export const DisputeView = z
  .object({
    id: z.string(),
    collaboratorId: z.string(),
    periodId: z.string(),
    entryId: z.string(),
    line: z.object({ kind: z.string(), amount: Amount, key: z.string() }),
    message: z.string(),
    status: z.enum(DISPUTE_STATES),
    openedAt: z.string(),
    openedBy: z.string(),
    resolvedAt: z.string().optional(),
    resolvedBy: z.string().optional(),
    resolution: z
      .object({ outcome: z.enum(['adjusted', 'rejected']), reason: z.string(), amount: Amount.optional(), bookedIn: z.string().optional() })
      .optional(),
    version: z.int(),
  })
  .meta({ id: 'Dispute' });
