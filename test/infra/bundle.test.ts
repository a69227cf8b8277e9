import { App } from 'aws-cdk-lib';
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { ROUTES } from '../../functions/routes';
import type { Route } from '../../functions/routes/route';
import { DELIVERY_WORKER_ID } from '../../infra/api-stack';
import { createCtvCloud, PROJECT_ROOT } from '../../infra/ctv-cloud';
import { BUNDLING } from '../../infra/route-function';
import { ENV } from './synth';

const outdir = mkdtempSync(join(tmpdir(), 'ctv-cdk-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

/** A bundle this large means the AWS SDK (or something as big) was bundled in. */
const MAX_BUNDLE_BYTES = 500 * 1024;
const skip = process.env.INFRA_SKIP_BUNDLE === '1';

/**
 * Import every bundle in a fresh Node, as Lambda would: an ES module that must load and export a
 * `handler` function. The only package it can find is @aws-sdk (linked beside the assembly), as on
 * the runtime, so a dependency left out of a bundle fails to import.
 */
function loadBundles(files: Record<string, string>): Record<string, string> {
  mkdirSync(join(outdir, 'node_modules'));
  symlinkSync(join(PROJECT_ROOT, 'node_modules', '@aws-sdk'), join(outdir, 'node_modules', '@aws-sdk'));
  const script = `
    const out = {};
    for (const [id, file] of Object.entries(JSON.parse(process.argv[1]))) {
      try { out[id] = typeof (await import(file)).handler; } catch (e) { out[id] = String(e).slice(0, 300); }
    }
    console.log(JSON.stringify(out));`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(files)], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout);
}

/**
 * Bundle size by entry file, all entries in one esbuild call in memory (shared modules are parsed
 * once; no process per file), with the functions' settings.
 */
async function bundleSizes(handlers: string[]): Promise<Map<string, number>> {
  const result = await build({
    entryPoints: handlers.map((h) => join(PROJECT_ROOT, h)),
    absWorkingDir: PROJECT_ROOT,
    outdir: join(outdir, 'sizes'),
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    target: BUNDLING.target,
    mainFields: [...BUNDLING.mainFields],
    banner: { js: BUNDLING.banner },
    minify: BUNDLING.minify,
    external: [...BUNDLING.externalModules],
    tsconfig: join(PROJECT_ROOT, 'tsconfig.json'),
    logLevel: 'silent',
  });
  const sizes = new Map<string, number>();
  for (const output of Object.values(result.metafile.outputs)) if (output.entryPoint) sizes.set(output.entryPoint, output.bytes);
  return sizes;
}

/**
 * Which routes go through CDK's bundling. CDK runs esbuild through `npx`, about 1–3 s per function
 * on a 2-core machine, so all of ~100 routes would take minutes: the test takes one route per tag
 * (each area's own dependencies) plus the largest bundle, and checks every other handler with
 * esbuild's API in memory (it bundles, and under the size limit). INFRA_BUNDLE_ALL=1 takes them all.
 */
function sampleOf(routes: readonly Route<any, any>[], sizes: Map<string, number>): Route<any, any>[] {
  if (process.env.INFRA_BUNDLE_ALL === '1') return [...routes];
  const sample = new Map<string, Route<any, any>>();
  for (const r of routes) if (![...sample.values()].some((s) => s.tag === r.tag)) sample.set(r.id, r);
  const largest = [...routes].sort((a, b) => sizes.get(b.handler)! - sizes.get(a.handler)!)[0]!;
  sample.set(largest.id, largest);
  return [...sample.values()];
}

/** Bundle size by handler file (as in the route table), every handler (once for both tests). */
let sizes: Promise<Map<string, number>> | undefined;
const handlerSizes = () => (sizes ??= bundleSizes([...new Set(ROUTES.map((r) => r.handler))]));

it.skipIf(skip)('bundles every handler with esbuild, each under the size limit', { timeout: 120_000 }, async () => {
  const all = await handlerSizes();
  expect([...all.keys()].sort()).toEqual([...new Set(ROUTES.map((r) => r.handler))].sort());
  for (const [handler, size] of all) expect(size, `${handler}: bundle size`).toBeLessThan(MAX_BUNDLE_BYTES);
});

/**
 * The slow test: a synth as `cdk synth` does it, with CDK's own bundling and its CloudFormation
 * validation on. It proves each sampled entry (and the delivery worker, and the nightly jobs once
 * they exist) bundles to an ES module that loads, exports `handler` and needs nothing at run time but
 * Node and the runtime's AWS SDK.
 */
it.skipIf(skip)('bundles a sample of the routes through CDK, and the templates pass CDK validation', { timeout: 15 * 60_000 }, async () => {
  const sample = sampleOf(ROUTES, await handlerSizes());
  // asset metadata (as the CLI turns on) names each function's bundle directory
  const app = new App({ outdir, context: { 'aws:cdk:enable-asset-metadata': true } });
  const { api, jobs } = createCtvCloud(app, { env: ENV, routes: sample });
  const assembly = app.synth();

  // the route functions are in the nested stacks' templates, written beside the stacks' own
  const templates = readdirSync(assembly.directory)
    .filter((f) => f.endsWith('.nested.template.json'))
    .map((f) => JSON.parse(readFileSync(join(assembly.directory, f), 'utf8')));
  // the delivery worker is in the API stack's own template
  templates.push(assembly.getStackByName(api.stackName).template);
  if (jobs) templates.push(assembly.getStackByName(jobs.stackName).template);
  const functions = templates.flatMap((t) => Object.values(t.Resources as Record<string, any>)).filter((r) => r.Type === 'AWS::Lambda::Function');

  const expected = [
    ...sample.map((r) => `${api.stackName}-${r.id}`),
    `${api.stackName}-${DELIVERY_WORKER_ID}`,
    `${api.stackName}-${DELIVERY_WORKER_ID}Sweep`,
    ...(jobs ? [`${jobs.stackName}-nightlySchedule`, `${jobs.stackName}-nightlyWorker`] : []),
  ];
  const bundles: Record<string, string> = {};
  for (const name of expected) {
    const fn = functions.find((f) => f.Properties.FunctionName === name);
    expect(fn, name).toBeDefined();
    const file = join(assembly.directory, fn.Metadata['aws:asset:path'], 'index.mjs');
    const code = readFileSync(file, 'utf8');

    expect(code.startsWith("import { createRequire } from 'module';"), `${name}: require banner`).toBe(true);
    // the SDK stays out (the runtime has it): a bundled SDK would make this several times larger
    expect(statSync(file).size, `${name}: bundle size`).toBeLessThan(MAX_BUNDLE_BYTES);
    bundles[name] = pathToFileURL(file).href;
  }
  expect(loadBundles(bundles)).toEqual(Object.fromEntries(expected.map((n) => [n, 'function'])));

  const report = JSON.parse(readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8'));
  const violations = report.pluginReports.flatMap((p: { violations?: unknown[] }) => p.violations ?? []);
  expect(violations).toEqual([]);
});
