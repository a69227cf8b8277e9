import { opportunityScope } from '../../../domain/entities/opportunity';
import { implement, json, toLambda } from '../../http/operation';
import { opportunityRoutes } from '../../routes/opportunities';
import { linkedCollaborator } from '../../services/pages';
import { listOpportunities } from '../../store/opportunities';

const NONE = { items: [], nextCursor: null };

export const operation = implement(opportunityRoutes.list, async ({ deps, tenantId, query, membership }) => {
  const { limit, cursor, ...filter } = query;
  // a member's own scope narrows whatever filter they ask for
  const scope = opportunityScope(membership!);
  if (scope.kind === 'manager') return json(200, await listOpportunities(deps.store, tenantId, { ...filter, managerUserId: scope.managerUserId }, { limit, cursor }));
  if (scope.kind === 'care_staff') {
    if (filter.careStaffUserId && filter.careStaffUserId !== scope.careStaffUserId) return json(200, NONE);
    return json(200, await listOpportunities(deps.store, tenantId, { ...filter, careStaffUserId: scope.careStaffUserId }, { limit, cursor }));
  }
  if (scope.kind === 'collaborator') {
    const ctv = await linkedCollaborator(deps, tenantId, membership!.userId);
    if (!ctv || (filter.collaboratorId && filter.collaboratorId !== ctv.id)) return json(200, NONE);
    return json(200, await listOpportunities(deps.store, tenantId, { ...filter, collaboratorId: ctv.id }, { limit, cursor }));
  }
  return json(200, await listOpportunities(deps.store, tenantId, filter, { limit, cursor }));
});

export const handler = toLambda(operation);
