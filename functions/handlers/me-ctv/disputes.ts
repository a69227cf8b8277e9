import { implement, json, toLambda } from '../../http/operation';
import { meCtvRoutes } from '../../routes/me-ctv';
import { myDisputes } from '../../services/me-ctv';

export const operation = implement(meCtvRoutes.disputes, async ({ deps, tenantId, query, caller }) =>
  json(200, await myDisputes(deps, tenantId, caller!.sub, query)),
);

export const handler = toLambda(operation);
