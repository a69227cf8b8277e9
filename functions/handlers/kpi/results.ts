import { implement, json, toLambda } from '../../http/operation';
import { kpiRoutes } from '../../routes/kpi';
import { careStaffInScope, careStaffPage, kpiResultsPage, staffScopeOf } from '../../services/kpi-results';

/**
 * KPI results of a period from the maintained counters, one page of care staff at a time: the
 * owner's roster, a manager's team, or the care staff themselves. Care staff with no plan of the
 * period's cycle in force have no result (they are left out of the page).
 */
export const operation = implement(kpiRoutes.results, async ({ deps, tenantId, query, membership }) => {
  const scope = staffScopeOf(membership!);
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
