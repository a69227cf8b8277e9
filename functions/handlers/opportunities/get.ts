import { canSeeOpportunity } from '../../../domain/entities/opportunity';
import { notFound } from '../../../domain/errors';
import { implement, json, toLambda } from '../../http/operation';
import { etag } from '../../http/versions';
import { opportunityRoutes } from '../../routes/opportunities';
import { getOpportunity } from '../../store/opportunities';

export const operation = implement(opportunityRoutes.get, async ({ deps, tenantId, params, membership }) => {
  const opp = await getOpportunity(deps.store, tenantId, params.opportunityId ?? '');
  if (!opp || !canSeeOpportunity(membership!, opp)) throw notFound('Opportunity');
  return json(200, opp, etag(opp.version));
});

export const handler = toLambda(operation);
