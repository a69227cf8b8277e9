import { calendarOf } from '../../../domain/entities/tenant';
import { implement, json, toLambda } from '../../http/operation';
import { reportRoutes } from '../../routes/reports';
import { careStaffInScope, careStaffPage, frozenHeadOf, frozenStaffInScope, frozenStaffPage, staffScopeOf } from '../../services/kpi-results';
import { getSettings } from '../../store/tenants';
import { staffRow, staffRows } from './build';

/**
 * BC Nhân viên: one page of care staff (owner: the roster; manager: their team; care staff:
 * themselves). A period a close froze is read from what was frozen (the team as it was at the close).
 */
export const operation = implement(reportRoutes.staff, async ({ deps, tenantId, query, membership }) => {
  const scope = staffScopeOf(membership!);
  if (await frozenHeadOf(deps, tenantId, query.period)) {
    if (query.userId !== undefined) {
      const one = await frozenStaffInScope(deps, tenantId, query.period, scope, query.userId);
      return json(200, { period: query.period, items: one ? [staffRow(one, one.counters)] : [], nextCursor: null });
    }
    const page = await frozenStaffPage(deps, tenantId, query.period, scope, { limit: query.limit, cursor: query.cursor }, false);
    return json(200, { period: query.period, items: page.items.map((s) => staffRow(s, s.counters)), nextCursor: page.nextCursor });
  }
  const timeZone = calendarOf(await getSettings(deps.store, tenantId));
  if (query.userId !== undefined) {
    const entry = await careStaffInScope(deps, tenantId, scope, query.userId);
    const items = entry ? await staffRows(deps, tenantId, query.period, timeZone, [entry]) : [];
    return json(200, { period: query.period, items, nextCursor: null });
  }
  const page = await careStaffPage(deps, tenantId, scope, { limit: query.limit, cursor: query.cursor });
  return json(200, { period: query.period, items: await staffRows(deps, tenantId, query.period, timeZone, page.items), nextCursor: page.nextCursor });
});

export const handler = toLambda(operation);
