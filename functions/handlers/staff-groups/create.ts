import type { StaffGroup } from '../../../domain/entities/staff-group';
import { implement, json, toLambda } from '../../http/operation';
import { staffGroupRoutes } from '../../routes/staff-groups';
import { createStaffGroup } from '../../store/staff-groups';

export const operation = implement(staffGroupRoutes.create, async ({ deps, tenantId, body, actor }) => {
  const group: StaffGroup = {
    id: deps.newId(),
    tenantId,
    name: body.name,
    ...(body.description ? { description: body.description } : {}),
    createdAt: deps.now().toISOString(),
    createdBy: actor,
  };
  await createStaffGroup(deps.store, group);
  return json(201, group, { location: `/v1/tenants/${tenantId}/staff-groups/${group.id}` });
});

export const handler = toLambda(operation);
