import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../domain/errors';
import { diffLedger, sumByBeneficiary } from '../../../domain/commission/ledger';
import {
  CreateAdjustmentInput,
  CreateIncurredVoucherInput,
  adjustmentLines,
  transitionVoucher,
  voucherLines,
  type Adjustment,
  type IncurredVoucher,
} from '../../../domain/commission/vouchers';
import { ctx } from './fixtures';

const voucher = (p: Partial<IncurredVoucher> = {}): IncurredVoucher => ({
  id: 'V1',
  state: 'approved',
  collaboratorId: 'A',
  lines: [
    { productId: 'SERUM-30', quantity: 10, endUserPrice: 450_000, percentBp: 800 },
    { productId: 'MASK-10', quantity: 3, endUserPrice: 33_335, percentBp: 500 },
  ],
  createdAt: '2026-10-10T10:00:00+07:00',
  createdBy: 'owner',
  version: 1,
  ...p,
});

describe('incurred vouchers', () => {
  it('one line per voucher line, rounded once; the connecting CTV at its own rate', () => {
    const lines = voucherLines(voucher({ connecting: { collaboratorId: 'K', percentBp: 200 } }));
    expect(lines.map((l) => [l.key, l.amount, l.trace.base, l.trace.rateBp])).toEqual([
      ['v:V1|l:0|incurred|collaborator:A', 360_000, 4_500_000, 800],
      ['v:V1|l:0|incurred.connecting|collaborator:K', 90_000, 4_500_000, 200],
      ['v:V1|l:1|incurred|collaborator:A', 5_000, 100_005, 500], // 5,000.25 → 5,000
      ['v:V1|l:1|incurred.connecting|collaborator:K', 2_000, 100_005, 200], // 2,000.1 → 2,000
    ]);
    expect(lines.every((l) => l.kind === 'incurred')).toBe(true);
  });

  it('a CTV may be both beneficiary and connecting: two lines, two keys', () => {
    const lines = voucherLines(voucher({ connecting: { collaboratorId: 'A', percentBp: 200 }, lines: [voucher().lines[0]!] }));
    expect(lines.map((l) => l.amount)).toEqual([360_000, 90_000]);
    expect(new Set(lines.map((l) => l.key)).size).toBe(2);
  });

  it('only approved vouchers reach the ledger; a cancel after approval reverses', () => {
    expect(voucherLines(voucher({ state: 'processing' }))).toEqual([]);
    expect(voucherLines(voucher({ state: 'cancelled' }))).toEqual([]);
    const approved = voucherLines(voucher());
    const ledger = diffLedger([], approved, ctx());
    const cancelled = transitionVoucher(voucher(), 'cancel', '2026-10-12T10:00:00+07:00', 'owner');
    const reversal = diffLedger(ledger, voucherLines(cancelled), ctx());
    expect(reversal.map((e) => e.amount)).toEqual([-360_000, -5_000]);
    expect([...sumByBeneficiary([...ledger, ...reversal]).values()]).toEqual([0]);
  });

  it('the platform fee of the plan in force is withheld as its own line', () => {
    const lines = voucherLines(voucher({ lines: [voucher().lines[0]!] }), { planId: 'P', planVersion: 2, platformFeeBp: 1000 });
    expect(lines.map((l) => [l.kind, l.amount, l.trace.planVersion])).toEqual([
      ['incurred', 360_000, 2],
      ['platformFee', -36_000, 2],
    ]);
  });

  it('moves processing → approved | cancelled, approved → cancelled, nothing else', () => {
    const v = voucher({ state: 'processing' });
    const approved = transitionVoucher(v, 'approve', '2026-10-11T00:00:00+07:00', 'owner');
    expect([approved.state, approved.approvedBy, approved.version]).toEqual(['approved', 'owner', 2]);
    expect(transitionVoucher(v, 'cancel', '2026-10-11T00:00:00+07:00', 'owner').state).toBe('cancelled');
    expect(() => transitionVoucher(approved, 'approve', 'x', 'owner')).toThrow(DomainError);
    const cancelled = transitionVoucher(approved, 'cancel', 'x', 'owner');
    expect(() => transitionVoucher(cancelled, 'approve', 'x', 'owner')).toThrow(/cancelled/);
  });

  it('input schema: lines required, phone normalised, rates in bp', () => {
    const r = CreateIncurredVoucherInput.safeParse({
      collaboratorId: 'A',
      customer: { name: 'Trần Văn Bình', phone: '0912345678' },
      lines: [{ productId: 'SERUM-30', quantity: 10, endUserPrice: 450_000, percentBp: 800 }],
    });
    expect(r.success).toBe(true);
    expect(r.data!.customer!.phone).toBe('+84912345678');
    expect(CreateIncurredVoucherInput.safeParse({ collaboratorId: 'A', lines: [] }).success).toBe(false);
    const bad = CreateIncurredVoucherInput.safeParse({
      collaboratorId: 'A',
      lines: [{ productId: 'X', quantity: 1, endUserPrice: 1, percentBp: -1 }],
    });
    expect(bad.error?.issues.map((i) => i.path.join('.'))).toEqual(['lines.0.percentBp']);
  });
});

describe('manual adjustments', () => {
  const adj = (p: Partial<Adjustment> = {}): Adjustment => ({
    id: 'ADJ1',
    collaboratorId: 'A',
    type: 'bonus',
    amount: 250_000,
    reason: 'Thưởng nóng tháng 10',
    state: 'approved',
    createdAt: '2026-10-10T10:00:00+07:00',
    createdBy: 'owner',
    version: 1,
    ...p,
  });

  it('a bonus adds, a penalty deducts, with its reason in the trace; only once approved', () => {
    expect(adjustmentLines(adj()).map((l) => [l.kind, l.amount, l.trace.reason])).toEqual([
      ['adjustment', 250_000, 'Thưởng nóng tháng 10'],
    ]);
    expect(adjustmentLines(adj({ type: 'penalty' })).map((l) => l.amount)).toEqual([-250_000]);
    expect(adjustmentLines(adj({ state: 'processing' }))).toEqual([]);
  });

  it('input schema: a positive amount and a reason', () => {
    expect(CreateAdjustmentInput.safeParse({ collaboratorId: 'A', type: 'penalty', amount: 50_000, reason: 'Sai quy trình' }).success).toBe(
      true,
    );
    expect(CreateAdjustmentInput.safeParse({ collaboratorId: 'A', type: 'penalty', amount: -5, reason: 'x' }).success).toBe(false);
    expect(CreateAdjustmentInput.safeParse({ collaboratorId: 'A', type: 'bonus', amount: 5 }).success).toBe(false);
  });
});
