import type { Membership, RosterEntry } from '../../domain/entities/roster';
import { indicatorsFromCounters, type Indicators, type KpiCounters } from '../../domain/kpi/indicators';
import { resolvePlanForPeriod, revenueTargetOf } from '../../domain/kpi/plan';
import { scoreKpi, type KpiResult } from '../../domain/kpi/score';
import { csatResult, type CsatResult } from '../../domain/okr/csat';
import { okrScore, type OkrScore } from '../../domain/okr/okr';
import { parsePeriod, periodRange, type Cycle } from '../../domain/period';
import type { Deps } from '../http/deps';
import { readCsatCounters } from '../store/feedback';
import {
  allKpiAssignments,
  collaboratorStock,
  kpiPlanVersions,
  readKpiCounters,
  type StoredKpiAssignment,
  type StoredKpiPlanVersion,
} from '../store/kpi';
import { getRosterEntry, listRoster } from '../store/members';
import { objectivesOf } from '../store/okr';
import { keys } from '../store/keys';
import { queryPage, type Page, type PageRequest } from '../store/paging';
import { getStaffGroupMembership } from '../store/staff-groups';
import { getSettings } from '../store/tenants';

/**
 * KPI results of a business's care staff and CSAT/OKR results of its managers for a period, from
 * the maintained aggregates: the KPI counters per (care staff, period) that order changes keep
 * (`order-effects.ts`), the care staff's CTVs for the stock indicators (total and new CTVs), and
 * the CSAT counters per (manager, period) that ratings keep. No order is read. Used by the
 * kpi-results, okr-results and report routes and by the nightly snapshots.
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
  timeZone: string;
  versions: StoredKpiPlanVersion[];
  assignments: StoredKpiAssignment[];
}

export async function loadKpiContext(deps: Deps, tenantId: string): Promise<KpiContext> {
  const [settings, versions, assignments] = await Promise.all([
    getSettings(deps.store, tenantId),
    kpiPlanVersions(deps.store, tenantId),
    allKpiAssignments(deps.store, tenantId),
  ]);
  return { timeZone: settings.timeZone, versions, assignments };
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
  const ref = parsePeriod(periodId);
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
  /** the ids of the care staff's CTVs now (for the manager report's commission owed) */
  collaboratorIds: string[];
}

/** A care staff's counters for a period: one Query of the counters partition and one of their CTVs. */
export async function staffNumbers(deps: Deps, tenantId: string, userId: string, periodId: string, timeZone: string): Promise<StaffNumbers> {
  const range = periodRange(periodId, timeZone);
  if (!range) throw new RangeError(`not a period: ${periodId}`);
  const [counters, stock] = await Promise.all([
    readKpiCounters(deps.store, tenantId, userId, periodId),
    collaboratorStock(deps.store, tenantId, userId, range),
  ]);
  return { counters: { ...counters, newCollaborators: stock.new, totalCollaborators: stock.total }, collaboratorIds: stock.collaboratorIds };
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
export function scoreWith(ctx: KpiContext, userId: string, groupIds: readonly string[], periodId: string, counters: StaffCounters): KpiResultItem | null {
  const found = planFor(ctx, userId, groupIds, periodId);
  if (!found) return null;
  const { plan, assignment } = found;
  const indicators = indicatorsOf(counters, revenueTargetOf(plan));
  return {
    ...scoreKpi(userId, plan, indicators),
    period: periodId,
    plan: { id: plan.id, version: plan.version, name: plan.name, cycle: plan.cycle, distributedIndicator: plan.distributedIndicator, capBp: plan.capBp },
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
export async function kpiResultOf(deps: Deps, tenantId: string, userId: string, periodId: string, ctx: KpiContext): Promise<KpiResultItem | null> {
  const groupIds = await groupIdsOf(deps, tenantId, userId);
  if (!planFor(ctx, userId, groupIds, periodId)) return null;
  const { counters } = await staffNumbers(deps, tenantId, userId, periodId, ctx.timeZone);
  return scoreWith(ctx, userId, groupIds, periodId, counters);
}

/** The care staff a member may see results of: everyone for the owner, the team for a manager, else themselves. */
export type StaffScope = { kind: 'all' } | { kind: 'team'; managerUserId: string } | { kind: 'self'; userId: string };

export function staffScopeOf(membership: Membership): StaffScope {
  if (membership.roles.includes('owner')) return { kind: 'all' };
  if (membership.roles.includes('manager')) return { kind: 'team', managerUserId: membership.userId };
  return { kind: 'self', userId: membership.userId };
}

/** One page of the care staff in a scope (roster entries). */
export async function careStaffPage(deps: Deps, tenantId: string, scope: StaffScope, page: PageRequest): Promise<Page<RosterEntry>> {
  if (scope.kind === 'all') return listRoster(deps.store, tenantId, 'care_staff', page);
  if (scope.kind === 'team') {
    const pk = keys.teamMember(tenantId, scope.managerUserId, '').gsi1pk;
    return queryPage<RosterEntry>(deps.store, { index: 'gsi1', pk }, page);
  }
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
