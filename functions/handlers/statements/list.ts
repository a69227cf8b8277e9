import { collaboratorScope } from '../../../domain/access';
import { implement, json, toLambda } from '../../http/operation';
import { statementRoutes } from '../../routes/statements';
import { listStatementsOfMonth } from '../../store/statements';
import { statementView } from '../../services/statement-views';

export const operation = implement(statementRoutes.list, async ({ deps, tenantId, query, membership }) => {
  const scope = collaboratorScope(membership!);
  const page = await listStatementsOfMonth(deps.store, tenantId, query.period, { limit: query.limit, cursor: query.cursor }, {
    ...(query.status ? { status: query.status } : {}),
    ...scope,
  });
  return json(200, { items: page.items.map(statementView), nextCursor: page.nextCursor });
});

export const handler = toLambda(operation);
