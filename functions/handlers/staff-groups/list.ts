import { implement, json, toLambda } from '../../http/operation';
import { staffGroupRoutes } from '../../routes/staff-groups';
import { listStaffGroups } from '../../store/staff-groups';

export const operation = implement(staffGroupRoutes.list, async ({ deps, tenantId, query }) =>
  json(200, await listStaffGroups(deps.store, tenantId, query)),
);

export const handler = toLambda(operation);
