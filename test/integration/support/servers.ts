import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { makeDeps, type Deps } from '../../../functions/deps';
import { createStore, type Store } from '../../../functions/store/client';
import { startLocalServer, type LocalServer } from '../../../infra/local/server';
import { suiteClock, suiteOffsetMs } from './clock';
import { apiClient, type ApiClient } from './http';

/**
 * A test-only local server on the run's DynamoDB Local and table (same handlers, same JWT secret and
 * suite clock as the shared one), without the public-write throttle so that a suite's volume is not mistaken for
 * abuse and does not eat into the shared server's buckets. `instrument` sees the store before the
 * server starts (to add SDK middleware).
 */
export async function testServer(options: { instrument?: (store: Store) => void } = {}): Promise<{
  api: ApiClient;
  store: Store;
  deps: Deps;
  server: LocalServer;
  errors: Record<string, unknown>[];
  close(): Promise<void>;
}> {
  const store = createStore({ tableName: inject('tableName'), endpoint: inject('ddbEndpoint') });
  options.instrument?.(store);
  const errors: Record<string, unknown>[] = [];
  const deps = makeDeps({
    store,
    now: suiteClock(suiteOffsetMs()),
    log: (entry) => {
      if (entry.level === 'error') errors.push(entry);
    },
  });
  const server = await startLocalServer({ deps, jwtSecret: inject('jwtSecret'), publicRateLimit: false });
  return {
    api: apiClient(server.url, inject('jwtSecret')),
    store,
    deps,
    server,
    errors,
    async close() {
      await server.close();
      store.db.destroy();
    },
  };
}

/**
 * Every item of one business, read straight from the table (a Scan: tests may, the API may not).
 * Keys of a business start with T#<tenantId>; the page-id claim and the account index are checked
 * through the API by the suites that need them.
 */
export async function tenantItems(tenantId: string): Promise<Record<string, unknown>[]> {
  const client = new DynamoDBClient({
    endpoint: inject('ddbEndpoint'),
    region: 'ap-southeast-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const db = DynamoDBDocumentClient.from(client);
  try {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await db.send(
        new ScanCommand({
          TableName: inject('tableName'),
          FilterExpression: 'begins_with(pk, :p)',
          ExpressionAttributeValues: { ':p': `T#${tenantId}` },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items.sort((a, b) => `${a.pk}|${a.sk}`.localeCompare(`${b.pk}|${b.sk}`));
  } finally {
    client.destroy();
  }
}
