import { collaboratorScope, collaboratorSeenBy } from '../../../domain/access';
import { implement, json, toLambda } from '../../http/operation';
import { collaboratorRoutes } from '../../routes/collaborators';
import { listCollaborators } from '../../store/collaborators';

export const operation = implement(collaboratorRoutes.list, async ({ deps, tenantId, query, membership }) => {
  const { limit, cursor, ...filter } = query;
  // a member's own scope narrows whatever filter they ask for (care staff asking for another's CTVs get none)
  const scope = collaboratorScope(membership!);
  if (scope.careStaffUserId && filter.careStaffUserId && filter.careStaffUserId !== scope.careStaffUserId) {
    return json(200, { items: [], nextCursor: null });
  }
  const page = await listCollaborators(deps.store, tenantId, { ...filter, ...scope }, { limit, cursor });
  return json(200, { ...page, items: page.items.map((ctv) => collaboratorSeenBy(membership!, ctv)) });
});

export const handler = toLambda(operation);
