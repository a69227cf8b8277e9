import { ruleViolation } from '../../../domain/errors';
import { addDays, localDay, startOfLocalDay } from '../../../domain/period';
import { implement, json, toLambda } from '../../http/operation';
import { meCtvRoutes } from '../../routes/me-ctv';
import { listOrders } from '../../store/orders';
import { getSettings } from '../../store/tenants';
import { orderView } from '../../services/order-views';
import { myCollaborator } from './access';

const MAX_RANGE_DAYS = 366;

export const operation = implement(meCtvRoutes.orders, async ({ deps, tenantId, query, caller }) => {
  const ctv = await myCollaborator(deps, tenantId, caller!.sub);
  const { timeZone, holdingDays } = await getSettings(deps.store, tenantId);
  const now = deps.now();
  const to = query.to ?? localDay(now.getTime(), timeZone);
  const from = query.from ?? addDays(to, -90);
  if (from > to) throw ruleViolation('`from` is after `to`', 'from');
  if (addDays(from, MAX_RANGE_DAYS) < to) throw ruleViolation(`A range is at most ${MAX_RANGE_DAYS} days`, 'from');
  const page = await listOrders(
    deps.store,
    tenantId,
    {
      collaboratorId: ctv.id,
      from: new Date(startOfLocalDay(from, timeZone)).toISOString(),
      to: new Date(startOfLocalDay(addDays(to, 1), timeZone) - 1).toISOString(),
    },
    [],
    { limit: query.limit, cursor: query.cursor },
  );
  const asOf = now.toISOString();
  return json(200, { items: page.items.map((o) => orderView(o, [], holdingDays, asOf)), nextCursor: page.nextCursor });
});

export const handler = toLambda(operation);
