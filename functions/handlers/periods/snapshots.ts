import { collaboratorScope } from '../../../domain/access';
import { implement, json, toLambda } from '../../http/operation';
import { periodRoutes } from '../../routes/periods';
import { monthParam } from '../../services/statement-access';
import { listSnapshots } from '../../store/snapshots';

export const operation = implement(periodRoutes.snapshots, async ({ deps, tenantId, params, query, membership }) => {
  const page = await listSnapshots(deps.store, tenantId, monthParam(params.periodId), query, collaboratorScope(membership!));
  return json(200, { items: page.items.map(({ tenantId: _t, ...s }) => s), nextCursor: page.nextCursor });
});

export const handler = toLambda(operation);
