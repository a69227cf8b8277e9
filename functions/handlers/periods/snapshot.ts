import { implement, json, toLambda } from '../../http/operation';
import { periodRoutes } from '../../routes/periods';
import { collaboratorSnapshot } from '../../services/periods';
import { monthParam } from '../../services/statement-access';

export const operation = implement(periodRoutes.snapshot, async ({ deps, tenantId, params, membership }) =>
  json(200, await collaboratorSnapshot(deps, tenantId, monthParam(params.periodId), params.collaboratorId ?? '', membership!)),
);

export const handler = toLambda(operation);
