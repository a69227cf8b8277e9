import { implement, json, toLambda } from '../../http/operation';
import { meCtvRoutes } from '../../routes/me-ctv';
import { myLedger } from '../../services/me-ctv';

/** My ledger lines of a month (every kind, with the trace of each) and my totals by kind. */
export const operation = implement(meCtvRoutes.ledger, async ({ deps, tenantId, query, caller }) =>
  json(200, await myLedger(deps, tenantId, caller!.sub, query)),
);

export const handler = toLambda(operation);
