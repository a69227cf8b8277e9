import { implement, json, toLambda } from '../../http/operation';
import { okrRoutes } from '../../routes/okr';
import { mapLimit, okrResultOf } from '../../services/kpi-results';
import { getRosterEntry, listRoster } from '../../store/members';
import { getSettings } from '../../store/tenants';

/**
 * CSAT, its coefficient k (the business's step table) and the OKR score per manager for a period:
 * the owner pages through the manager roster (or names one); a manager gets their own.
 */
export const operation = implement(okrRoutes.results, async ({ deps, tenantId, query, membership }) => {
  const m = membership!;
  const settings = await getSettings(deps.store, tenantId);
  const result = (managerUserId: string) => okrResultOf(deps, tenantId, managerUserId, query.period, settings.csat);
  const one = m.roles.includes('owner') ? query.managerUserId : m.userId;
  if (one !== undefined) {
    const visible = m.roles.includes('owner') || query.managerUserId === undefined || query.managerUserId === m.userId;
    const entry = visible ? await getRosterEntry(deps.store, tenantId, 'manager', one) : null;
    return json(200, { period: query.period, items: entry ? [await result(one)] : [], nextCursor: null });
  }
  const page = await listRoster(deps.store, tenantId, 'manager', { limit: query.limit, cursor: query.cursor });
  return json(200, { period: query.period, items: await mapLimit(page.items, 8, (e) => result(e.userId)), nextCursor: page.nextCursor });
});

export const handler = toLambda(operation);
