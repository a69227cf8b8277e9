/**
 * `npm run nightly -- <tenantId> <asOf> [--full]`: the nightly run of one business, here, with a
 * progress bar — the same planning and units as the scheduled run in AWS (functions/jobs).
 *
 * It works on the DynamoDB Local of `npm start` (start both with the same DDB_PORT, or pass the
 * endpoint `npm start` printed as DDB_ENDPOINT) and its table (TABLE_NAME, default
 * ctv-cloud-local). asOf is a local day (2026-11-01: closes October) or an instant with offset, not
 * in the future on this command's clock: the machine's, or LOCAL_NOW's when it is set (as for `npm
 * start`; after `POST /local/clock`, pass the instant the server's clock was moved to).
 */
import { makeDeps } from '../../functions/deps';
import { createNightlyJob, runJobInProcess } from '../../functions/jobs/nightly';
import { createStore } from '../../functions/store/client';
import { createLocalClock, localNowFromEnv } from './clock';

const USAGE = 'usage: npm run nightly -- <tenantId> <asOf: 2026-11-01 | 2026-11-01T02:00:00+07:00> [--full]';

export function progressBar(done: number, total: number, label: string, width = 30): string {
  const share = total === 0 ? 1 : Math.min(1, done / total);
  const filled = Math.round(share * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.round(share * 100)).padStart(3)}% ${done}/${total} ${label}`;
}

async function main() {
  const args = process.argv.slice(2);
  const full = args.includes('--full');
  const [tenantId, asOf] = args.filter((a) => !a.startsWith('--'));
  if (!tenantId || !asOf) {
    console.error(USAGE);
    process.exit(2);
  }
  const endpoint = process.env.DDB_ENDPOINT ?? `http://127.0.0.1:${process.env.DDB_PORT ?? 8000}`;
  const tableName = process.env.TABLE_NAME ?? 'ctv-cloud-local';
  const deps = makeDeps({
    store: createStore({ tableName, endpoint }),
    now: createLocalClock(localNowFromEnv(process.env.LOCAL_NOW)).now,
    log: (entry) => {
      if (entry.level === 'error') console.error(`\n${JSON.stringify(entry)}`);
    },
  });
  const tty = process.stderr.isTTY;
  let last = '';
  const { job } = await createNightlyJob(deps, tenantId, { asOf, mode: full ? 'full' : 'auto', requestedBy: 'local-cli' });
  console.error(`nightly run ${job.id} for ${tenantId} as of ${job.asOf} (${endpoint}, table ${tableName})`);
  const done = await runJobInProcess(deps, tenantId, job.id, {
    onProgress: ({ done, total, phase }) => {
      const line = progressBar(done, total, phase);
      if (tty) process.stderr.write(`\r${line.padEnd(last.length)}`);
      else if (phase !== last) console.error(line);
      last = tty ? line : phase;
    },
  });
  if (tty) process.stderr.write('\n');
  if (done.state !== 'succeeded') {
    console.error(`failed: ${done.error ?? done.state}`);
    process.exit(1);
  }
  console.log(JSON.stringify({ jobId: done.id, state: done.state, summary: done.summary, counters: done.counters }, null, 2));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
