import { implement, json, toLambda } from '../../http/operation';
import { meCtvRoutes } from '../../routes/me-ctv';
import { myStatements } from '../../services/me-ctv';

export const operation = implement(meCtvRoutes.statements, async ({ deps, tenantId, query, caller }) =>
  json(200, await myStatements(deps, tenantId, caller!.sub, query)),
);

export const handler = toLambda(operation);
