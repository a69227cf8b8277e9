/**
 * Incurred commission vouchers (CK phát sinh) and manual ± adjustments (DOMAIN.md kind 5).
 *
 * A voucher names a beneficiary CTV, optionally a connecting CTV with its own rate, the customer,
 * and lines (product, quantity, end-user price, rate). States: processing → approved | cancelled,
 * and approved → cancelled (the ledger then reverses it, or claws it back once settled). Only an
 * approved voucher has ledger lines. Adjustments (bonus / penalty with a reason) go the same way.
 */
import * as z from 'zod';
import { mulDivRound, type BasisPoints } from '../money';
import { ruleViolation } from '../errors';
import { text } from '../text';
import { VnPhone } from '../entities/collaborator';
import {
  ROUNDING,
  platformFeeLine,
  scopePart,
  scopedKey,
  type Beneficiary,
  type CommissionLine,
  type LineSource,
  type Trace,
} from './lines';

const Id = z.string().trim().min(1).max(128);
const Bp = z.int().min(0).max(10_000).meta({ description: 'basis points, 1% = 100' });

export const VOUCHER_STATES = ['processing', 'approved', 'cancelled'] as const;
export type VoucherState = (typeof VOUCHER_STATES)[number];

export const IncurredVoucherLine = z.strictObject({
  productId: text(128),
  quantity: z.int().min(1).max(1_000_000),
  endUserPrice: z.int().min(0).max(10_000_000_000).meta({ description: 'end-user price per unit, VND' }),
  percentBp: Bp,
});
export type IncurredVoucherLine = z.infer<typeof IncurredVoucherLine>;

export const CreateIncurredVoucherInput = z
  .strictObject({
    collaboratorId: Id.meta({ description: 'the beneficiary CTV' }),
    connecting: z
      .strictObject({ collaboratorId: Id, percentBp: Bp })
      .optional()
      .meta({ description: 'the connecting CTV and its own rate on the same lines' }),
    customer: z.strictObject({ name: text(200).optional(), phone: VnPhone.optional() }).optional(),
    lines: z.array(IncurredVoucherLine).min(1).max(200),
    note: text(1000).optional(),
  })
  .meta({ id: 'CreateIncurredCommissionInput' });
export type CreateIncurredVoucherInput = z.infer<typeof CreateIncurredVoucherInput>;

/** What a voucher (incurred commission or adjustment) keeps of its life: who made, approved or cancelled it, and when. */
interface VoucherRecord {
  id: string;
  state: VoucherState;
  createdAt: string;
  createdBy: string;
  approvedAt?: string;
  approvedBy?: string;
  cancelledAt?: string;
  cancelledBy?: string;
  version: number;
}

export interface IncurredVoucher extends CreateIncurredVoucherInput, VoucherRecord {}

export const CreateAdjustmentInput = z
  .strictObject({
    collaboratorId: Id,
    type: z.enum(['bonus', 'penalty']),
    amount: z.int().min(1).max(1_000_000_000_000).meta({ description: 'VND, positive; a penalty is deducted' }),
    reason: text(1000),
  })
  .meta({ id: 'CreateAdjustmentInput' });
export type CreateAdjustmentInput = z.infer<typeof CreateAdjustmentInput>;

export interface Adjustment extends CreateAdjustmentInput, VoucherRecord {}

export type VoucherAction = 'approve' | 'cancel';
const MOVES: Record<VoucherAction, { to: VoucherState; from: readonly VoucherState[] }> = {
  approve: { to: 'approved', from: ['processing'] },
  cancel: { to: 'cancelled', from: ['processing', 'approved'] },
};

/** Approve or cancel a voucher or an adjustment; a 422 when the move is not allowed. */
export function transitionVoucher<T extends IncurredVoucher | Adjustment>(v: T, action: VoucherAction, at: string, by: string): T {
  const move = MOVES[action];
  if (!move.from.includes(v.state)) throw ruleViolation(`A ${v.state} item cannot be moved by "${action}"`, 'state');
  return action === 'approve'
    ? { ...v, state: move.to, approvedAt: at, approvedBy: by, version: v.version + 1 }
    : { ...v, state: move.to, cancelledAt: at, cancelledBy: by, version: v.version + 1 };
}

export interface VoucherPricing {
  /** the plan version in force at the voucher's approval, for the trace and its platform fee */
  planId?: string;
  planVersion?: number;
  platformFeeBp?: BasisPoints;
}

/**
 * The desired ledger lines of a voucher: nothing unless approved; otherwise, per voucher line,
 * qty × end-user price × rate for the beneficiary and (when set) qty × end-user price × the
 * connecting rate for the connecting CTV, each rounded once, each with its platform fee line.
 */
export function voucherLines(v: IncurredVoucher, pricing: VoucherPricing = {}): CommissionLine[] {
  if (v.state !== 'approved') return [];
  const out: CommissionLine[] = [];
  const source: LineSource = { type: 'voucher', voucherId: v.id };
  v.lines.forEach((line, i) => {
    const base = line.quantity * line.endUserPrice;
    if (!Number.isSafeInteger(base)) throw new RangeError('voucher line value beyond the safe-integer range');
    const scope = `v:${scopePart(v.id)}|l:${i}`;
    const parties: { b: Beneficiary; rateBp: number; slot: string; rule: Trace['rule'] }[] = [
      { b: { type: 'collaborator', id: v.collaboratorId }, rateBp: line.percentBp, slot: 'incurred', rule: 'incurred.beneficiary' },
    ];
    if (v.connecting) {
      parties.push({
        b: { type: 'collaborator', id: v.connecting.collaboratorId },
        rateBp: v.connecting.percentBp,
        slot: 'incurred.connecting',
        rule: 'incurred.connecting',
      });
    }
    for (const p of parties) {
      const amount = mulDivRound(base, p.rateBp, 10_000);
      if (amount === 0) continue;
      const trace: Trace = {
        rule: p.rule,
        ruleRef: p.rule === 'incurred.beneficiary' ? `lines.${i}.percentBp` : 'connecting.percentBp',
        planId: pricing.planId ?? null,
        planVersion: pricing.planVersion ?? null,
        voucherId: v.id,
        lineId: String(i),
        productId: line.productId,
        base,
        rateBp: p.rateBp,
        quantity: line.quantity,
        tier: null,
        rounding: ROUNDING,
      };
      const cl: CommissionLine = { key: scopedKey(scope, p.slot, p.b), kind: 'incurred', beneficiary: p.b, amount, source, trace };
      out.push(cl);
      const fee = platformFeeLine(cl, pricing.platformFeeBp, scopedKey(scope, `platformFee.${p.slot}`, p.b));
      if (fee) out.push(fee);
    }
  });
  return out;
}

/** The desired ledger line of an adjustment: ±amount when approved (never withheld), else nothing. */
export function adjustmentLines(a: Adjustment): CommissionLine[] {
  if (a.state !== 'approved') return [];
  const beneficiary: Beneficiary = { type: 'collaborator', id: a.collaboratorId };
  const amount = a.type === 'bonus' ? a.amount : -a.amount;
  return [
    {
      key: scopedKey(`a:${scopePart(a.id)}`, 'adjustment', beneficiary),
      kind: 'adjustment',
      beneficiary,
      amount,
      source: { type: 'adjustment', adjustmentId: a.id },
      trace: {
        rule: a.type === 'bonus' ? 'adjustment.bonus' : 'adjustment.penalty',
        ruleRef: null,
        planId: null,
        planVersion: null,
        adjustmentId: a.id,
        base: a.amount,
        tier: null,
        reason: a.reason,
        rounding: ROUNDING,
      },
    },
  ];
}
