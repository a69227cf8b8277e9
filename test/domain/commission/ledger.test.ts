import { describe, expect, it } from 'vitest';
import { priceOrder } from '../../../domain/commission/engine';
import {
  Earnings,
  diffLedger,
  earnings,
  maturity,
  settle,
  sumByBeneficiary,
  sumByKey,
  totalsByKind,
  type LedgerEntry,
} from '../../../domain/commission/ledger';
import { ctx, facts, line, order, plan } from './fixtures';

const p = plan({ addOn: { collaboratorPercentBp: 500, sellerPercentBp: 300 } });
const rev1 = order({
  revision: 1,
  sellerId: 'S1',
  lines: [line({ lineId: 'A', quantity: 4, netRevenue: 2_000_000 }), line({ lineId: 'B', netRevenue: 200_000, addOn: true })],
});
// revision 2: 1 of the 4 units of line A returned
const rev2 = {
  ...rev1,
  revision: 2,
  state: 'returned' as const,
  lines: [line({ lineId: 'A', quantity: 4, returnedQuantity: 1, netRevenue: 2_000_000, keptNetRevenue: 1_500_000 }), rev1.lines[1]!],
};
const void3 = { ...rev1, revision: 3, state: 'void' as const };

const apply = (ledger: LedgerEntry[], o: typeof rev1, c = ctx()) => [...ledger, ...diffLedger(ledger, priceOrder(o, p, facts), c)];

describe('diffLedger', () => {
  it('accrues the desired lines as pending entries with deterministic ids', () => {
    const entries = diffLedger([], priceOrder(rev1, p, facts), ctx());
    expect(entries.map((e) => [e.entryId, e.kind, e.amount, e.state, e.reason, e.periodId])).toEqual([
      ['o:O1|l:A|basic|collaborator:CTV-A#1', 'basic', 200_000, 'pending', 'accrual', '2026-10'],
      ['o:O1|l:B|addOn|collaborator:CTV-A#1', 'addOn', 10_000, 'pending', 'accrual', '2026-10'],
      ['o:O1|l:B|addOn|seller:S1#1', 'addOn', 6_000, 'pending', 'accrual', '2026-10'],
    ]);
  });

  it('a repeated computation adds nothing', () => {
    const ledger = apply([], rev1);
    expect(diffLedger(ledger, priceOrder(rev1, p, facts), ctx())).toEqual([]);
  });

  it('a partial return before settlement is a delta on the returned line only', () => {
    const ledger = apply([], rev1);
    const delta = diffLedger(ledger, priceOrder(rev2, p, facts), ctx());
    expect(delta.map((e) => [e.entryId, e.kind, e.amount, e.reason, e.carriedForward])).toEqual([
      ['o:O1|l:A|basic|collaborator:CTV-A#2', 'basic', -50_000, 'change', false],
    ]);
  });

  it('a void reverses every line exactly; each beneficiary nets to 0', () => {
    const ledger = apply(apply([], rev1), rev2);
    const reversal = diffLedger(ledger, priceOrder(void3, p, facts), ctx({ source: { type: 'order', orderId: 'O1', revision: 3 } }));
    expect(reversal.map((e) => [e.key, e.amount, e.reason])).toEqual([
      ['o:O1|l:A|basic|collaborator:CTV-A', -150_000, 'reversal'],
      ['o:O1|l:B|addOn|collaborator:CTV-A', -10_000, 'reversal'],
      ['o:O1|l:B|addOn|seller:S1', -6_000, 'reversal'],
    ]);
    expect(reversal.every((e) => e.source.type === 'order' && e.source.revision === 3)).toBe(true);
    expect([...sumByBeneficiary([...ledger, ...reversal]).values()]).toEqual([0, 0]);
  });

  it('after settlement a return becomes a clawback in the next open period', () => {
    const accrued = apply([], rev1);
    const settled = accrued.map((e) => settle({ ...e, state: 'payable' }, '2026-11'));
    const c = ctx({ recordedAt: '2026-12-02T09:00:00+07:00', openPeriodId: '2026-12', closedPeriodIds: ['2026-10', '2026-11'] });
    const claw = diffLedger(settled, priceOrder(rev2, p, facts), c);
    expect(claw.map((e) => [e.kind, e.lineKind, e.amount, e.periodId, e.carriedForward, e.reason])).toEqual([
      ['clawback', 'basic', -50_000, '2026-12', true, 'clawback'],
    ]);
    // and an increase after settlement is an adjustment there
    const back = diffLedger([...settled, ...claw], priceOrder({ ...rev1, revision: 4 }, p, facts), c);
    expect(back.map((e) => [e.kind, e.amount, e.periodId])).toEqual([['adjustment', 50_000, '2026-12']]);
  });

  it('a closed period freezes its entries even before they settle', () => {
    const accrued = apply([], rev1); // pending, in 2026-10
    const c = ctx({ openPeriodId: '2026-11', closedPeriodIds: ['2026-10'] });
    const out = diffLedger(accrued, priceOrder(void3, p, facts), c);
    expect(out.map((e) => [e.kind, e.amount, e.periodId])).toEqual([
      ['clawback', -200_000, '2026-11'],
      ['clawback', -10_000, '2026-11'],
      ['clawback', -6_000, '2026-11'],
    ]);
    // an order approved in a closed period but first seen now: adjustments in the open period
    const late = diffLedger([], priceOrder(rev1, p, facts), c);
    expect(late.map((e) => [e.kind, e.lineKind, e.amount, e.periodId])).toEqual([
      ['adjustment', 'basic', 200_000, '2026-11'],
      ['adjustment', 'addOn', 10_000, '2026-11'],
      ['adjustment', 'addOn', 6_000, '2026-11'],
    ]);
  });

  it('refuses two desired lines with one key, and an open period that is closed', () => {
    const lines = priceOrder(rev1, p, facts);
    expect(() => diffLedger([], [lines[0]!, lines[0]!], ctx())).toThrow(RangeError);
    expect(() => diffLedger([], lines, ctx({ openPeriodId: '2026-10', closedPeriodIds: ['2026-10'] }))).toThrow(RangeError);
  });
});

describe('maturity', () => {
  const [entry] = apply([], rev1);
  const completedAt = '2026-10-12T15:00:00+07:00';

  it('becomes payable once completed and the holding period has passed', () => {
    expect(maturity(entry!, undefined, 7, '2027-01-01T00:00:00Z')).toEqual({ state: 'pending', payableFrom: null });
    const due = Date.parse('2026-10-19T15:00:00+07:00');
    expect(maturity(entry!, completedAt, 7, due - 1)).toEqual({ state: 'pending', payableFrom: due });
    expect(maturity(entry!, completedAt, 7, due)).toEqual({ state: 'payable', payableFrom: due });
    expect(maturity(entry!, completedAt, 0, completedAt).state).toBe('payable');
  });

  it('never moves back; vouchers, adjustments, period lines and clawbacks are payable when recorded', () => {
    expect(maturity({ ...entry!, state: 'settled' }, undefined, 7, 0).state).toBe('settled');
    expect(maturity({ ...entry!, state: 'payable' }, undefined, 7, 0).state).toBe('payable');
    const at = '2026-11-01T00:00:00+07:00';
    expect(maturity({ ...entry!, source: { type: 'voucher', voucherId: 'V' }, recordedAt: at }, undefined, 7, at).state).toBe('payable');
    expect(maturity({ ...entry!, kind: 'clawback', recordedAt: at }, undefined, 7, at).state).toBe('payable');
    expect(
      maturity({ ...entry!, source: { type: 'period', periodId: '2026-10' }, recordedAt: at }, undefined, 7, Date.parse(at) - 1).state,
    ).toBe('pending');
  });

  it('only payable entries settle', () => {
    expect(() => settle(entry!, '2026-10')).toThrow(RangeError);
    expect(settle({ ...entry!, state: 'payable' }, '2026-10')).toMatchObject({ state: 'settled', settledIn: '2026-10' });
  });
});

describe('totals', () => {
  const e = (kind: LedgerEntry['kind'], amount: number, periodId = '2026-10', id = 'CTV-A'): LedgerEntry => ({
    ...apply([], rev1)[0]!,
    kind,
    amount,
    periodId,
    beneficiary: { type: 'collaborator', id },
  });

  it('by kind in the API.md shape; the total is the exact sum of lines', () => {
    const entries = [
      e('basic', 1_500_000),
      e('basic', -50_000),
      e('advanced', 750_000),
      e('addOn', 10_000),
      e('repurchase', 40_000),
      e('incurred', 360_000),
      e('referral', 600_000),
      e('award', 300_000),
      e('boost', 20_000),
      e('platformFee', -150_001),
      e('adjustment', 5),
      e('clawback', -7),
      e('basic', 999, '2026-11'), // another period
      e('basic', 999, '2026-10', 'CTV-B'), // another CTV
    ];
    const view = earnings(entries, { beneficiary: { type: 'collaborator', id: 'CTV-A' }, periodId: '2026-10', closed: true });
    expect(view).toEqual({
      period: '2026-10',
      closed: true,
      byKind: {
        basic: 1_450_000,
        advanced: 750_000,
        addOn: 10_000,
        repurchase: 40_000,
        incurred: 360_000,
        referral: 600_000,
        award: 300_000,
        boost: 20_000,
        platformFee: -150_001,
        adjustment: 5,
        clawback: -7,
      },
      total: 3_379_997,
    });
    expect(Earnings.parse(view)).toEqual(view);
    expect(totalsByKind([]).total).toBe(0);
  });

  it('sums per key', () => {
    const ledger = apply(apply([], rev1), rev2);
    expect(sumByKey(ledger).get('o:O1|l:A|basic|collaborator:CTV-A')).toBe(150_000);
  });
});
