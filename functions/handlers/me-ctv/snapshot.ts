import { notFound } from '../../../domain/errors';
import { implement, json, toLambda } from '../../http/operation';
import { meCtvRoutes } from '../../routes/me-ctv';
import { getSnapshot } from '../../store/snapshots';
import { myCollaborator } from './access';

export const operation = implement(meCtvRoutes.snapshot, async ({ deps, tenantId, query, caller }) => {
  const ctv = await myCollaborator(deps, tenantId, caller!.sub);
  const snapshot = await getSnapshot(deps.store, tenantId, query.period, ctv.id);
  if (!snapshot) throw notFound('Snapshot');
  const { tenantId: _t, ...rest } = snapshot;
  return json(200, rest);
});

export const handler = toLambda(operation);
