import { notFound } from '../../../domain/errors';
import { implement, json, toLambda } from '../../http/operation';
import { tenantRoutes } from '../../routes/tenants';
import { getTenant } from '../../store/tenants';

export const operation = implement(tenantRoutes.get, async ({ deps, tenantId }) => {
  const tenant = await getTenant(deps.store, tenantId);
  if (!tenant) throw notFound('Business');
  return json(200, tenant);
});

export const handler = toLambda(operation);
