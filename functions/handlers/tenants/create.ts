import { implement, json, toLambda } from '../../http/operation';
import { tenantRoutes } from '../../routes/tenants';
import { createBusiness } from '../../services/tenants';

export const operation = implement(tenantRoutes.create, async ({ deps, body, actor }) => {
  const tenant = await createBusiness(deps, actor, body);
  return json(201, tenant, { location: `/v1/tenants/${tenant.id}` });
});

export const handler = toLambda(operation);
