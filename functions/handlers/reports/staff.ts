import { implement, json, toLambda } from '../../http/operation';
import { reportRoutes } from '../../routes/reports';
import { careStaffInScope, careStaffPage, staffScopeOf } from '../../services/kpi-results';
import { getSettings } from '../../store/tenants';
import { staffRows } from './build';

/** BC Nhân viên: one page of care staff (owner: the roster; manager: their team; care staff: themselves). */
export const operation = implement(reportRoutes.staff, async ({ deps, tenantId, query, membership }) => {
  const scope = staffScopeOf(membership!);
  const { timeZone } = await getSettings(deps.store, tenantId);
  if (query.userId !== undefined) {
    const entry = await careStaffInScope(deps, tenantId, scope, query.userId);
    const items = entry ? await staffRows(deps, tenantId, query.period, timeZone, [entry]) : [];
    return json(200, { period: query.period, items, nextCursor: null });
  }
  const page = await careStaffPage(deps, tenantId, scope, { limit: query.limit, cursor: query.cursor });
  return json(200, { period: query.period, items: await staffRows(deps, tenantId, query.period, timeZone, page.items), nextCursor: page.nextCursor });
});

export const handler = toLambda(operation);
