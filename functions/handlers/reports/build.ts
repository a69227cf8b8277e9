import type { RosterEntry } from '../../../domain/entities/roster';
import { rateBp } from '../../../domain/kpi/indicators';
import { csatResult } from '../../../domain/okr/csat';
import { nextPeriodId, parsePeriod, periodIdOfDay } from '../../../domain/period';
import { beneficiaryPart } from '../../../domain/commission/lines';
import type { Deps } from '../../http/deps';
import {
  groupIdsOf,
  mapLimit,
  scoreWith,
  staffNumbers,
  type KpiContext,
  type StaffCounters,
} from '../../services/kpi-results';
import { readCsatCounters } from '../../store/feedback';
import { keys } from '../../store/keys';
import { sumEarningsTotals } from '../../store/kpi';
import { queryAll } from '../../store/paging';

/**
 * The two reports, from the maintained counters (never from orders): BC Nhân viên per care staff,
 * BC Quản lý per manager (their team's care staff with KPI progress, the network, revenue,
 * commission owed, CSAT).
 */
export function staffRow(entry: RosterEntry, c: StaffCounters) {
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

export async function staffRows(deps: Deps, tenantId: string, periodId: string, timeZone: string, staff: readonly RosterEntry[]) {
  return mapLimit(staff, 8, async (s) => staffRow(s, (await staffNumbers(deps, tenantId, s.userId, periodId, timeZone)).counters));
}

/** The statement months a period covers; null for a week (earnings are kept by month). */
export function monthsOf(periodId: string): string[] | null {
  const ref = parsePeriod(periodId);
  if (!ref || ref.cycle === 'week') return null;
  const months: string[] = [];
  for (let m = periodIdOfDay(ref.firstDay, 'month'); m <= periodIdOfDay(ref.lastDay, 'month'); m = nextPeriodId(m)) months.push(m);
  return months;
}

/** The care staff on a manager's team (their roster entries, GSI1). */
export function teamOf(deps: Deps, tenantId: string, managerUserId: string): Promise<RosterEntry[]> {
  return queryAll<RosterEntry>(deps.store, {
    IndexName: 'gsi1',
    KeyConditionExpression: 'gsi1pk = :pk',
    ExpressionAttributeValues: { ':pk': keys.teamMember(tenantId, managerUserId, '').gsi1pk },
  });
}

export async function managerRow(
  deps: Deps,
  tenantId: string,
  manager: RosterEntry,
  periodId: string,
  ctx: KpiContext,
  csatTable: Parameters<typeof csatResult>[1],
) {
  const [team, csat] = await Promise.all([teamOf(deps, tenantId, manager.userId), readCsatCounters(deps.store, tenantId, manager.userId, periodId)]);
  const numbers = await mapLimit(team, 8, async (s) => {
    const [n, groupIds] = await Promise.all([staffNumbers(deps, tenantId, s.userId, periodId, ctx.timeZone), groupIdsOf(deps, tenantId, s.userId)]);
    const kpi = scoreWith(ctx, s.userId, groupIds, periodId, n.counters);
    return {
      row: {
        ...staffRow(s, n.counters),
        kpi: kpi && {
          planId: kpi.plan.id,
          planVersion: kpi.plan.version,
          score: kpi.score,
          scoreBp: kpi.scoreBp,
          award: kpi.award,
          conditions: kpi.conditions.map((c) => ({ indicator: c.indicator, actual: c.actual, target: c.target, achievementBp: c.achievementBp, holds: c.holds })),
        },
      },
      collaboratorIds: n.collaboratorIds,
    };
  });
  const rows = numbers.map((n) => n.row);
  const months = monthsOf(periodId);
  const ctvs = [...new Set(numbers.flatMap((n) => n.collaboratorIds))].map((id) => beneficiaryPart({ type: 'collaborator', id }));
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
    commissionOwed: months ? await sumEarningsTotals(deps.store, tenantId, ctvs, months) : null,
    csat: csatResult(csat, csatTable),
  };
}
