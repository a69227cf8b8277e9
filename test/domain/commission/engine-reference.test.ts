/**
 * The engine's output, line for line, against a straightforward reference written here: every
 * rule found by scanning the plan as DOMAIN.md reads (no index, no cache), money in BigInt, dates
 * through `Date.parse`. The engine precomputes a plan once (engine.ts `compile`); this test is
 * what proves that the precomputed lookups give the same lines: same keys, kinds, amounts,
 * traces (keys in the same order), in the same order, and the same errors.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { priceOrder, priceOrderAt, type PricedOrder, type PricedOrderLine, type PricingFacts } from '../../../domain/commission/engine';
import type { Beneficiary, CommissionLine, Trace } from '../../../domain/commission/lines';
import type { StoredPlanVersion } from '../../../domain/commission/plan';
import { addDays, startOfLocalDay } from '../../../domain/period';

// --- the reference ------------------------------------------------------------------------------

type Rate = { percentBp?: number; fixedPerUnit?: number };

/** n × bp ÷ 10,000 rounded half away from zero, in BigInt */
function percent(n: number, bp: number): number {
  const p = BigInt(n) * BigInt(bp);
  const a = p < 0n ? -p : p;
  let q = a / 10_000n;
  if (2n * (a % 10_000n) >= 10_000n) q += 1n;
  return Number(p < 0n ? -q : q);
}

const escaped = (s: string) => (/[|%]/.test(s) ? encodeURIComponent(s) : s);

function referencePrice(order: PricedOrder, plan: StoredPlanVersion, facts: PricingFacts): CommissionLine[] {
  if (!['approved', 'completed', 'returned'].includes(order.state)) return [];
  if (order.approvedAt === undefined || order.approvedAt === null)
    throw new RangeError(`order ${order.orderId} is ${order.state} without approvedAt`);
  const approvedMs = Date.parse(order.approvedAt);
  if (!Number.isFinite(approvedMs)) throw new RangeError(`order ${order.orderId}: approvedAt is not an instant`);

  const out: CommissionLine[] = [];
  const source = { type: 'order' as const, orderId: order.orderId, revision: order.revision };
  const add = (
    line: PricedOrderLine,
    b: Beneficiary,
    kind: CommissionLine['kind'],
    kindSlot: string,
    rule: Trace['rule'],
    ruleRef: string,
    rate: Rate,
    level: number | undefined,
    withFee: boolean,
  ) => {
    const quantity = line.quantity - line.returnedQuantity;
    let amount: number;
    if (rate.percentBp !== undefined) amount = percent(line.keptNetRevenue, rate.percentBp);
    else {
      amount = (rate.fixedPerUnit ?? 0) * quantity;
      if (!Number.isSafeInteger(amount)) throw new RangeError('fixed commission is beyond the safe-integer range');
    }
    if (amount === 0) return;
    const scope = `o:${escaped(order.orderId)}|l:${escaped(line.lineId)}`;
    const who = `${b.type}:${escaped(b.id)}`;
    const key = `${scope}|${kindSlot}|${who}`;
    const trace: Trace = {
      rule,
      ruleRef,
      planId: plan.planId,
      planVersion: plan.version,
      orderId: order.orderId,
      lineId: line.lineId,
      productId: line.productId,
      base: line.keptNetRevenue,
      quantity,
      tier: null,
      rounding: 'half_away_from_zero',
    };
    if (rate.percentBp !== undefined) trace.rateBp = rate.percentBp;
    else trace.fixedPerUnit = rate.fixedPerUnit ?? 0;
    if (level !== undefined) trace.level = level as 1 | 2 | 3;
    out.push({ key, kind, beneficiary: b, amount, source, trace });
    const feeBp = plan.platformFeeBp;
    if (!withFee || !feeBp) return;
    const fee = -percent(amount, feeBp);
    if (fee === 0) return;
    out.push({
      key: `${scope}|platformFee.${kindSlot}|${who}`,
      kind: 'platformFee',
      beneficiary: b,
      amount: fee,
      source,
      trace: {
        rule: 'platformFee',
        ruleRef: 'platformFeeBp',
        planId: plan.planId,
        planVersion: plan.version,
        base: amount,
        rateBp: feeBp,
        tier: null,
        appliesTo: key,
        rounding: 'half_away_from_zero',
        orderId: order.orderId,
        lineId: line.lineId,
      },
    });
  };

  const ctv = order.collaboratorId;
  const selfOrder = order.isSelfOrder && plan.selfOrder !== undefined;
  const credited = ctv !== null && !(selfOrder && plan.selfOrder?.mode === 'not_credited') ? ctv : null;
  const rules = plan.basic.rules ?? [];
  for (const line of order.lines) {
    const q = line.quantity;
    const r = line.returnedQuantity;
    if (!Number.isSafeInteger(q) || !Number.isSafeInteger(r) || q < 0 || r < 0 || r > q) {
      throw new RangeError(`order line ${line.lineId}: quantities must be whole and 0 ≤ returned ≤ quantity`);
    }
    if (!Number.isSafeInteger(line.keptNetRevenue) || line.keptNetRevenue < 0) {
      throw new RangeError(`order line ${line.lineId}: kept net revenue must be a non-negative whole VND amount`);
    }
    if (credited !== null) {
      const me: Beneficiary = { type: 'collaborator', id: credited };
      const advancedIndex = (plan.advanced ?? []).findIndex((a) => a.collaboratorId === credited && a.productIds.includes(line.productId));
      const advanced = plan.advanced?.[advancedIndex];
      const advancedRate: Rate | undefined =
        advanced && (advanced.percentBp !== undefined ? { percentBp: advanced.percentBp } : { fixedPerUnit: advanced.fixedPerUnit ?? 0 });
      let topUp = false;
      if (selfOrder && plan.selfOrder?.mode === 'rate')
        add(
          line,
          me,
          'basic',
          'basic.selfOrder',
          'selfOrder',
          'selfOrder.percentBp',
          { percentBp: plan.selfOrder.percentBp ?? 0 },
          undefined,
          true,
        );
      else if (line.addOn && plan.addOn)
        add(
          line,
          me,
          'addOn',
          'addOn',
          'addOn.collaborator',
          'addOn.collaboratorPercentBp',
          { percentBp: plan.addOn.collaboratorPercentBp },
          undefined,
          true,
        );
      else if (order.isRepurchase && plan.repurchase)
        add(
          line,
          me,
          'repurchase',
          'repurchase',
          'repurchase',
          'repurchase.percentBp',
          { percentBp: plan.repurchase.percentBp },
          undefined,
          true,
        );
      else if (advanced?.mode === 'replace')
        add(line, me, 'advanced', 'advanced', 'advanced.replace', `advanced.${advancedIndex}`, advancedRate!, undefined, true);
      else {
        // the most specific basic rule: product + unit, product, category, then the default; the first of a scope
        const find = (test: (rule: (typeof rules)[number]) => boolean) => rules.findIndex(test);
        const scopes: [number, Trace['rule']][] = [
          [find((x) => x.productId === line.productId && x.unit === line.unit && x.category === undefined), 'basic.product_unit'],
          [find((x) => x.productId === line.productId && x.unit === undefined && x.category === undefined), 'basic.product'],
          [find((x) => x.category === line.category && x.productId === undefined && x.unit === undefined), 'basic.category'],
        ];
        const found = scopes.find(([i]) => i >= 0);
        const rule = found ? rules[found[0]]! : plan.basic.default;
        if (rule) {
          const levelRate = rule.levels?.[String(order.collaboratorLevel) as '1' | '2' | '3'];
          add(
            line,
            me,
            'basic',
            'basic',
            found ? found[1] : 'basic.default',
            found ? `basic.rules.${found[0]}` : 'basic.default',
            levelRate ?? rule,
            levelRate ? order.collaboratorLevel : undefined,
            true,
          );
        }
        topUp = advanced !== undefined;
      }
      if (topUp) add(line, me, 'advanced', 'advanced.add', 'advanced.add', `advanced.${advancedIndex}`, advancedRate!, undefined, true);
      (plan.boosts ?? []).forEach((boost, i) => {
        const from = startOfLocalDay(boost.from, facts.timeZone);
        const until = startOfLocalDay(addDays(boost.to, 1), facts.timeZone);
        if (boost.collaboratorIds.includes(credited) && from <= approvedMs && approvedMs < until) {
          add(line, me, 'boost', `boost.${i}`, 'boost', `boosts.${i}`, { percentBp: boost.percentBp }, undefined, true);
        }
      });
    }
    if (line.addOn && order.sellerId !== null && plan.addOn?.sellerPercentBp) {
      add(
        line,
        { type: 'seller', id: order.sellerId },
        'addOn',
        'addOn',
        'addOn.seller',
        'addOn.sellerPercentBp',
        { percentBp: plan.addOn.sellerPercentBp },
        undefined,
        false,
      );
    }
  }
  return out;
}

// --- generated plans and orders -----------------------------------------------------------------

// few values, so rules, advanced rules and boosts often hit; ids with `|` and `%` test the key escaping
const PRODUCTS = ['P1', 'P2', 'P|3'];
const UNITS = ['chai', 'hũ'];
const CATEGORIES = ['serum', 'kem'];
const CTVS = ['A', 'B', 'C%1'];

const bp = fc.integer({ min: 0, max: 3000 });
const rate = fc.oneof(
  bp.map((percentBp): Rate => ({ percentBp })),
  fc.integer({ min: 0, max: 50_000 }).map((fixedPerUnit): Rate => ({ fixedPerUnit })),
);
const levels = fc.option(fc.record({ '1': rate, '2': rate, '3': rate }, { requiredKeys: [] }), { nil: undefined });
const withLevels = fc.tuple(rate, levels).map(([r, l]) => (l === undefined ? r : { ...r, levels: l }));
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const day = (d: number) => addDays('2026-10-01', d);

// not only valid plans: overlapping scopes and repeated ids exercise "the first one wins"
const planArb: fc.Arbitrary<StoredPlanVersion> = fc
  .record({
    version: fc.integer({ min: 1, max: 3 }),
    effectiveFrom: fc.integer({ min: -5, max: 20 }),
    defaultRate: maybe(withLevels),
    rules: fc.array(
      fc.tuple(
        fc.record({
          productId: maybe(fc.constantFrom(...PRODUCTS)),
          unit: maybe(fc.constantFrom(...UNITS)),
          category: maybe(fc.constantFrom(...CATEGORIES)),
        }),
        withLevels,
      ),
      { maxLength: 8 },
    ),
    advanced: fc.array(
      fc.record({
        collaboratorId: fc.constantFrom(...CTVS),
        productIds: fc.subarray(PRODUCTS, { minLength: 1 }),
        rate,
        mode: fc.constantFrom('replace' as const, 'add' as const),
      }),
      { maxLength: 4 },
    ),
    addOn: maybe(fc.record({ collaboratorPercentBp: bp, sellerPercentBp: fc.option(bp, { nil: undefined }) })),
    repurchase: maybe(bp),
    platformFeeBp: maybe(fc.integer({ min: 0, max: 2000 })),
    selfOrder: maybe(
      fc.oneof(
        fc.constant({ mode: 'not_credited' as const }),
        bp.map((percentBp) => ({ mode: 'rate' as const, percentBp })),
      ),
    ),
    boosts: fc.array(
      fc.record({
        collaboratorIds: fc.array(fc.constantFrom(...CTVS), { minLength: 1, maxLength: 4 }),
        from: fc.integer({ min: 0, max: 30 }),
        len: fc.integer({ min: 0, max: 10 }),
        percentBp: bp,
      }),
      { maxLength: 3 },
    ),
  })
  .map((g): StoredPlanVersion => {
    const plan: StoredPlanVersion = {
      planId: 'PL',
      version: g.version,
      createdAt: '2026-09-01T00:00:00Z',
      effectiveFrom: day(g.effectiveFrom),
      basic: {
        ...(g.defaultRate ? { default: g.defaultRate } : {}),
        rules: g.rules.map(([scope, r]) => ({
          ...(scope.productId !== undefined ? { productId: scope.productId } : {}),
          ...(scope.unit !== undefined ? { unit: scope.unit } : {}),
          ...(scope.category !== undefined ? { category: scope.category } : {}),
          ...r,
        })),
      },
      advanced: g.advanced.map((a) => ({ collaboratorId: a.collaboratorId, productIds: a.productIds, ...a.rate, mode: a.mode })),
      boosts: g.boosts.map((b) => ({
        collaboratorIds: b.collaboratorIds,
        from: day(b.from),
        to: day(b.from + b.len),
        percentBp: b.percentBp,
      })),
    };
    if (g.addOn)
      plan.addOn = {
        collaboratorPercentBp: g.addOn.collaboratorPercentBp,
        ...(g.addOn.sellerPercentBp !== undefined ? { sellerPercentBp: g.addOn.sellerPercentBp } : {}),
      };
    if (g.repurchase !== undefined)
      plan.repurchase = { percentBp: g.repurchase, bindingDays: 365, maxRepurchases: null, attribution: 'binding' };
    if (g.platformFeeBp !== undefined) plan.platformFeeBp = g.platformFeeBp;
    if (g.selfOrder) plan.selfOrder = g.selfOrder;
    return plan;
  });

const lineArb = (lineId: string): fc.Arbitrary<PricedOrderLine> =>
  fc
    .record({
      productId: fc.constantFrom(...PRODUCTS, 'OTHER'),
      unit: fc.constantFrom(...UNITS),
      category: fc.constantFrom(...CATEGORIES, 'khac'),
      quantity: fc.integer({ min: 0, max: 50 }),
      returned: fc.nat({ max: 50 }),
      keptNetRevenue: fc.integer({ min: 0, max: 100_000_000 }),
      addOn: fc.boolean(),
    })
    .map((g) => ({
      lineId,
      productId: g.productId,
      unit: g.unit,
      category: g.category,
      quantity: g.quantity,
      returnedQuantity: Math.min(g.returned, g.quantity),
      netRevenue: g.keptNetRevenue,
      keptNetRevenue: g.keptNetRevenue,
      addOn: g.addOn,
    }));

// the approval instant in the forms the system writes, and in others Date.parse reads
const approvedAtArb = fc.oneof(
  fc.integer({ min: Date.parse('2026-09-20T00:00:00Z'), max: Date.parse('2026-11-20T00:00:00Z') }).map((ms) => new Date(ms).toISOString()),
  fc
    .tuple(fc.integer({ min: 1, max: 28 }), fc.integer({ min: 0, max: 23 }), fc.constantFrom('+07:00', 'Z', '-05:30'))
    .map(([d, h, zone]) => `2026-10-${String(d).padStart(2, '0')}T${String(h).padStart(2, '0')}:30:00${zone}`),
  fc.constantFrom('2026-10-12', '2026-10-12T09:30Z', 'Oct 12 2026 09:30:00 GMT+0700'),
);

const orderArb: fc.Arbitrary<PricedOrder> = fc
  .record({
    orderId: fc.constantFrom('O1', 'O|2', 'O%3'),
    revision: fc.integer({ min: 1, max: 5 }),
    state: fc.constantFrom('processing' as const, 'approved' as const, 'completed' as const, 'returned' as const, 'void' as const),
    approvedAt: approvedAtArb,
    lines: fc.tuple(lineArb('1'), lineArb('2'), lineArb('3|x'), lineArb('4')),
    lineCount: fc.integer({ min: 0, max: 4 }),
    collaboratorId: fc.constantFrom(...CTVS, null),
    level: fc.constantFrom(1 as const, 2 as const, 3 as const),
    sellerId: fc.constantFrom('S1', 'S|2', null),
    isRepurchase: fc.boolean(),
    isSelfOrder: fc.boolean(),
  })
  .map((g) => ({
    orderId: g.orderId,
    revision: g.revision,
    state: g.state,
    approvedAt: g.approvedAt,
    collaboratorId: g.collaboratorId,
    collaboratorLevel: g.level,
    sellerId: g.sellerId,
    isRepurchase: g.isRepurchase,
    isSelfOrder: g.isSelfOrder,
    lines: g.lines.slice(0, g.lineCount),
  }));

const ZONES = ['Asia/Ho_Chi_Minh', 'America/New_York'];

/** The result or the error, so both sides can be compared whichever way they end. */
function outcome<T>(f: () => T): { value: T } | { error: string } {
  try {
    return { value: f() };
  } catch (e) {
    return { error: `${(e as Error).name}: ${(e as Error).message}` };
  }
}

/** Equal as data (no undefined where the other has none) and as JSON (the same keys in the same order). */
function expectSame<T>(got: T, want: T): void {
  expect(got).toStrictEqual(want);
  expect(JSON.stringify(got)).toBe(JSON.stringify(want));
}

describe('the engine is the reference, line for line', () => {
  it('priceOrder: same lines, keys, traces and order, or the same error', () => {
    let priced = 0;
    fc.assert(
      fc.property(planArb, fc.array(orderArb, { minLength: 1, maxLength: 4 }), fc.constantFrom(...ZONES), (plan, orders, timeZone) => {
        // several orders under one plan, as a run prices them (the engine keeps its compiled plan between calls)
        for (const order of orders) {
          const want = outcome(() => referencePrice(order, plan, { timeZone }));
          expectSame(
            outcome(() => priceOrder(order, plan, { timeZone })),
            want,
          );
          if ('value' in want && want.value.length > 0) priced++;
        }
      }),
      { numRuns: 500 },
    );
    expect(priced).toBeGreaterThan(250); // most runs price something
  });

  it('one plan object priced in two zones, alternately: each zone its own boosts', () => {
    fc.assert(
      fc.property(planArb, orderArb, (plan, order) => {
        for (const timeZone of [...ZONES, ...ZONES]) {
          expectSame(
            outcome(() => priceOrder(order, plan, { timeZone })),
            outcome(() => referencePrice(order, plan, { timeZone })),
          );
        }
      }),
      { numRuns: 200 },
    );
  });

  it('priceOrderAt: the version in force at approval (latest effectiveFrom, then highest version), priced as the reference does', () => {
    fc.assert(
      fc.property(fc.array(planArb, { minLength: 1, maxLength: 3 }), orderArb, fc.constantFrom(...ZONES), (versions, order, timeZone) => {
        const reference = () => {
          if (!['approved', 'completed', 'returned'].includes(order.state)) return { plan: null, lines: [] };
          if (order.approvedAt === undefined || order.approvedAt === null)
            throw new RangeError(`order ${order.orderId} is ${order.state} without approvedAt`);
          const at = Date.parse(order.approvedAt);
          if (!Number.isFinite(at)) throw new RangeError(`not an instant: ${order.approvedAt}`);
          const inForce = versions
            .filter((v) => startOfLocalDay(v.effectiveFrom, timeZone) <= at)
            .sort(
              (a, b) => startOfLocalDay(b.effectiveFrom, timeZone) - startOfLocalDay(a.effectiveFrom, timeZone) || b.version - a.version,
            );
          const plan = inForce[0] ?? null;
          return { plan, lines: plan ? referencePrice(order, plan, { timeZone }) : [] };
        };
        expectSame(
          outcome(() => priceOrderAt(order, versions, { timeZone })),
          outcome(reference),
        );
      }),
      { numRuns: 300 },
    );
  });
});
