import type { Zone } from '../period';
/**
 * Care staff KPI indicators (DOMAIN.md, "Care staff KPIs") over the orders credited to the CTVs a
 * care staff looks after, in one period of a cycle.
 *
 * Live results come from MAINTAINED COUNTERS, not from reading every order of a period on each
 * request: each order change (one order's facts going from `before` to `after`) yields the
 * increments it causes, per care staff and period (`countersDelta`); a CTV change does the same for
 * the CTV counters (`collaboratorDelta`). `countersFromFacts` counts the same numbers from scratch
 * (for recomputes and checks); applying the deltas of any sequence of changes gives what counting
 * the final facts gives.
 *
 * What counts where — every "by the cut-off" is strictly before the period's end instant (its
 * cut-off in the business's time zone), so a period's numbers do not move once it has closed:
 * - created(P): orders whose first revision (`createdAt`) is in P.
 *   - confirmation_rate = share of created(P) approved by P's cut-off and not void by then;
 *   - cancel_rate = share of created(P) void by P's cut-off.
 * - approved(P): orders approved in P and not void by P's cut-off (a void reverses an approval).
 *   - orders = |approved(P)|; revenue = Σ R of approved(P), net of the returns recorded before P's
 *     cut-off (a return recorded later does not change P); completion_rate = share of approved(P)
 *     completed by P's cut-off;
 *   - active_collaborators = distinct CTVs with at least one order in approved(P).
 * - new_collaborators: CTVs of the care staff first approved in P; total_collaborators: the care
 *   staff's CTVs approved or paused. Both are stocks: results and reports count them from the
 *   CTVs' histories as they stood at P's cut-off (`stock.ts`); `collaboratorDelta` and
 *   `countersFromFacts` below count them from the CTV facts they are given.
 * - A return counts at its own time: each change that moves the R an order's returns took back is
 *   one `ReturnFact`, dated at the revision that recorded it (`returnsAfterChange`); a second
 *   return recorded after P's cut-off leaves P's revenue as it was.
 * - An order whose care staff or CTV is null (not credited) counts for nobody. The care staff of an
 *   order is the one the store put in its facts (the CTV's care staff when it was credited); moving
 *   an order to another care staff is one more change, and its delta moves the counts.
 * Rates are basis points rounded half away from zero; a rate over an empty base is 0.
 */
import { ratioBp, type BasisPoints, type Vnd } from '../money';
import { parsePeriod, periodIdAt, periodRange, type Cycle } from '../period';

export const INDICATORS = [
  'revenue',
  'revenue_above_target',
  'orders',
  'confirmation_rate',
  'completion_rate',
  'cancel_rate',
  'total_collaborators',
  'new_collaborators',
  'active_collaborators',
] as const;
export type Indicator = (typeof INDICATORS)[number];

/** Indicators whose value is a rate in basis points (0..10000). */
export const RATE_INDICATORS: ReadonlySet<Indicator> = new Set(['confirmation_rate', 'completion_rate', 'cancel_rate']);
/** Indicators in VND; only these can be the plan's distributed indicator (the award is money). */
export const MONEY_INDICATORS: ReadonlySet<Indicator> = new Set(['revenue', 'revenue_above_target']);
/** Lower is better: achievement is target ÷ actual, and the condition should read `lt`/`lte`/`eq`. */
export const LOWER_IS_BETTER: ReadonlySet<Indicator> = new Set(['cancel_rate']);

export type Indicators = Record<Indicator, number>;

/** An instant: an ISO 8601 date-time with offset, or epoch milliseconds. */
export type Instant = string | number;

export function toEpochMs(at: Instant, what = 'time'): number {
  const ms = typeof at === 'number' ? at : Date.parse(at);
  if (!Number.isSafeInteger(ms)) throw new RangeError(`${what} is not a valid instant: ${String(at)}`);
  return ms;
}

/** One return recorded on an order: when, and the R it took back (negative if a return was undone). */
export interface ReturnFact {
  recordedAt: Instant;
  revenue: Vnd;
}

/** What the KPI engine needs of one order (its newest revision). */
export interface OrderFacts {
  orderId: string;
  /** the care staff credited through the order's CTV; null: counts for nobody */
  careStaffUserId: string | null;
  /** the credited CTV; null: not credited, counts for nobody */
  collaboratorId: string | null;
  /** the first revision's time */
  createdAt: Instant;
  /** when it was approved (a completed order with no approval time counts as approved when completed) */
  approvedAt?: Instant | null;
  completedAt?: Instant | null;
  voidedAt?: Instant | null;
  /** R kept after every return recorded so far (whole order, VAT and shipping excluded) */
  netRevenue: Vnd;
  /**
   * The returns recorded, each with the R it took back: R at a cut-off is `netRevenue` plus what
   * the returns recorded at or after that cut-off took back. Empty or absent: no returns.
   */
  returns?: readonly ReturnFact[];
}

/**
 * The returns of an order when only its totals are kept: R before returns, R kept now, and the time
 * of its first return (an order record's `returnedAt`). Exact for one return; several returns
 * count as recorded at the first one's time. Only for orders whose returns were recorded before
 * each return was kept (`returnsAfterChange`).
 */
export function returnsFromTotals(grossRevenue: Vnd, netRevenue: Vnd, returnedAt: Instant | null | undefined): ReturnFact[] {
  const revenue = grossRevenue - netRevenue;
  return revenue !== 0 && returnedAt !== null && returnedAt !== undefined ? [{ recordedAt: returnedAt, revenue }] : [];
}

/**
 * The returns of an order after one change, each at its own time: `before` (the returns recorded
 * so far, oldest first) and, when the change moved the R taken back by returns (R before returns −
 * R kept) from `returnedBefore` to `returnedAfter`, one more return dated `at` (the time of the
 * revision that recorded it) for the difference (negative: a return undone). A change that moves
 * nothing gives `before` back.
 */
export function returnsAfterChange(before: readonly ReturnFact[], returnedBefore: Vnd, returnedAfter: Vnd, at: Instant): ReturnFact[] {
  if (!Number.isSafeInteger(returnedBefore) || !Number.isSafeInteger(returnedAfter))
    throw new RangeError('returned R is a whole number of đồng');
  toEpochMs(at, 'returns.recordedAt');
  if (returnedAfter === returnedBefore) return [...before];
  return [...before, { recordedAt: at, revenue: returnedAfter - returnedBefore }];
}

/** What the KPI engine needs of one CTV. */
export interface CollaboratorFacts {
  collaboratorId: string;
  careStaffUserId: string | null;
  status: 'registered' | 'approved' | 'paused' | 'blocked';
  /** first approval */
  approvedAt?: Instant | null;
}

/** Counters of one care staff in one period. All are plain sums, so they can be maintained with ADD. */
export interface KpiCounters {
  /** orders created (first revision) in the period */
  createdOrders: number;
  /** of those, approved and not void by the cut-off */
  createdApproved: number;
  /** of those, void by the cut-off */
  createdVoid: number;
  /** orders approved in the period and not void by the cut-off */
  approvedOrders: number;
  /** of those, completed by the cut-off */
  completedOrders: number;
  /** Σ R of those, net of returns recorded before the cut-off */
  revenue: Vnd;
  /** CTVs with at least one approved order: moved only by a per-CTV count going 0 → 1 or 1 → 0 */
  activeCollaborators: number;
  /** the care staff's CTVs first approved in the period */
  newCollaborators: number;
}

export const emptyCounters = (): KpiCounters => ({
  createdOrders: 0,
  createdApproved: 0,
  createdVoid: 0,
  approvedOrders: 0,
  completedOrders: 0,
  revenue: 0,
  activeCollaborators: 0,
  newCollaborators: 0,
});

const COUNTER_KEYS = Object.keys(emptyCounters()) as (keyof KpiCounters)[];

/**
 * The increments one change causes to one care staff's counters in one period. `counters` never
 * moves `activeCollaborators` by itself: `collaboratorOrders` lists the increments of the
 * per-(care staff, period, CTV) approved-order counts, and each count going 0 → 1 adds one active
 * CTV, 1 → 0 removes one (`activeStep`). Store: ADD each CTV count with ReturnValues UPDATED_NEW,
 * then ADD `activeStep(increment, newCount)` to the period's active counter.
 */
export interface KpiCountersDelta {
  careStaffUserId: string;
  periodId: string;
  counters: KpiCounters;
  collaboratorOrders: { collaboratorId: string; approvedOrders: number }[];
}

/** How the active-CTV counter moves when a CTV's approved-order count moved by `increment` to `countAfter`. */
export function activeStep(increment: number, countAfter: number): -1 | 0 | 1 {
  const before = countAfter - increment > 0;
  const after = countAfter > 0;
  return before === after ? 0 : after ? 1 : -1;
}

const key = (...parts: string[]) => JSON.stringify(parts);

function periodEnd(periodId: string, timeZone: Zone, cache: Map<string, number>): number {
  let end = cache.get(periodId);
  if (end === undefined) {
    const range = periodRange(periodId, timeZone);
    if (!range) throw new RangeError(`not a period: ${periodId}`);
    end = range.end;
    cache.set(periodId, end);
  }
  return end;
}

const isBy = (at: number | null, cutOff: number) => at !== null && at < cutOff;
const optMs = (at: Instant | null | undefined, what: string) => (at === null || at === undefined ? null : toEpochMs(at, what));

/** R of an order as it stood at a cut-off: net of the returns recorded before it. */
export function revenueAt(order: OrderFacts, cutOff: number): Vnd {
  let revenue = order.netRevenue;
  for (const r of order.returns ?? []) if (toEpochMs(r.recordedAt, 'returns.recordedAt') >= cutOff) revenue += r.revenue;
  return revenue;
}

interface Contribution {
  staff: string;
  periodId: string;
  counters: KpiCounters;
  ctv: Map<string, number>;
}

/** What one order's facts add to the counters, per (care staff, period) of each cycle. */
function orderContribution(order: OrderFacts | null, timeZone: Zone, cycles: readonly Cycle[], ends: Map<string, number>) {
  const out = new Map<string, Contribution>();
  if (!order || order.careStaffUserId === null || order.collaboratorId === null) return out;
  const staff = order.careStaffUserId;
  const ctv = order.collaboratorId;
  const created = toEpochMs(order.createdAt, 'createdAt');
  const approved = optMs(order.approvedAt, 'approvedAt') ?? optMs(order.completedAt, 'completedAt');
  const completed = optMs(order.completedAt, 'completedAt');
  const voided = optMs(order.voidedAt, 'voidedAt');
  const at = (periodId: string) => {
    const k = key(staff, periodId);
    const found = out.get(k);
    if (found) return found;
    const c = { staff, periodId, counters: emptyCounters(), ctv: new Map() };
    out.set(k, c);
    return c;
  };
  for (const cycle of new Set(cycles)) {
    const createdPeriod = periodIdAt(created, cycle, timeZone);
    const createdEnd = periodEnd(createdPeriod, timeZone, ends);
    const c = at(createdPeriod).counters;
    c.createdOrders += 1;
    if (isBy(voided, createdEnd)) c.createdVoid += 1;
    else if (isBy(approved, createdEnd)) c.createdApproved += 1;
    if (approved !== null) {
      const approvedPeriod = periodIdAt(approved, cycle, timeZone);
      const approvedEnd = periodEnd(approvedPeriod, timeZone, ends);
      if (!isBy(voided, approvedEnd)) {
        const entry = at(approvedPeriod);
        entry.counters.approvedOrders += 1;
        entry.counters.revenue += revenueAt(order, approvedEnd);
        if (isBy(completed, approvedEnd)) entry.counters.completedOrders += 1;
        entry.ctv.set(ctv, (entry.ctv.get(ctv) ?? 0) + 1);
      }
    }
  }
  return out;
}

/**
 * The increments caused by one order changing from `before` (null: a new order) to `after`, for
 * the periods of each cycle in `cycles` (the cycles of the KPI plans in use; period ids of
 * different cycles never collide). Entries with no change are left out.
 */
export function countersDelta(
  before: OrderFacts | null,
  after: OrderFacts | null,
  timeZone: Zone,
  cycles: readonly Cycle[],
): KpiCountersDelta[] {
  const ends = new Map<string, number>();
  const was = orderContribution(before, timeZone, cycles, ends);
  const now = orderContribution(after, timeZone, cycles, ends);
  const out: KpiCountersDelta[] = [];
  for (const k of new Set([...was.keys(), ...now.keys()])) {
    const a = was.get(k);
    const b = now.get(k);
    const ref = (b ?? a)!;
    const counters = emptyCounters();
    let changed = false;
    for (const field of COUNTER_KEYS) {
      counters[field] = (b?.counters[field] ?? 0) - (a?.counters[field] ?? 0);
      if (counters[field] !== 0) changed = true;
    }
    const collaboratorOrders: KpiCountersDelta['collaboratorOrders'] = [];
    for (const ctv of new Set([...(a?.ctv.keys() ?? []), ...(b?.ctv.keys() ?? [])])) {
      const d = (b?.ctv.get(ctv) ?? 0) - (a?.ctv.get(ctv) ?? 0);
      if (d !== 0) collaboratorOrders.push({ collaboratorId: ctv, approvedOrders: d });
    }
    if (changed || collaboratorOrders.length) {
      out.push({ careStaffUserId: ref.staff, periodId: ref.periodId, counters, collaboratorOrders });
    }
  }
  return out;
}

/** One care staff's stock of CTVs (approved or paused), kept per care staff, not per period. */
export interface CollaboratorTotalDelta {
  careStaffUserId: string;
  totalCollaborators: number;
}

const inTotal = (c: CollaboratorFacts) => c.status === 'approved' || c.status === 'paused';

/**
 * The increments caused by one CTV changing from `before` (null: new) to `after` (null: removed):
 * `newCollaborators` in the period of each cycle holding their first approval, and the care
 * staff's total.
 */
export function collaboratorDelta(
  before: CollaboratorFacts | null,
  after: CollaboratorFacts | null,
  timeZone: Zone,
  cycles: readonly Cycle[],
): { periods: KpiCountersDelta[]; totals: CollaboratorTotalDelta[] } {
  const periods = new Map<string, KpiCountersDelta>();
  const totals = new Map<string, CollaboratorTotalDelta>();
  const add = (c: CollaboratorFacts | null, sign: 1 | -1) => {
    if (!c || c.careStaffUserId === null) return;
    const staff = c.careStaffUserId;
    if (inTotal(c)) {
      const t = totals.get(staff) ?? { careStaffUserId: staff, totalCollaborators: 0 };
      t.totalCollaborators += sign;
      totals.set(staff, t);
    }
    const approved = optMs(c.approvedAt, 'approvedAt');
    if (approved === null) return;
    for (const cycle of new Set(cycles)) {
      const periodId = periodIdAt(approved, cycle, timeZone);
      const k = key(staff, periodId);
      const d = periods.get(k) ?? { careStaffUserId: staff, periodId, counters: emptyCounters(), collaboratorOrders: [] };
      d.counters.newCollaborators += sign;
      periods.set(k, d);
    }
  };
  add(before, -1);
  add(after, 1);
  return {
    periods: [...periods.values()].filter((d) => d.counters.newCollaborators !== 0),
    totals: [...totals.values()].filter((t) => t.totalCollaborators !== 0),
  };
}

/**
 * Maintained counters in memory (what the store keeps as items): per (care staff, period), per
 * (care staff, period, CTV) approved-order counts, and per care staff totals.
 */
export interface KpiCounterState {
  periods: Map<string, KpiCounters>;
  collaboratorOrders: Map<string, number>;
  totals: Map<string, number>;
}

export const emptyCounterState = (): KpiCounterState => ({ periods: new Map(), collaboratorOrders: new Map(), totals: new Map() });

export const counterStateKey = (careStaffUserId: string, periodId: string) => key(careStaffUserId, periodId);

/** Apply deltas to the state in place, the way the store applies them with ADD. */
export function applyCountersDelta(state: KpiCounterState, deltas: readonly KpiCountersDelta[]): KpiCounterState {
  for (const d of deltas) {
    const k = key(d.careStaffUserId, d.periodId);
    const c = state.periods.get(k) ?? emptyCounters();
    for (const field of COUNTER_KEYS) c[field] += d.counters[field];
    for (const { collaboratorId, approvedOrders } of d.collaboratorOrders) {
      const ck = key(d.careStaffUserId, d.periodId, collaboratorId);
      const count = (state.collaboratorOrders.get(ck) ?? 0) + approvedOrders;
      if (count === 0) state.collaboratorOrders.delete(ck);
      else state.collaboratorOrders.set(ck, count);
      c.activeCollaborators += activeStep(approvedOrders, count);
    }
    state.periods.set(k, c);
  }
  return state;
}

export function applyTotalsDelta(state: KpiCounterState, deltas: readonly CollaboratorTotalDelta[]): KpiCounterState {
  for (const d of deltas) state.totals.set(d.careStaffUserId, (state.totals.get(d.careStaffUserId) ?? 0) + d.totalCollaborators);
  return state;
}

/**
 * The counters of one care staff in one period, counted from scratch over the final facts (an
 * independent count, used by recomputes and to check the maintained counters).
 */
export function countersFromFacts(
  orders: Iterable<OrderFacts>,
  collaborators: Iterable<CollaboratorFacts>,
  careStaffUserId: string,
  periodId: string,
  timeZone: Zone,
): { counters: KpiCounters; totalCollaborators: number } {
  const range = periodRange(periodId, timeZone);
  if (!range) throw new RangeError(`not a period: ${periodId}`);
  const inPeriod = (ms: number | null) => ms !== null && ms >= range.start && ms < range.end;
  const byCutOff = (ms: number | null) => ms !== null && ms < range.end;
  const c = emptyCounters();
  const active = new Set<string>();
  for (const o of orders) {
    if (o.careStaffUserId !== careStaffUserId || o.collaboratorId === null) continue;
    const approved = optMs(o.approvedAt, 'approvedAt') ?? optMs(o.completedAt, 'completedAt');
    const voidByCutOff = byCutOff(optMs(o.voidedAt, 'voidedAt'));
    if (inPeriod(toEpochMs(o.createdAt, 'createdAt'))) {
      c.createdOrders++;
      if (voidByCutOff) c.createdVoid++;
      else if (byCutOff(approved)) c.createdApproved++;
    }
    if (inPeriod(approved) && !voidByCutOff) {
      c.approvedOrders++;
      // R before any return, less the returns recorded before the cut-off
      let kept = o.netRevenue;
      for (const r of o.returns ?? []) kept += r.revenue;
      for (const r of o.returns ?? []) if (byCutOff(toEpochMs(r.recordedAt, 'returns.recordedAt'))) kept -= r.revenue;
      c.revenue += kept;
      if (byCutOff(optMs(o.completedAt, 'completedAt'))) c.completedOrders++;
      active.add(o.collaboratorId);
    }
  }
  c.activeCollaborators = active.size;
  let total = 0;
  for (const ctv of collaborators) {
    if (ctv.careStaffUserId !== careStaffUserId) continue;
    if (inTotal(ctv)) total++;
    if (inPeriod(optMs(ctv.approvedAt, 'approvedAt'))) c.newCollaborators++;
  }
  return { counters: c, totalCollaborators: total };
}

/** A rate in basis points, rounded half away from zero; 0 over an empty base. */
export const rateBp = (part: number, base: number): BasisPoints => (base > 0 ? ratioBp(part, base) : 0);

/**
 * The nine indicators from the counters. `revenueTarget` is the plan's revenue target
 * (`revenueTargetOf(plan)`); `revenue_above_target` = max(0, revenue − target), and equals revenue
 * when the plan has no revenue target.
 */
export function indicatorsFromCounters(c: KpiCounters, totalCollaborators: number, revenueTarget: Vnd | null): Indicators {
  return {
    revenue: c.revenue,
    revenue_above_target: Math.max(0, c.revenue - (revenueTarget ?? 0)),
    orders: c.approvedOrders,
    confirmation_rate: rateBp(c.createdApproved, c.createdOrders),
    completion_rate: rateBp(c.completedOrders, c.approvedOrders),
    cancel_rate: rateBp(c.createdVoid, c.createdOrders),
    total_collaborators: totalCollaborators,
    new_collaborators: c.newCollaborators,
    active_collaborators: c.activeCollaborators,
  };
}

/** The indicators of one care staff in one period, from the final facts. */
export function indicatorsFromFacts(
  orders: Iterable<OrderFacts>,
  collaborators: Iterable<CollaboratorFacts>,
  careStaffUserId: string,
  periodId: string,
  timeZone: Zone,
  revenueTarget: Vnd | null,
): Indicators {
  const { counters, totalCollaborators } = countersFromFacts(orders, collaborators, careStaffUserId, periodId, timeZone);
  return indicatorsFromCounters(counters, totalCollaborators, revenueTarget);
}

/** The cycle of a period id, or a RangeError. */
export function cycleOfPeriod(periodId: string): Cycle {
  const ref = parsePeriod(periodId);
  if (!ref) throw new RangeError(`not a period: ${periodId}`);
  return ref.cycle;
}
