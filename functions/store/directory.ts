/**
 * The lists the nightly run walks, ids only, through GSI1: every registered business, and every
 * CTV of a business. (A request never reads a whole list: it pages.)
 */
import type { Store } from './client';
import { keys } from './keys';
import { byIndexPartition, queryAll } from './paging';

/** Every registered business (GSI1 `TENANTS`). */
export async function allTenantIds(store: Store): Promise<string[]> {
  const source = keys.tenantsAll();
  const items = await queryAll<{ id?: string; tenantId?: string }>(store, {
    ...byIndexPartition(source.index, source.pk),
    ProjectionExpression: '#id',
    ExpressionAttributeNames: { '#pk': `${source.index}pk`, '#id': 'id' },
  });
  return items.map((i) => i.id ?? i.tenantId ?? '').filter(Boolean);
}

/** Every CTV id of a business (GSI1 `T#t#CTVS`), sorted. */
export async function allCollaboratorIds(store: Store, tenantId: string): Promise<string[]> {
  const source = keys.collaboratorsAll(tenantId);
  const items = await queryAll<{ id: string }>(store, {
    ...byIndexPartition(source.index, source.pk),
    ProjectionExpression: '#id',
    ExpressionAttributeNames: { '#pk': `${source.index}pk`, '#id': 'id' },
  });
  return items.map((i) => i.id).sort();
}
