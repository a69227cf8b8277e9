import { implement, json, toLambda } from '../../http/operation';
import { meCtvRoutes } from '../../routes/me-ctv';
import { listDisputesOfCollaborator } from '../../store/statements';
import { disputeView } from '../../services/statement-views';
import { myCollaborator } from './access';

export const operation = implement(meCtvRoutes.disputes, async ({ deps, tenantId, query, caller }) => {
  const ctv = await myCollaborator(deps, tenantId, caller!.sub);
  const page = await listDisputesOfCollaborator(deps.store, tenantId, ctv.id, query);
  return json(200, { items: page.items.map(disputeView), nextCursor: page.nextCursor });
});

export const handler = toLambda(operation);
