import { canMoveOpportunity, canSeeOpportunity, moveOpportunity } from '../../../domain/entities/opportunity';
import { forbidden, notFound, preconditionFailed } from '../../../domain/errors';
import { implement, json, toLambda } from '../../http/operation';
import { etag, expectedVersion } from '../../http/versions';
import { opportunityRoutes } from '../../routes/opportunities';
import { getOpportunity, saveOpportunity } from '../../store/opportunities';

export const operation = implement(opportunityRoutes.move, async ({ deps, tenantId, params, membership, headers, body, actor }) => {
  const { version, ...move } = body;
  const expected = expectedVersion(headers, version);
  const opp = await getOpportunity(deps.store, tenantId, params.opportunityId ?? '');
  if (!opp || !canSeeOpportunity(membership!, opp)) throw notFound('Opportunity');
  if (!canMoveOpportunity(membership!, opp)) throw forbidden('Only the assigned care staff, their manager or the owner move an opportunity');
  if (opp.version !== expected) throw preconditionFailed();
  const next = moveOpportunity(opp, move, deps.now().toISOString(), actor);
  await saveOpportunity(deps.store, next);
  return json(200, next, etag(next.version));
});

export const handler = toLambda(operation);
