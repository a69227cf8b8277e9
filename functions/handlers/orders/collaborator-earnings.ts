import { beneficiaryPart } from '../../../domain/commission/lines';
import { implement, json, toLambda } from '../../http/operation';
import { orderRoutes } from '../../routes/orders';
import { visibleCollaborator } from '../../services/visibility';
import { earningsFor } from '../../services/earnings';

export const operation = implement(orderRoutes.collaboratorEarnings, async ({ deps, tenantId, params, query, membership }) => {
  const ctv = await visibleCollaborator(deps, tenantId, params.collaboratorId ?? '', membership!);
  return json(200, await earningsFor(deps, tenantId, beneficiaryPart({ type: 'collaborator', id: ctv.id }), query.period));
});

export const handler = toLambda(operation);
