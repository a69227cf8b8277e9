import { implement, json, toLambda } from '../../http/operation';
import { staffGroupRoutes } from '../../routes/staff-groups';
import { newStaffGroup } from '../../services/staff-groups';

export const operation = implement(staffGroupRoutes.create, async ({ deps, tenantId, body, actor }) => {
  const group = await newStaffGroup(deps, tenantId, body, actor);
  return json(201, group, { location: `/v1/tenants/${tenantId}/staff-groups/${group.id}` });
});

export const handler = toLambda(operation);
