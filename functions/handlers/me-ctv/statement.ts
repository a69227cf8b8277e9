import { implement, json, toLambda } from '../../http/operation';
import { etag } from '../../http/versions';
import { meCtvRoutes } from '../../routes/me-ctv';
import { myStatement } from '../../services/me-ctv';
import { monthParam } from '../../services/statement-access';

export const operation = implement(meCtvRoutes.statement, async ({ deps, tenantId, params, caller }) => {
  const { version, detail } = await myStatement(deps, tenantId, caller!.sub, monthParam(params.periodId));
  return json(200, detail, etag(version));
});

export const handler = toLambda(operation);
