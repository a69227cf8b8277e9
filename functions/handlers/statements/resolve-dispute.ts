import { implement, json, toLambda } from '../../http/operation';
import { etag, expectedVersion } from '../../http/versions';
import { statementRoutes } from '../../routes/statements';
import { resolveStatementDispute } from '../../services/disputes';
import { disputeView } from '../../services/statement-views';

/** Resolve a dispute (services/disputes.ts): adjusted, with an adjustment booked into the open month, or rejected. */
export const operation = implement(statementRoutes.resolve, async ({ deps, tenantId, params, headers, body, membership, actor }) => {
  const { before, after } = await resolveStatementDispute(
    deps,
    { tenantId, params, membership: membership!, actor, expectedVersion: expectedVersion(headers, undefined) },
    body,
  );
  return {
    ...json(200, disputeView(after), etag(after.version)),
    audit: { before: disputeView(before), after: disputeView(after) },
  };
});

export const handler = toLambda(operation);
