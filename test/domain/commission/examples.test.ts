/**
 * Every worked example of DOMAIN.md ("The six commission kinds", "Period awards"), to the đồng.
 * Expected values are DOMAIN.md's numbers, not the engine's output.
 */
import { describe, expect, it } from 'vitest';
import { priceOrder } from '../../../domain/commission/engine';
import { awardLines, referralLines, type PeriodInput } from '../../../domain/commission/period';
import { transitionVoucher, voucherLines, type IncurredVoucher } from '../../../domain/commission/vouchers';
import { facts, line, only, order, plan, sum, TZ } from './fixtures';

describe('DOMAIN.md worked examples', () => {
  it('basic: 30 units × 500,000 đ = R 15,000,000 đ at 10% → 1,500,000 đ', () => {
    const lines = priceOrder(
      order({ lines: [line({ quantity: 30, netRevenue: 30 * 500_000 })] }),
      plan({ basic: { default: { percentBp: 1000 } } }),
      facts,
    );
    expect(lines).toHaveLength(1);
    expect(only(lines, (l) => l.kind === 'basic').amount).toBe(1_500_000);
  });

  const vipLine = line({ productId: 'VIP-1', quantity: 30, netRevenue: 15_000_000 });

  it('advanced: VIP at 15% replace → 2,250,000 đ (instead of basic)', () => {
    const lines = priceOrder(
      order({ collaboratorId: 'VIP', lines: [vipLine] }),
      plan({ advanced: [{ collaboratorId: 'VIP', productIds: ['VIP-1'], percentBp: 1500, mode: 'replace' }] }),
      facts,
    );
    expect(lines.map((l) => [l.kind, l.amount])).toEqual([['advanced', 2_250_000]]);
  });

  it('advanced: 5% add → 1,500,000 + 750,000 đ', () => {
    const lines = priceOrder(
      order({ collaboratorId: 'VIP', lines: [vipLine] }),
      plan({ advanced: [{ collaboratorId: 'VIP', productIds: ['VIP-1'], percentBp: 500, mode: 'add' }] }),
      facts,
    );
    expect(only(lines, (l) => l.kind === 'basic').amount).toBe(1_500_000);
    expect(only(lines, (l) => l.kind === 'advanced').amount).toBe(750_000);
    expect(sum(lines)).toBe(2_250_000);
  });

  it('add-on: A 500,000 đ at basic 10% = 50,000 đ; seller adds B 200,000 đ: CTV 5% = 10,000 đ, seller 3% = 6,000 đ', () => {
    const lines = priceOrder(
      order({
        sellerId: 'SELLER-1',
        lines: [
          line({ lineId: 'A', productId: 'A', netRevenue: 500_000 }),
          line({ lineId: 'B', productId: 'B', netRevenue: 200_000, addOn: true }),
        ],
      }),
      plan({ addOn: { collaboratorPercentBp: 500, sellerPercentBp: 300 } }),
      facts,
    );
    expect(only(lines, (l) => l.trace.lineId === 'A').amount).toBe(50_000);
    const ctvB = only(lines, (l) => l.trace.lineId === 'B' && l.beneficiary.type === 'collaborator');
    expect([ctvB.kind, ctvB.amount]).toEqual(['addOn', 10_000]);
    const seller = only(lines, (l) => l.beneficiary.type === 'seller');
    expect([seller.kind, seller.beneficiary.id, seller.amount]).toEqual(['addOn', 'SELLER-1', 6_000]);
    expect(lines).toHaveLength(3);
  });

  it('repurchase: bound customer buys 1,000,000 đ at 4% → 40,000 đ (instead of basic)', () => {
    const lines = priceOrder(
      order({ isRepurchase: true, lines: [line({ netRevenue: 1_000_000 })] }),
      plan({ repurchase: { percentBp: 400, bindingDays: 365, maxRepurchases: null, attribution: 'binding' } }),
      facts,
    );
    expect(lines.map((l) => [l.kind, l.amount])).toEqual([['repurchase', 40_000]]);
  });

  it('incurred: 10 × 450,000 đ at 8% → 360,000 đ, once approved', () => {
    const voucher: IncurredVoucher = {
      id: 'V1',
      state: 'processing',
      collaboratorId: 'CTV-A',
      lines: [{ productId: 'SERUM-30', quantity: 10, endUserPrice: 450_000, percentBp: 800 }],
      createdAt: '2026-10-10T10:00:00+07:00',
      createdBy: 'owner',
      version: 1,
    };
    expect(voucherLines(voucher)).toEqual([]);
    const approved = transitionVoucher(voucher, 'approve', '2026-10-11T10:00:00+07:00', 'owner');
    const lines = voucherLines(approved);
    expect(lines.map((l) => [l.kind, l.beneficiary.id, l.amount])).toEqual([['incurred', 'CTV-A', 360_000]]);
  });

  const base: Omit<PeriodInput, 'plan'> = {
    periodId: '2026-10',
    timeZone: TZ,
    volumes: [],
    ratings: new Map(),
    members: [],
  };

  it("referral: B (referred by A) has a period volume of 20,000,000 đ; A's F1 rate 3% → 600,000 đ", () => {
    const lines = referralLines({
      ...base,
      plan: plan({ referral: { level1Bp: 300 } }),
      volumes: [
        { collaboratorId: 'B', orderId: 'O1', approvedAt: Date.parse('2026-10-05T10:00:00+07:00'), revenue: 20_000_000, quantity: 40 },
      ],
      members: [
        { id: 'A', referrerId: null, approvedAt: '2026-01-01T00:00:00+07:00', canEarn: true },
        { id: 'B', referrerId: 'A', approvedAt: '2026-03-01T00:00:00+07:00', canEarn: true },
      ],
    });
    expect(lines.map((l) => [l.kind, l.beneficiary.id, l.trace.refereeId, l.amount])).toEqual([['referral', 'A', 'B', 600_000]]);
  });

  it('award: 15,000,000 đ, target 20 units and 4.5★, CTV sold 30 with 4.6★, 2% → 300,000 đ', () => {
    const lines = awardLines({
      ...base,
      plan: plan({ awards: [{ cycle: 'month', minQuantity: 20, minAverageStars: 4.5, percentBp: 200 }] }),
      volumes: [
        { collaboratorId: 'A', orderId: 'O1', approvedAt: Date.parse('2026-10-05T10:00:00+07:00'), revenue: 15_000_000, quantity: 30 },
      ],
      ratings: new Map([['A', { count: 5, starsSum: 23 }]]), // 23 / 5 = 4.6★
      members: [{ id: 'A', referrerId: null, approvedAt: '2026-01-01T00:00:00+07:00', canEarn: true }],
    });
    expect(lines.map((l) => [l.kind, l.beneficiary.id, l.amount])).toEqual([['award', 'A', 300_000]]);
  });
});
