import { implement, json, toLambda } from '../../http/operation';
import { reportRoutes } from '../../routes/reports';
import { frozenHeadOf, frozenManagersPage, getFrozenManager, loadKpiContext, mapLimit, managerQueryOf } from '../../services/kpi-results';
import { getRosterEntry, listRoster } from '../../store/members';
import { getSettings } from '../../store/tenants';
import { frozenManagerRow, managerRow } from './build';

/**
 * BC Quản lý: the owner pages through the managers (or names one); a manager gets their own. A
 * period a close froze is built from what was frozen (the managers and teams of the close).
 */
export const operation = implement(reportRoutes.manager, async ({ deps, tenantId, query, membership }) => {
  const m = membership!;
  const isOwner = m.roles.includes('owner');
  const { one, visible } = managerQueryOf(m, query.managerUserId);
  if (await frozenHeadOf(deps, tenantId, query.period)) {
    if (one !== undefined) {
      const frozen = visible ? await getFrozenManager(deps, tenantId, query.period, one) : null;
      return json(200, { period: query.period, items: frozen ? [await frozenManagerRow(deps, tenantId, frozen)] : [], nextCursor: null });
    }
    const page = await frozenManagersPage(deps, tenantId, query.period, { limit: query.limit, cursor: query.cursor });
    return json(200, { period: query.period, items: await mapLimit(page.items, 4, (f) => frozenManagerRow(deps, tenantId, f)), nextCursor: page.nextCursor });
  }
  const [ctx, settings] = await Promise.all([loadKpiContext(deps, tenantId), getSettings(deps.store, tenantId)]);
  const row = (entry: Parameters<typeof managerRow>[2]) => managerRow(deps, tenantId, entry, query.period, ctx, settings.csat);
  if (one !== undefined) {
    const entry = visible ? await getRosterEntry(deps.store, tenantId, 'manager', one) : null;
    return json(200, { period: query.period, items: entry ? [await row(entry)] : [], nextCursor: null });
  }
  const page = await listRoster(deps.store, tenantId, 'manager', { limit: query.limit, cursor: query.cursor });
  return json(200, { period: query.period, items: await mapLimit(page.items, 4, row), nextCursor: page.nextCursor });
});

export const handler = toLambda(operation);
