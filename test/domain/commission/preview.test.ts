import { describe, expect, it } from 'vitest';
import { checkPreviewRange, comparePlans } from '../../../domain/commission/preview';
import { DomainError } from '../../../domain/errors';
import { facts, line, order, plan } from './fixtures';

const fieldOf = (fn: () => void) => {
  try {
    fn();
  } catch (error) {
    return error instanceof DomainError ? `${error.kind}:${error.errors[0]?.path}` : 'other';
  }
  return 'none';
};

describe('checkPreviewRange', () => {
  it('takes up to 92 days, in order', () => {
    // 2026-01-01 + 92 days = 2026-04-03 (31 + 28 + 31 + 2)
    expect(fieldOf(() => checkPreviewRange('2026-01-01', '2026-04-03'))).toBe('none');
    expect(fieldOf(() => checkPreviewRange('2026-01-01', '2026-01-01'))).toBe('none');
    expect(fieldOf(() => checkPreviewRange('2026-01-01', '2026-04-04'))).toBe('rule_violation:to');
    expect(fieldOf(() => checkPreviewRange('2026-01-02', '2026-01-01'))).toBe('rule_violation:from');
  });
});

describe('comparePlans', () => {
  // in force from 2026-10-01: 10 % of R; the draft: 15 % with a platform fee of 10 % of each commission line
  const versions = [plan({ basic: { default: { percentBp: 1000 } } })];
  const draft = plan({ basic: { default: { percentBp: 1500 } }, platformFeeBp: 1000 }, { planId: 'draft', version: 0 });

  it('sums each CTV’s lines under the versions in force and under the draft, with the difference', () => {
    const orders = [
      // B: 2,000,000 đ → current 200,000; draft 300,000 − fee 30,000 = 270,000
      order({ orderId: 'O1', collaboratorId: 'CTV-B', lines: [line({ netRevenue: 2_000_000 })] }),
      // A: 1,000,000 đ → current 100,000; draft 150,000 − 15,000 = 135,000
      order({ orderId: 'O2', collaboratorId: 'CTV-A' }),
      // A, not accruing: nothing under either
      order({ orderId: 'O3', collaboratorId: 'CTV-A', state: 'processing', approvedAt: null }),
      // A, approved before any version was in force: current 0; the draft as if in force then: 135,000
      order({ orderId: 'O4', collaboratorId: 'CTV-A', approvedAt: '2026-09-20T10:00:00+07:00' }),
    ];
    expect(comparePlans(orders, versions, draft, facts)).toEqual({
      items: [
        { collaboratorId: 'CTV-A', current: 100_000, draft: 270_000, difference: 170_000 },
        { collaboratorId: 'CTV-B', current: 200_000, draft: 270_000, difference: 70_000 },
      ],
      totals: { current: 300_000, draft: 540_000, difference: 240_000 },
    });
  });

  it('leaves out orders credited to no CTV, and gives empty totals for no order', () => {
    expect(comparePlans([order({ collaboratorId: null })], versions, draft, facts)).toEqual({
      items: [],
      totals: { current: 0, draft: 0, difference: 0 },
    });
    expect(comparePlans([], versions, draft, facts).totals).toEqual({ current: 0, draft: 0, difference: 0 });
  });
});
