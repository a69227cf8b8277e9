import { etag } from '../../http/versions';
import { implement, json, toLambda } from '../../http/operation';
import { tenantRoutes } from '../../routes/tenants';
import { getSettings } from '../../store/tenants';

export const operation = implement(tenantRoutes.getSettings, async ({ deps, tenantId }) => {
  const settings = await getSettings(deps.store, tenantId);
  return json(200, settings, etag(settings.version));
});

export const handler = toLambda(operation);
