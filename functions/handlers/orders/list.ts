import { calendarOf } from '../../../domain/entities/tenant';
import { collaboratorScope } from '../../../domain/access';
import { DomainError, invalid, ruleViolation } from '../../../domain/errors';
import { addDays, localDay, nextPeriodId, parsePeriod, periodIdOfDay, startOfLocalDay } from '../../../domain/period';
import { implement, json, toLambda } from '../../http/operation';
import { orderRoutes } from '../../routes/orders';
import { listOrders } from '../../store/orders';
import { getSettings } from '../../store/tenants';
import { orderIdFor } from '../../services/orders';
import { visibleOrder } from '../../services/visibility';
import { orderView } from '../../services/order-views';

const MAX_RANGE_DAYS = 366;

export const operation = implement(orderRoutes.list, async ({ deps, tenantId, query, membership }) => {
  const settings = await getSettings(deps.store, tenantId);
  const { holdingDays } = settings;
  const calendar = calendarOf(settings);
  const timeZone = settings.timeZone;
  const now = deps.now();
  if (query.sourceId !== undefined || query.externalId !== undefined) {
    if (query.sourceId === undefined || query.externalId === undefined) {
      const missing = query.sourceId === undefined ? 'sourceId' : 'externalId';
      throw invalid([{ path: missing, message: 'sourceId and externalId go together' }]);
    }
    // the order's id is derived from the pair: one read, and the same visibility as reading it by id
    const found = await visibleOrder(deps, tenantId, orderIdFor(query.sourceId, query.externalId), membership!).catch((error: unknown) => {
      if (error instanceof DomainError && error.kind === 'not_found') return null;
      throw error;
    });
    return json(200, { items: found ? [orderView(found, [], holdingDays, now.toISOString())] : [], nextCursor: null });
  }
  const to = query.to ?? localDay(now.getTime(), timeZone);
  const from = query.from ?? addDays(to, -30);
  if (from > to) throw ruleViolation('`from` is after `to`', 'from');
  if (addDays(from, MAX_RANGE_DAYS) < to) throw ruleViolation(`A range is at most ${MAX_RANGE_DAYS} days`, 'from');
  // the month partitions the range touches, newest first; with a cut-off day, one more month on each
  // side: an order keeps the creation month of the cut-off in force when it was stored, and a change
  // of the cut-off moves the days at a month's edge to its neighbour
  const months: string[] = [];
  const edge = calendar.monthEnds ? 1 : 0;
  const first = periodIdOfDay(addDays(from, -31 * edge), 'month', calendar);
  for (let m = first; m <= periodIdOfDay(addDays(to, 31 * edge), 'month', calendar); m = nextPeriodId(m)) months.unshift(m);
  if (!parsePeriod(months[0]!)) throw ruleViolation('The range is out of bounds', 'to');

  const scope = collaboratorScope(membership!);
  const page = await listOrders(
    deps.store,
    tenantId,
    {
      collaboratorId: query.collaboratorId,
      careStaffUserId: scope.careStaffUserId ?? query.careStaffUserId,
      managerUserId: scope.managerUserId,
      state: query.state,
      from: new Date(startOfLocalDay(from, timeZone)).toISOString(),
      to: new Date(startOfLocalDay(addDays(to, 1), timeZone) - 1).toISOString(),
    },
    months,
    { limit: query.limit, cursor: query.cursor },
  );
  const asOf = now.toISOString();
  return json(200, { items: page.items.map((o) => orderView(o, [], holdingDays, asOf)), nextCursor: page.nextCursor });
});

export const handler = toLambda(operation);
