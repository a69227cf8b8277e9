import { implement, json, toLambda } from '../../http/operation';
import { tenantRoutes } from '../../routes/tenants';
import { businessFor } from '../../services/tenants';

/** The business; its owner also sees how many order deliveries wait for them (parked). */
export const operation = implement(tenantRoutes.get, async ({ deps, tenantId, membership }) =>
  json(200, await businessFor(deps, tenantId, membership!)),
);

export const handler = toLambda(operation);
