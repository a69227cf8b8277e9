import { implement, json, toLambda } from '../../http/operation';
import { etag } from '../../http/versions';
import { webhookSourceRoutes } from '../../routes/webhook-sources';
import { setVendorApi } from '../../services/webhook-sources';
import { viewOf } from './view';

/** The vendor's REST API credentials for a source, sealed (replacing any it held); parked deliveries can then be replayed. */
export const operation = implement(webhookSourceRoutes.setApi, async ({ deps, tenantId, params, body }) => {
  const { source, at } = await setVendorApi(deps, tenantId, params.sourceId ?? '', body);
  return json(200, viewOf(source, at), etag(source.version));
});

export const handler = toLambda(operation);
