import { beneficiaryPart } from '../../../domain/commission/lines';
import { notFound } from '../../../domain/errors';
import { implement, json, toLambda } from '../../http/operation';
import { orderRoutes } from '../../routes/orders';
import { earningsFor } from './earnings';

export const operation = implement(orderRoutes.sellerEarnings, async ({ deps, tenantId, params, query, membership }) => {
  const userId = params.userId ?? '';
  // a seller sees their own earnings; the owner and managers see anyone's
  const m = membership!;
  if (!m.roles.includes('owner') && !m.roles.includes('manager') && m.userId !== userId) throw notFound('Seller');
  return json(200, await earningsFor(deps, tenantId, beneficiaryPart({ type: 'seller', id: userId }), query.period));
});

export const handler = toLambda(operation);
