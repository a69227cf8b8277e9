import { activeSecrets } from '../../../domain/entities/webhook-source';
import type { StoredWebhookSource } from '../../store/webhook-sources';

/** What a client sees of a source at an instant: never the sealed secrets; the clear secret only when just made. */
export function viewOf(source: StoredWebhookSource, at: string, secret?: string) {
  const previous = source.secrets[1];
  return {
    id: source.id,
    tenantId: source.tenantId,
    name: source.name,
    kind: source.kind,
    createdAt: source.createdAt,
    createdBy: source.createdBy,
    ...(source.rotatedAt ? { rotatedAt: source.rotatedAt } : {}),
    ...(previous?.expiresAt && previous.expiresAt > at ? { previousSecretExpiresAt: previous.expiresAt } : {}),
    activeSecrets: activeSecrets(source, at).length,
    version: source.version,
    ...(secret ? { secret } : {}),
    ...(source.api
      ? {
          api: {
            baseUrl: source.api.baseUrl,
            ...(source.api.tokenUrl ? { tokenUrl: source.api.tokenUrl } : {}),
            ...(source.api.account ? { account: source.api.account } : {}),
          },
        }
      : {}),
    url: `/v1/webhooks/${source.tenantId}/${source.id}/orders`,
  };
}
