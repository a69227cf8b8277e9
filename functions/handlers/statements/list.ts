import { fileReply, implement, json, toLambda } from '../../http/operation';
import { statementRoutes } from '../../routes/statements';
import { statementsWorkbook } from '../../services/exports';
import { listStatements } from '../../services/statement-list';

/** A month's statements, one page (the caller's CTVs'), as JSON or a workbook. */
export const operation = implement(statementRoutes.list, async ({ deps, tenantId, query, membership }) =>
  query.format === 'xlsx'
    ? fileReply(await statementsWorkbook(deps, tenantId, membership!, query), query)
    : json(200, await listStatements(deps, tenantId, membership!, query)),
);

export const handler = toLambda(operation);
