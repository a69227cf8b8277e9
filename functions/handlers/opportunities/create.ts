import { implement, json, toLambda } from '../../http/operation';
import { etag } from '../../http/versions';
import { opportunityRoutes } from '../../routes/opportunities';
import { fileOpportunity } from '../../services/opportunities';

export const operation = implement(opportunityRoutes.create, async ({ deps, params, body, caller }) => {
  const opp = await fileOpportunity(deps, params.pageId ?? '', caller!.sub, body);
  return json(201, opp, { location: `/v1/tenants/${opp.tenantId}/opportunities/${opp.id}`, ...etag(opp.version) });
});

export const handler = toLambda(operation);
