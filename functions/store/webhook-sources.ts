import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { WebhookSource } from '../../domain/entities/webhook-source';
import { preconditionFailed } from '../../domain/errors';
import type { SealedSecret } from '../webhooks/secrets';
import { isConditionFailure, stripKeys, storedVersionIs, type Store } from './client';
import { keys } from './keys';
import { queryPage, type Page, type PageRequest } from './paging';

export type StoredWebhookSource = WebhookSource<SealedSecret>;

/** Insert (version 1) or replace the version the caller read. */
export async function saveWebhookSource(store: Store, source: StoredWebhookSource): Promise<void> {
  try {
    await store.db.send(
      new PutCommand({
        TableName: store.tableName,
        Item: { ...keys.webhookSource(source.tenantId, source.id), entity: 'webhookSource', ...source },
        ...storedVersionIs(source.version - 1),
      }),
    );
  } catch (error) {
    if (isConditionFailure(error)) throw preconditionFailed('The webhook source changed meanwhile; retry');
    throw error;
  }
}

export async function getWebhookSource(store: Store, tenantId: string, sourceId: string): Promise<StoredWebhookSource | null> {
  const out = await store.db.send(new GetCommand({ TableName: store.tableName, Key: keys.webhookSource(tenantId, sourceId) }));
  return out.Item ? stripKeys<StoredWebhookSource>(out.Item) : null;
}

export function listWebhookSources(store: Store, tenantId: string, page: PageRequest): Promise<Page<StoredWebhookSource>> {
  const { pk, skPrefix } = keys.webhookSourcesPrefix(tenantId);
  return queryPage<StoredWebhookSource>(store, { pk, skPrefix }, page);
}
