import { collaboratorScope } from '../../../domain/access';
import { invalid } from '../../../domain/errors';
import { parsePeriod } from '../../../domain/period';
import { implement, json, toLambda } from '../../http/operation';
import { periodRoutes } from '../../routes/periods';
import { listSnapshots } from '../../store/snapshots';

export const operation = implement(periodRoutes.snapshots, async ({ deps, tenantId, params, query, membership }) => {
  const month = params.periodId ?? '';
  if (parsePeriod(month)?.cycle !== 'month') throw invalid([{ path: 'periodId', message: 'a month, for example 2026-10' }]);
  const page = await listSnapshots(deps.store, tenantId, month, query, collaboratorScope(membership!));
  return json(200, { items: page.items.map(({ tenantId: _t, ...s }) => s), nextCursor: page.nextCursor });
});

export const handler = toLambda(operation);
