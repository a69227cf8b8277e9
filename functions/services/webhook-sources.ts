import type * as z from 'zod';
import {
  rotate,
  type CreateWebhookSourceInput,
  type RotateWebhookSecretInput,
  type VendorApiInput,
} from '../../domain/entities/webhook-source';
import { invalid, notFound, preconditionFailed } from '../../domain/errors';
import type { Deps } from '../deps';
import { getWebhookSource, saveWebhookSource, type StoredWebhookSource } from '../store/webhook-sources';
import { adapterFor } from '../webhooks/adapters/registry';
import { newSigningSecret, sealSecret, secretContext } from '../webhooks/secrets';
import { checkVendorApi, sealVendorApi } from '../webhooks/vendor-api';

/**
 * The order systems a business registers. A source's signing secret is the owner's (`secret`: a
 * key the vendor gives, which the owner cannot choose) or generated; either is stored sealed, as
 * are the verify token and the vendor API credentials. `generated` is the clear secret, returned
 * once to be shown once; never one the owner brought (they have it), nor the verify token.
 */

/** Register an order system. */
export async function createWebhookSource(deps: Deps, tenantId: string, input: z.output<typeof CreateWebhookSourceInput>, actor: string) {
  if (input.verifyToken !== undefined && !adapterFor(input.kind).handshake) {
    throw invalid([{ path: 'verifyToken', message: `a ${input.kind} source makes no subscription handshake` }]);
  }
  if (input.api !== undefined) checkVendorApi(input.kind, input.api);
  const id = deps.newId();
  const generated = input.secret === undefined ? newSigningSecret() : undefined;
  const secret = input.secret ?? generated!;
  const createdAt = deps.now().toISOString();
  const context = secretContext(tenantId, id);
  const source: StoredWebhookSource = {
    id,
    tenantId,
    name: input.name,
    kind: input.kind,
    secrets: [{ sealed: sealSecret(deps.secretsKey(), secret, context), createdAt }],
    ...(input.verifyToken !== undefined ? { verifyToken: sealSecret(deps.secretsKey(), input.verifyToken, context) } : {}),
    ...(input.api !== undefined ? { api: sealVendorApi(deps.secretsKey(), input.api, context) } : {}),
    createdAt,
    createdBy: actor,
    version: 1,
  };
  await saveWebhookSource(deps.store, source);
  return { source, generated, at: createdAt };
}

/**
 * A new signing secret over the version read (else 412), so a retried call cannot rotate twice and
 * push out the secret the order system still signs with. The previous one verifies `overlapHours` more.
 */
export async function rotateWebhookSecret(
  deps: Deps,
  tenantId: string,
  sourceId: string,
  expectedVersion: number,
  input: z.output<typeof RotateWebhookSecretInput>,
) {
  const source = await getWebhookSource(deps.store, tenantId, sourceId);
  if (!source) throw notFound('Webhook source');
  if (source.version !== expectedVersion) throw preconditionFailed();
  const now = deps.now();
  const generated = input.secret === undefined ? newSigningSecret() : undefined;
  const secret = input.secret ?? generated!;
  const overlapUntil = new Date(now.getTime() + input.overlapHours * 3600_000).toISOString();
  const next = rotate(source, sealSecret(deps.secretsKey(), secret, secretContext(tenantId, source.id)), now.toISOString(), overlapUntil);
  await saveWebhookSource(deps.store, next);
  return { source: next, generated, at: now.toISOString() };
}

/** The vendor's REST API credentials for a source, sealed (replacing any it held); parked deliveries can then be replayed. */
export async function setVendorApi(deps: Deps, tenantId: string, sourceId: string, api: VendorApiInput) {
  const source = await getWebhookSource(deps.store, tenantId, sourceId);
  if (!source) throw notFound('Webhook source');
  checkVendorApi(source.kind, api);
  const next = { ...source, api: sealVendorApi(deps.secretsKey(), api, secretContext(tenantId, source.id)), version: source.version + 1 };
  await saveWebhookSource(deps.store, next);
  return { source: next, at: deps.now().toISOString() };
}
