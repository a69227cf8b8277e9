import { implement, json, toLambda } from '../../http/operation';
import { etag } from '../../http/versions';
import { payoutRoutes } from '../../routes/payouts';
import { payoutWithStatements } from '../../services/payouts';
import { getPayout } from '../../store/payouts';
import { payoutView } from './view';

export const operation = implement(
  payoutRoutes.get,
  async ({ deps, tenantId, params }) => {
    const { batch, statements } = await payoutWithStatements(deps, tenantId, params.batchId ?? '');
    return json(200, payoutView(batch, statements), etag(batch.version));
  },
  { serves: ({ store, tenantId, params }) => getPayout(store, tenantId, params.batchId ?? '') },
);

export const handler = toLambda(operation);
