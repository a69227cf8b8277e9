import { invalid } from '../../../domain/errors';
import { parsePeriod } from '../../../domain/period';
import { implement, json, toLambda } from '../../http/operation';
import { periodRoutes } from '../../routes/periods';
import { getPeriodRecord } from '../../store/periods';
import { getStaffSnapshot } from '../../store/snapshots';

export const operation = implement(periodRoutes.get, async ({ deps, tenantId, params }) => {
  const month = params.periodId ?? '';
  if (parsePeriod(month)?.cycle !== 'month') throw invalid([{ path: 'periodId', message: 'a month, for example 2026-10' }]);
  const [record, kpi, okr] = await Promise.all([
    getPeriodRecord(deps.store, tenantId, month),
    getStaffSnapshot(deps.store, tenantId, month, 'KPI'),
    getStaffSnapshot(deps.store, tenantId, month, 'OKR'),
  ]);
  const staff = (s: typeof kpi) => (s ? { asOf: s.asOf, items: s.items, ...(s.unavailable ? { unavailable: s.unavailable } : {}) } : null);
  const { tenantId: _t, ...rest } = record ?? { tenantId, id: month, state: 'open' as const };
  return json(200, { ...rest, kpi: staff(kpi), okr: staff(okr) });
});

export const handler = toLambda(operation);
