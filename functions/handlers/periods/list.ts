import { calendarOf } from '../../../domain/entities/tenant';
import { periodIdAt } from '../../../domain/period';
import { implement, json, toLambda } from '../../http/operation';
import { periodRoutes } from '../../routes/periods';
import { listPeriodRecords } from '../../store/periods';
import { getSettings } from '../../store/tenants';
import { periodSeenBy } from './view';

/** Closed (and closing) months from their records, newest first, after the month open today (totals: the owner's). */
export const operation = implement(periodRoutes.list, async ({ deps, tenantId, membership }) => {
  const [settings, records] = await Promise.all([getSettings(deps.store, tenantId), listPeriodRecords(deps.store, tenantId)]);
  const current = periodIdAt(deps.now().getTime(), 'month', calendarOf(settings));
  const items: Record<string, unknown>[] = records
    .sort((a, b) => (a.id < b.id ? 1 : -1))
    .map(({ tenantId: _t, ...r }) => periodSeenBy(membership!, r));
  if (!records.some((r) => r.id === current)) items.unshift({ id: current, state: 'open' });
  return json(200, { items, nextCursor: null });
});

export const handler = toLambda(operation);
