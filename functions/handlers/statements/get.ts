import { implement, json, toLambda } from '../../http/operation';
import { etag } from '../../http/versions';
import { statementRoutes } from '../../routes/statements';
import { visibleStatement } from '../../services/statement-access';
import { statementDetail } from '../../services/statement-views';

export const operation = implement(statementRoutes.get, async ({ deps, tenantId, params, membership }) => {
  const statement = await visibleStatement(deps, tenantId, params, membership!);
  return json(200, await statementDetail(deps, statement), etag(statement.version));
});

export const handler = toLambda(operation);
