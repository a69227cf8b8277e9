import { invalid } from '../../../domain/errors';
import { implement, json, toLambda } from '../../http/operation';
import { webhookSourceRoutes } from '../../routes/webhook-sources';
import { saveWebhookSource } from '../../store/webhook-sources';
import { adapterFor } from '../../webhooks/adapters/registry';
import { newSigningSecret, sealSecret, secretContext } from '../../webhooks/secrets';
import { checkVendorApi, sealVendorApi } from '../../webhooks/vendor-api';
import { viewOf } from './view';

/**
 * Register an order system. Its signing secret is the owner's (`secret`: a key the vendor gives, which
 * the owner cannot choose) or generated; either is stored sealed. The answer shows a generated
 * secret, once; never one the owner brought (they have it), nor the verify token.
 */
export const operation = implement(webhookSourceRoutes.create, async ({ deps, tenantId, body, actor }) => {
  if (body.verifyToken !== undefined && !adapterFor(body.kind).handshake) {
    throw invalid([{ path: 'verifyToken', message: `a ${body.kind} source makes no subscription handshake` }]);
  }
  if (body.api !== undefined) checkVendorApi(body.kind, body.api);
  const id = deps.newId();
  const generated = body.secret === undefined ? newSigningSecret() : undefined;
  const secret = body.secret ?? generated!;
  const createdAt = deps.now().toISOString();
  const context = secretContext(tenantId, id);
  const source = {
    id,
    tenantId,
    name: body.name,
    kind: body.kind,
    secrets: [{ sealed: sealSecret(deps.secretsKey(), secret, context), createdAt }],
    ...(body.verifyToken !== undefined ? { verifyToken: sealSecret(deps.secretsKey(), body.verifyToken, context) } : {}),
    ...(body.api !== undefined ? { api: sealVendorApi(deps.secretsKey(), body.api, context) } : {}),
    createdAt,
    createdBy: actor,
    version: 1,
  };
  await saveWebhookSource(deps.store, source);
  return json(201, viewOf(source, createdAt, generated), { etag: `"${source.version}"` });
});

export const handler = toLambda(operation);
