import { implement, json, toLambda } from '../../http/operation';
import { statementRoutes } from '../../routes/statements';
import { listDisputesByStatus } from '../../store/statements';
import { disputeView } from '../../services/statement-views';

export const operation = implement(statementRoutes.disputes, async ({ deps, tenantId, query }) => {
  const page = await listDisputesByStatus(deps.store, tenantId, query.status, { limit: query.limit, cursor: query.cursor });
  return json(200, { items: page.items.map(disputeView), nextCursor: page.nextCursor });
});

export const handler = toLambda(operation);
