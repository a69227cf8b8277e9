import { implement, json, toLambda } from '../../http/operation';
import { etag, expectedVersion } from '../../http/versions';
import { statementRoutes } from '../../routes/statements';
import { approveStatementAs } from '../../services/statement-access';
import { statementView } from '../../services/statement-views';

export const operation = implement(statementRoutes.approve, async ({ deps, tenantId, params, headers, membership, actor }) => {
  const { before, after } = await approveStatementAs(deps, tenantId, params, membership!, expectedVersion(headers, undefined), actor);
  return {
    ...json(200, statementView(after), etag(after.version)),
    audit: { before: { status: before.status, balance: before.balance }, after: { status: after.status, balance: after.balance } },
  };
});

export const handler = toLambda(operation);
