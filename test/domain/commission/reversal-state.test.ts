/**
 * A reversal takes the state of what it reverses (DOMAIN.md "Money rules"): a return or void of an
 * entry not yet payable is itself not payable, even when it lands in a later month because the
 * first one closed, and becomes payable together with the entry it reverses; only what was payable
 * or settled is clawed back at once. Pure: diffLedger books, computeStatement settles.
 *
 * The order of every example (worked by hand): one line of 10 units, R = 2,000,000 đ, approved
 * 20 Oct 2026 10:00 (Viet Nam), basic 10% → 200,000 đ. A return of 4 units keeps
 * R × 6 ÷ 10 = 1,200,000 → basic 120,000: the change is 120,000 − 200,000 = −80,000 đ.
 * Holding period 7 days. October's cut-off is 1 Nov 00:00 (+07), November's 1 Dec, December's 1 Jan.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PricedOrder } from '../../../domain/commission/engine';
import { priceOrder } from '../../../domain/commission/engine';
import { diffLedger, heldPayable, sumByKey, type DiffContext, type LedgerEntry } from '../../../domain/commission/ledger';
import { periodIdAt, periodRange } from '../../../domain/period';
import { computeStatement, type PreviousStatement, type StatementComputation } from '../../../domain/statements';
import { TZ, facts, line, order, plan } from './fixtures';

const p = plan(); // basic 10%
const HOLD = 7;
const APPROVED = '2026-10-20T10:00:00+07:00';
const approved: PricedOrder = order({ approvedAt: APPROVED, lines: [line({ quantity: 10, netRevenue: 2_000_000 })] });
const returned4 = (revision = 2): PricedOrder => ({
  ...approved,
  revision,
  state: 'returned',
  lines: [line({ quantity: 10, returnedQuantity: 4, netRevenue: 2_000_000, keptNetRevenue: 1_200_000 })],
});
const voided: PricedOrder = { ...approved, revision: 2, state: 'void' };

const cutoffOf = (month: string) => periodRange(month, TZ)!.end;
const OCT_CLOSED = { openPeriodId: '2026-11', closedPeriodIds: ['2026-10'] };

/** The accrual in October, while it is open. */
const accrual = (): LedgerEntry[] =>
  diffLedger([], priceOrder(approved, p, facts), {
    recordedAt: APPROVED,
    periodId: '2026-10',
    openPeriodId: '2026-10',
    delivery: { completedAt: null, holdingDays: HOLD },
  });

/** A change recorded at `at`, with the order's delivery as it stood before it. */
function change(
  held: LedgerEntry[],
  next: PricedOrder,
  at: string,
  deliveredBefore: string | null,
  extra: Partial<DiffContext> = {},
): LedgerEntry[] {
  return diffLedger(held, priceOrder(next, p, facts), {
    recordedAt: at,
    periodId: '2026-10',
    ...OCT_CLOSED,
    source: { type: 'order', orderId: 'O1', revision: next.revision },
    delivery: { completedAt: deliveredBefore, holdingDays: HOLD },
    ...extra,
  });
}

/**
 * Close the months in turn, each at its cut-off, as the nightly run does: the entries booked into
 * the month plus what the previous statement left pending; the order's delivery as the close sees it.
 */
function closeMonths(
  ledger: LedgerEntry[],
  months: string[],
  deliveredAt: (cutoff: number) => string | null,
  holdingDays = HOLD,
): StatementComputation[] {
  let previous: PreviousStatement | null = null;
  const out: StatementComputation[] = [];
  for (const month of months) {
    const cutoff = cutoffOf(month);
    const s = computeStatement({
      collaboratorId: 'CTV-A',
      periodId: month,
      cutoff,
      holdingDays,
      previous,
      entries: ledger.filter((e) => e.periodId === month),
      completedAt: () => deliveredAt(cutoff),
    });
    out.push(s);
    // paid at once: nothing is brought forward, so each statement's balance is its own total
    previous = { periodId: month, status: 'paid', balance: s.balance, pending: s.pending };
  }
  return out;
}

const amounts = (xs: readonly { amount: number }[]) => xs.map((x) => x.amount);

describe('a reversal of what was not yet payable', () => {
  it('an order never completed, October closed, 4 of 10 returned on 10 Nov: a pending change in November, payable with the entry it changes', () => {
    const first = accrual();
    expect(amounts(first)).toEqual([200_000]);
    const RETURN = '2026-11-10T10:00:00+07:00';
    const rev = change(first, returned4(), RETURN, null);
    expect(rev.map((e) => [e.kind, e.lineKind, e.amount, e.periodId, e.carriedForward, e.reason, e.state])).toEqual([
      ['basic', 'basic', -80_000, '2026-11', true, 'change', 'pending'],
    ]);
    const ledger = [...first, ...rev];
    // a recompute changes nothing
    expect(change(ledger, returned4(), '2026-11-11T10:00:00+07:00', RETURN)).toEqual([]);

    // the order was never completed: the close reads its return as its delivery (10 Nov + 7 days = 17 Nov)
    const [oct, nov] = closeMonths(ledger, ['2026-10', '2026-11'], (cutoff) => (cutoff > Date.parse(RETURN) ? RETURN : null));
    expect(oct).toMatchObject({ total: 0, pendingTotal: 200_000, balance: 0 });
    expect(oct!.lines).toEqual([]);
    // November: the accrual and its change settle together: 200,000 − 80,000 = 120,000, no clawback, no debt
    expect(amounts(nov!.lines)).toEqual([200_000, -80_000]);
    expect(nov!.lines.map((l) => l.payableFrom)).toEqual(['2026-11-17T03:00:00.000Z', '2026-11-17T03:00:00.000Z']);
    expect(nov).toMatchObject({ total: 120_000, pendingTotal: 0, balance: 120_000 });
    expect(nov!.byKind).toMatchObject({ basic: 120_000, clawback: 0, adjustment: 0 });
  });

  it('returned on 28 Nov (payable 5 Dec): both stay pending in November and settle together in December', () => {
    const first = accrual();
    const RETURN = '2026-11-28T10:00:00+07:00';
    const ledger = [...first, ...change(first, returned4(), RETURN, null)];
    const [, nov, dec] = closeMonths(ledger, ['2026-10', '2026-11', '2026-12'], (cutoff) => (cutoff > Date.parse(RETURN) ? RETURN : null));
    // November shows nothing to pay and nothing to take back: 200,000 − 80,000 = 120,000 still pending
    expect(nov).toMatchObject({ total: 0, pendingTotal: 120_000, balance: 0 });
    expect(amounts(nov!.pending)).toEqual([200_000, -80_000]);
    expect(dec).toMatchObject({ total: 120_000, pendingTotal: 0 });
    expect(dec!.lines.map((l) => [l.amount, l.payableFrom])).toEqual([
      [200_000, '2026-12-05T03:00:00.000Z'],
      [-80_000, '2026-12-05T03:00:00.000Z'],
    ]);
  });

  it('completed 28 Oct, still in its holding period (payable 4 Nov) when 4 units come back on 2 Nov: not a clawback either', () => {
    const first = accrual();
    const COMPLETED = '2026-10-28T10:00:00+07:00';
    expect(heldPayable(first, { completedAt: COMPLETED, holdingDays: HOLD }, '2026-11-02T10:00:00+07:00')).toBe(false);
    const rev = change(first, returned4(), '2026-11-02T10:00:00+07:00', COMPLETED);
    expect(rev.map((e) => [e.kind, e.amount, e.periodId, e.reason])).toEqual([['basic', -80_000, '2026-11', 'change']]);
    const [oct, nov] = closeMonths([...first, ...rev], ['2026-10', '2026-11'], () => COMPLETED);
    expect(oct).toMatchObject({ total: 0, pendingTotal: 200_000 });
    // both payable 4 Nov 10:00 (+07): 200,000 − 80,000 = 120,000
    expect(nov!.lines.map((l) => [l.amount, l.payableFrom])).toEqual([
      [200_000, '2026-11-04T03:00:00.000Z'],
      [-80_000, '2026-11-04T03:00:00.000Z'],
    ]);
    expect(nov!.total).toBe(120_000);
  });

  it('a void of an order never delivered reverses it exactly, in November, pending with it: no debt, nets to 0', () => {
    const first = accrual();
    const rev = change(first, voided, '2026-11-10T10:00:00+07:00', null);
    expect(rev.map((e) => [e.kind, e.amount, e.periodId, e.reason, e.carriedForward])).toEqual([
      ['basic', -200_000, '2026-11', 'reversal', true],
    ]);
    const ledger = [...first, ...rev];
    expect([...sumByKey(ledger).values()]).toEqual([0]);
    // a void is no delivery: neither ever becomes payable; they are carried together, netting to 0
    const [, nov, dec] = closeMonths(ledger, ['2026-10', '2026-11', '2026-12'], () => null);
    for (const s of [nov!, dec!]) {
      expect(s).toMatchObject({ total: 0, pendingTotal: 0, balance: 0 });
      expect(amounts(s.pending)).toEqual([200_000, -200_000]);
    }
  });

  it('an order approved in closed October, first seen in November before delivery: its accrual keeps its kind, pending', () => {
    const late = diffLedger([], priceOrder(approved, p, facts), {
      recordedAt: '2026-11-03T10:00:00+07:00',
      periodId: '2026-10',
      ...OCT_CLOSED,
      delivery: { completedAt: null, holdingDays: HOLD },
    });
    expect(late.map((e) => [e.kind, e.amount, e.periodId, e.reason, e.carriedForward])).toEqual([
      ['basic', 200_000, '2026-11', 'accrual', true],
    ]);
  });
});

describe('what was payable or settled is clawed back at once', () => {
  it('completed 22 Oct (payable 29 Oct, settled in October), 4 of 10 returned on 10 Nov: a clawback of 80,000, a debt in November', () => {
    const first = accrual();
    const COMPLETED = '2026-10-22T10:00:00+07:00';
    const rev = change(first, returned4(), '2026-11-10T10:00:00+07:00', COMPLETED);
    expect(rev.map((e) => [e.kind, e.lineKind, e.amount, e.periodId, e.reason])).toEqual([
      ['clawback', 'basic', -80_000, '2026-11', 'clawback'],
    ]);
    const [oct, nov] = closeMonths([...first, ...rev], ['2026-10', '2026-11'], () => COMPLETED);
    expect(oct).toMatchObject({ total: 200_000, pendingTotal: 0 });
    // paid in October, so November takes back 80,000 at once: 200,000 paid − 80,000 = 120,000 kept
    expect(nov!.lines.map((l) => [l.kind, l.amount, l.payableFrom])).toEqual([['clawback', -80_000, '2026-11-10T03:00:00.000Z']]);
    expect(nov).toMatchObject({ total: -80_000, balance: -80_000 });
  });

  it('payable on 2 Nov but not yet settled when 4 units come back on 10 Nov: a clawback, settled with the entry in November', () => {
    const first = accrual();
    const COMPLETED = '2026-10-26T10:00:00+07:00'; // + 7 days = 2 Nov 10:00: after October's cut-off
    const rev = change(first, returned4(), '2026-11-10T10:00:00+07:00', COMPLETED);
    expect(rev.map((e) => [e.kind, e.amount])).toEqual([['clawback', -80_000]]);
    const [oct, nov] = closeMonths([...first, ...rev], ['2026-10', '2026-11'], () => COMPLETED);
    expect(oct).toMatchObject({ total: 0, pendingTotal: 200_000 });
    // 200,000 (payable 2 Nov) − 80,000 (payable when recorded, 10 Nov) = 120,000
    expect(nov!.lines.map((l) => [l.kind, l.amount])).toEqual([
      ['basic', 200_000],
      ['clawback', -80_000],
    ]);
    expect(nov!.total).toBe(120_000);
  });

  it('without a delivery (vouchers, adjustments, period lines: payable when recorded) a change to a closed month is a clawback', () => {
    const first = accrual();
    expect(heldPayable(first, undefined, '2026-11-10T10:00:00+07:00')).toBe(true);
    const rev = change(first, returned4(), '2026-11-10T10:00:00+07:00', null, { delivery: undefined });
    expect(rev.map((e) => [e.kind, e.amount])).toEqual([['clawback', -80_000]]);
  });
});

describe('property: one order, any completion and return times, any holding period', () => {
  // The order: 10 units, R = 2,000,000, basic 10% = 200,000; q units returned keep
  // 200,000 × (10 − q) ÷ 10 = 20,000 × (10 − q) đ.
  const DAY = 86_400_000;
  const approvedMs = Date.parse(APPROVED);
  const END = Date.parse('2026-12-31T12:00:00+07:00');
  const MONTHS = ['2026-10', '2026-11', '2026-12', '2027-01'];

  it('never a debt for money never paid; a reversal of an unpaid entry is no clawback and settles with it; everything nets to what was kept', () => {
    fc.assert(
      fc.property(
        fc.option(fc.integer({ min: 0, max: END - approvedMs }), { nil: null }),
        fc.integer({ min: 1, max: END - approvedMs }),
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 0, max: 10 }),
        (completedAfter, returnedAfter, q, holdingDays) => {
          const returnMs = approvedMs + returnedAfter;
          // completed before the return, or never
          const completedMs = completedAfter !== null && completedAfter < returnedAfter ? approvedMs + completedAfter : null;
          const iso = (t: number) => new Date(t).toISOString();
          const closedAt = (t: number) => MONTHS.filter((m) => cutoffOf(m) <= t);
          const first = diffLedger([], priceOrder(approved, p, facts), {
            recordedAt: APPROVED,
            periodId: '2026-10',
            openPeriodId: '2026-10',
          });
          const back: PricedOrder = {
            ...approved,
            revision: 2,
            state: 'returned',
            lines: [line({ quantity: 10, returnedQuantity: q, netRevenue: 2_000_000, keptNetRevenue: 200_000 * (10 - q) })],
          };
          const closed = closedAt(returnMs);
          const rev = diffLedger(first, priceOrder(back, p, facts), {
            recordedAt: iso(returnMs),
            periodId: '2026-10',
            openPeriodId: periodIdAt(returnMs, 'month', TZ),
            closedPeriodIds: closed,
            delivery: { completedAt: completedMs === null ? null : iso(completedMs), holdingDays },
          });
          const kept = 20_000 * (10 - q);
          expect(amounts(rev)).toEqual([kept - 200_000]);
          const ledger = [...first, ...rev];
          // what the close sees of the order's delivery at a cut-off: its completion, else its return
          const deliveredAt = (cutoff: number) =>
            completedMs !== null && completedMs < cutoff ? iso(completedMs) : returnMs < cutoff ? iso(returnMs) : null;
          const statements = closeMonths(ledger, MONTHS, deliveredAt, holdingDays).map((s) => ({ s }));

          // the original's maturity: completion (or the return) + the holding period
          const payableFrom = (completedMs ?? returnMs) + holdingDays * DAY;
          const wasPayable = completedMs !== null && completedMs + holdingDays * DAY <= returnMs;
          expect(rev[0]!.kind === 'clawback').toBe(wasPayable && closed.includes('2026-10'));
          let paid = 0;
          for (const { s } of statements) {
            paid += s.total;
            // a CTV is never shown a debt for money never paid
            expect(paid).toBeGreaterThanOrEqual(0);
          }
          if (!wasPayable) {
            // the reversal settles in the same statement as the entry it reverses
            const where = (id: string) => statements.findIndex(({ s }) => s.lines.some((l) => l.entryId === id));
            expect(where(rev[0]!.entryId)).toBe(where(first[0]!.entryId));
          }
          // by January's close everything is payable: paid in all = what was kept, nothing pending
          expect(payableFrom).toBeLessThan(cutoffOf('2027-01'));
          expect(paid).toBe(kept);
          expect(statements.at(-1)!.s.pendingTotal).toBe(0);
        },
      ),
      // found by fast-check: completed on 25 Dec at 00:00, returned a millisecond later, no holding period
      { numRuns: 300, examples: [[5_666_400_000, 5_666_400_001, 1, 0]] },
    );
  });
});
