import { describe, expect, it } from 'vitest';
import { priceOrder, priceOrderAt } from '../../../domain/commission/engine';
import type { CommissionLine } from '../../../domain/commission/lines';
import { facts, line, only, order, plan, sum } from './fixtures';

const kinds = (lines: CommissionLine[]) => lines.map((l) => [l.kind, l.beneficiary.type, l.amount]);

describe('order states', () => {
  it('processing and void produce nothing; approved, completed and returned accrue', () => {
    const p = plan();
    expect(priceOrder(order({ state: 'processing' }), p, facts)).toEqual([]);
    expect(priceOrder(order({ state: 'void' }), p, facts)).toEqual([]);
    for (const state of ['approved', 'completed', 'returned'] as const) {
      expect(sum(priceOrder(order({ state }), p, facts))).toBe(100_000);
    }
  });

  it('a partial return earns on the kept R and quantity only', () => {
    const p = plan({ basic: { default: { percentBp: 1000 }, rules: [{ productId: 'MASK-10', fixedPerUnit: 15_000 }] } });
    const lines = priceOrder(
      order({
        state: 'returned',
        lines: [
          // 3 units, R 1,000,001; 1 returned → kept R = round(1,000,001 × 2 ÷ 3) = 666,667 (the order model's number)
          line({ lineId: '1', quantity: 3, returnedQuantity: 1, netRevenue: 1_000_001, keptNetRevenue: 666_667 }),
          line({ lineId: '2', productId: 'MASK-10', quantity: 5, returnedQuantity: 2, netRevenue: 500_000, keptNetRevenue: 300_000 }),
          line({ lineId: '3', quantity: 2, returnedQuantity: 2, netRevenue: 400_000, keptNetRevenue: 0 }),
        ],
      }),
      p,
      facts,
    );
    expect(lines.map((l) => [l.trace.lineId, l.amount])).toEqual([
      ['1', 66_667], // 66,666.7 → 66,667
      ['2', 45_000], // 3 kept × 15,000
    ]);
  });

  it('an accruing order without approvedAt is a bug in the caller, not a silent zero', () => {
    expect(() => priceOrder(order({ approvedAt: undefined }), plan(), facts)).toThrow(RangeError);
    expect(() => priceOrder(order({ approvedAt: null }), plan(), facts)).toThrow(RangeError);
    expect(() => priceOrder(order({ lines: [line({ quantity: 1, returnedQuantity: 2 })] }), plan(), facts)).toThrow(RangeError);
    expect(() => priceOrder(order({ lines: [line({ keptNetRevenue: -1 })] }), plan(), facts)).toThrow(RangeError);
  });
});

describe('basic rates: scope specificity and levels', () => {
  // API.md's basic plan
  const p = plan({
    basic: {
      default: { percentBp: 1000 },
      rules: [
        { productId: 'CREAM-50', unit: 'hũ', percentBp: 800 },
        { productId: 'MASK-10', fixedPerUnit: 15_000 },
        { category: 'serum', percentBp: 1200 },
      ],
    },
  });
  const priced = (l: Parameters<typeof line>[0]) => only(priceOrder(order({ lines: [line(l)] }), p, facts), () => true);

  it('product + unit beats category and default', () => {
    const l = priced({ productId: 'CREAM-50', unit: 'hũ', category: 'serum', netRevenue: 1_000_000 });
    expect([l.amount, l.trace.rule, l.trace.ruleRef]).toEqual([80_000, 'basic.product_unit', 'basic.rules.0']);
  });
  it('the same product in another unit falls to its category', () => {
    const l = priced({ productId: 'CREAM-50', unit: 'tuýp', category: 'serum', netRevenue: 1_000_000 });
    expect([l.amount, l.trace.rule, l.trace.ruleRef]).toEqual([120_000, 'basic.category', 'basic.rules.2']);
  });
  it('a fixed amount per unit × kept quantity, whatever R is', () => {
    const l = priced({ productId: 'MASK-10', category: 'serum', quantity: 4, netRevenue: 123_457 });
    expect([l.amount, l.trace.rule, l.trace.fixedPerUnit, l.trace.quantity, l.trace.rateBp]).toEqual([
      60_000,
      'basic.product',
      15_000,
      4,
      undefined,
    ]);
  });
  it('everything else earns the default', () => {
    const l = priced({ productId: 'SOAP', category: 'soap', netRevenue: 700_005 });
    expect([l.amount, l.trace.rule]).toEqual([70_001, 'basic.default']); // 70,000.5 → 70,001
  });
  it('product (any unit) beats category', () => {
    const q = plan({
      basic: {
        rules: [
          { category: 'serum', percentBp: 1200 },
          { productId: 'S', percentBp: 900 },
        ],
      },
    });
    const lines = priceOrder(order({ lines: [line({ productId: 'S', unit: 'chai', category: 'serum' })] }), q, facts);
    expect(lines.map((l) => [l.amount, l.trace.rule])).toEqual([[90_000, 'basic.product']]);
  });
  it('no matching rule and no default: no line', () => {
    const q = plan({ basic: { rules: [{ category: 'serum', percentBp: 1200 }] } });
    expect(priceOrder(order(), q, facts)).toEqual([]);
  });

  it('a level rate applies to CTVs of that level only', () => {
    const q = plan({
      basic: {
        default: { percentBp: 1000, levels: { '3': { percentBp: 1200 } } },
        rules: [{ productId: 'MASK-10', fixedPerUnit: 15_000, levels: { '2': { fixedPerUnit: 20_000 }, '3': { percentBp: 500 } } }],
      },
    });
    const at = (level: 1 | 2 | 3, l: Parameters<typeof line>[0]) =>
      only(priceOrder(order({ collaboratorLevel: level, lines: [line(l)] }), q, facts), () => true);
    const big = { netRevenue: 15_000_000 };
    expect(at(1, big).amount).toBe(1_500_000);
    expect(at(2, big).amount).toBe(1_500_000);
    expect([at(3, big).amount, at(3, big).trace.level]).toEqual([1_800_000, 3]);
    expect(at(1, big).trace.level).toBeUndefined();
    const mask = { productId: 'MASK-10', quantity: 4, netRevenue: 200_000 };
    expect(at(1, mask).amount).toBe(60_000);
    expect(at(2, mask).amount).toBe(80_000);
    expect(at(3, mask).amount).toBe(10_000); // 5% of 200,000
  });
});

describe('line kinds: exactly one per line, first that applies', () => {
  const p = plan({
    advanced: [
      { collaboratorId: 'CTV-A', productIds: ['ADV'], percentBp: 1500, mode: 'replace' },
      { collaboratorId: 'CTV-A', productIds: ['TOP'], percentBp: 500, mode: 'add' },
    ],
    addOn: { collaboratorPercentBp: 500, sellerPercentBp: 300 },
    repurchase: { percentBp: 400 },
  });
  const one = (o: Parameters<typeof order>[0]) => priceOrder(order(o), p, facts);

  it('add-on beats repurchase and advanced', () => {
    expect(kinds(one({ isRepurchase: true, lines: [line({ productId: 'ADV', addOn: true })] }))).toEqual([
      ['addOn', 'collaborator', 50_000],
    ]);
  });
  it('repurchase beats advanced replace, and advanced add does not top it up', () => {
    expect(kinds(one({ isRepurchase: true, lines: [line({ productId: 'ADV' })] }))).toEqual([['repurchase', 'collaborator', 40_000]]);
    expect(kinds(one({ isRepurchase: true, lines: [line({ productId: 'TOP' })] }))).toEqual([['repurchase', 'collaborator', 40_000]]);
  });
  it('advanced add tops up basic lines only', () => {
    expect(kinds(one({ lines: [line({ productId: 'TOP' })] }))).toEqual([
      ['basic', 'collaborator', 100_000],
      ['advanced', 'collaborator', 50_000],
    ]);
    expect(kinds(one({ lines: [line({ productId: 'TOP', addOn: true })] }))).toEqual([['addOn', 'collaborator', 50_000]]);
  });
  it('advanced rates belong to their CTV only', () => {
    expect(kinds(one({ collaboratorId: 'CTV-B', lines: [line({ productId: 'ADV' })] }))).toEqual([['basic', 'collaborator', 100_000]]);
  });
  it('without an add-on or repurchase section, those lines earn basic', () => {
    const q = plan();
    expect(kinds(priceOrder(order({ isRepurchase: true, sellerId: 'S', lines: [line({ addOn: true })] }), q, facts))).toEqual([
      ['basic', 'collaborator', 100_000],
    ]);
  });
  it('an order with no credited CTV pays only the seller of its add-on lines', () => {
    expect(
      kinds(one({ collaboratorId: null, sellerId: 'S1', lines: [line({ lineId: '1' }), line({ lineId: '2', addOn: true })] })),
    ).toEqual([['addOn', 'seller', 30_000]]);
  });
});

describe('boosts', () => {
  const p = plan({
    addOn: { collaboratorPercentBp: 500 },
    boosts: [
      { collaboratorIds: ['CTV-A'], from: '2026-11-01', to: '2026-11-11', percentBp: 200 },
      { collaboratorIds: ['CTV-A', 'CTV-B'], from: '2026-11-11', to: '2026-11-11', percentBp: 100 },
    ],
  });
  const at = (approvedAt: string, o: Parameters<typeof order>[0] = {}) => priceOrder(order({ approvedAt, ...o }), p, facts);

  it('tops up any line of the chosen CTVs approved within the local days, both ends inclusive', () => {
    expect(kinds(at('2026-10-31T23:59:59+07:00'))).toEqual([['basic', 'collaborator', 100_000]]);
    expect(kinds(at('2026-11-01T00:00:00+07:00'))).toEqual([
      ['basic', 'collaborator', 100_000],
      ['boost', 'collaborator', 20_000],
    ]);
    // 11 Nov is in both boosts: they stack, each its own line
    const stacked = at('2026-11-11T23:59:59+07:00', { lines: [line({ addOn: true })] });
    expect(kinds(stacked)).toEqual([
      ['addOn', 'collaborator', 50_000],
      ['boost', 'collaborator', 20_000],
      ['boost', 'collaborator', 10_000],
    ]);
    expect(new Set(stacked.map((l) => l.key)).size).toBe(3);
    // 2026-11-11T17:00Z is 12 Nov 00:00 in Ho Chi Minh City
    expect(kinds(at('2026-11-11T17:00:00Z'))).toEqual([['basic', 'collaborator', 100_000]]);
    expect(kinds(at('2026-11-05T10:00:00+07:00', { collaboratorId: 'CTV-B' }))).toEqual([['basic', 'collaborator', 100_000]]);
  });

  it('reads the approval instant only for a CTV with boosts, and refuses one that is not an instant', () => {
    expect(() => at('5 tháng 11')).toThrow(/approvedAt is not an instant/);
    // a CTV no boost names: nothing depends on the instant (priceOrderAt has read it to pick the plan)
    expect(kinds(at('5 tháng 11', { collaboratorId: 'CTV-C' }))).toEqual([['basic', 'collaborator', 100_000]]);
    expect(() => priceOrderAt(order({ approvedAt: '5 tháng 11', collaboratorId: 'CTV-C' }), [p], facts)).toThrow(RangeError);
  });
});

describe('self-orders', () => {
  const o = order({ isSelfOrder: true, sellerId: 'S1', lines: [line({ lineId: '1' }), line({ lineId: '2', addOn: true })] });
  const common = { addOn: { collaboratorPercentBp: 500, sellerPercentBp: 300 } };

  it('not credited: no CTV line at all; the seller keeps the add-on line', () => {
    expect(kinds(priceOrder(o, plan({ ...common, selfOrder: { mode: 'not_credited' } }), facts))).toEqual([['addOn', 'seller', 30_000]]);
  });
  it('credited at the self-order rate instead of the line kind', () => {
    const lines = priceOrder(o, plan({ ...common, selfOrder: { mode: 'rate', percentBp: 300 } }), facts);
    expect(lines.map((l) => [l.kind, l.trace.rule, l.beneficiary.type, l.amount])).toEqual([
      ['basic', 'selfOrder', 'collaborator', 30_000],
      ['basic', 'selfOrder', 'collaborator', 30_000],
      ['addOn', 'addOn.seller', 'seller', 30_000],
    ]);
  });
  it('without the plan switch a self-order is an ordinary order', () => {
    expect(kinds(priceOrder(o, plan(common), facts))).toEqual([
      ['basic', 'collaborator', 100_000],
      ['addOn', 'collaborator', 50_000],
      ['addOn', 'seller', 30_000],
    ]);
  });
});

describe('platform fee', () => {
  it("a negative line per CTV commission line, a percentage of that line's amount; never on the seller", () => {
    const p = plan({
      platformFeeBp: 1000,
      addOn: { collaboratorPercentBp: 500, sellerPercentBp: 300 },
      advanced: [{ collaboratorId: 'CTV-A', productIds: ['TOP'], percentBp: 500, mode: 'add' }],
      boosts: [{ collaboratorIds: ['CTV-A'], from: '2026-10-01', to: '2026-10-31', percentBp: 200 }],
    });
    const lines = priceOrder(
      order({
        sellerId: 'S1',
        lines: [line({ lineId: '1', productId: 'TOP', netRevenue: 15_000_000 }), line({ lineId: '2', netRevenue: 200_000, addOn: true })],
      }),
      p,
      facts,
    );
    expect(lines.map((l) => [l.trace.lineId, l.kind, l.beneficiary.type, l.amount])).toEqual([
      ['1', 'basic', 'collaborator', 1_500_000],
      ['1', 'platformFee', 'collaborator', -150_000],
      ['1', 'advanced', 'collaborator', 750_000],
      ['1', 'platformFee', 'collaborator', -75_000],
      ['1', 'boost', 'collaborator', 300_000],
      ['1', 'platformFee', 'collaborator', -30_000],
      ['2', 'addOn', 'collaborator', 10_000],
      ['2', 'platformFee', 'collaborator', -1_000],
      ['2', 'boost', 'collaborator', 4_000],
      ['2', 'platformFee', 'collaborator', -400],
      ['2', 'addOn', 'seller', 6_000],
    ]);
    const fee = lines[1]!;
    expect([fee.trace.appliesTo, fee.trace.base, fee.trace.rateBp]).toEqual([lines[0]!.key, 1_500_000, 1000]);
  });

  it('rounds each fee line half away from zero, and omits a fee that rounds to 0', () => {
    // basic 10% of 3,330 = 333; fee 15% of 333 = 49.95 → −50
    const a = priceOrder(order({ lines: [line({ netRevenue: 3_330 })] }), plan({ platformFeeBp: 1500 }), facts);
    expect(a.map((l) => l.amount)).toEqual([333, -50]);
    // 10% of 30 = 3; 15% of 3 = 0.45 → 0: no fee line
    const b = priceOrder(order({ lines: [line({ netRevenue: 30 })] }), plan({ platformFeeBp: 1500 }), facts);
    expect(b.map((l) => l.amount)).toEqual([3]);
  });
});

describe('keys and traces', () => {
  it('keys are deterministic and name order, line, kind and beneficiary', () => {
    const p = plan({ addOn: { collaboratorPercentBp: 500, sellerPercentBp: 300 } });
    const o = order({ orderId: 'O|7', sellerId: 'S1', lines: [line({ lineId: 'L1', addOn: true })] });
    const a = priceOrder(o, p, facts);
    expect(a.map((l) => l.key)).toEqual(['o:O%7C7|l:L1|addOn|collaborator:CTV-A', 'o:O%7C7|l:L1|addOn|seller:S1']);
    expect(priceOrder({ ...o, revision: 9 }, p, facts).map((l) => l.key)).toEqual(a.map((l) => l.key));
  });

  it('the trace says which plan version, rule, base, rate and rounding', () => {
    const p = plan({ basic: { rules: [{ category: 'serum', percentBp: 1200 }] } }, { planId: 'PL', version: 4 });
    const [l] = priceOrder(
      order({ orderId: 'O9', lines: [line({ lineId: '3', category: 'serum', quantity: 2, netRevenue: 700_000 })] }),
      p,
      facts,
    );
    expect(l!.trace).toEqual({
      rule: 'basic.category',
      ruleRef: 'basic.rules.0',
      planId: 'PL',
      planVersion: 4,
      orderId: 'O9',
      lineId: '3',
      productId: 'P',
      base: 700_000,
      quantity: 2,
      rateBp: 1200,
      tier: null,
      rounding: 'half_away_from_zero',
    });
    expect(l!.source).toEqual({ type: 'order', orderId: 'O9', revision: 1 });
  });

  it('lines of amount 0 are omitted', () => {
    expect(priceOrder(order({ lines: [line({ netRevenue: 4 })] }), plan(), facts)).toEqual([]); // 0.4 → 0
    expect(priceOrder(order(), plan({ basic: { default: { percentBp: 0 } } }), facts)).toEqual([]);
  });
});

describe('priceOrderAt: the version in force at approval', () => {
  const v1 = plan({ basic: { default: { percentBp: 1000 } } }, { version: 1 });
  const v2 = plan({ effectiveFrom: '2026-11-01', basic: { default: { percentBp: 2000 } } }, { version: 2 });
  it('picks by approvedAt, not by now', () => {
    expect(sum(priceOrderAt(order({ approvedAt: '2026-10-31T23:59:00+07:00' }), [v1, v2], facts).lines)).toBe(100_000);
    const nov = priceOrderAt(order({ approvedAt: '2026-11-01T00:00:00+07:00' }), [v1, v2], facts);
    expect([nov.plan?.version, sum(nov.lines)]).toEqual([2, 200_000]);
    expect(priceOrderAt(order({ approvedAt: '2026-09-30T10:00:00+07:00' }), [v1, v2], facts)).toEqual({ plan: null, lines: [] });
  });
});
