import type { Zone } from '../../../domain/period';
import type { RosterEntry } from '../../../domain/entities/roster';
import { rateBp } from '../../../domain/kpi/indicators';
import { sumVnd } from '../../../domain/money';
import { csatResult, type CsatResult } from '../../../domain/okr/csat';
import type { Deps } from '../../deps';
import {
  commissionOwedOf,
  frozenTeamOf,
  groupIdsOf,
  mapLimit,
  monthsOf,
  scoreWith,
  staffNumbers,
  type FrozenManager,
  type FrozenStaff,
  type KpiContext,
  type KpiResultItem,
  type StaffCounters,
} from '../../services/kpi-results';
import { readCsatCounters } from '../../store/feedback';
import { listTeamStaff } from '../../store/members';


/**
 * The two reports, from the maintained counters (never from orders): BC Nhân viên per care staff,
 * BC Quản lý per manager (their team's care staff with KPI progress, the network, revenue,
 * commission owed, CSAT). A period a close froze is built from what was frozen: the same rows from
 * the frozen counters, KPI results, teams and CSAT.
 */
export function staffRow(entry: { userId: string; name: string; managerUserId?: string | null }, c: StaffCounters) {
  return {
    userId: entry.userId,
    name: entry.name,
    managerUserId: entry.managerUserId ?? null,
    revenue: c.revenue,
    orders: c.approvedOrders,
    createdOrders: c.createdOrders,
    completedOrders: c.completedOrders,
    voidOrders: c.createdVoid,
    confirmationRateBp: rateBp(c.createdApproved, c.createdOrders),
    completionRateBp: rateBp(c.completedOrders, c.approvedOrders),
    cancelRateBp: rateBp(c.createdVoid, c.createdOrders),
    totalCollaborators: c.totalCollaborators,
    newCollaborators: c.newCollaborators,
    activeCollaborators: c.activeCollaborators,
  };
}

export async function staffRows(deps: Deps, tenantId: string, periodId: string, timeZone: Zone, staff: readonly RosterEntry[]) {
  return mapLimit(staff, 8, async (s) => staffRow(s, (await staffNumbers(deps, tenantId, s.userId, periodId, timeZone)).counters));
}


/** A care staff's KPI progress in the manager report (null: no plan of the period's cycle in force). */
const kpiSummary = (kpi: KpiResultItem | null | undefined) =>
  kpi
    ? {
        planId: kpi.plan.id,
        planVersion: kpi.plan.version,
        score: kpi.score,
        scoreBp: kpi.scoreBp,
        award: kpi.award,
        conditions: kpi.conditions.map((c) => ({ indicator: c.indicator, actual: c.actual, target: c.target, achievementBp: c.achievementBp, holds: c.holds })),
      }
    : null;

/** A manager's row from their team's numbers (live or frozen). */
function managerRowOf(
  manager: { userId: string; name: string },
  periodId: string,
  team: readonly { entry: { userId: string; name: string; managerUserId?: string | null }; counters: StaffCounters; kpi: KpiResultItem | null | undefined }[],
  csat: CsatResult,
  commissionOwed: number | null,
) {
  const rows = team.map((s) => ({ ...staffRow(s.entry, s.counters), kpi: kpiSummary(s.kpi) }));
  const sum = (f: (r: (typeof rows)[number]) => number) => rows.reduce((s, r) => s + f(r), 0);
  return {
    managerUserId: manager.userId,
    name: manager.name,
    period: periodId,
    careStaff: rows,
    network: {
      totalCollaborators: sum((r) => r.totalCollaborators),
      newCollaborators: sum((r) => r.newCollaborators),
      activeCollaborators: sum((r) => r.activeCollaborators),
    },
    revenue: sum((r) => r.revenue),
    orders: sum((r) => r.orders),
    commissionOwed,
    csat,
  };
}

/** A manager's row, live: their team now, each care staff's numbers as of the period's cut-off. */
export async function managerRow(
  deps: Deps,
  tenantId: string,
  manager: RosterEntry,
  periodId: string,
  ctx: KpiContext,
  csatTable: Parameters<typeof csatResult>[1],
) {
  const [team, csat] = await Promise.all([listTeamStaff(deps.store, tenantId, manager.userId), readCsatCounters(deps.store, tenantId, manager.userId, periodId)]);
  const numbers = await mapLimit(team, 8, async (s) => {
    const [n, groupIds] = await Promise.all([staffNumbers(deps, tenantId, s.userId, periodId, ctx.timeZone), groupIdsOf(deps, tenantId, s.userId)]);
    return { entry: s, counters: n.counters, kpi: scoreWith(ctx, s.userId, groupIds, periodId, n.counters), collaboratorIds: n.collaboratorIds };
  });
  const owed = await commissionOwedOf(deps, tenantId, periodId, numbers.flatMap((n) => n.collaboratorIds));
  return managerRowOf(manager, periodId, numbers, csatResult(csat, csatTable), owed);
}

/** A manager's row as the close froze it: their team then, each care staff's frozen numbers. */
export async function frozenManagerRow(deps: Deps, tenantId: string, manager: FrozenManager) {
  const team: FrozenStaff[] = await frozenTeamOf(deps, tenantId, manager);
  // a CTV had one care staff at the cut-off: the team's sum is the sum of its care staff's
  const owed = monthsOf(manager.periodId) ? sumVnd(team.map((s) => s.commissionOwed ?? 0)) : null;
  return managerRowOf(
    { userId: manager.managerUserId, name: manager.name },
    manager.periodId,
    team.map((s) => ({ entry: s, counters: s.counters, kpi: s.kpi })),
    manager.okr.csat,
    owed,
  );
}
