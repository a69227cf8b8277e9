import { implement, json, toLambda } from '../../http/operation';
import { payoutRoutes } from '../../routes/payouts';
import { listPayouts } from '../../store/payouts';
import { payoutView } from './view';

export const operation = implement(payoutRoutes.list, async ({ deps, tenantId, query }) => {
  const page = await listPayouts(deps.store, tenantId, query);
  return json(200, { items: page.items.map((b) => payoutView(b)), nextCursor: page.nextCursor });
});

export const handler = toLambda(operation);
