import { implement, json, toLambda } from '../../http/operation';
import { etag, expectedVersion } from '../../http/versions';
import { tenantRoutes } from '../../routes/tenants';
import { updateSettings } from '../../services/tenants';

export const operation = implement(tenantRoutes.updateSettings, async ({ deps, tenantId, body, headers, actor }) => {
  const { version, ...changes } = body;
  const next = await updateSettings(deps, tenantId, changes, expectedVersion(headers, version), actor);
  return json(200, next, etag(next.version));
});

export const handler = toLambda(operation);
