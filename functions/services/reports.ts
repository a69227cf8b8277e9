import type { Membership, RosterEntry } from '../../domain/entities/roster';
import { managerQueryOf, staffScopeOf } from '../../domain/kpi/scope';
import { calendarOf } from '../../domain/entities/tenant';
import { sumVnd } from '../../domain/money';
import { csatResult } from '../../domain/okr/csat';
import type { Zone } from '../../domain/period';
import { managerRow, staffRow } from '../../domain/reports';
import type { Deps } from '../deps';
import { readCsatCounters } from '../store/feedback';
import { getRosterEntry, listRoster, listTeamStaff } from '../store/members';
import type { PageRequest } from '../store/paging';
import { getSettings } from '../store/tenants';
import {
  careStaffInScope,
  careStaffPage,
  commissionOwedOf,
  frozenHeadOf,
  frozenManagersPage,
  frozenStaffInScope,
  frozenStaffPage,
  frozenTeamOf,
  getFrozenManager,
  groupIdsOf,
  kpiResultsPage,
  loadKpiContext,
  mapLimit,
  monthsOf,
  okrResultOf,
  scoreWith,
  staffNumbers,
  type FrozenManager,
  type FrozenStaff,
  type KpiContext,
} from './kpi-results';

/**
 * A period's results and the two reports, as their routes answer them: one page of the people in
 * the caller's scope (or the one they name), from the maintained counters (never from orders). A
 * period a close froze is read from what was frozen: the same rows from the frozen counters, KPI
 * results, teams and CSAT, so nothing done after the close moves them.
 */

export interface PeriodQuery extends PageRequest {
  period: string;
}

/** One page of answers, or the one named (`nextCursor` null). */
const answer = <T>(period: string, items: T[], nextCursor: string | null = null) => ({ period, items, nextCursor });

/**
 * KPI results, one page of care staff at a time: the owner's roster, a manager's team, or the care
 * staff themselves (`userId`: one of them). Care staff with no plan of the period's cycle in force
 * have no result (they are left out of the page).
 */
export async function kpiResultsReport(
  deps: Deps,
  tenantId: string,
  membership: Membership,
  query: PeriodQuery & { userId?: string | undefined },
) {
  return careStaffReport(deps, tenantId, membership, query, {
    withKpi: true,
    frozen: (s) => s.kpi!,
    live: async () => (staff) => kpiResultsPage(deps, tenantId, query.period, staff),
  });
}

/**
 * CSAT, its coefficient k (the business's step table) and the OKR score per manager: the owner
 * pages through the manager roster (or names one); a manager gets their own.
 */
export async function okrResultsReport(
  deps: Deps,
  tenantId: string,
  membership: Membership,
  query: PeriodQuery & { managerUserId?: string | undefined },
) {
  return managersReport(deps, tenantId, membership, query, {
    concurrency: 8,
    frozen: (f) => f.okr,
    live: async () => {
      const { csat } = await getSettings(deps.store, tenantId);
      return (entry) => okrResultOf(deps, tenantId, entry.userId, query.period, csat);
    },
  });
}

/**
 * BC Nhân viên: one page of care staff (owner: the roster; manager: their team; care staff:
 * themselves), or the one named (`userId`).
 */
export async function staffReport(
  deps: Deps,
  tenantId: string,
  membership: Membership,
  query: PeriodQuery & { userId?: string | undefined },
) {
  return careStaffReport(deps, tenantId, membership, query, {
    withKpi: false,
    frozen: (s) => staffRow(s, s.counters),
    live: async () => {
      const timeZone = calendarOf(await getSettings(deps.store, tenantId));
      return (staff) => staffRows(deps, tenantId, query.period, timeZone, staff);
    },
  });
}

/** How a care staff report makes its rows, from what a close froze or live. */
interface CareStaffRows<T> {
  /** only the care staff with a KPI result (frozen: the others are left out) */
  withKpi: boolean;
  /** a frozen care staff's row (with `withKpi`, one that has a KPI result) */
  frozen: (s: FrozenStaff) => T;
  /** once the period is known to be open: what the rows need, then the rows of some care staff */
  live: () => Promise<(staff: readonly RosterEntry[]) => Promise<T[]>>;
}

/**
 * The prelude the care staff reports share: the caller's scope, then one page of it (or the one
 * named, `userId`), from what the close froze when the period is frozen, else live.
 */
async function careStaffReport<T>(
  deps: Deps,
  tenantId: string,
  membership: Membership,
  query: PeriodQuery & { userId?: string | undefined },
  rows: CareStaffRows<T>,
) {
  const { period } = query;
  const scope = staffScopeOf(membership);
  const page = { limit: query.limit, cursor: query.cursor };
  if (await frozenHeadOf(deps, tenantId, period)) {
    if (query.userId !== undefined) {
      const one = await frozenStaffInScope(deps, tenantId, period, scope, query.userId);
      return answer(period, one && (!rows.withKpi || one.kpi) ? [rows.frozen(one)] : []);
    }
    const frozen = await frozenStaffPage(deps, tenantId, period, scope, page, rows.withKpi);
    return answer(
      period,
      frozen.items.map((s) => rows.frozen(s)),
      frozen.nextCursor,
    );
  }
  const rowsOf = await rows.live();
  if (query.userId !== undefined) {
    const entry = await careStaffInScope(deps, tenantId, scope, query.userId);
    return answer(period, entry ? await rowsOf([entry]) : []);
  }
  const staff = await careStaffPage(deps, tenantId, scope, page);
  return answer(period, await rowsOf(staff.items), staff.nextCursor);
}

/**
 * BC Quản lý: the owner pages through the managers (or names one); a manager gets their own. A
 * frozen period shows the managers and teams of the close.
 */
export async function managerReport(
  deps: Deps,
  tenantId: string,
  membership: Membership,
  query: PeriodQuery & { managerUserId?: string | undefined },
) {
  return managersReport(deps, tenantId, membership, query, {
    concurrency: 4,
    frozen: (f) => frozenManagerRow(deps, tenantId, f),
    live: async () => {
      const [ctx, settings] = await Promise.all([loadKpiContext(deps, tenantId), getSettings(deps.store, tenantId)]);
      return (entry) => liveManagerRow(deps, tenantId, entry, query.period, ctx, settings.csat);
    },
  });
}

/** How a managers' report makes its rows, from what a close froze or live. */
interface ManagerRows<T> {
  /** rows made at once, at most this many */
  concurrency: number;
  frozen: (f: FrozenManager) => T | Promise<T>;
  /** once the period is known to be open: what the rows need, then a manager's row */
  live: () => Promise<(entry: RosterEntry) => Promise<T>>;
}

/**
 * The prelude the managers' reports share: the owner pages through the managers (or names one), a
 * manager gets their own; from what the close froze when the period is frozen, else live.
 */
async function managersReport<T>(
  deps: Deps,
  tenantId: string,
  membership: Membership,
  query: PeriodQuery & { managerUserId?: string | undefined },
  rows: ManagerRows<T>,
) {
  const { period } = query;
  const { one, visible } = managerQueryOf(membership, query.managerUserId);
  const page = { limit: query.limit, cursor: query.cursor };
  if (await frozenHeadOf(deps, tenantId, period)) {
    if (one !== undefined) {
      const frozen = visible ? await getFrozenManager(deps, tenantId, period, one) : null;
      return answer(period, frozen ? [await rows.frozen(frozen)] : []);
    }
    const frozen = await frozenManagersPage(deps, tenantId, period, page);
    return answer(period, await mapLimit(frozen.items, rows.concurrency, async (f) => rows.frozen(f)), frozen.nextCursor);
  }
  const rowOf = await rows.live();
  if (one !== undefined) {
    const entry = visible ? await getRosterEntry(deps.store, tenantId, 'manager', one) : null;
    return answer(period, entry ? [await rowOf(entry)] : []);
  }
  const managers = await listRoster(deps.store, tenantId, 'manager', page);
  return answer(period, await mapLimit(managers.items, rows.concurrency, rowOf), managers.nextCursor);
}

async function staffRows(deps: Deps, tenantId: string, periodId: string, timeZone: Zone, staff: readonly RosterEntry[]) {
  return mapLimit(staff, 8, async (s) => staffRow(s, (await staffNumbers(deps, tenantId, s.userId, periodId, timeZone)).counters));
}

/** A manager's row, live: their team now, each care staff's numbers as of the period's cut-off. */
async function liveManagerRow(
  deps: Deps,
  tenantId: string,
  manager: RosterEntry,
  periodId: string,
  ctx: KpiContext,
  csatTable: Parameters<typeof csatResult>[1],
) {
  const [team, csat] = await Promise.all([
    listTeamStaff(deps.store, tenantId, manager.userId),
    readCsatCounters(deps.store, tenantId, manager.userId, periodId),
  ]);
  const numbers = await mapLimit(team, 8, async (s) => {
    const [n, groupIds] = await Promise.all([
      staffNumbers(deps, tenantId, s.userId, periodId, ctx.timeZone),
      groupIdsOf(deps, tenantId, s.userId),
    ]);
    return {
      entry: s,
      counters: n.counters,
      kpi: scoreWith(ctx, s.userId, groupIds, periodId, n.counters),
      collaboratorIds: n.collaboratorIds,
    };
  });
  const owed = await commissionOwedOf(
    deps,
    tenantId,
    periodId,
    numbers.flatMap((n) => n.collaboratorIds),
  );
  return managerRow(manager, periodId, numbers, csatResult(csat, csatTable), owed);
}

/** A manager's row as the close froze it: their team then, each care staff's frozen numbers. */
async function frozenManagerRow(deps: Deps, tenantId: string, manager: FrozenManager) {
  const team = await frozenTeamOf(deps, tenantId, manager);
  // a CTV had one care staff at the cut-off: the team's sum is the sum of its care staff's
  const owed = monthsOf(manager.periodId) ? sumVnd(team.map((s) => s.commissionOwed ?? 0)) : null;
  return managerRow(
    { userId: manager.managerUserId, name: manager.name },
    manager.periodId,
    team.map((s) => ({ entry: s, counters: s.counters, kpi: s.kpi })),
    manager.okr.csat,
    owed,
  );
}
