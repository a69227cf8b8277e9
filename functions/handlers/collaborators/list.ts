import { collaboratorSeenBy } from '../../../domain/access';
import { implement, json, toLambda } from '../../http/operation';
import { collaboratorRoutes } from '../../routes/collaborators';
import { listCollaboratorsFor } from '../../services/collaborators';

export const operation = implement(collaboratorRoutes.list, async ({ deps, tenantId, query, membership }) => {
  const { limit, cursor, ...filter } = query;
  const page = await listCollaboratorsFor(deps, tenantId, membership!, filter, { limit, cursor });
  return json(200, { ...page, items: page.items.map((ctv) => collaboratorSeenBy(membership!, ctv)) });
});

export const handler = toLambda(operation);
