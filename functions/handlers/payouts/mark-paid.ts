import { implement, json, toLambda } from '../../http/operation';
import { etag, expectedVersion } from '../../http/versions';
import { payoutRoutes } from '../../routes/payouts';
import { markPayoutBatchPaid } from '../../services/payouts';
import { payoutView } from './view';

export const operation = implement(payoutRoutes.markPaid, async ({ deps, tenantId, params, headers, body, actor }) => {
  const version = expectedVersion(headers, undefined);
  const { before, after, statements, paidAt } = await markPayoutBatchPaid(deps, tenantId, params.batchId ?? '', version, body, actor);
  return {
    ...json(200, payoutView(after, statements), etag(after.version)),
    audit: { before: { status: before.status }, after: { status: after.status, paidAt, total: after.total, count: after.count } },
  };
});

export const handler = toLambda(operation);
