import { implement, json, toLambda } from '../../http/operation';
import { reportRoutes } from '../../routes/reports';
import { loadKpiContext, mapLimit } from '../../services/kpi-results';
import { getRosterEntry, listRoster } from '../../store/members';
import { getSettings } from '../../store/tenants';
import { managerRow } from './build';

/** BC Quản lý: the owner pages through the managers (or names one); a manager gets their own. */
export const operation = implement(reportRoutes.manager, async ({ deps, tenantId, query, membership }) => {
  const m = membership!;
  const [ctx, settings] = await Promise.all([loadKpiContext(deps, tenantId), getSettings(deps.store, tenantId)]);
  const row = (entry: Parameters<typeof managerRow>[2]) => managerRow(deps, tenantId, entry, query.period, ctx, settings.csat);
  const isOwner = m.roles.includes('owner');
  const one = isOwner ? query.managerUserId : m.userId;
  if (one !== undefined) {
    const visible = isOwner || query.managerUserId === undefined || query.managerUserId === m.userId;
    const entry = visible ? await getRosterEntry(deps.store, tenantId, 'manager', one) : null;
    return json(200, { period: query.period, items: entry ? [await row(entry)] : [], nextCursor: null });
  }
  const page = await listRoster(deps.store, tenantId, 'manager', { limit: query.limit, cursor: query.cursor });
  return json(200, { period: query.period, items: await mapLimit(page.items, 4, row), nextCursor: page.nextCursor });
});

export const handler = toLambda(operation);
