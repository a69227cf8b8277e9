import { implement, json, toLambda } from '../../http/operation';
import { etag } from '../../http/versions';
import { statementRoutes } from '../../routes/statements';
import { getCollaborator } from '../../store/collaborators';
import { getStatement } from '../../store/statements';
import { statementOf } from '../../services/statement-access';

export const operation = implement(
  statementRoutes.get,
  async ({ deps, tenantId, params, membership }) => {
    const { version, detail } = await statementOf(deps, tenantId, params, membership!);
    return json(200, detail, etag(version));
  },
  {
    // the CTV (whether the caller may see them) and their statement of the month
    serves: ({ store, tenantId, params: { collaboratorId = '', periodId = '' } }) =>
      Promise.all([getCollaborator(store, tenantId, collaboratorId), getStatement(store, tenantId, collaboratorId, periodId)]),
  },
);

export const handler = toLambda(operation);
