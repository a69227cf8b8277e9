import { implement, json, toLambda } from '../../http/operation';
import { meCtvRoutes } from '../../routes/me-ctv';
import { mySnapshot } from '../../services/me-ctv';

export const operation = implement(meCtvRoutes.snapshot, async ({ deps, tenantId, query, caller }) =>
  json(200, await mySnapshot(deps, tenantId, caller!.sub, query.period)),
);

export const handler = toLambda(operation);
