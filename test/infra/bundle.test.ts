import { App } from 'aws-cdk-lib';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { ROUTES } from '../../functions/routes';
import { DELIVERY_WORKER_ID } from '../../infra/api-stack';
import { BUNDLE_FILE, FunctionBundles, REQUIRE_BANNER } from '../../infra/bundles';
import { createCtvCloud, PROJECT_ROOT } from '../../infra/ctv-cloud';
import { DELIVERY_SWEEP_FILE, DELIVERY_WORKER_FILE } from '../../infra/delivery-worker';
import { ENV, REQUIRED_CONTEXT } from './synth';

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
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(files)], {
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout);
}

interface Bundled {
  assembly: CloudAssembly;
  /** esbuild runs the synth made */
  builds: number;
  /** by function name: its entry file and its asset directory */
  functions: Map<string, { entry: string | undefined; dir: string }>;
  /** the function names the app must have: every route's, the delivery worker's and sweep's, the nightly jobs' */
  expected: string[];
}

/**
 * A synth as `cdk synth` does it: every function bundled through CDK (one esbuild run for all of
 * them, infra/bundles.ts), CDK's CloudFormation validation on, asset metadata on (as the CLI turns
 * it on) to find each function's bundle directory. Made once for the tests below.
 */
let bundled: Bundled | undefined;
function bundle(): Bundled {
  if (bundled) return bundled;
  const app = new App({ outdir, context: { 'aws:cdk:enable-asset-metadata': true, ...REQUIRED_CONTEXT } });
  const { api, jobs } = createCtvCloud(app, { env: ENV });
  const assembly = app.synth();
  // the route functions are in the nested stacks' templates, written beside the stacks' own
  const templates = readdirSync(assembly.directory)
    .filter((f) => f.endsWith('.nested.template.json'))
    .map((f) => JSON.parse(readFileSync(join(assembly.directory, f), 'utf8')));
  // the delivery worker is in the API stack's own template
  templates.push(assembly.getStackByName(api.stackName).template);
  if (jobs) templates.push(assembly.getStackByName(jobs.stackName).template);
  const entries = new Map<string, string>([
    ...ROUTES.map((r) => [`${api.stackName}-${r.id}`, r.handler] as const),
    [`${api.stackName}-${DELIVERY_WORKER_ID}`, DELIVERY_WORKER_FILE],
    [`${api.stackName}-${DELIVERY_WORKER_ID}Sweep`, DELIVERY_SWEEP_FILE],
    ...(jobs
      ? ([
          [jobs.scheduleFunction.fixedName!, jobs.scheduleFunction.entry],
          [jobs.workerFunction.fixedName!, jobs.workerFunction.entry],
        ] as const)
      : []),
  ]);
  const functions = new Map(
    templates
      .flatMap((t) => Object.values(t.Resources as Record<string, any>))
      .filter((r) => r.Type === 'AWS::Lambda::Function')
      .map((f) => [
        f.Properties.FunctionName as string,
        { entry: entries.get(f.Properties.FunctionName), dir: join(assembly.directory, f.Metadata['aws:asset:path']) },
      ]),
  );
  bundled = { assembly, builds: FunctionBundles.of(app, PROJECT_ROOT).builds, functions, expected: [...entries.keys()] };
  return bundled;
}

it.skipIf(skip)(
  'bundles every function in one esbuild run, each asset holding its own bundle and source map only',
  { timeout: 10 * 60_000 },
  () => {
    const { builds, functions, expected } = bundle();
    expect(builds).toBe(1);
    expect([...functions.keys()].sort()).toEqual([...expected].sort());
    const dirOfEntry = new Map<string, string>();
    for (const [name, { entry, dir }] of functions) {
      expect(readdirSync(dir).sort(), name).toEqual([BUNDLE_FILE, `${BUNDLE_FILE}.map`]);
      const code = readFileSync(join(dir, BUNDLE_FILE), 'utf8');
      // ESM needs the banner's require for bundled CommonJS; minified code needs its map for stack traces
      expect(code.startsWith(REQUIRE_BANNER), `${name}: require banner`).toBe(true);
      expect(code.trimEnd().endsWith(`//# sourceMappingURL=${BUNDLE_FILE}.map`), `${name}: source map link`).toBe(true);
      // one asset per entry: functions of the same entry share it, two entries never do
      dirOfEntry.set(entry!, dirOfEntry.get(entry!) ?? dir);
      expect(dirOfEntry.get(entry!), name).toBe(dir);
    }
    expect(new Set(dirOfEntry.values()).size).toBe(dirOfEntry.size);
  },
);

it.skipIf(skip)('keeps every bundle under the size limit (the SDK stays out: the runtime has it)', { timeout: 10 * 60_000 }, () => {
  const { functions } = bundle();
  expect(functions.size).toBeGreaterThan(ROUTES.length);
  for (const [name, { dir }] of functions)
    expect(statSync(join(dir, BUNDLE_FILE)).size, `${name}: bundle size`).toBeLessThan(MAX_BUNDLE_BYTES);
});

/**
 * Each bundle is an ES module that loads, exports `handler` and needs nothing at run time but Node
 * and the runtime's AWS SDK; and the templates pass CDK's CloudFormation validation.
 */
it.skipIf(skip)('loads every bundle as Lambda would, and the templates pass CDK validation', { timeout: 10 * 60_000 }, () => {
  const { assembly, functions } = bundle();
  const files = Object.fromEntries([...functions].map(([name, { dir }]) => [name, pathToFileURL(join(dir, BUNDLE_FILE)).href]));
  expect(loadBundles(files)).toEqual(Object.fromEntries([...functions.keys()].map((n) => [n, 'function'])));

  const report = JSON.parse(readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8'));
  const violations = report.pluginReports.flatMap((p: { violations?: unknown[] }) => p.violations ?? []);
  expect(violations).toEqual([]);
});
