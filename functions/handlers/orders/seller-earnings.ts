import { beneficiaryPart } from '../../../domain/commission/lines';
import { notFound } from '../../../domain/errors';
import { implement, json, toLambda } from '../../http/operation';
import { orderRoutes } from '../../routes/orders';
import { earningsFor } from '../../services/earnings';

export const operation = implement(orderRoutes.sellerEarnings, async ({ deps, tenantId, params, query, membership }) => {
  const userId = params.userId ?? '';
  // a seller sees their own earnings; the owner and managers see anyone's
  const m = membership!;
  if (!m.roles.includes('owner') && !m.roles.includes('manager') && m.userId !== userId) throw notFound('Seller');
  // the caller's own member item was read when authorising; anyone else's is read with the totals (same BatchGetItem)
  const check = m.userId === userId ? {} : { memberUserId: userId };
  return json(200, await earningsFor(deps, tenantId, beneficiaryPart({ type: 'seller', id: userId }), query.period, check));
});

export const handler = toLambda(operation);
