import { notFound } from '../../../domain/errors';
import { implement, json, toLambda } from '../../http/operation';
import { etag } from '../../http/versions';
import { meCtvRoutes } from '../../routes/me-ctv';
import { getStatement } from '../../store/statements';
import { monthParam } from '../../services/statement-access';
import { statementDetail } from '../../services/statement-views';
import { myCollaborator } from './access';

export const operation = implement(meCtvRoutes.statement, async ({ deps, tenantId, params, caller }) => {
  const month = monthParam(params.periodId);
  const ctv = await myCollaborator(deps, tenantId, caller!.sub);
  const statement = await getStatement(deps.store, tenantId, ctv.id, month);
  if (!statement) throw notFound('Statement');
  return json(200, await statementDetail(deps, statement), etag(statement.version));
});

export const handler = toLambda(operation);
