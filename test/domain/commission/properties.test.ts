/**
 * Properties over generated orders and plans. Each property is checked against numbers computed
 * here independently — the reference model of order lines in ./order-model.ts (written from
 * DOMAIN.md, BigInt money), BigInt sums, or invariants — never against the engine's own output.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { priceOrder, priceOrderAt, type PricedOrder, type PricedOrderLine } from '../../../domain/commission/engine';
import { diffLedger, settle, sumByBeneficiary, sumByKey, totalsByKind, type LedgerEntry } from '../../../domain/commission/ledger';
import { LEDGER_KINDS, type CommissionLine } from '../../../domain/commission/lines';
import { awardAmount } from '../../../domain/commission/period';
import { validatePlan, type CommissionPlan, type StoredPlanVersion } from '../../../domain/commission/plan';
import { addDays, localDay } from '../../../domain/period';
import { ctx, facts, TZ } from './fixtures';
import { modelOrderLines, type ModelLine, type ModelOrder } from './order-model';

const PRODUCTS = ['P1', 'P2', 'P3', 'P4'];
const UNITS = ['chai', 'hũ'];
const CATEGORIES = ['serum', 'kem'];
const CTVS = ['A', 'B', 'C'];

const bp = fc.integer({ min: 0, max: 3000 });
const rate = fc.oneof(
  bp.map((percentBp) => ({ percentBp })),
  fc.integer({ min: 0, max: 50_000 }).map((fixedPerUnit) => ({ fixedPerUnit })),
);
const levels = fc.option(fc.record({ '1': rate, '2': rate, '3': rate }, { requiredKeys: [] }), { nil: undefined });
const withLevels = <T extends object>(r: fc.Arbitrary<T>) =>
  fc.tuple(r, levels).map(([x, l]) => (l === undefined ? x : { ...x, levels: l }));

const scope = fc.oneof(
  fc.tuple(fc.constantFrom(...PRODUCTS), fc.constantFrom(...UNITS)).map(([productId, unit]) => ({ productId, unit })),
  fc.constantFrom(...PRODUCTS).map((productId) => ({ productId })),
  fc.constantFrom(...CATEGORIES).map((category) => ({ category })),
);

const day = (d: number) => addDays('2026-10-01', d);

const planArb: fc.Arbitrary<CommissionPlan> = fc
  .record({
    defaultRate: fc.option(withLevels(rate), { nil: undefined }),
    rules: fc.uniqueArray(fc.tuple(scope, withLevels(rate)), { maxLength: 6, selector: ([s]) => JSON.stringify(s) }),
    advanced: fc.uniqueArray(
      fc.record({
        collaboratorId: fc.constantFrom(...CTVS),
        productId: fc.constantFrom(...PRODUCTS),
        percentBp: bp,
        mode: fc.constantFrom('replace' as const, 'add' as const),
      }),
      { maxLength: 4, selector: (a) => a.collaboratorId + a.productId },
    ),
    addOn: fc.option(fc.record({ collaboratorPercentBp: bp, sellerPercentBp: bp }), { nil: undefined }),
    repurchase: fc.option(
      bp.map((percentBp) => ({ percentBp })),
      { nil: undefined },
    ),
    platformFeeBp: fc.option(fc.integer({ min: 0, max: 2000 }), { nil: undefined }),
    selfOrder: fc.option(
      fc.oneof(
        fc.constant({ mode: 'not_credited' as const }),
        bp.map((percentBp) => ({ mode: 'rate' as const, percentBp })),
      ),
      { nil: undefined },
    ),
    boosts: fc.array(
      fc.record({
        collaboratorIds: fc.subarray(CTVS, { minLength: 1 }),
        from: fc.integer({ min: 0, max: 30 }),
        len: fc.integer({ min: 0, max: 10 }),
        percentBp: bp,
      }),
      { maxLength: 3 },
    ),
  })
  .map((g) => ({
    effectiveFrom: '2026-10-01',
    basic: {
      ...(g.defaultRate ? { default: g.defaultRate } : {}),
      rules: g.rules.map(([s, r]) => ({ ...s, ...r })),
    },
    advanced: g.advanced.map((a) => ({
      collaboratorId: a.collaboratorId,
      productIds: [a.productId],
      percentBp: a.percentBp,
      mode: a.mode,
    })),
    ...(g.addOn ? { addOn: g.addOn } : {}),
    ...(g.repurchase ? { repurchase: g.repurchase } : {}),
    ...(g.platformFeeBp !== undefined ? { platformFeeBp: g.platformFeeBp } : {}),
    ...(g.selfOrder ? { selfOrder: g.selfOrder } : {}),
    boosts: g.boosts.map((b) => ({
      collaboratorIds: b.collaboratorIds,
      from: day(b.from),
      to: day(b.from + b.len),
      percentBp: b.percentBp,
    })),
  }));

const stored = (p: CommissionPlan, version = 1, effectiveFrom = '2026-10-01'): StoredPlanVersion => ({
  ...p,
  effectiveFrom,
  planId: 'PL',
  version,
  createdAt: '2026-09-01T00:00:00Z',
});

/** half away from zero, in BigInt: the test's own rounding */
function roundDiv(n: bigint, d: bigint): number {
  const neg = n < 0n;
  const a = neg ? -n : n;
  let q = a / d;
  if (2n * (a % d) >= d) q += 1n;
  return Number(neg ? -q : q);
}

const lineArb = (lineId: string): fc.Arbitrary<PricedOrderLine> =>
  fc
    .record({
      productId: fc.constantFrom(...PRODUCTS, 'OTHER'),
      unit: fc.constantFrom(...UNITS),
      category: fc.constantFrom(...CATEGORIES, 'khac'),
      quantity: fc.integer({ min: 1, max: 50 }),
      returned: fc.nat({ max: 50 }),
      netRevenue: fc.integer({ min: 0, max: 100_000_000 }),
      addOn: fc.boolean(),
    })
    .map((g) => {
      const returnedQuantity = Math.min(g.returned, g.quantity);
      const keptNetRevenue = roundDiv(BigInt(g.netRevenue) * BigInt(g.quantity - returnedQuantity), BigInt(g.quantity));
      return {
        lineId,
        productId: g.productId,
        unit: g.unit,
        category: g.category,
        quantity: g.quantity,
        returnedQuantity,
        netRevenue: g.netRevenue,
        keptNetRevenue,
        addOn: g.addOn,
      };
    });

/** The order's identity and approval are fixed; a revision may change its state, lines and returns. */
const revisionArb = (revision: number): fc.Arbitrary<PricedOrder> =>
  fc
    .record({
      state: fc.constantFrom('processing' as const, 'approved' as const, 'completed' as const, 'returned' as const, 'void' as const),
      lineCount: fc.integer({ min: 1, max: 4 }),
      lines: fc.tuple(lineArb('1'), lineArb('2'), lineArb('3'), lineArb('4')),
      collaboratorId: fc.constantFrom('A', 'B', 'C', null),
      level: fc.constantFrom(1 as const, 2 as const, 3 as const),
      sellerId: fc.constantFrom('S1', null),
      isRepurchase: fc.boolean(),
      isSelfOrder: fc.boolean(),
    })
    .map((g) => ({
      orderId: 'O1',
      revision,
      state: g.state,
      approvedAt: '2026-10-12T09:30:00+07:00',
      collaboratorId: g.collaboratorId,
      collaboratorLevel: g.level,
      sellerId: g.sellerId,
      isRepurchase: g.isRepurchase,
      isSelfOrder: g.isSelfOrder,
      lines: g.lines.slice(0, g.lineCount),
    }));

/** An engine line in the model's terms: what it pays whom, on what, at what rate (for a fee: withheld from what). */
const asModelLine =
  (all: readonly CommissionLine[]) =>
  (l: CommissionLine): ModelLine => {
    const m: ModelLine = {
      beneficiary: `${l.beneficiary.type}:${l.beneficiary.id}`,
      kind: l.kind as ModelLine['kind'],
      lineId: l.trace.lineId!,
      base: l.trace.base,
      amount: l.amount,
    };
    if (l.trace.rateBp !== undefined) m.rateBp = l.trace.rateBp;
    if (l.trace.fixedPerUnit !== undefined) m.fixedPerUnit = l.trace.fixedPerUnit;
    if (l.kind === 'platformFee') {
      const of = all.find((x) => x.key === l.trace.appliesTo);
      if (of) m.withheldFrom = { kind: of.kind as ModelLine['kind'], amount: of.amount };
    }
    return m;
  };
/** Lines as a sorted list (the comparison does not depend on the order lines come in). */
const canonical = (lines: readonly ModelLine[]) => lines.map((l) => JSON.stringify(l, Object.keys(l).sort())).sort();

/** Σ amounts per kind, in BigInt (the test's own sums). */
function sumsByKind(lines: readonly { kind: string; amount: number }[]): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (const l of lines) out.set(l.kind, (out.get(l.kind) ?? 0n) + BigInt(l.amount));
  return out;
}
const sumAll = (lines: readonly { amount: number }[]) => lines.reduce((s, l) => s + BigInt(l.amount), 0n);

const accruingRevision = revisionArb(1).filter((o) => o.state !== 'processing' && o.state !== 'void');

const RUNS = { numRuns: 300 };

describe('properties', () => {
  it('generated plans are valid plans (so the properties speak about real plans)', () => {
    fc.assert(
      fc.property(planArb, (p) => {
        expect(validatePlan(p)).toEqual([]);
      }),
      RUNS,
    );
  });

  it('the lines are the reference model’s: kind, beneficiary, base, rate and amount of each, and their traces say so', () => {
    let priced = 0;
    fc.assert(
      fc.property(planArb, accruingRevision, (p, o) => {
        const lines = priceOrder(o, stored(p), facts);
        const want = modelOrderLines(o as ModelOrder, p);
        expect(canonical(lines.map(asModelLine(lines)))).toEqual(canonical(want));
        if (want.length > 0) priced++;
        // each line's trace explains its amount: base × rate rounded half away from zero, or fixed × quantity
        for (const l of lines) {
          expect(l.amount).not.toBe(0);
          const t = l.trace;
          expect(l.amount).toBe(
            t.fixedPerUnit !== undefined
              ? t.fixedPerUnit * t.quantity!
              : roundDiv(BigInt(t.base) * BigInt(t.rateBp!) * (l.kind === 'platformFee' ? -1n : 1n), 10_000n),
          );
        }
        expect(new Set(lines.map((l) => l.key)).size).toBe(lines.length);
      }),
      RUNS,
    );
    expect(priced).toBeGreaterThan(RUNS.numRuns / 4); // the generator mostly produces orders that earn
  });

  it('the reference model reproduces DOMAIN.md’s worked examples (so it can be trusted as an oracle)', () => {
    const day = '2026-10-12T09:30:00+07:00';
    const ol = (over: Partial<ModelOrder['lines'][number]> = {}) => ({
      lineId: '1',
      productId: 'SERUM',
      unit: 'chai',
      category: 'serum',
      quantity: 30,
      returnedQuantity: 0,
      keptNetRevenue: 15_000_000,
      addOn: false,
      ...over,
    });
    const order = (over: Partial<ModelOrder> = {}): ModelOrder => ({
      state: 'approved',
      approvedAt: day,
      collaboratorId: 'VIP',
      collaboratorLevel: 1,
      sellerId: null,
      isRepurchase: false,
      isSelfOrder: false,
      lines: [ol()],
      ...over,
    });
    const amounts = (ls: ModelLine[]) => ls.map((l) => [l.beneficiary, l.kind, l.amount]);
    const basic10 = { basic: { default: { percentBp: 1000 } } };
    // basic: 30 × 500,000 = 15,000,000 at 10% → 1,500,000
    expect(amounts(modelOrderLines(order(), basic10))).toEqual([['collaborator:VIP', 'basic', 1_500_000]]);
    // advanced: 15% replace → 2,250,000; 5% add → 1,500,000 + 750,000
    expect(
      amounts(
        modelOrderLines(order(), {
          ...basic10,
          advanced: [{ collaboratorId: 'VIP', productIds: ['SERUM'], percentBp: 1500, mode: 'replace' }],
        }),
      ),
    ).toEqual([['collaborator:VIP', 'advanced', 2_250_000]]);
    expect(
      amounts(
        modelOrderLines(order(), { ...basic10, advanced: [{ collaboratorId: 'VIP', productIds: ['SERUM'], percentBp: 500, mode: 'add' }] }),
      ),
    ).toEqual([
      ['collaborator:VIP', 'basic', 1_500_000],
      ['collaborator:VIP', 'advanced', 750_000],
    ]);
    // add-on: A 500,000 at basic 10% = 50,000; B 200,000 added by the seller: CTV 5% = 10,000, seller 3% = 6,000
    const addOnOrder = order({
      sellerId: 'S',
      lines: [ol({ quantity: 1, keptNetRevenue: 500_000 }), ol({ lineId: '2', quantity: 1, keptNetRevenue: 200_000, addOn: true })],
    });
    expect(amounts(modelOrderLines(addOnOrder, { ...basic10, addOn: { collaboratorPercentBp: 500, sellerPercentBp: 300 } }))).toEqual([
      ['collaborator:VIP', 'basic', 50_000],
      ['collaborator:VIP', 'addOn', 10_000],
      ['seller:S', 'addOn', 6_000],
    ]);
    // repurchase: 1,000,000 at 4% → 40,000
    expect(
      amounts(
        modelOrderLines(order({ isRepurchase: true, lines: [ol({ quantity: 1, keptNetRevenue: 1_000_000 })] }), {
          ...basic10,
          repurchase: { percentBp: 400 },
        }),
      ),
    ).toEqual([['collaborator:VIP', 'repurchase', 40_000]]);
    // a platform fee of 10% on 1,500,000 is its own line of −150,000; a boost of 1% from 12 Oct adds 150,000
    expect(
      amounts(
        modelOrderLines(order(), {
          ...basic10,
          platformFeeBp: 1000,
          boosts: [{ collaboratorIds: ['VIP'], from: '2026-10-12', to: '2026-10-12', percentBp: 100 }],
        }),
      ),
    ).toEqual([
      ['collaborator:VIP', 'basic', 1_500_000],
      ['collaborator:VIP', 'platformFee', -150_000],
      ['collaborator:VIP', 'boost', 150_000],
      ['collaborator:VIP', 'platformFee', -15_000],
    ]);
    // a boost that ended the day before does not apply (09:30 on 12 Oct in Viet Nam is 02:30 UTC)
    expect(
      amounts(
        modelOrderLines(order(), {
          ...basic10,
          boosts: [{ collaboratorIds: ['VIP'], from: '2026-10-01', to: '2026-10-11', percentBp: 100 }],
        }),
      ),
    ).toEqual([['collaborator:VIP', 'basic', 1_500_000]]);
    // 10 of 30 returned: kept R 10,000,000 (given), a fixed 20,000 per unit × 20 kept = 400,000
    expect(
      amounts(
        modelOrderLines(order({ lines: [ol({ returnedQuantity: 10, keptNetRevenue: 10_000_000 })] }), {
          basic: { default: { fixedPerUnit: 20_000 } },
        }),
      ),
    ).toEqual([['collaborator:VIP', 'basic', 400_000]]);
    // half away from zero: 333,300 × 0.15% = 499.95 → 500
    expect(
      amounts(modelOrderLines(order({ lines: [ol({ keptNetRevenue: 333_300 })] }), { basic: { default: { percentBp: 15 } } })),
    ).toEqual([['collaborator:VIP', 'basic', 500]]);
    expect(
      amounts(modelOrderLines(order({ lines: [ol({ keptNetRevenue: 3_333_000 })] }), { basic: { default: { percentBp: 15 } } })),
    ).toEqual([['collaborator:VIP', 'basic', 5_000]]); // 4,999.5 → 5,000
  });

  it('each order line earns the credited CTV at most one line kind; advanced add only beside basic', () => {
    fc.assert(
      fc.property(planArb, accruingRevision, (p, o) => {
        const lines = priceOrder(o, stored(p), facts).filter((l) => l.beneficiary.type === 'collaborator');
        for (const ol of o.lines) {
          const mine = lines.filter((l) => l.trace.lineId === ol.lineId);
          const main = mine.filter((l) => l.kind !== 'boost' && l.kind !== 'platformFee' && l.trace.rule !== 'advanced.add');
          expect(main.length).toBeLessThanOrEqual(1);
          if (mine.some((l) => l.trace.rule === 'advanced.add')) {
            expect(main.every((l) => l.trace.rule.startsWith('basic.'))).toBe(true);
            expect(ol.addOn && p.addOn).toBeFalsy();
            expect(o.isRepurchase && p.repurchase).toBeFalsy();
          }
          if (ol.addOn && p.addOn && !(o.isSelfOrder && p.selfOrder)) expect(main.every((l) => l.kind === 'addOn')).toBe(true);
        }
        if (o.isSelfOrder && p.selfOrder?.mode === 'not_credited') expect(lines).toEqual([]);
        if (o.collaboratorId === null) expect(lines).toEqual([]);
      }),
      RUNS,
    );
  });

  it('ledger totals per kind are the reference model’s, and the total is the exact sum of the entries', () => {
    fc.assert(
      fc.property(planArb, accruingRevision, revisionArb(2), fc.boolean(), (p, r1, r2, closeFirst) => {
        const plan = stored(p);
        const first = diffLedger([], priceOrder(r1, plan, facts), ctx());
        // the second revision lands while October is open, or after it closed (then as clawbacks / adjustments in November)
        const later = ctx(closeFirst ? { openPeriodId: '2026-11', closedPeriodIds: ['2026-10'] } : {});
        const second = diffLedger(first, priceOrder(r2, plan, facts), later);
        const entries = [...first, ...second];
        const { byKind, total } = totalsByKind(entries);

        const want1 = modelOrderLines(r1 as ModelOrder, p);
        const want2 = modelOrderLines(r2 as ModelOrder, p);
        // whatever the path, the ledger holds the newest computation: Σ entries = Σ lines of r2
        expect(BigInt(total)).toBe(sumAll(want2));
        expect(BigInt(total)).toBe(sumAll(entries));
        let overKinds = 0n;
        for (const k of LEDGER_KINDS) overKinds += BigInt(byKind[k]);
        expect(overKinds).toBe(BigInt(total));
        if (!closeFirst) {
          // every change is booked under its own kind: the totals per kind are r2's
          const sums = sumsByKind(want2);
          for (const k of LEDGER_KINDS) expect(BigInt(byKind[k]), k).toBe(sums.get(k) ?? 0n);
        } else {
          // October is frozen: r1's lines stay under their kinds, the difference is a clawback (−) or an adjustment (+)
          const sums = sumsByKind(want1);
          for (const k of LEDGER_KINDS) {
            if (k !== 'clawback' && k !== 'adjustment') expect(BigInt(byKind[k]), k).toBe(sums.get(k) ?? 0n);
          }
          expect(BigInt(byKind.clawback + byKind.adjustment)).toBe(sumAll(want2) - sumAll(want1));
          expect(byKind.clawback).toBeLessThanOrEqual(0);
          expect(byKind.adjustment).toBeGreaterThanOrEqual(0);
        }
      }),
      RUNS,
    );
  });

  it('a revision, then a return, then its void nets every beneficiary to exactly 0 — settled or not', () => {
    fc.assert(
      fc.property(planArb, accruingRevision, revisionArb(2), fc.boolean(), fc.boolean(), (p, r1, r2gen, settleFirst, closeFirst) => {
        const plan = stored(p);
        let ledger: LedgerEntry[] = diffLedger([], priceOrder(r1, plan, facts), ctx());
        if (settleFirst) ledger = ledger.map((e) => settle({ ...e, state: 'payable' }, '2026-10'));
        const later = ctx(closeFirst ? { openPeriodId: '2026-11', closedPeriodIds: ['2026-10'] } : {});
        const r2 = { ...r2gen, collaboratorId: r1.collaboratorId };
        ledger = [...ledger, ...diffLedger(ledger, priceOrder(r2, plan, facts), later)];
        const voided: PricedOrder = { ...r2, revision: 3, state: 'void' };
        const reversal = diffLedger(ledger, priceOrder(voided, plan, facts), later);
        ledger = [...ledger, ...reversal];
        for (const [, net] of sumByBeneficiary(ledger)) expect(net).toBe(0);
        for (const [, net] of sumByKey(ledger)) expect(net).toBe(0);
        // a key that was settled, or whose period closed, changes only by clawback / adjustment in the open period
        const settledKeys = new Set(ledger.filter((e) => e.state === 'settled').map((e) => e.key));
        for (const e of reversal) {
          const locked = closeFirst || settledKeys.has(e.key);
          expect(e.kind === 'clawback' || e.kind === 'adjustment').toBe(locked);
          expect(e.periodId).toBe(locked ? later.openPeriodId : '2026-10');
        }
      }),
      RUNS,
    );
  });

  it('applying revisions in any order, finishing with the newest, gives the newest per-key totals', () => {
    fc.assert(
      fc.property(
        planArb,
        fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 6 }),
        fc.tuple(revisionArb(1), revisionArb(2), revisionArb(3), revisionArb(4), revisionArb(5)),
        fc.boolean(),
        (p, sequence, revisions, settleMidway) => {
          const plan = stored(p);
          const newest = revisions.reduce((a, b) => (b.revision > a.revision ? b : a));
          let ledger: LedgerEntry[] = [];
          sequence.forEach((i, step) => {
            ledger = [...ledger, ...diffLedger(ledger, priceOrder(revisions[i]!, plan, facts), ctx())];
            if (settleMidway && step === 0) ledger = ledger.map((e) => settle({ ...e, state: 'payable' }, '2026-10'));
          });
          ledger = [...ledger, ...diffLedger(ledger, priceOrder(newest, plan, facts), ctx())];
          const want = new Map(priceOrder(newest, plan, facts).map((l) => [l.key, l.amount]));
          const got = new Map([...sumByKey(ledger)].filter(([, v]) => v !== 0));
          expect(got).toEqual(want);
        },
      ),
      RUNS,
    );
  });

  it('pricing a past order again with a newer plan version added (effective later) changes nothing', () => {
    fc.assert(
      fc.property(planArb, planArb, accruingRevision, fc.integer({ min: 1, max: 400 }), (p1, p2, o, daysLater) => {
        const v1 = stored(p1, 1);
        const before = priceOrderAt(o, [v1], facts);
        const effective = addDays(localDay(Date.parse(o.approvedAt!), TZ), daysLater);
        const after = priceOrderAt(o, [v1, stored(p2, 2, effective)], facts);
        expect(after).toEqual(before);
        expect(after.plan?.version).toBe(1);
      }),
      RUNS,
    );
  });

  it('award brackets: with non-decreasing rates, marginal ≤ retroactive, both non-decreasing in the volume', () => {
    const bracketsArb = fc.uniqueArray(fc.integer({ min: 1, max: 50_000_000 }), { maxLength: 4 }).chain((froms) =>
      fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: froms.length + 1, maxLength: froms.length + 1 }).map((rates) => {
        const sortedRates = [...rates].sort((a, b) => a - b);
        return [0, ...[...froms].sort((a, b) => a - b)].map((from, i) => ({ from, percentBp: sortedRates[i]! }));
      }),
    );
    fc.assert(
      fc.property(bracketsArb, fc.integer({ min: 0, max: 100_000_000 }), fc.integer({ min: 0, max: 10_000_000 }), (brackets, v, dv) => {
        const m = (x: number) => awardAmount(x, { brackets, mode: 'marginal' }).amount;
        const r = (x: number) => awardAmount(x, { brackets, mode: 'retroactive' }).amount;
        expect(m(v)).toBeLessThanOrEqual(r(v));
        expect(m(v + dv)).toBeGreaterThanOrEqual(m(v));
        expect(r(v + dv)).toBeGreaterThanOrEqual(r(v));
        // below the second bracket both are the first bracket's flat rate
        const first = brackets[0]!;
        const under = Math.min(v, (brackets[1]?.from ?? Infinity) - 1);
        const flat = roundDiv(BigInt(under) * BigInt(first.percentBp), 10_000n);
        expect(m(under)).toBe(flat);
        expect(r(under)).toBe(flat);
      }),
      RUNS,
    );
  });
});
