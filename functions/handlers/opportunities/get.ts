import { implement, json, toLambda } from '../../http/operation';
import { etag } from '../../http/versions';
import { opportunityRoutes } from '../../routes/opportunities';
import { visibleOpportunity } from '../../services/opportunities';
import { getOpportunity } from '../../store/opportunities';

export const operation = implement(
  opportunityRoutes.get,
  async ({ deps, tenantId, params, membership }) => {
    const opp = await visibleOpportunity(deps, tenantId, params.opportunityId ?? '', membership!);
    return json(200, opp, etag(opp.version));
  },
  { serves: ({ store, tenantId, params }) => getOpportunity(store, tenantId, params.opportunityId ?? '') },
);

export const handler = toLambda(operation);
