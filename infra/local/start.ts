/**
 * `npm start`: DynamoDB Local, the table, the local API on PORT (default 3000) and demo data.
 * Ctrl-C stops the server and the JVM.
 */
import { makeDeps } from '../../functions/http/deps';
import { deliveryQueue, sweepWaitingDeliveries } from '../../functions/services/intake';
import { createStore } from '../../functions/store/client';
import { ensureTable, startDynamoDbLocal } from './dynamodb';
import { DEFAULT_LOCAL_SECRET, signLocalToken } from './jwt';
import { DEMO, seedDemo } from './seed';
import { startLocalServer } from './server';

const TABLE_NAME = 'ctv-cloud-local';

async function main() {
  const port = Number(process.env.PORT ?? 3000);
  const secret = process.env.LOCAL_JWT_SECRET ?? DEFAULT_LOCAL_SECRET;
  const quiet = process.env.LOG_REQUESTS === '0';

  const ddb = await startDynamoDbLocal({ port: process.env.DDB_PORT ? Number(process.env.DDB_PORT) : undefined });
  let server: Awaited<ReturnType<typeof startLocalServer>> | undefined;
  const stop = async () => {
    await server?.close().catch(() => undefined);
    await ddb.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  try {
    await ensureTable(ddb.endpoint, TABLE_NAME);
    const deps = makeDeps({
      store: createStore({ tableName: TABLE_NAME, endpoint: ddb.endpoint }),
      log: quiet ? () => undefined : (entry) => console.log(JSON.stringify(entry)),
    });
    server = await startLocalServer({ deps, jwtSecret: secret, port });
    // the delivery sweep of AWS's schedule (README, "Order intake"), every minute here
    setInterval(() => void sweepWaitingDeliveries(deps, deliveryQueue(deps)).catch((e: unknown) => console.error(e)), 60_000).unref();
    const ownerToken = await signLocalToken(secret, DEMO.owner, { email: 'owner@example.vn', expiresIn: '30d' });
    const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
      const res = await fetch(server!.url + path, {
        method,
        headers: { authorization: `Bearer ${ownerToken}`, 'content-type': 'application/json', ...headers },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      return { status: res.status, body: await res.json().catch(() => null) };
    };
    const { tenantId } = await seedDemo(call);
    console.log(`
ctv-cloud is running at ${server.url}   (DynamoDB Local at ${ddb.endpoint}, in memory)

Demo business: ${tenantId}  (page id ${DEMO.pageId})
Owner token (sub ${DEMO.owner}, valid 30 days):

  ${ownerToken}

Try:
  curl -s ${server.url}/v1/me -H "Authorization: Bearer $TOKEN"
  curl -s ${server.url}/v1/tenants/${tenantId}/collaborators -H "Authorization: Bearer $TOKEN"
  curl -s ${server.url}/v1/openapi.json
  curl -s "${server.url}/v1/tenants/${tenantId}/webhook-deliveries?status=parked" -H "Authorization: Bearer $TOKEN"

A token for anyone else: npm run token -- <sub> [email]
Ctrl-C stops everything.
`);
  } catch (error) {
    console.error(error);
    await server?.close().catch(() => undefined);
    await ddb.stop();
    process.exit(1);
  }
}

void main();
