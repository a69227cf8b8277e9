import { newOpportunity } from '../../../domain/entities/opportunity';
import { forbidden, ruleViolation } from '../../../domain/errors';
import { implement, json, toLambda } from '../../http/operation';
import { opportunityRoutes } from '../../routes/opportunities';
import { linkedCollaborator, tenantOfPage } from '../../services/pages';
import { createOpportunity } from '../../store/opportunities';

export const operation = implement(opportunityRoutes.create, async ({ deps, params, body, caller }) => {
  const tenantId = await tenantOfPage(deps, params.pageId ?? '');
  const ctv = await linkedCollaborator(deps, tenantId, caller!.sub);
  if (!ctv) throw forbidden("Only this business's collaborators file opportunities on its page: join it first");
  if (ctv.status !== 'approved') throw ruleViolation(`Only approved collaborators file opportunities; yours is ${ctv.status}`, 'status');
  const opp = newOpportunity({
    id: deps.newId(),
    tenantId,
    collaborator: { ...ctv, userId: caller!.sub },
    input: body,
    at: deps.now().toISOString(),
  });
  await createOpportunity(deps.store, opp);
  return json(201, opp, { location: `/v1/tenants/${tenantId}/opportunities/${opp.id}`, etag: `"${opp.version}"` });
});

export const handler = toLambda(operation);
