import { implement, json, toLambda } from '../../http/operation';
import { meCtvRoutes } from '../../routes/me-ctv';
import { listStatementsOfCollaborator } from '../../store/statements';
import { statementView } from '../../services/statement-views';
import { myCollaborator } from './access';

export const operation = implement(meCtvRoutes.statements, async ({ deps, tenantId, query, caller }) => {
  const ctv = await myCollaborator(deps, tenantId, caller!.sub);
  const page = await listStatementsOfCollaborator(deps.store, tenantId, ctv.id, query);
  return json(200, { items: page.items.map(statementView), nextCursor: page.nextCursor });
});

export const handler = toLambda(operation);
