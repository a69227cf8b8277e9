import type { Zone } from '../../domain/period';
import { calendarOf } from '../../domain/entities/tenant';
import type { RosterEntry } from '../../domain/entities/roster';
import type { StaffScope } from '../../domain/kpi/scope';
import { indicatorsFromCounters, type Indicators, type KpiCounters } from '../../domain/kpi/indicators';
import { resolvePlanForPeriod, revenueTargetOf } from '../../domain/kpi/plan';
import { scoreKpi, type KpiResult } from '../../domain/kpi/score';
import { csatResult, type CsatResult } from '../../domain/okr/csat';
import { okrScore, type OkrScore } from '../../domain/okr/okr';
import { beneficiaryPart } from '../../domain/commission/lines';
import { stockAt, type CollaboratorHistory } from '../../domain/kpi/stock';
import { nextPeriodId, parsePeriod, periodIdOfDay, periodRange, type Cycle } from '../../domain/period';
import type { Deps } from '../deps';
import { readCsatCounters } from '../store/feedback';
import {
  allFrozenResults,
  frozenResultsOf,
  frozenResultsPage,
  getFrozenHead,
  getFrozenResult,
  putFrozenHead,
  putFrozenResult,
  type FrozenHead,
} from '../store/frozen-results';
import {
  allKpiAssignments,
  collaboratorHistoriesAt,
  kpiPlanVersions,
  readKpiCounters,
  sumEarningsTotals,
  type StoredKpiAssignment,
  type StoredKpiPlanVersion,
} from '../store/kpi';
import { getRosterEntry, listRoster, listTeamStaffIds, teamStaffPage } from '../store/members';
import { objectivesOf } from '../store/okr';
import type { Page, PageRequest } from '../store/paging';
import { getStaffGroupMembership } from '../store/staff-groups';
import { getSettings } from '../store/tenants';

/**
 * KPI results of a business's care staff and CSAT/OKR results of its managers for a period, from
 * the maintained aggregates: the KPI counters per (care staff, period) that order changes keep
 * (`order-effects.ts`; each return at its own time), the CTVs' histories for the stock indicators
 * (total and new CTVs as of the period's cut-off, `domain/kpi/stock.ts`), and the CSAT counters per
 * (manager, period) that ratings keep. No order is read. Used by the kpi-results, okr-results and
 * report routes and by the nightly snapshots.
 *
 * A period a close has frozen (`freezeResults`, the `close.results` unit) is read from what was
 * frozen, never live: nothing done after the close moves its results (DOMAIN.md, "Periods,
 * snapshots and payouts"). `frozenHeadOf` says whether it was.
 */

/** Run `fn` over `items` with at most `limit` at a time, keeping the order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

const PARALLEL = 8;

/** What every KPI result of a business needs once: its zone, plan versions and assignments. */
export interface KpiContext {
  timeZone: Zone;
  versions: StoredKpiPlanVersion[];
  assignments: StoredKpiAssignment[];
}

export async function loadKpiContext(deps: Deps, tenantId: string): Promise<KpiContext> {
  const [settings, versions, assignments] = await Promise.all([
    getSettings(deps.store, tenantId),
    kpiPlanVersions(deps.store, tenantId),
    allKpiAssignments(deps.store, tenantId),
  ]);
  return { timeZone: calendarOf(settings), versions, assignments };
}

/** Per plan id, the version in force on a local day: the highest version whose effectiveFrom is on or before it. */
export function versionsInForce(versions: readonly StoredKpiPlanVersion[], day: string): StoredKpiPlanVersion[] {
  const best = new Map<string, StoredKpiPlanVersion>();
  for (const v of versions) {
    if (v.effectiveFrom > day) continue;
    const b = best.get(v.id);
    if (!b || v.version > b.version) best.set(v.id, v);
  }
  return [...best.values()];
}

/** The plan version and assignment that decide a care staff's result in a period (null: none). */
export function planFor(ctx: KpiContext, userId: string, groupIds: readonly string[], periodId: string) {
  const ref = parsePeriod(periodId, ctx.timeZone);
  if (!ref) throw new RangeError(`not a period: ${periodId}`);
  return resolvePlanForPeriod(userId, groupIds, ctx.assignments, versionsInForce(ctx.versions, ref.lastDay), periodId) as {
    plan: StoredKpiPlanVersion;
    assignment: StoredKpiAssignment;
  } | null;
}

/** The counters a care staff's indicators come from, with the stock of CTVs filled in. */
export interface StaffCounters extends KpiCounters {
  totalCollaborators: number;
}

export interface StaffNumbers {
  counters: StaffCounters;
  /** the CTVs whose earnings of the period count for the care staff (the manager report's commission owed; `stockAt`) */
  collaboratorIds: string[];
}

/**
 * A care staff's counters for a period: one Query of the counters partition, and their CTVs'
 * histories for the stock as of the period's cut-off (`histories`: already read, for the same care
 * staff and a cut-off at or before this period's — a close reads them once for every period).
 */
export async function staffNumbers(
  deps: Deps,
  tenantId: string,
  userId: string,
  periodId: string,
  timeZone: Zone,
  histories?: readonly CollaboratorHistory[],
): Promise<StaffNumbers> {
  const range = periodRange(periodId, timeZone);
  if (!range) throw new RangeError(`not a period: ${periodId}`);
  const [counters, ctvs] = await Promise.all([
    readKpiCounters(deps.store, tenantId, userId, periodId),
    histories ?? collaboratorHistoriesAt(deps.store, tenantId, userId, range.end, range.end <= deps.now().getTime()),
  ]);
  const stock = stockAt(ctvs, userId, range);
  return {
    counters: { ...counters, newCollaborators: stock.new, totalCollaborators: stock.total },
    collaboratorIds: stock.collaboratorIds,
  };
}

/** The statement months a period covers; null for a week (earnings are kept by month). */
export function monthsOf(periodId: string): string[] | null {
  const ref = parsePeriod(periodId);
  if (!ref || ref.cycle === 'week') return null;
  const months: string[] = [];
  for (let m = periodIdOfDay(ref.firstDay, 'month'); m <= periodIdOfDay(ref.lastDay, 'month'); m = nextPeriodId(m)) months.push(m);
  return months;
}

/** Σ the earnings totals of some CTVs over the months of a period; null for a week. */
export async function commissionOwedOf(
  deps: Deps,
  tenantId: string,
  periodId: string,
  collaboratorIds: readonly string[],
): Promise<number | null> {
  const months = monthsOf(periodId);
  if (!months) return null;
  const ctvs = [...new Set(collaboratorIds)].map((id) => beneficiaryPart({ type: 'collaborator', id }));
  return sumEarningsTotals(deps.store, tenantId, ctvs, months);
}

export const indicatorsOf = (c: StaffCounters, revenueTarget: number | null): Indicators =>
  indicatorsFromCounters(c, c.totalCollaborators, revenueTarget);

export interface KpiResultItem extends KpiResult {
  period: string;
  plan: { id: string; version: number; name: string; cycle: Cycle; distributedIndicator: string; capBp: number };
  assignment: { id: string; planId: string; effectiveFrom: string; userId?: string; staffGroupId?: string };
  indicators: Indicators;
  counters: StaffCounters;
}

/** The KPI result of a care staff from their counters, or null when no plan of the period's cycle is in force for them. */
export function scoreWith(
  ctx: KpiContext,
  userId: string,
  groupIds: readonly string[],
  periodId: string,
  counters: StaffCounters,
): KpiResultItem | null {
  const found = planFor(ctx, userId, groupIds, periodId);
  if (!found) return null;
  const { plan, assignment } = found;
  const indicators = indicatorsOf(counters, revenueTargetOf(plan));
  return {
    ...scoreKpi(userId, plan, indicators),
    period: periodId,
    plan: {
      id: plan.id,
      version: plan.version,
      name: plan.name,
      cycle: plan.cycle,
      distributedIndicator: plan.distributedIndicator,
      capBp: plan.capBp,
    },
    assignment: {
      id: assignment.id,
      planId: assignment.planId,
      effectiveFrom: assignment.effectiveFrom,
      ...(assignment.userId !== undefined ? { userId: assignment.userId } : { staffGroupId: assignment.staffGroupId! }),
    },
    indicators,
    counters,
  };
}

/** The groups a care staff is in (at most one). */
export async function groupIdsOf(deps: Deps, tenantId: string, userId: string): Promise<string[]> {
  const group = await getStaffGroupMembership(deps.store, tenantId, userId);
  return group ? [group.groupId] : [];
}

/** One care staff's KPI result for a period, or null when no plan of the period's cycle is in force for them. */
export async function kpiResultOf(
  deps: Deps,
  tenantId: string,
  userId: string,
  periodId: string,
  ctx: KpiContext,
): Promise<KpiResultItem | null> {
  const groupIds = await groupIdsOf(deps, tenantId, userId);
  if (!planFor(ctx, userId, groupIds, periodId)) return null;
  const { counters } = await staffNumbers(deps, tenantId, userId, periodId, ctx.timeZone);
  return scoreWith(ctx, userId, groupIds, periodId, counters);
}

/** One page of the care staff in a scope (roster entries). */
export async function careStaffPage(deps: Deps, tenantId: string, scope: StaffScope, page: PageRequest): Promise<Page<RosterEntry>> {
  if (scope.kind === 'all') return listRoster(deps.store, tenantId, 'care_staff', page);
  if (scope.kind === 'team') return teamStaffPage(deps.store, tenantId, scope.managerUserId, page);
  const self = await getRosterEntry(deps.store, tenantId, 'care_staff', scope.userId);
  return { items: self ? [self] : [], nextCursor: null };
}

/** Whether a care staff is within a scope. */
export async function careStaffInScope(deps: Deps, tenantId: string, scope: StaffScope, userId: string): Promise<RosterEntry | null> {
  const entry = await getRosterEntry(deps.store, tenantId, 'care_staff', userId);
  if (!entry) return null;
  if (scope.kind === 'all') return entry;
  if (scope.kind === 'team') return entry.managerUserId === scope.managerUserId ? entry : null;
  return entry.userId === scope.userId ? entry : null;
}

/** KPI results of the care staff of one page of a scope (those with a plan in force). */
export async function kpiResultsPage(
  deps: Deps,
  tenantId: string,
  periodId: string,
  staff: readonly RosterEntry[],
  ctx?: KpiContext,
): Promise<KpiResultItem[]> {
  const context = ctx ?? (await loadKpiContext(deps, tenantId));
  const results = await mapLimit(staff, PARALLEL, (s) => kpiResultOf(deps, tenantId, s.userId, periodId, context));
  return results.filter((r): r is KpiResultItem => r !== null);
}

/** Every care staff on the roster with a KPI plan in force for the period: their results (for snapshots). */
export async function kpiResultsFor(deps: Deps, tenantId: string, periodId: string): Promise<KpiResultItem[]> {
  const ctx = await loadKpiContext(deps, tenantId);
  const out: KpiResultItem[] = [];
  let cursor: string | undefined;
  do {
    const page = await listRoster(deps.store, tenantId, 'care_staff', { limit: 200, cursor });
    out.push(...(await kpiResultsPage(deps, tenantId, periodId, page.items, ctx)));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Managers: CSAT and OKR

export interface OkrResultItem extends OkrScore {
  managerUserId: string;
  period: string;
  csat: CsatResult;
}

/** A manager's CSAT (from the counters and the business's step table) and OKR score for a period. */
export async function okrResultOf(
  deps: Deps,
  tenantId: string,
  managerUserId: string,
  periodId: string,
  csatTable: Parameters<typeof csatResult>[1],
): Promise<OkrResultItem> {
  const [counters, objectives] = await Promise.all([
    readCsatCounters(deps.store, tenantId, managerUserId, periodId),
    objectivesOf(deps.store, tenantId, periodId, managerUserId),
  ]);
  objectives.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { managerUserId, period: periodId, csat: csatResult(counters, csatTable), ...okrScore(objectives) };
}

/** Every manager on the roster: CSAT, k and OKR score for the period (for snapshots). */
export async function okrResultsFor(deps: Deps, tenantId: string, periodId: string): Promise<OkrResultItem[]> {
  const settings = await getSettings(deps.store, tenantId);
  const out: OkrResultItem[] = [];
  let cursor: string | undefined;
  do {
    const page = await listRoster(deps.store, tenantId, 'manager', { limit: 200, cursor });
    out.push(...(await mapLimit(page.items, PARALLEL, (m) => okrResultOf(deps, tenantId, m.userId, periodId, settings.csat))));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Frozen at the close

/** A care staff's results as a close froze them for one period. */
export interface FrozenStaff {
  tenantId: string;
  periodId: string;
  userId: string;
  name: string;
  /** their manager at the close */
  managerUserId: string | null;
  counters: StaffCounters;
  /** absent: no KPI plan of the period's cycle was in force for them */
  kpi?: KpiResultItem;
  /** Σ the earnings of their CTVs at the cut-off over the period's months; null for a week */
  commissionOwed: number | null;
  frozenAt: string;
  jobId: string;
}

/** A manager's results as a close froze them for one period. */
export interface FrozenManager {
  tenantId: string;
  periodId: string;
  managerUserId: string;
  name: string;
  /** the care staff of their team at the close */
  team: string[];
  okr: OkrResultItem;
  frozenAt: string;
  jobId: string;
}

/** Whether a period's results were frozen (then they are read from there): its head, or null. */
export function frozenHeadOf(deps: Deps, tenantId: string, periodId: string): Promise<FrozenHead | null> {
  return getFrozenHead(deps.store, tenantId, periodId);
}

/** Every roster entry of a role (all pages). */
async function wholeRoster(deps: Deps, tenantId: string, role: 'care_staff' | 'manager'): Promise<RosterEntry[]> {
  const out: RosterEntry[] = [];
  let cursor: string | undefined;
  do {
    const page = await listRoster(deps.store, tenantId, role, { limit: 200, cursor });
    out.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return out;
}

/**
 * Freeze the results of the periods a month's close ends (`periodIds`, all with their cut-off in
 * the month): for each, every care staff on the roster (counters as of the cut-off, KPI result with
 * the plan in force on the period's last day, commission owed) and every manager (team, CSAT and
 * OKR), then the period's head. Idempotent: a period with a head is left alone, and a result that
 * exists (a run that crashed half-way) is kept, so a re-run freezes the same results.
 */
export async function freezeResults(
  deps: Deps,
  tenantId: string,
  month: string,
  periodIds: readonly string[],
  meta: { jobId: string },
): Promise<{ periods: string[]; written: number }> {
  const todo: string[] = [];
  for (const p of periodIds) if (!(await getFrozenHead(deps.store, tenantId, p))) todo.push(p);
  if (todo.length === 0) return { periods: [], written: 0 };
  const frozenAt = deps.now().toISOString();
  const [ctx, settings, staff, managers] = await Promise.all([
    loadKpiContext(deps, tenantId),
    getSettings(deps.store, tenantId),
    wholeRoster(deps, tenantId, 'care_staff'),
    wholeRoster(deps, tenantId, 'manager'),
  ]);
  const ranges = new Map(todo.map((p) => [p, periodRange(p, ctx.timeZone)!]));
  const earliest = Math.min(...[...ranges.values()].map((r) => r.end));
  const present = new Map<string, Set<string>>();
  for (const p of todo) {
    const [s, m] = await Promise.all([
      allFrozenResults<{ userId: string }>(deps.store, tenantId, p, 'STAFF'),
      allFrozenResults<{ managerUserId: string }>(deps.store, tenantId, p, 'MANAGER'),
    ]);
    present.set(p, new Set([...s.map((x) => `S#${x.userId}`), ...m.map((x) => `M#${x.managerUserId}`)]));
  }
  let written = 0;
  await mapLimit(staff, PARALLEL, async (entry) => {
    const missing = todo.filter((p) => !present.get(p)!.has(`S#${entry.userId}`));
    if (missing.length === 0) return;
    // one read of the CTVs that may have been theirs at the earliest cut-off serves every period
    const [histories, groupIds] = await Promise.all([
      collaboratorHistoriesAt(deps.store, tenantId, entry.userId, earliest, earliest <= deps.now().getTime()),
      groupIdsOf(deps, tenantId, entry.userId),
    ]);
    for (const p of missing) {
      const n = await staffNumbers(deps, tenantId, entry.userId, p, ctx.timeZone, histories);
      const kpi = scoreWith(ctx, entry.userId, groupIds, p, n.counters);
      const value: FrozenStaff = {
        tenantId,
        periodId: p,
        userId: entry.userId,
        name: entry.name,
        managerUserId: entry.managerUserId ?? null,
        counters: n.counters,
        ...(kpi ? { kpi } : {}),
        commissionOwed: await commissionOwedOf(deps, tenantId, p, n.collaboratorIds),
        frozenAt,
        jobId: meta.jobId,
      };
      if (await putFrozenResult(deps.store, tenantId, p, 'STAFF', entry.userId, value)) written += 1;
    }
  });
  await mapLimit(managers, PARALLEL, async (entry) => {
    const missing = todo.filter((p) => !present.get(p)!.has(`M#${entry.userId}`));
    if (missing.length === 0) return;
    const team = (await listTeamStaffIds(deps.store, tenantId, entry.userId)).sort();
    for (const p of missing) {
      const value: FrozenManager = {
        tenantId,
        periodId: p,
        managerUserId: entry.userId,
        name: entry.name,
        team,
        okr: await okrResultOf(deps, tenantId, entry.userId, p, settings.csat),
        frozenAt,
        jobId: meta.jobId,
      };
      if (await putFrozenResult(deps.store, tenantId, p, 'MANAGER', entry.userId, value)) written += 1;
    }
  });
  for (const p of todo) {
    const [s, m] = await Promise.all([
      allFrozenResults<{ userId: string }>(deps.store, tenantId, p, 'STAFF'),
      allFrozenResults<{ managerUserId: string }>(deps.store, tenantId, p, 'MANAGER'),
    ]);
    await putFrozenHead(deps.store, {
      tenantId,
      periodId: p,
      month,
      asOf: new Date(ranges.get(p)!.end).toISOString(),
      frozenAt,
      jobId: meta.jobId,
      staff: s.length,
      managers: m.length,
    });
  }
  return { periods: todo, written };
}

/** One frozen care staff result within a scope (the team is the one at the close), or null. */
export async function frozenStaffInScope(
  deps: Deps,
  tenantId: string,
  periodId: string,
  scope: StaffScope,
  userId: string,
): Promise<FrozenStaff | null> {
  if (scope.kind === 'self' && scope.userId !== userId) return null;
  const found = await getFrozenResult<FrozenStaff>(deps.store, tenantId, periodId, 'STAFF', userId);
  if (!found) return null;
  if (scope.kind === 'team' && found.managerUserId !== scope.managerUserId) return null;
  return found;
}

/** One page of the frozen care staff results in a scope (`withKpi`: only those with a KPI result). */
export async function frozenStaffPage(
  deps: Deps,
  tenantId: string,
  periodId: string,
  scope: StaffScope,
  page: PageRequest,
  withKpi: boolean,
): Promise<Page<FrozenStaff>> {
  if (scope.kind === 'self') {
    const one = await frozenStaffInScope(deps, tenantId, periodId, scope, scope.userId);
    return { items: one && (!withKpi || one.kpi) ? [one] : [], nextCursor: null };
  }
  return frozenResultsPage<FrozenStaff>(
    deps.store,
    tenantId,
    periodId,
    'STAFF',
    {
      ...(scope.kind === 'team' ? { managerUserId: scope.managerUserId } : {}),
      withKpi,
    },
    page,
  );
}

/** The frozen care staff results of a manager's team at the close, by user id. */
export async function frozenTeamOf(deps: Deps, tenantId: string, manager: FrozenManager): Promise<FrozenStaff[]> {
  const items = await frozenResultsOf<FrozenStaff>(deps.store, tenantId, manager.periodId, 'STAFF', manager.team);
  return items.sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
}

export function getFrozenManager(deps: Deps, tenantId: string, periodId: string, managerUserId: string): Promise<FrozenManager | null> {
  return getFrozenResult<FrozenManager>(deps.store, tenantId, periodId, 'MANAGER', managerUserId);
}

export function frozenManagersPage(deps: Deps, tenantId: string, periodId: string, page: PageRequest): Promise<Page<FrozenManager>> {
  return frozenResultsPage<FrozenManager>(deps.store, tenantId, periodId, 'MANAGER', {}, page);
}

/** Every frozen KPI result and OKR result of a period (the period view of a closed month). */
export async function allFrozenOf(
  deps: Deps,
  tenantId: string,
  periodId: string,
  scope: StaffScope = { kind: 'all' },
): Promise<{ kpi: KpiResultItem[]; okr: OkrResultItem[] }> {
  const [staff, managers] = await Promise.all([
    allFrozenResults<FrozenStaff>(deps.store, tenantId, periodId, 'STAFF'),
    allFrozenResults<FrozenManager>(deps.store, tenantId, periodId, 'MANAGER'),
  ]);
  // a manager sees their team as it was at the close, and their own OKR
  const inScope = (s: FrozenStaff) =>
    scope.kind === 'all' || (scope.kind === 'team' ? s.managerUserId === scope.managerUserId : s.userId === scope.userId);
  const own = (m: FrozenManager) => scope.kind === 'all' || (scope.kind === 'team' && m.managerUserId === scope.managerUserId);
  return { kpi: staff.filter(inScope).flatMap((s) => (s.kpi ? [s.kpi] : [])), okr: managers.filter(own).map((m) => m.okr) };
}

/** The user ids of the care staff in a scope now (all pages); null for every care staff. */
export async function careStaffIdsInScope(deps: Deps, tenantId: string, scope: StaffScope): Promise<Set<string> | null> {
  if (scope.kind === 'all') return null;
  return new Set(scope.kind === 'team' ? await listTeamStaffIds(deps.store, tenantId, scope.managerUserId) : [scope.userId]);
}
