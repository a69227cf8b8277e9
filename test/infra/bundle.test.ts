import { App } from 'aws-cdk-lib';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { ROUTES } from '../../functions/routes';
import { createCtvCloud, PROJECT_ROOT } from '../../infra/ctv-cloud';
import { ENV } from './synth';

const outdir = mkdtempSync(join(tmpdir(), 'ctv-cdk-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

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
 * The one slow test: a full synth as `cdk synth` does it, with esbuild bundling every handler
 * and CDK's CloudFormation validation on. It proves each entry bundles to an ES module that
 * loads, exports `handler` and needs nothing at run time but Node and the runtime's AWS SDK.
 */
// about 1–2 s per route on a 2-core machine; INFRA_SKIP_BUNDLE=1 skips it in a quick local loop
const timeout = 60_000 + ROUTES.length * 3_000;

it.skipIf(process.env.INFRA_SKIP_BUNDLE === '1')('bundles every handler, and the templates pass CDK validation', { timeout }, () => {
  // asset metadata (as the CLI turns on) names each function's bundle directory
  const app = new App({ outdir, context: { 'aws:cdk:enable-asset-metadata': true } });
  const { api } = createCtvCloud(app, { env: ENV });
  const assembly = app.synth();

  const template = assembly.getStackByName(api.stackName).template as { Resources: Record<string, any> };
  const functions = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function');
  const bundles: Record<string, string> = {};
  for (const route of ROUTES) {
    const fn = functions.find((f) => f.Properties.FunctionName === `${api.stackName}-${route.id}`);
    expect(fn, route.id).toBeDefined();
    const file = join(assembly.directory, fn.Metadata['aws:asset:path'], 'index.mjs');
    const code = readFileSync(file, 'utf8');

    expect(code.startsWith("import { createRequire } from 'module';"), `${route.id}: require banner`).toBe(true);
    // the SDK stays out (the runtime has it): a bundled SDK would make this several times larger
    expect(statSync(file).size, `${route.id}: bundle size`).toBeLessThan(500 * 1024);
    bundles[route.id] = pathToFileURL(file).href;
  }
  expect(loadBundles(bundles)).toEqual(Object.fromEntries(ROUTES.map((r) => [r.id, 'function'])));

  const report = JSON.parse(readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8'));
  const violations = report.pluginReports.flatMap((p: { violations?: unknown[] }) => p.violations ?? []);
  expect(violations).toEqual([]);
});
