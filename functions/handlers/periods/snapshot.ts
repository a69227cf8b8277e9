import { invalid, notFound } from '../../../domain/errors';
import { parsePeriod } from '../../../domain/period';
import { implement, json, toLambda } from '../../http/operation';
import { periodRoutes } from '../../routes/periods';
import { getSnapshot } from '../../store/snapshots';
import { visibleCollaborator } from '../../services/visibility';

export const operation = implement(periodRoutes.snapshot, async ({ deps, tenantId, params, membership }) => {
  const month = params.periodId ?? '';
  if (parsePeriod(month)?.cycle !== 'month') throw invalid([{ path: 'periodId', message: 'a month, for example 2026-10' }]);
  const ctv = await visibleCollaborator(deps, tenantId, params.collaboratorId ?? '', membership!);
  const snapshot = await getSnapshot(deps.store, tenantId, month, ctv.id);
  if (!snapshot) throw notFound('Snapshot');
  const { tenantId: _t, ...rest } = snapshot;
  return json(200, rest);
});

export const handler = toLambda(operation);
