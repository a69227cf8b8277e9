import { DEFAULT_SETTINGS, type Tenant } from '../../../domain/entities/tenant';
import { implement, json, toLambda } from '../../http/operation';
import { tenantRoutes } from '../../routes/tenants';
import { createTenant } from '../../store/tenants';

export const operation = implement(tenantRoutes.create, async ({ deps, body, actor }) => {
  const createdAt = deps.now().toISOString();
  const tenant: Tenant = { id: deps.newId(), name: body.name, pageId: body.pageId, ownerUserId: actor, createdAt };
  await createTenant(deps.store, tenant, { ...DEFAULT_SETTINGS, version: 1, updatedAt: createdAt, updatedBy: actor });
  return json(201, tenant, { location: `/v1/tenants/${tenant.id}` });
});

export const handler = toLambda(operation);
