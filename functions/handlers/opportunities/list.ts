import { implement, json, toLambda } from '../../http/operation';
import { opportunityRoutes } from '../../routes/opportunities';
import { opportunitiesFor } from '../../services/opportunities';

export const operation = implement(opportunityRoutes.list, async ({ deps, tenantId, query, membership }) => {
  const { limit, cursor, ...filter } = query;
  return json(200, await opportunitiesFor(deps, tenantId, membership!, filter, { limit, cursor }));
});

export const handler = toLambda(operation);
