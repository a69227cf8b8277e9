import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Store } from './client';
import { keys } from './keys';

/** The statement periods of a business that are closed (frozen): later changes go to the open period. */
export async function getClosedPeriods(store: Store, tenantId: string): Promise<string[]> {
  const out = await store.db.send(
    new GetCommand({ TableName: store.tableName, Key: keys.periods(tenantId), ConsistentRead: true }),
  );
  return (out.Item?.closed as string[] | undefined) ?? [];
}
