import type { Zone } from '../period';
/**
 * Period-level commission (DOMAIN.md "Period awards", "REF ID"): computed at a period's close on
 * the period's VOLUME — the R and quantity of a CTV's credited lines whose order was approved in
 * the period, net of returns recorded before the close. The same functions give the projected
 * awards of an open period when fed the volume so far.
 */
import { mulDivRound, percentOf, sumVnd, type BasisPoints, type Vnd } from '../money';
import { addDays, localDay, parsePeriod, periodRange, type Cycle } from '../period';
import { ACCRUING_STATES, type PricedOrder } from './engine';
import {
  ROUNDING,
  platformFeeLine,
  scopePart,
  scopedKey,
  type Beneficiary,
  type CommissionLine,
  type LineSource,
  type Trace,
  type TraceSlice,
} from './lines';
import { localDayStart, meetsStars, planInForce, type Award, type Bracket, type StoredPlanVersion } from './plan';

/** One credited order's contribution to its CTV's volume. */
export interface VolumeRecord {
  collaboratorId: string;
  orderId: string;
  /** epoch ms of the order's approval */
  approvedAt: number;
  /** Σ kept R of the order's lines */
  revenue: Vnd;
  /** Σ kept quantity of the order's lines */
  quantity: number;
}

export interface RatingRecord {
  collaboratorId: string;
  stars: number;
  /** ISO instant or epoch ms */
  ratedAt: string | number;
}
export interface RatingStats {
  count: number;
  starsSum: number;
}

export interface Volume {
  revenue: Vnd;
  quantity: number;
}

/** A CTV as the period close needs it. */
export interface PeriodMember {
  id: string;
  referrerId: string | null;
  /** ISO instant the CTV was approved (the referral months count from it) */
  approvedAt: string | null;
  /** approved at the close: only approved CTVs earn */
  canEarn: boolean;
}

const toMs = (t: string | number) => (typeof t === 'number' ? t : Date.parse(t));

function rangeOf(periodId: string, timeZone: Zone): { start: number; end: number; cycle: Cycle } {
  const r = periodRange(periodId, timeZone);
  if (!r) throw new RangeError(`not a period: ${periodId}`);
  return r;
}

/**
 * The volume records of a period: credited orders (approved / completed / returned, with a CTV)
 * approved within the period, at their kept R and quantity. With `versions`, self-orders that the
 * plan in force at their approval does not credit are left out.
 */
export function volumeRecords(
  orders: Iterable<PricedOrder>,
  periodId: string,
  timeZone: Zone,
  versions?: readonly StoredPlanVersion[],
): VolumeRecord[] {
  const { start, end } = rangeOf(periodId, timeZone);
  const out: VolumeRecord[] = [];
  for (const o of orders) {
    if (!ACCRUING_STATES.has(o.state) || o.collaboratorId === null || o.approvedAt === undefined || o.approvedAt === null) continue;
    const at = Date.parse(o.approvedAt);
    if (!(at >= start && at < end)) continue;
    if (o.isSelfOrder && versions) {
      const plan = planInForce(versions, at, timeZone);
      if (plan?.selfOrder?.mode === 'not_credited') continue;
    }
    let revenue = 0;
    let quantity = 0;
    for (const l of o.lines) {
      revenue += l.keptNetRevenue;
      quantity += l.quantity - l.returnedQuantity;
    }
    out.push({ collaboratorId: o.collaboratorId, orderId: o.orderId, approvedAt: at, revenue, quantity });
  }
  return out;
}

/** Ratings recorded within the period, per CTV. */
export function ratingStats(ratings: Iterable<RatingRecord>, periodId: string, timeZone: Zone): Map<string, RatingStats> {
  const { start, end } = rangeOf(periodId, timeZone);
  const out = new Map<string, RatingStats>();
  for (const r of ratings) {
    const at = toMs(r.ratedAt);
    if (!(at >= start && at < end)) continue;
    if (!Number.isInteger(r.stars) || r.stars < 1 || r.stars > 5) throw new RangeError('stars are 1..5');
    const s = out.get(r.collaboratorId) ?? { count: 0, starsSum: 0 };
    s.count += 1;
    s.starsSum += r.stars;
    out.set(r.collaboratorId, s);
  }
  return out;
}

/** Σ volume per CTV, optionally only the records a filter keeps. */
export function volumeByCollaborator(records: Iterable<VolumeRecord>, keep?: (r: VolumeRecord) => boolean): Map<string, Volume> {
  const out = new Map<string, Volume>();
  for (const r of records) {
    if (keep && !keep(r)) continue;
    const v = out.get(r.collaboratorId);
    if (v) {
      v.revenue += r.revenue;
      v.quantity += r.quantity;
    } else out.set(r.collaboratorId, { revenue: r.revenue, quantity: r.quantity });
  }
  for (const v of out.values()) {
    if (!Number.isSafeInteger(v.revenue)) throw new RangeError('volume beyond the safe-integer range');
  }
  return out;
}

/** The plan version that governs a period's close: the one in force on the period's last day. */
export function planForPeriod(versions: readonly StoredPlanVersion[], periodId: string, timeZone: Zone): StoredPlanVersion | null {
  const { end } = rangeOf(periodId, timeZone);
  return planInForce(versions, end - 1, timeZone);
}

// ---------------------------------------------------------------------------------------------
// Awards

function roundDiv(numerator: bigint, denominator: bigint): number {
  const negative = numerator < 0n;
  const abs = negative ? -numerator : numerator;
  let q = abs / denominator;
  if (2n * (abs % denominator) >= denominator) q += 1n;
  const n = Number(negative ? -q : q);
  if (!Number.isSafeInteger(n)) throw new RangeError('award beyond the safe-integer range');
  return n;
}

export interface AwardAmount {
  amount: Vnd;
  /** the highest bracket reached (1-based); null for a flat rate */
  tier: number | null;
  /** the rate applied to the whole volume (flat or retroactive) */
  rateBp?: BasisPoints;
  /** marginal: the slices, each at its own rate */
  slices?: TraceSlice[];
}

/**
 * An award on a volume, rounded once: flat (volume × rate); marginal brackets (each slice
 * [fromᵢ, fromᵢ₊₁) at its own rate, summed exactly, then rounded); retroactive brackets (the whole
 * volume at the rate of the highest bracket whose `from` the volume reaches, `from` inclusive).
 */
export function awardAmount(volume: Vnd, award: Pick<Award, 'percentBp' | 'brackets' | 'mode'>): AwardAmount {
  if (!Number.isSafeInteger(volume)) throw new RangeError('volume must be a safe integer');
  if (award.brackets === undefined) {
    const rateBp = award.percentBp ?? 0;
    return { amount: percentOf(volume, rateBp), tier: null, rateBp };
  }
  const brackets: readonly Bracket[] = award.brackets;
  let reached = -1;
  for (let i = 0; i < brackets.length; i++) if (volume >= brackets[i]!.from) reached = i;
  if (reached < 0) return { amount: 0, tier: null };
  if (award.mode === 'retroactive') {
    const rateBp = brackets[reached]!.percentBp;
    return { amount: percentOf(volume, rateBp), tier: reached + 1, rateBp };
  }
  // Σ sliceᵢ × bpᵢ exactly (Number while it stays a safe integer, BigInt beyond), then one rounding
  let numerator = 0;
  let big: bigint | null = null;
  const slices: TraceSlice[] = [];
  for (let i = 0; i <= reached; i++) {
    const b = brackets[i]!;
    const next = brackets[i + 1];
    const upTo = next !== undefined && next.from < volume ? next.from : volume;
    if (upTo <= b.from) continue;
    const term = (upTo - b.from) * b.percentBp;
    if (big === null && Number.isSafeInteger(term) && Number.isSafeInteger(numerator + term)) numerator += term;
    else big = (big ?? BigInt(numerator)) + BigInt(upTo - b.from) * BigInt(b.percentBp);
    slices.push({ from: b.from, upTo, percentBp: b.percentBp });
  }
  const amount = big === null ? mulDivRound(numerator, 1, 10_000) : roundDiv(big, 10_000n);
  return { amount, tier: reached + 1, slices };
}

export interface PeriodInput {
  periodId: string;
  timeZone: Zone;
  /** the version that governs the period (see planForPeriod) */
  plan: StoredPlanVersion;
  /** the period's volume records (see volumeRecords) */
  volumes: readonly VolumeRecord[];
  /** ratings recorded in the period, per CTV (see ratingStats) */
  ratings: ReadonlyMap<string, RatingStats>;
  members: readonly PeriodMember[];
}

function periodSource(periodId: string): LineSource {
  return { type: 'period', periodId };
}

function pushWithFee(out: CommissionLine[], line: CommissionLine, scope: string, kindSlot: string, feeBp: number | undefined): void {
  out.push(line);
  const fee = platformFeeLine(line, feeBp, scopedKey(scope, `platformFee.${kindSlot}`, line.beneficiary));
  if (fee) out.push(fee);
}

/** Award lines of a period for every earning CTV, for each award of the plan on the period's cycle. */
export function awardLines(
  input: PeriodInput,
  volumes: ReadonlyMap<string, Volume> = volumeByCollaborator(input.volumes),
): CommissionLine[] {
  const { periodId, plan } = input;
  const ref = parsePeriod(periodId);
  if (!ref) throw new RangeError(`not a period: ${periodId}`);
  const awards = (plan.awards ?? []).map((a, i) => ({ a, i })).filter(({ a }) => a.cycle === ref.cycle);
  const out: CommissionLine[] = [];
  if (awards.length === 0) return out;
  const scope = `p:${scopePart(periodId)}`;
  for (const m of input.members) {
    if (!m.canEarn) continue;
    const v = volumes.get(m.id);
    if (!v || v.revenue === 0) continue;
    const ratings = input.ratings.get(m.id);
    for (const { a, i } of awards) {
      if (a.minQuantity !== undefined && a.minQuantity !== null && v.quantity < a.minQuantity) continue;
      if (!meetsStars(a.minAverageStars, ratings)) continue;
      const r = awardAmount(v.revenue, a);
      if (r.amount === 0) continue;
      const beneficiary: Beneficiary = { type: 'collaborator', id: m.id };
      const trace: Trace = {
        rule: a.brackets === undefined ? 'award.flat' : a.mode === 'retroactive' ? 'award.retroactive' : 'award.marginal',
        ruleRef: `awards.${i}`,
        planId: plan.planId,
        planVersion: plan.version,
        periodId,
        base: v.revenue,
        quantity: v.quantity,
        tier: r.tier,
        rounding: ROUNDING,
      };
      if (r.rateBp !== undefined) trace.rateBp = r.rateBp;
      if (r.slices) trace.slices = r.slices;
      if (ratings) trace.ratings = { count: ratings.count, starsSum: ratings.starsSum };
      const kindSlot = `award.${i}`;
      pushWithFee(
        out,
        {
          key: scopedKey(scope, kindSlot, beneficiary),
          kind: 'award',
          beneficiary,
          amount: r.amount,
          source: periodSource(periodId),
          trace,
        },
        scope,
        kindSlot,
        plan.platformFeeBp,
      );
    }
  }
  return out;
}

/** day + n calendar months, the day clamped to the month's length (31 Jan + 1 → 28/29 Feb). */
export function addMonthsToDay(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const firstOfNext = `${String(month === 12 ? year + 1 : year).padStart(4, '0')}-${String(month === 12 ? 1 : month + 1).padStart(2, '0')}-01`;
  const lastDay = Number(addDays(firstOfNext, -1).slice(8));
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, lastDay)).padStart(2, '0')}`;
}

/**
 * REF-ID override lines: each earning referrer that qualifies (own period quantity ≥
 * minOwnQuantity, average stars ≥ minAverageStars, if set) earns level1Bp on each direct referee's
 * (F1) volume and level2Bp on each F2's volume, one line per referee. With `months`, only the
 * referee's orders approved before the same local day `months` later than the referee's approval
 * count (a referee without an approval time counts nothing).
 */
export function referralLines(
  input: PeriodInput,
  own: ReadonlyMap<string, Volume> = volumeByCollaborator(input.volumes),
): CommissionLine[] {
  const { periodId, plan, timeZone } = input;
  const r = plan.referral;
  const ref = parsePeriod(periodId);
  if (!ref) throw new RangeError(`not a period: ${periodId}`);
  const out: CommissionLine[] = [];
  if (!r || (r.cycle ?? 'month') !== ref.cycle) return out;

  const months = r.months ?? null;
  // per-order records are only needed to apply a months limit
  const byCtv = new Map<string, VolumeRecord[]>();
  if (months !== null) {
    for (const v of input.volumes) {
      let list = byCtv.get(v.collaboratorId);
      if (!list) byCtv.set(v.collaboratorId, (list = []));
      list.push(v);
    }
  }
  const members = new Map(input.members.map((m) => [m.id, m]));
  const children = new Map<string, string[]>();
  for (const m of input.members) {
    if (m.referrerId === null || m.referrerId === m.id) continue;
    let list = children.get(m.referrerId);
    if (!list) children.set(m.referrerId, (list = []));
    list.push(m.id);
  }
  for (const list of children.values()) list.sort();

  const countedMemo = new Map<string, Volume>();
  const counted = (refereeId: string): Volume => {
    if (months === null) return own.get(refereeId) ?? { revenue: 0, quantity: 0 };
    const memo = countedMemo.get(refereeId);
    if (memo) return memo;
    const records = byCtv.get(refereeId) ?? [];
    const approvedAt = members.get(refereeId)?.approvedAt;
    const cutoff = approvedAt ? localDayStart(addMonthsToDay(localDay(Date.parse(approvedAt), timeZone), months), timeZone) : -Infinity;
    const kept = records.filter((x) => x.approvedAt < cutoff);
    const v = { revenue: sumVnd(kept.map((x) => x.revenue)), quantity: kept.reduce((s, x) => s + x.quantity, 0) };
    countedMemo.set(refereeId, v);
    return v;
  };

  const scope = `p:${scopePart(periodId)}`;
  for (const a of input.members) {
    if (!a.canEarn) continue;
    const f1 = children.get(a.id);
    if (!f1 || f1.length === 0) continue;
    const mine = own.get(a.id) ?? { revenue: 0, quantity: 0 };
    if (r.minOwnQuantity !== undefined && r.minOwnQuantity !== null && mine.quantity < r.minOwnQuantity) continue;
    const ratings = input.ratings.get(a.id);
    if (!meetsStars(r.minAverageStars, ratings)) continue;
    const beneficiary: Beneficiary = { type: 'collaborator', id: a.id };

    const emit = (refereeId: string, tier: 1 | 2, rateBp: number) => {
      const v = counted(refereeId);
      const amount = percentOf(v.revenue, rateBp);
      if (amount === 0) return;
      const kindSlot = `referral.f${tier}.${scopePart(refereeId)}`;
      const trace: Trace = {
        rule: tier === 1 ? 'referral.f1' : 'referral.f2',
        ruleRef: tier === 1 ? 'referral.level1Bp' : 'referral.level2Bp',
        planId: plan.planId,
        planVersion: plan.version,
        periodId,
        base: v.revenue,
        quantity: v.quantity,
        rateBp,
        tier,
        refereeId,
        rounding: ROUNDING,
      };
      pushWithFee(
        out,
        { key: scopedKey(scope, kindSlot, beneficiary), kind: 'referral', beneficiary, amount, source: periodSource(periodId), trace },
        scope,
        kindSlot,
        plan.platformFeeBp,
      );
    };

    for (const b of f1) {
      if (b === a.id) continue;
      emit(b, 1, r.level1Bp);
      if (r.level2Bp) {
        for (const c of children.get(b) ?? []) {
          if (c === a.id || c === b) continue;
          emit(c, 2, r.level2Bp);
        }
      }
    }
  }
  return out;
}

/** Every period-level line of a period (awards, then referral), with their platform fee lines. */
export function periodLines(input: PeriodInput): CommissionLine[] {
  const volumes = volumeByCollaborator(input.volumes);
  return [...awardLines(input, volumes), ...referralLines(input, volumes)];
}
