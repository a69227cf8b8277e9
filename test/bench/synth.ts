/**
 * `cdk synth` of the real app, as `npm run synth` runs it (all stacks, every function bundled in
 * one esbuild pass by infra/bundles.ts), into a scratch directory: wall time, the CPU time of the
 * CLI and its children, and how many functions the templates hold. Issue 17's target: under a
 * minute here. One synth (~30–60 s on 2 shared cores); the load average at the start is printed,
 * since the figure moves with it.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { round, type BenchResult } from './support';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Runs `command` in the project: its exit code, its CPU time and everything it printed on stderr. */
function run(command: string): Promise<{ code: number; cpuSeconds: number; errors: string }> {
  return new Promise((resolve) => {
    // bash's `times` prints, last, the user and system time of the children that have ended
    const child = spawn('bash', ['-c', `${command} 2>&1 >/dev/null; code=$?; times; exit $code`], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.on('close', (code) => {
      const lines = output.trimEnd().split('\n');
      // "0m19.812s 0m2.114s"
      const [user = 0, sys = 0] = [...(lines.at(-1) ?? '').matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
      resolve({ code: code ?? 1, cpuSeconds: user + sys, errors: lines.slice(0, -2).join('\n') });
    });
  });
}

export async function benchSynth(): Promise<BenchResult[]> {
  const out = mkdtempSync(join(tmpdir(), 'ctv-synth-'));
  const load = loadavg()[0]!;
  try {
    const t0 = performance.now();
    const r = await run(`npx cdk synth --quiet -c stage=bench -c corsOrigins=https://bench.example -o ${out}`);
    const seconds = (performance.now() - t0) / 1000;
    if (r.code !== 0) throw new Error(`cdk synth exited with ${r.code}: ${r.errors.slice(-500)}`);
    const functions = readdirSync(out)
      .filter((f) => f.endsWith('.template.json'))
      .map((f) => JSON.parse(readFileSync(join(out, f), 'utf8')) as { Resources?: Record<string, { Type: string }> })
      .flatMap((t) => Object.values(t.Resources ?? {}))
      .filter((r) => r.Type === 'AWS::Lambda::Function').length;
    return [
      {
        name: 'synth.wall_s',
        value: round(seconds, 1),
        unit: 's',
        note: `cdk synth --quiet, every stack, ${functions} Lambda functions in the templates (target < 60 s); load average ${round(load, 1)} at the start`,
      },
      { name: 'synth.cpu_s', value: round(r.cpuSeconds, 1), unit: 's', note: 'user + system time of the CLI and everything it started' },
    ];
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
