/**
 * Cold start budget: every handler of the route table bundled as CDK bundles it (esbuild, ESM,
 * minified, node22 target, @aws-sdk external — infra/route-function.ts BUNDLING), and a baseline
 * handler that only does a lib-dynamodb GetItem, built with the same settings in the same run.
 * For each: the bundle's size, and its module-init time — `await import()` of the bundle in a
 * fresh Node process (the SDK comes from node_modules, as the runtime provides it), median of
 * COLD_RUNS (default 3) per handler; the baseline once after each handler, median of all.
 *
 * Budget (COLD_BUDGET_X, default 3): no handler's init may exceed that multiple of the baseline's,
 * and no bundle may exceed 500 KB (the SDK bundled in by mistake).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { ROUTES } from '../../functions/routes';
import { BUNDLING } from '../../infra/route-function';
import { envNumber, percentile, round, type BenchResult } from './support';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MAX_BUNDLE_BYTES = 500 * 1024;

const BASELINE = `
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
export const handler = async (event: { pathParameters?: { id?: string } }) => {
  const out = await db.send(new GetCommand({ TableName: process.env.TABLE_NAME, Key: { pk: event.pathParameters?.id ?? '', sk: 'ITEM' } }));
  return { statusCode: out.Item ? 200 : 404, body: JSON.stringify(out.Item ?? null) };
};
`;

/**
 * In a fresh process: import the bundle (module init), then — for route handlers — one first
 * invocation that needs no I/O (no token, ids that cannot exist: a 401/404 before any read) but
 * builds the handler's dependencies (the DynamoDB client) as a real first request does. The
 * baseline builds its client at import, so its import is its whole cold start.
 */
const IMPORT_ONCE = `
const [file, eventJson] = process.argv.slice(1);
const t0 = performance.now();
const mod = await import(file);
const ms = performance.now() - t0;
if (typeof mod.handler !== 'function') throw new Error('no handler export');
let firstCall = ms;
if (eventJson) {
  const log = console.log;
  console.log = () => {};
  await mod.handler(JSON.parse(eventJson), { awsRequestId: 'cold-start', functionName: 'cold-start' });
  console.log = log;
  firstCall = performance.now() - t0;
}
console.log(JSON.stringify({ ms, firstCall, sinceStart: performance.now() }));
`;

function eventFor(route: (typeof ROUTES)[number]): string {
  const rawPath = route.path.replace(/\{(\w+)\}/g, 'x');
  const pathParameters = Object.fromEntries([...route.path.matchAll(/\{(\w+)\}/g)].map((m) => [m[1], 'x']));
  return JSON.stringify({
    version: '2.0',
    routeKey: `${route.method} ${route.path}`,
    rawPath,
    rawQueryString: '',
    headers: { 'content-type': 'application/json' },
    pathParameters,
    body: route.body ? '{}' : undefined,
    isBase64Encoded: false,
    requestContext: {
      http: { method: route.method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'cold' },
      requestId: 'cold',
      routeKey: `${route.method} ${route.path}`,
      stage: '$default',
      timeEpoch: Date.now(),
    },
  });
}

function initTime(file: string, runs: number, event?: string): { ms: number; firstCall: number; sinceStart: number } {
  const ms: number[] = [];
  const first: number[] = [];
  const total: number[] = [];
  for (let i = 0; i < runs; i++) {
    const run = spawnSync(
      process.execPath,
      ['--input-type=module', '-e', IMPORT_ONCE, pathToFileURL(file).href, ...(event ? [event] : [])],
      {
        encoding: 'utf8',
        // a closed port: should anything try the network, it fails at once instead of reaching AWS
        env: {
          PATH: process.env.PATH,
          TABLE_NAME: 'ctv-cloud',
          AWS_REGION: 'ap-southeast-1',
          DYNAMODB_ENDPOINT: 'http://127.0.0.1:9',
          NODE_NO_WARNINGS: '1',
        },
      },
    );
    if (run.status !== 0) throw new Error(`${file}: ${run.stderr.slice(0, 500)}`);
    const out = JSON.parse(run.stdout.trim().split('\n').pop()!) as { ms: number; firstCall: number; sinceStart: number };
    ms.push(out.ms);
    first.push(out.firstCall);
    total.push(out.sinceStart);
  }
  return { ms: percentile(ms, 50), firstCall: percentile(first, 50), sinceStart: percentile(total, 50) };
}

export async function benchColdStart(): Promise<BenchResult[]> {
  const RUNS = envNumber('COLD_RUNS', 3);
  const BUDGET_X = envNumber('COLD_BUDGET_X', 3);
  const outdir = mkdtempSync(join(tmpdir(), 'ctv-cold-'));
  try {
    // the runtime's SDK, as Lambda's nodejs22.x provides it; nothing else resolvable
    mkdirSync(join(outdir, 'node_modules'));
    symlinkSync(join(ROOT, 'node_modules', '@aws-sdk'), join(outdir, 'node_modules', '@aws-sdk'));
    const common = {
      bundle: true,
      platform: 'node' as const,
      format: 'esm' as const,
      target: BUNDLING.target,
      mainFields: [...BUNDLING.mainFields],
      banner: { js: BUNDLING.banner },
      minify: BUNDLING.minify,
      external: [...BUNDLING.externalModules],
      tsconfig: join(ROOT, 'tsconfig.json'),
      absWorkingDir: ROOT,
      outExtension: { '.js': '.mjs' },
      logLevel: 'error' as const,
    };
    const handlers = [...new Set(ROUTES.map((r) => r.handler))];
    const t0 = performance.now();
    await build({ ...common, entryPoints: handlers.map((h) => join(ROOT, h)), outbase: ROOT, outdir: join(outdir, 'handlers') });
    await build({
      ...common,
      stdin: { contents: BASELINE, resolveDir: ROOT, loader: 'ts', sourcefile: 'baseline.ts' },
      outfile: join(outdir, 'baseline.mjs'),
    });
    const buildMs = performance.now() - t0;

    const fileOf = (h: string) => join(outdir, 'handlers', relative(ROOT, join(ROOT, h)).replace(/\.ts$/, '.mjs'));
    const baselineFile = join(outdir, 'baseline.mjs');
    const routeOf = (h: string) => ROUTES.find((r) => r.handler === h)!;
    // the baseline is measured between the handlers, once after each, so that both see the same
    // machine (load from elsewhere moves these figures a lot); its median is over all those runs
    const baselineRuns: { ms: number; sinceStart: number }[] = [];
    const measured = handlers.map((h) => {
      const m = { handler: h, size: statSync(fileOf(h)).size, ...initTime(fileOf(h), RUNS, eventFor(routeOf(h))) };
      baselineRuns.push(initTime(baselineFile, 1));
      return m;
    });
    const baseline = {
      size: statSync(baselineFile).size,
      ms: percentile(
        baselineRuns.map((b) => b.ms),
        50,
      ),
      sinceStart: percentile(
        baselineRuns.map((b) => b.sinceStart),
        50,
      ),
    };

    const sizes = measured.map((m) => m.size);
    const inits = measured.map((m) => m.ms);
    const firsts = measured.map((m) => m.firstCall);
    const bySize = [...measured].sort((a, b) => b.size - a.size);
    const byInit = [...measured].sort((a, b) => b.ms - a.ms);
    const byFirst = [...measured].sort((a, b) => b.firstCall - a.firstCall);
    const kb = (b: number) => round(b / 1024);
    const name = (h: string) => h.replace(/^functions\/handlers\//, '').replace(/\.ts$/, '');
    const overBudget = measured.filter((m) => m.firstCall > baseline.ms * BUDGET_X || m.size > MAX_BUNDLE_BYTES);
    return [
      { name: 'cold.baseline.size', value: kb(baseline.size), unit: 'KB', note: 'lib-dynamodb GetItem only, same esbuild settings' },
      {
        name: 'cold.baseline.init',
        value: round(baseline.ms),
        unit: 'ms',
        note: `await import() in a fresh Node (builds its client at init), median of ${baselineRuns.length} runs spread over the measurement; ${round(baseline.sinceStart)} ms from process start`,
      },
      { name: 'cold.handlers', value: measured.length, unit: 'bundles', note: `built in ${round(buildMs / 1000)} s` },
      { name: 'cold.handler.size_median', value: kb(percentile(sizes, 50)), unit: 'KB', note: `min ${kb(Math.min(...sizes))} KB` },
      {
        name: 'cold.handler.size_max',
        value: kb(bySize[0]!.size),
        unit: 'KB',
        note: `${name(bySize[0]!.handler)}; then ${bySize
          .slice(1, 3)
          .map((m) => `${name(m.handler)} ${kb(m.size)}`)
          .join(', ')}`,
      },
      { name: 'cold.handler.size_max_vs_baseline', value: round(bySize[0]!.size / baseline.size), unit: 'x' },
      {
        name: 'cold.handler.init_median',
        value: round(percentile(inits, 50)),
        unit: 'ms',
        note: `import only (the client is built on first use); median of ${RUNS} per handler`,
      },
      {
        name: 'cold.handler.init_max',
        value: round(byInit[0]!.ms),
        unit: 'ms',
        note: `${name(byInit[0]!.handler)}; then ${byInit
          .slice(1, 3)
          .map((m) => `${name(m.handler)} ${round(m.ms)}`)
          .join(', ')}`,
      },
      {
        name: 'cold.handler.first_call_median',
        value: round(percentile(firsts, 50)),
        unit: 'ms',
        note: 'import + a first invocation that builds the DynamoDB client (no I/O)',
      },
      {
        name: 'cold.handler.first_call_max',
        value: round(byFirst[0]!.firstCall),
        unit: 'ms',
        note: `${name(byFirst[0]!.handler)}; then ${byFirst
          .slice(1, 3)
          .map((m) => `${name(m.handler)} ${round(m.firstCall)}`)
          .join(', ')}`,
      },
      {
        name: 'cold.handler.first_call_median_vs_baseline',
        value: round(percentile(firsts, 50) / baseline.ms, 2),
        unit: 'x',
        note: 'vs the baseline import (which builds its client at init)',
      },
      {
        name: 'cold.handler.first_call_max_vs_baseline',
        value: round(byFirst[0]!.firstCall / baseline.ms, 2),
        unit: 'x',
        failed: overBudget.length > 0,
        note: overBudget.length
          ? `over budget (${BUDGET_X}× baseline or 500 KB): ${overBudget.map((m) => name(m.handler)).join(', ')}`
          : `budget ${BUDGET_X}× baseline and 500 KB: every handler within`,
      },
    ];
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
