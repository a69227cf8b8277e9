import { implement, json, toLambda } from '../../http/operation';
import { staffGroupRoutes } from '../../routes/staff-groups';
import { staffGroupMembers } from '../../services/staff-groups';

export const operation = implement(staffGroupRoutes.listMembers, async ({ deps, tenantId, params, query }) =>
  json(200, await staffGroupMembers(deps, tenantId, params.groupId ?? '', query)),
);

export const handler = toLambda(operation);
