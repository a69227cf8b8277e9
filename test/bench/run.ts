/**
 * npm run bench [-- <filter>…]: runs every benchmark module of test/bench/ (or those whose file
 * name contains a filter) and prints ONE table of figures and ratios. A module is a file here that
 * exports a `bench…()` function answering `{ name, value, unit, note?, failed? }[]`; a new file is
 * picked up without touching this one. A figure that breaks a promise (lost orders, a budget
 * exceeded) is marked FAIL and the run exits with code 1.
 *
 *   npm run bench                    everything (several minutes)
 *   npm run bench -- webhook-load    the load-with-fault run alone
 *   npm run bench -- cost overhead   several
 *   BENCH_JSON=out.json npm run bench   also write the figures as JSON
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { stopLeftoverDdb, type BenchResult } from './support';

const DIR = fileURLToPath(new URL('.', import.meta.url));
/** quick ones first; the load run last */
const ORDER = ['commission', 'overhead', 'cost', 'nightly', 'cold-start', 'synth', 'intake-ack', 'webhook-load'];
const MODULES = readdirSync(DIR)
  .filter((f) => f.endsWith('.ts') && !['run.ts', 'support.ts'].includes(f) && !f.endsWith('.test.ts'))
  .map((f) => f.replace(/\.ts$/, ''))
  .sort((a, b) => (ORDER.indexOf(a) + 1 || 99) - (ORDER.indexOf(b) + 1 || 99) || a.localeCompare(b))
  .map((name) => ({
    name,
    run: async (): Promise<BenchResult[]> => {
      const mod = (await import(pathToFileURL(`${DIR}${name}.ts`).href)) as Record<string, unknown>;
      const benches = Object.entries(mod).filter(([k, v]) => /^bench[A-Z]/.test(k) && typeof v === 'function') as [
        string,
        () => Promise<BenchResult[]>,
      ][];
      if (!benches.length) throw new Error(`${name}.ts exports no bench…() function`);
      const rows: BenchResult[] = [];
      for (const [, fn] of benches) rows.push(...(await fn()));
      return rows;
    },
  }));

function format(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return value.toLocaleString('en');
  return value.toLocaleString('en', { maximumFractionDigits: 2 });
}

function table(rows: BenchResult[]): string {
  const cells = rows.map((r) => [r.name, format(r.value), r.unit, `${r.failed ? 'FAIL ' : ''}${r.note ?? ''}`]);
  const head = ['figure', 'value', 'unit', 'note'];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => (i === 3 ? 0 : c[i]!.length))));
  const line = (c: string[]) =>
    `| ${c.map((v, i) => (i === 1 ? v.padStart(widths[i]!) : i === 3 ? v : v.padEnd(widths[i]!))).join(' | ')} |`;
  return [
    line(head),
    `|${widths.map((w, i) => (i === 1 ? `${'-'.repeat(w + 1)}:` : i === 3 ? '---' : '-'.repeat(w + 2))).join('|')}|`,
    ...cells.map(line),
  ].join('\n');
}

async function main() {
  const filters = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const chosen = MODULES.filter((m) => !filters.length || filters.some((f) => m.name.includes(f)));
  if (!chosen.length) {
    console.error(`no benchmark matches ${filters.join(', ')}; there are: ${MODULES.map((m) => m.name).join(', ')}`);
    process.exit(2);
  }
  const rows: BenchResult[] = [];
  const started = performance.now();
  for (const m of chosen) {
    const t0 = performance.now();
    process.stderr.write(`bench: ${m.name}…\n`);
    try {
      rows.push(...(await m.run()));
    } catch (error) {
      rows.push({ name: `${m.name}.error`, value: Number.NaN, unit: '', note: (error as Error).message.slice(0, 300), failed: true });
    }
    const left = await stopLeftoverDdb();
    if (left) process.stderr.write(`bench: ${m.name} left ${left} DynamoDB Local running; stopped\n`);
    process.stderr.write(`bench: ${m.name} done in ${Math.round((performance.now() - t0) / 1000)} s\n`);
  }
  const machine = `${cpus().length} CPU (${cpus()[0]?.model.trim() ?? 'unknown'}), Node ${process.version}, ${process.platform}/${process.arch}`;
  console.log(
    `\nctv-cloud benchmarks, ${new Date().toISOString().slice(0, 10)}, ${machine}; ${Math.round((performance.now() - started) / 1000)} s\n`,
  );
  console.log(table(rows));
  if (process.env.BENCH_JSON)
    writeFileSync(process.env.BENCH_JSON, JSON.stringify({ date: new Date().toISOString(), machine, rows }, null, 2));
  if (rows.some((r) => r.failed)) process.exitCode = 1;
}

await main();
// DynamoDB Local children are stopped by each module; sockets may keep the loop alive
setTimeout(() => process.exit(process.exitCode ?? 0), 200).unref();
