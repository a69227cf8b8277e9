/**
 * `npm start`: DynamoDB Local, the table, the local API on PORT (default 3000) on the local clock
 * (LOCAL_NOW, moved by `POST /local/clock`: infra/local/clock.ts), and demo data with a closed
 * month. Ctrl-C stops the server and the JVM.
 */
import { pathToFileURL } from 'node:url';
import { makeDeps, type Deps } from '../../functions/deps';
import { deliveryQueue, sweepWaitingDeliveries } from '../../functions/services/intake';
import { createStore } from '../../functions/store/client';
import { createLocalClock, localNowFromEnv, type LocalClock } from './clock';
import { ensureTable, startDynamoDbLocal } from './dynamodb';
import { DEFAULT_LOCAL_SECRET, signLocalToken } from './jwt';
import { DEMO, demoTimeline, seedDemo, type SeededDemo } from './seed';
import { startLocalServer } from './server';

export const LOCAL_TABLE_NAME = 'ctv-cloud-local';

export interface RunningLocal {
  url: string;
  ddbEndpoint: string;
  tableName: string;
  deps: Deps;
  clock: LocalClock;
  /** the demo business (null when started with `seed: false`) */
  demo: (SeededDemo & { ownerToken: string }) | null;
  /** seconds from the call to ready, and of them the demo data's */
  timings: { readySeconds: number; seedSeconds: number };
  stop(): Promise<void>;
}

/**
 * Everything `npm start` starts, from its environment (PORT, LOCAL_JWT_SECRET, LOCAL_NOW,
 * LOG_REQUESTS, DDB_PORT). `ddbEndpoint`: use a DynamoDB Local already running instead of starting one.
 */
export async function startLocal(
  options: { env?: NodeJS.ProcessEnv; ddbEndpoint?: string; tableName?: string; seed?: boolean } = {},
): Promise<RunningLocal> {
  const began = performance.now();
  const env = options.env ?? process.env;
  const port = Number(env.PORT ?? 3000);
  const secret = env.LOCAL_JWT_SECRET ?? DEFAULT_LOCAL_SECRET;
  const quiet = env.LOG_REQUESTS === '0';
  const tableName = options.tableName ?? LOCAL_TABLE_NAME;
  // where the clock stands when the server is ready; the demo is played from last month up to it
  const start = localNowFromEnv(env.LOCAL_NOW);
  const seed = options.seed ?? true;
  const clock = createLocalClock(seed ? demoTimeline(start).begin : start);

  const ddb = options.ddbEndpoint ? null : await startDynamoDbLocal({ port: env.DDB_PORT ? Number(env.DDB_PORT) : undefined });
  const ddbEndpoint = options.ddbEndpoint ?? ddb!.endpoint;
  let server: Awaited<ReturnType<typeof startLocalServer>> | undefined;
  let sweep: NodeJS.Timeout | undefined;
  const stop = async () => {
    clearInterval(sweep);
    await server?.close().catch(() => undefined);
    await ddb?.stop();
  };
  try {
    await ensureTable(ddbEndpoint, tableName);
    const deps = makeDeps({
      store: createStore({ tableName, endpoint: ddbEndpoint }),
      now: clock.now,
      // LOG_REQUESTS=0: errors only
      log: (entry) => {
        if (!quiet) console.log(JSON.stringify(entry));
        else if (entry.level === 'error') console.error(JSON.stringify(entry));
      },
    });
    server = await startLocalServer({ deps, jwtSecret: secret, port, clock });
    // the delivery sweep of AWS's schedule (docs/orders.md, "Order intake"), every minute here
    sweep = setInterval(
      () => void sweepWaitingDeliveries(deps, deliveryQueue(deps)).catch((e: unknown) => console.error(e)),
      60_000,
    ).unref();
    let demo: RunningLocal['demo'] = null;
    const seedBegan = performance.now();
    if (seed) {
      const ownerToken = await signLocalToken(secret, DEMO.owner, { email: 'owner@example.vn', expiresIn: '30d' });
      const url = server.url;
      const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
        const res = await fetch(url + path, {
          method,
          headers: { authorization: `Bearer ${ownerToken}`, 'content-type': 'application/json', ...headers },
          body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
        });
        return { status: res.status, body: await res.json().catch(() => null) };
      };
      demo = { ...(await seedDemo(call, clock, start)), ownerToken };
    }
    const done = performance.now();
    return {
      url: server.url,
      ddbEndpoint,
      tableName,
      deps,
      clock,
      demo,
      timings: { readySeconds: (done - began) / 1000, seedSeconds: (done - seedBegan) / 1000 },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function main() {
  let local: RunningLocal | undefined;
  const stop = async () => {
    await local?.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    local = await startLocal();
  } catch (error) {
    console.error(error instanceof Error && error.message.startsWith('LOCAL_NOW') ? error.message : error);
    process.exit(1);
  }
  const { url, ddbEndpoint, demo, clock, timings } = local;
  const { tenantId, closedMonth, payoutBatchId, ownerToken } = demo!;
  const t = `${url}/v1/tenants/${tenantId}`;
  console.log(`
ctv-cloud is running at ${url}   (DynamoDB Local at ${ddbEndpoint}, in memory; ready in ${timings.readySeconds.toFixed(1)} s, demo data ${timings.seedSeconds.toFixed(1)} s)

Its clock: ${clock.now().toISOString()} (LOCAL_NOW; move it: curl -s -X POST ${url}/local/clock -d '{"now":"<instant with offset>"}')
Demo business: ${tenantId}  (page id ${DEMO.pageId}); ${closedMonth} is closed, its statements approved and batched
Owner token (sub ${DEMO.owner}, valid 30 days):

  ${ownerToken}

Try:
  curl -s ${url}/v1/me -H "Authorization: Bearer $TOKEN"
  curl -s ${t}/collaborators -H "Authorization: Bearer $TOKEN"
  curl -s "${t}/statements?period=${closedMonth}" -H "Authorization: Bearer $TOKEN"
  curl -s ${t}/payouts/${payoutBatchId}/export -H "Authorization: Bearer $TOKEN"
  curl -s ${url}/v1/openapi.json
  curl -s "${t}/webhook-deliveries?status=parked" -H "Authorization: Bearer $TOKEN"

A token for anyone else: npm run token -- <sub> [email]
Ctrl-C stops everything.
`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) void main();
