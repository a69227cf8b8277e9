import { implement, json, toLambda } from '../../http/operation';
import { etag } from '../../http/versions';
import { payoutRoutes } from '../../routes/payouts';
import { createPayout } from '../../services/payouts';
import { payoutView } from './view';

export const operation = implement(payoutRoutes.create, async ({ deps, tenantId, body, actor }) => {
  const { batch, statements, skipped } = await createPayout(deps, tenantId, body.periodId, actor);
  return {
    ...json(201, payoutView(batch, statements), { location: `/v1/tenants/${tenantId}/payouts/${batch.id}`, ...etag(batch.version) }),
    audit: { after: { id: batch.id, periodId: batch.periodId, count: batch.count, total: batch.total, skipped: skipped.length } },
  };
});

export const handler = toLambda(operation);
