import { implement, json, toLambda } from '../../http/operation';
import { etag } from '../../http/versions';
import { payoutRoutes } from '../../routes/payouts';
import { statementsOfBatch } from '../../store/statements';
import { payoutOf } from './access';
import { payoutView } from './view';

export const operation = implement(payoutRoutes.get, async ({ deps, tenantId, params }) => {
  const batch = await payoutOf(deps, tenantId, params.batchId);
  return json(200, payoutView(batch, await statementsOfBatch(deps.store, tenantId, batch.id)), etag(batch.version));
});

export const handler = toLambda(operation);
