import type { StoredWebhookSource } from '../../store/webhook-sources';

/** What a client sees of a source: never the sealed secrets; the clear secret only when just made. */
export function viewOf(source: StoredWebhookSource, secret?: string) {
  const previous = source.secrets[1];
  return {
    id: source.id,
    tenantId: source.tenantId,
    name: source.name,
    kind: source.kind,
    createdAt: source.createdAt,
    createdBy: source.createdBy,
    ...(source.rotatedAt ? { rotatedAt: source.rotatedAt } : {}),
    ...(previous?.expiresAt ? { previousSecretExpiresAt: previous.expiresAt } : {}),
    ...(secret ? { secret } : {}),
    url: `/v1/webhooks/${source.tenantId}/${source.id}/orders`,
  };
}
