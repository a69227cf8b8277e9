import { implement, json, toLambda } from '../../http/operation';
import { kpiRoutes } from '../../routes/kpi';
import {
  careStaffInScope,
  careStaffPage,
  frozenHeadOf,
  frozenStaffInScope,
  frozenStaffPage,
  kpiResultsPage,
  staffScopeOf,
} from '../../services/kpi-results';

/**
 * KPI results of a period, one page of care staff at a time: the owner's roster, a manager's team,
 * or the care staff themselves. A period a close froze is read from what was frozen (the team as it
 * was at the close); any other from the maintained counters. Care staff with no plan of the
 * period's cycle in force have no result (they are left out of the page).
 */
export const operation = implement(kpiRoutes.results, async ({ deps, tenantId, query, membership }) => {
  const scope = staffScopeOf(membership!);
  if (await frozenHeadOf(deps, tenantId, query.period)) {
    if (query.userId !== undefined) {
      const one = await frozenStaffInScope(deps, tenantId, query.period, scope, query.userId);
      return json(200, { period: query.period, items: one?.kpi ? [one.kpi] : [], nextCursor: null });
    }
    const page = await frozenStaffPage(deps, tenantId, query.period, scope, { limit: query.limit, cursor: query.cursor }, true);
    return json(200, { period: query.period, items: page.items.map((s) => s.kpi!), nextCursor: page.nextCursor });
  }
  if (query.userId !== undefined) {
    const entry = await careStaffInScope(deps, tenantId, scope, query.userId);
    const items = entry ? await kpiResultsPage(deps, tenantId, query.period, [entry]) : [];
    return json(200, { period: query.period, items, nextCursor: null });
  }
  const page = await careStaffPage(deps, tenantId, scope, { limit: query.limit, cursor: query.cursor });
  const items = await kpiResultsPage(deps, tenantId, query.period, page.items);
  return json(200, { period: query.period, items, nextCursor: page.nextCursor });
});

export const handler = toLambda(operation);
