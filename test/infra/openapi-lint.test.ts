import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operation } from '../../functions/handlers/system/openapi';

/**
 * The served OpenAPI document (what GET /v1/openapi.json answers: the handler's own reply) passes
 * Spectral's `spectral:oas` ruleset and Redocly's `recommended` rules with no error and no
 * warning, linted by the two CLIs pinned as devDependencies (exact versions, checked below).
 *
 * Both run offline on Node 20: the CLIs come with `npm ci`, and Redocly's telemetry and update
 * notice are turned off. A broken copy of the document is linted in the same runs and must be
 * refused with the expected findings, which proves both linters, and the reading of their
 * reports, are live.
 */
const SPECTRAL = { name: '@stoplight/spectral-cli', version: '6.16.3', bin: 'dist/index.js' };
const REDOCLY = { name: '@redocly/cli', version: '2.77.0', bin: 'bin/cli.js' };
const TIMEOUT = 120_000;

const require = createRequire(import.meta.url);
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run a CLI's entry file with this Node, offline: no telemetry, no update check. */
function runCli(cli: typeof SPECTRAL, args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(packageDir(cli.name), cli.bin), ...args], {
      cwd,
      env: {
        ...process.env,
        NO_COLOR: '1',
        REDOCLY_TELEMETRY: 'off',
        REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true',
        REDOCLY_SUPPRESS_NOTIFICATIONS: 'true',
        SCARF_ANALYTICS: 'false',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

interface SpectralResult {
  code: string;
  message: string;
  severity: number; // 0 error, 1 warn, 2 info, 3 hint
  path: (string | number)[];
  source?: string;
}

interface RedoclyReport {
  version: string;
  totals: { errors: number; warnings: number; ignored: number };
  problems: { ruleId: string; severity: string; message: string; location: { pointer?: string }[] }[];
}

const SEVERITY = ['error', 'warn', 'info', 'hint'];
const spectralFinding = (r: SpectralResult) => `${SEVERITY[r.severity] ?? r.severity} ${r.code} at ${r.path.join('.')}: ${r.message}`;
const redoclyFinding = (p: RedoclyReport['problems'][number]) =>
  `${p.severity} ${p.ruleId} at ${p.location[0]?.pointer ?? '?'}: ${p.message}`;

const dir = mkdtempSync(join(tmpdir(), 'ctv-openapi-lint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const served = join(dir, 'openapi.json');
const broken = join(dir, 'broken.json');
/** where the copy's undefined required property sits */
let missingRequired = '';
let spectral: { run: Run; results: SpectralResult[] };
let redocly: { served: RedoclyReport; broken: RedoclyReport; runs: Run[] };

function redoclyReport(run: Run): RedoclyReport {
  try {
    return JSON.parse(run.stdout) as RedoclyReport;
  } catch {
    throw new Error(`redocly answered no JSON report (exit ${run.code}):\n${run.stdout.slice(0, 2000)}\n${run.stderr.slice(0, 2000)}`);
  }
}

beforeAll(async () => {
  const reply = await operation.run({} as Parameters<typeof operation.run>[0]);
  expect(reply.status).toBe(200);
  const doc = reply.body as any;
  writeFileSync(served, JSON.stringify(doc, null, 2));

  // a copy each linter must refuse: no contact, no licence, an operation without description,
  // a tag used but not declared, a required property that is not defined (which also makes the
  // example generated before it invalid: proof the examples are checked against their schemas)
  const copy = structuredClone(doc);
  delete copy.info.contact;
  delete copy.info.license;
  delete copy.paths['/v1/me'].get.description;
  copy.tags = copy.tags.filter((t: { name: string }) => t.name !== 'system');
  const required: string[] = copy.components.schemas.Me.required;
  required.push('nowhere');
  missingRequired = `#/components/schemas/Me/required/${required.length - 1}`;
  writeFileSync(broken, JSON.stringify(copy, null, 2));

  writeFileSync(join(dir, '.spectral.yaml'), 'extends: ["spectral:oas"]\n');
  writeFileSync(join(dir, 'redocly.yaml'), 'extends:\n  - recommended\n');

  const spectralOut = join(dir, 'spectral.json');
  const [spectralRun, ...redoclyRuns] = await Promise.all([
    runCli(SPECTRAL, ['lint', served, broken, '--ruleset', join(dir, '.spectral.yaml'), '--format', 'json', '--output', spectralOut], dir),
    ...[served, broken].map((file) => runCli(REDOCLY, ['lint', file, '--config', join(dir, 'redocly.yaml'), '--format', 'json'], dir)),
  ]);
  let results: SpectralResult[];
  try {
    results = JSON.parse(readFileSync(spectralOut, 'utf8')) as SpectralResult[];
  } catch {
    throw new Error(
      `spectral wrote no JSON report (exit ${spectralRun!.code}):\n${spectralRun!.stdout.slice(0, 2000)}\n${spectralRun!.stderr.slice(0, 2000)}`,
    );
  }
  spectral = { run: spectralRun!, results };
  redocly = { served: redoclyReport(redoclyRuns[0]!), broken: redoclyReport(redoclyRuns[1]!), runs: redoclyRuns };
}, TIMEOUT);

describe('the served OpenAPI document, linted', () => {
  it(`the linters are the pinned ${SPECTRAL.name} ${SPECTRAL.version} and ${REDOCLY.name} ${REDOCLY.version}`, () => {
    for (const cli of [SPECTRAL, REDOCLY]) {
      expect(JSON.parse(readFileSync(join(packageDir(cli.name), 'package.json'), 'utf8')).version, cli.name).toBe(cli.version);
    }
    expect(redocly.served.version).toBe(REDOCLY.version);
  });

  it(`passes spectral:oas with no error and no warning`, () => {
    const findings = spectral.results.filter((r) => r.source === served && r.severity <= 1).map(spectralFinding);
    expect(findings, `spectral lint (exit ${spectral.run.code}):\n${findings.join('\n')}`).toEqual([]);
  });

  it(`passes Redocly's recommended rules with no error and no warning`, () => {
    const findings = redocly.served.problems.filter((p) => p.severity === 'error' || p.severity === 'warn').map(redoclyFinding);
    expect(findings, `redocly lint (exit ${redocly.runs[0]!.code}):\n${findings.join('\n')}`).toEqual([]);
    expect(redocly.served.totals).toMatchObject({ errors: 0, warnings: 0 });
  });

  it('both linters are live: a broken copy is refused with the expected findings', () => {
    const spectralBroken = spectral.results.filter((r) => r.source === broken);
    expect(spectralBroken.map((r) => `${r.code} ${r.path.join('.')}`).sort()).toEqual([
      'info-contact info',
      'oas3-valid-media-example paths./v1/me.get.responses.200.content.application/json.example',
      'operation-description paths./v1/me.get',
      'operation-tag-defined paths./v1/banks.get.tags.0',
      'operation-tag-defined paths./v1/me.get.tags.0',
      'operation-tag-defined paths./v1/openapi.json.get.tags.0',
    ]);
    expect(spectralBroken.every((r) => r.severity <= 1)).toBe(true);

    expect(redocly.broken.problems.map((p) => `${p.ruleId} ${p.location[0]?.pointer}`).sort()).toEqual([
      'info-license #/info',
      'no-invalid-media-type-examples #/paths/~1v1~1me/get/responses/200/content/application~1json/example',
      `no-required-schema-properties-undefined ${missingRequired}`,
    ]);
    expect(redocly.broken.totals.warnings + redocly.broken.totals.errors).toBe(3);
  });
});
