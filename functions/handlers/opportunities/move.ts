import { implement, json, toLambda } from '../../http/operation';
import { etag, expectedVersion } from '../../http/versions';
import { opportunityRoutes } from '../../routes/opportunities';
import { moveOpportunityAs } from '../../services/opportunities';

export const operation = implement(opportunityRoutes.move, async ({ deps, tenantId, params, membership, headers, body, actor }) => {
  const { version, ...move } = body;
  const next = await moveOpportunityAs(
    deps,
    tenantId,
    params.opportunityId ?? '',
    membership!,
    expectedVersion(headers, version),
    move,
    actor,
  );
  return json(200, next, etag(next.version));
});

export const handler = toLambda(operation);
