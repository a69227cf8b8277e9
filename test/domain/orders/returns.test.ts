/**
 * Each return at its own time (domain/orders/returns.ts): the steps an order keeps, and the order as
 * it stood at a cut-off, for a period's volume.
 */
import { describe, expect, it } from 'vitest';
import type { OrderEventLine } from '../../../domain/orders/event';
import type { OrderRecord } from '../../../domain/orders/order';
import { netRevenueOf } from '../../../domain/orders/pricing';
import { MAX_RETURN_STEPS, orderAsOf, returnStepsAfter, type ReturnStep } from '../../../domain/orders/returns';

const line = (lineId: string, quantity: number, unitPrice: number, returnedQuantity = 0): OrderEventLine => ({
  lineId,
  productId: `P-${lineId}`,
  unit: 'chai',
  category: 'serum',
  quantity,
  unitPrice,
  discount: 0,
  addOn: false,
  returnedQuantity,
});

function record(p: Partial<OrderRecord> & Pick<OrderRecord, 'lines'>): OrderRecord {
  return {
    externalId: 'HD-1',
    sourceId: 'manual',
    revision: 1,
    state: 'approved',
    occurredAt: '2026-10-05T10:00:00+07:00',
    customer: { phone: null, name: null },
    orderDiscount: 0,
    shippingFee: 0,
    attributionHints: {},
    sellerId: null,
    history: [],
    createdAt: '2026-10-05T10:00:00+07:00',
    approvedAt: '2026-10-05T10:00:00+07:00',
    completedAt: null,
    returnedAt: null,
    voidedAt: null,
    firstReceivedAt: '2026-10-05T03:00:00.000Z',
    ...p,
  } as OrderRecord;
}

const END_OF_OCTOBER = Date.parse('2026-11-01T00:00:00+07:00');

describe('return steps', () => {
  it('adds one step per change that moves a returned quantity, at the revision that moved it', () => {
    const approved = record({ lines: [line('1', 10, 100_000), line('2', 3, 70_000)] });
    // approval moves nothing returned: no step
    expect(returnStepsAfter(undefined, null, approved)).toEqual([]);
    // 30 Oct: 4 of line 1 come back
    const first = record({
      revision: 2,
      state: 'returned',
      occurredAt: '2026-10-30T09:00:00+07:00',
      lines: [line('1', 10, 100_000, 4), line('2', 3, 70_000)],
    });
    const s1 = returnStepsAfter([], approved, first);
    expect(s1).toEqual([{ revision: 2, at: '2026-10-30T09:00:00+07:00', lines: { '1': 4 } }]);
    // 2 Nov: 2 more of line 1 and 1 of line 2
    const second = record({
      revision: 3,
      state: 'returned',
      occurredAt: '2026-11-02T09:00:00+07:00',
      lines: [line('1', 10, 100_000, 6), line('2', 3, 70_000, 1)],
    });
    const s2 = returnStepsAfter(s1, first, second);
    expect(s2).toEqual([...s1, { revision: 3, at: '2026-11-02T09:00:00+07:00', lines: { '1': 6, '2': 1 } }]);
    // the same content again (a retry, a repeated delivery): nothing more
    expect(returnStepsAfter(s2, second, second)).toEqual(s2);
  });

  it('takes an order stored before steps were kept as returned once, at its first return', () => {
    const old = record({ revision: 2, state: 'returned', returnedAt: '2026-10-20T09:00:00+07:00', lines: [line('1', 10, 100_000, 4)] });
    const next = record({ revision: 3, state: 'returned', occurredAt: '2026-11-03T09:00:00+07:00', lines: [line('1', 10, 100_000, 5)] });
    expect(returnStepsAfter(undefined, old, next)).toEqual([
      { revision: 2, at: '2026-10-20T09:00:00+07:00', lines: { '1': 4 } },
      { revision: 3, at: '2026-11-03T09:00:00+07:00', lines: { '1': 5 } },
    ]);
  });

  it(`keeps at most ${MAX_RETURN_STEPS} steps, merging the oldest into the next (never counted earlier)`, () => {
    let steps: ReturnStep[] = [];
    let before = record({ lines: [line('1', 100, 10_000)] });
    for (let i = 1; i <= MAX_RETURN_STEPS + 2; i++) {
      const after = record({
        revision: i + 1,
        state: 'returned',
        occurredAt: new Date(Date.parse('2026-10-01T00:00:00Z') + i * 3_600_000).toISOString(),
        lines: [line('1', 100, 10_000, i)],
      });
      steps = returnStepsAfter(steps, before, after);
      before = after;
    }
    expect(steps).toHaveLength(MAX_RETURN_STEPS);
    // 34 returns, 32 kept: two merges made the first three returns one step, at the 3rd's time, with 3 units
    expect(steps[0]).toEqual({ revision: 4, at: '2026-10-01T03:00:00.000Z', lines: { '1': 3 } });
    expect(steps.at(-1)!.lines).toEqual({ '1': MAX_RETURN_STEPS + 2 });
  });
});

describe('the order at a cut-off', () => {
  const steps: ReturnStep[] = [
    { revision: 2, at: '2026-10-30T09:00:00+07:00', lines: { '1': 4 } },
    { revision: 3, at: '2026-11-01T00:30:00+07:00', lines: { '1': 6, '2': 1 } },
  ];
  const now = record({
    revision: 3,
    state: 'returned',
    returnedAt: '2026-10-30T09:00:00+07:00',
    lines: [line('1', 10, 100_000, 6), line('2', 3, 70_000, 1)],
  });

  it('keeps only the returns recorded before the cut-off', () => {
    const october = orderAsOf(now, steps, END_OF_OCTOBER);
    expect(october.lines.map((l) => l.returnedQuantity)).toEqual([4, 0]);
    // kept R at the cut-off: line 1 10 × 100,000 = 1,000,000 × 6/10 = 600,000; line 2 3 × 70,000 = 210,000
    expect(netRevenueOf(october).totals).toMatchObject({ keptNetRevenue: 810_000, keptQuantity: 9 });
    // a cut-off after both: line 1 × 4/10 = 400,000; line 2 210,000 × 2/3 = 140,000
    const later = orderAsOf(now, steps, Date.parse('2026-12-01T00:00:00+07:00'));
    expect(netRevenueOf(later).totals).toMatchObject({ keptNetRevenue: 540_000, keptQuantity: 6 });
    // a return exactly at the cut-off belongs to the next period
    const atCutoff: ReturnStep[] = [{ revision: 2, at: '2026-11-01T00:00:00+07:00', lines: { '1': 10 } }];
    expect(orderAsOf(now, atCutoff, END_OF_OCTOBER).lines[0]!.returnedQuantity).toBe(0);
  });

  it('without steps (an order stored before they were kept), counts everything at the first return', () => {
    expect(orderAsOf(now, undefined, END_OF_OCTOBER).lines.map((l) => l.returnedQuantity)).toEqual([6, 1]);
    const returnedInNovember = { ...now, returnedAt: '2026-11-02T00:00:00+07:00' };
    expect(orderAsOf(returnedInNovember, undefined, END_OF_OCTOBER).lines.map((l) => l.returnedQuantity)).toEqual([0, 0]);
  });

  it('does not apply a void recorded at or after the cut-off', () => {
    const voided = record({
      state: 'void',
      completedAt: '2026-10-20T09:00:00+07:00',
      voidedAt: '2026-11-01T08:00:00+07:00',
      lines: [line('1', 2, 50_000)],
    });
    expect(orderAsOf(voided, undefined, END_OF_OCTOBER).state).toBe('completed');
    expect(orderAsOf({ ...voided, completedAt: null }, undefined, END_OF_OCTOBER).state).toBe('approved');
    expect(orderAsOf(voided, undefined, Date.parse('2026-12-01T00:00:00+07:00')).state).toBe('void');
  });
});
