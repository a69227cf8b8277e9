import { rateBp, type KpiCounters } from './kpi/indicators';
import type { KpiResult } from './kpi/score';
import type { CsatResult } from './okr/csat';

/**
 * The rows of the two reports (BC Nhân viên, BC Quản lý), from a care staff's counters for a
 * period (live or as a close froze them): rates in basis points, sums over a manager's team.
 */

/** A care staff's counters with the stock of their CTVs at the period's cut-off. */
export interface ReportCounters extends KpiCounters {
  totalCollaborators: number;
}

export interface ReportPerson {
  userId: string;
  name: string;
  managerUserId?: string | null | undefined;
}

/** BC Nhân viên: one care staff's row. A rate of nothing (no order) is 0 bp. */
export function staffRow(entry: ReportPerson, c: ReportCounters) {
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

/** A KPI result as far as the manager report shows it. */
export type ReportKpi = Pick<KpiResult, 'score' | 'scoreBp' | 'award' | 'conditions'> & { plan: { id: string; version: number } };

/** A care staff's KPI progress in the manager report (null: no plan of the period's cycle in force). */
export const kpiSummary = (kpi: ReportKpi | null | undefined) =>
  kpi
    ? {
        planId: kpi.plan.id,
        planVersion: kpi.plan.version,
        score: kpi.score,
        scoreBp: kpi.scoreBp,
        award: kpi.award,
        conditions: kpi.conditions.map((c) => ({
          indicator: c.indicator,
          actual: c.actual,
          target: c.target,
          achievementBp: c.achievementBp,
          holds: c.holds,
        })),
      }
    : null;

/**
 * BC Quản lý: a manager's row from their team's numbers. The network, revenue and orders are the
 * sums of the team's rows; `commissionOwed` (null for a week) and `csat` come as they are.
 */
export function managerRow(
  manager: { userId: string; name: string },
  periodId: string,
  team: readonly { entry: ReportPerson; counters: ReportCounters; kpi: ReportKpi | null | undefined }[],
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
