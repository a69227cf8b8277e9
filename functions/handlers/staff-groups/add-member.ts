import { implement, json, toLambda } from '../../http/operation';
import { staffGroupRoutes } from '../../routes/staff-groups';
import { addToStaffGroup } from '../../services/staff-groups';

export const operation = implement(staffGroupRoutes.addMember, async ({ deps, tenantId, params, body, actor }) =>
  json(201, await addToStaffGroup(deps, tenantId, params.groupId ?? '', body.userId, actor)),
);

export const handler = toLambda(operation);
