import { implement, json, toLambda } from '../../http/operation';
import { okrRoutes } from '../../routes/okr';
import { frozenHeadOf, frozenManagersPage, getFrozenManager, mapLimit, okrResultOf, managerQueryOf } from '../../services/kpi-results';
import { getRosterEntry, listRoster } from '../../store/members';
import { getSettings } from '../../store/tenants';

/**
 * CSAT, its coefficient k (the business's step table) and the OKR score per manager for a period:
 * the owner pages through the manager roster (or names one); a manager gets their own. A period a
 * close froze is read from what was frozen (the managers of the close, their numbers then).
 */
export const operation = implement(okrRoutes.results, async ({ deps, tenantId, query, membership }) => {
  const m = membership!;
  const isOwner = m.roles.includes('owner');
  const { one, visible } = managerQueryOf(m, query.managerUserId);
  if (await frozenHeadOf(deps, tenantId, query.period)) {
    if (one !== undefined) {
      const frozen = visible ? await getFrozenManager(deps, tenantId, query.period, one) : null;
      return json(200, { period: query.period, items: frozen ? [frozen.okr] : [], nextCursor: null });
    }
    const page = await frozenManagersPage(deps, tenantId, query.period, { limit: query.limit, cursor: query.cursor });
    return json(200, { period: query.period, items: page.items.map((f) => f.okr), nextCursor: page.nextCursor });
  }
  const settings = await getSettings(deps.store, tenantId);
  const result = (managerUserId: string) => okrResultOf(deps, tenantId, managerUserId, query.period, settings.csat);
  if (one !== undefined) {
    const entry = visible ? await getRosterEntry(deps.store, tenantId, 'manager', one) : null;
    return json(200, { period: query.period, items: entry ? [await result(one)] : [], nextCursor: null });
  }
  const page = await listRoster(deps.store, tenantId, 'manager', { limit: query.limit, cursor: query.cursor });
  return json(200, { period: query.period, items: await mapLimit(page.items, 8, (e) => result(e.userId)), nextCursor: page.nextCursor });
});

export const handler = toLambda(operation);
