import type { Zone } from '../../domain/period';
import { calendarOf } from '../../domain/entities/tenant';
/**
 * The nightly run (DOMAIN.md "Periods, snapshots and payouts"; issue 7): create a job, plan it
 * (pure planning in domain/nightly.ts over what this module reads), run its units phase by phase.
 *
 * Two ways to run the same units:
 *   - in-process (local server, tests, `npm run nightly`): phases in order, the units of a phase
 *     with bounded concurrency;
 *   - in AWS, through SQS: the planner sends the first phase's units; the worker that completes the
 *     last unit of a phase advances the job (a conditional write: exactly one does) and sends the
 *     next phase's units. A unit that keeps failing fails the job and goes to the dead-letter queue.
 * Either way a unit is marked done with its phase counter in one transaction, so a unit delivered
 * twice counts once, and every unit's effect is idempotent (see units.ts): a crashed run followed
 * by a new run ends where one clean run ends.
 */
import { ruleViolation, invalid } from '../../domain/errors';
import {
  asOfInstant,
  monthsToClose,
  openMonthAt,
  periodsInProgress,
  planRun,
  snapshotFingerprint,
  type UnitSpec,
} from '../../domain/nightly';
import { localDay, periodIdAt, type Cycle } from '../../domain/period';
import type { Deps } from '../deps';
import { METRIC } from '../../infra/metrics';
import {
  advancePhase,
  completeUnit,
  createJob,
  finishJob,
  getJob,
  getUnit,
  saveJobPlan,
  unitsOfPhase,
  type Job,
  type StoredUnit,
} from '../store/jobs';
import { getPeriodsState, listPeriodRecords } from '../store/periods';
import { allPlanVersions } from '../store/plans';
import { changedSince, getNightlyState, getStaffSnapshot, putNightlyState } from '../store/snapshots';
import { allCollaboratorIds } from '../store/directory';
import { getSettings, getTenant } from '../store/tenants';
import { mapLimit } from './data';
import type { JobQueue } from './queue';
import { UNIT_RUNNERS, type Fault, type UnitResult } from './units';

/** Change markers are re-read this far back on the next run: a change committed while a run read them is not missed. */
const MARKER_OVERLAP_MS = 5 * 60_000;
/** How long the statements phase waits after a freeze in AWS, for the ledger index (GSI) to catch up. */
/**
 * After a freeze (and after the statements), the next phase waits this long. It is also the close's
 * fence against order changes priced just before the freeze: an order change runs in a function
 * with a shorter timeout (ROUTE_TIMEOUT_SECONDS, checked by an infra test), so by the time the
 * statements read the ledger, every change that read the old closed list has landed or failed.
 */
export const FREEZE_SETTLE_SECONDS = 15;

export interface NightlyRequest {
  asOf: string;
  mode?: 'auto' | 'full';
  requestedBy: string;
  /** a deterministic id (scheduled runs: one job per business and day); default a new ULID */
  jobId?: string;
}

export interface RunOptions {
  /** units of a phase at once (in-process), and parallel reads inside a unit */
  concurrency?: number;
  fault?: Fault;
  onProgress?: (p: { done: number; total: number; phase: string }) => void;
}

/** The instant a request's asOf means; 400 when it is not a day or an instant, 422 in the future. */
export async function resolveAsOf(deps: Deps, tenantId: string, asOf: string): Promise<number> {
  const timeZone = calendarOf(await getSettings(deps.store, tenantId));
  const instant = asOfInstant(asOf, timeZone);
  if (instant === null) throw invalid([{ path: 'asOf', message: 'a local day (2026-11-01) or an instant with offset' }]);
  const now = deps.now().getTime();
  const future = /^\d{4}-\d{2}-\d{2}$/.test(asOf) ? asOf > localDay(now, timeZone) : instant > now;
  if (future) throw ruleViolation('asOf is in the future: a run closes only periods that have ended', 'asOf');
  return instant;
}

/** Create the job (queued). A deterministic id that exists already gives back the existing job. */
export async function createNightlyJob(deps: Deps, tenantId: string, request: NightlyRequest): Promise<{ job: Job; created: boolean }> {
  const instant = await resolveAsOf(deps, tenantId, request.asOf);
  const job: Job = {
    tenantId,
    id: request.jobId ?? deps.newId(),
    kind: 'nightly',
    asOfInput: request.asOf,
    asOf: new Date(instant).toISOString(),
    mode: request.mode ?? 'auto',
    requestedBy: request.requestedBy,
    createdAt: deps.now().toISOString(),
    state: 'queued',
    phases: [],
    phase: 0,
    progress: {},
    version: 1,
  };
  if (await createJob(deps.store, job)) return { job, created: true };
  return { job: (await getJob(deps.store, tenantId, job.id))!, created: false };
}

/** The first month that may hold data: the business's creation or its first plan, whichever is earlier. */
function firstMonthOf(createdAt: string, effectiveFroms: string[], timeZone: Zone): string {
  let first = periodIdAt(Date.parse(createdAt), 'month', timeZone);
  for (const day of effectiveFroms) if (day.slice(0, 7) < first) first = day.slice(0, 7);
  return first;
}

/** Read what the plan needs, plan, store the units, start the job. Null when it was planned already. */
export async function planJob(deps: Deps, tenantId: string, jobId: string, options: { chunkSize?: number } = {}): Promise<Job | null> {
  const job = await getJob(deps.store, tenantId, jobId);
  if (job?.state !== 'queued') return null;
  const [tenant, settings, versions, periods, records, state] = await Promise.all([
    getTenant(deps.store, tenantId),
    getSettings(deps.store, tenantId),
    allPlanVersions(deps.store, tenantId),
    getPeriodsState(deps.store, tenantId),
    listPeriodRecords(deps.store, tenantId),
    getNightlyState(deps.store, tenantId),
  ]);
  const tz = calendarOf(settings);
  const asOf = Date.parse(job.asOf);
  const finished = records.filter((r) => r.state === 'closed').map((r) => r.id);
  const toClose = monthsToClose(
    asOf,
    tz,
    firstMonthOf(
      tenant?.createdAt ?? job.createdAt,
      versions.map((v) => v.effectiveFrom),
      tz,
    ),
    finished,
  );
  const frozen = periods.closed.filter((m) => !finished.includes(m));

  const openMonth = openMonthAt(asOf, tz);
  const awardCycles = new Set<Cycle>(['month']);
  for (const v of versions) for (const a of v.awards ?? []) awardCycles.add(a.cycle);
  const fingerprint = snapshotFingerprint({
    openMonth,
    inProgress: periodsInProgress(asOf, awardCycles, tz),
    planVersion: versions.reduce((m, v) => Math.max(m, v.version), 0),
    settingsVersion: settings.version,
  });
  const full = job.mode === 'full' || !state || state.fingerprint !== fingerprint;
  const now = deps.now().getTime();
  const changesUpTo = new Date(now - MARKER_OVERLAP_MS).toISOString();
  const changed = full
    ? []
    : await changedSince(deps.store, tenantId, new Date(Date.parse(state!.changesReadUpTo)).toISOString(), new Date(now).toISOString());
  const ids = toClose.length > 0 || full ? await allCollaboratorIds(deps.store, tenantId) : [];
  const phases = planRun({
    asOf,
    timeZone: tz,
    toClose,
    frozen,
    collaboratorIds: ids,
    changed,
    full,
    ...(options.chunkSize ? { chunkSize: options.chunkSize } : {}),
  });
  const planned = await saveJobPlan(
    deps.store,
    job,
    phases,
    changesUpTo,
    { toClose, openMonth, full, changed: full ? ids.length : changed.length, collaborators: ids.length, fingerprint },
    deps.now().toISOString(),
  );
  return planned ? getJob(deps.store, tenantId, jobId) : null;
}

/** Run one unit and mark it done (once). The last unit of the run records the run's state and finishes the job. */
export async function runUnit(deps: Deps, job: Job, unit: StoredUnit, options: RunOptions = {}): Promise<void> {
  if (unit.done) return;
  const concurrency = options.concurrency ?? 8;
  let result: UnitResult = {};
  if (unit.spec.kind === 'run.finish') {
    await finishRun(deps, job);
  } else {
    result = await UNIT_RUNNERS[unit.spec.kind]({ deps, job, concurrency, ...(options.fault ? { fault: options.fault } : {}) }, unit.spec);
  }
  const counters: Record<string, number> = {};
  if (result.snapshots) counters.snapshots = result.snapshots;
  if (unit.spec.kind === 'snapshot.ctvs' && result.written) counters.snapshotsWritten = result.written;
  if (unit.spec.kind === 'close.statements' && result.written) counters.statements = result.written;
  if (unit.spec.kind === 'close.statements' && result.present) counters[`present.${unit.spec.month}`] = result.present;
  if (unit.spec.kind === 'close.lines' && result.written) counters.lines = result.written;
  if (unit.spec.kind === 'close.facts' && result.written) counters.facts = result.written;
  await completeUnit(deps.store, job.tenantId, job.id, unit.phase, unit.n, deps.now().toISOString(), counters);
  if (unit.spec.kind === 'run.finish') {
    const fresh = (await getJob(deps.store, job.tenantId, job.id))!;
    await endJob(deps, fresh, { state: 'succeeded', summary: summaryOf(fresh, await kpiNote(deps, fresh)) });
  }
}

async function kpiNote(deps: Deps, job: Job): Promise<string> {
  const month = job.plan?.openMonth;
  if (!month) return '';
  const [kpi, okr] = await Promise.all([
    getStaffSnapshot(deps.store, job.tenantId, month, 'KPI'),
    getStaffSnapshot(deps.store, job.tenantId, month, 'OKR'),
  ]);
  const note = (s: typeof kpi, name: string) =>
    !s ? `${name} not computed` : s.unavailable ? `${name} unavailable: ${s.unavailable}` : `${name} ${s.items?.length ?? 0} results`;
  return `${note(kpi, 'KPI')}; ${note(okr, 'OKR')}`;
}

function summaryOf(job: Job, kpi: string) {
  return {
    closed: job.plan?.toClose ?? [],
    openMonth: job.plan?.openMonth ?? '',
    full: job.plan?.full ?? false,
    changed: job.plan?.changed ?? 0,
    snapshots: job.counters?.snapshots ?? 0,
    written: job.counters?.snapshotsWritten ?? 0,
    kpi,
  };
}

/** The run's own state: what it has seen, so the next run recomputes only what changed since. */
async function finishRun(deps: Deps, job: Job): Promise<void> {
  if (!job.plan || !job.changesUpTo) throw new Error('the job was not planned');
  await putNightlyState(deps.store, {
    tenantId: job.tenantId,
    lastJobId: job.id,
    lastAsOf: job.asOf,
    changesReadUpTo: job.changesUpTo,
    fingerprint: job.plan.fingerprint,
    updatedAt: deps.now().toISOString(),
  });
}

const errorText = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

/**
 * Run a job here, phase after phase (planning it first if needed). Resolves with the job's final
 * state; a unit that throws fails the job (its effects so far stay: they are idempotent, and the
 * next run completes them).
 */
export async function runJobInProcess(deps: Deps, tenantId: string, jobId: string, options: RunOptions = {}): Promise<Job> {
  try {
    let job = await getJob(deps.store, tenantId, jobId);
    if (!job) throw new Error(`job ${jobId} does not exist`);
    if (job.state === 'queued') await planJob(deps, tenantId, jobId);
    job = (await getJob(deps.store, tenantId, jobId))!;
    const total = job.phases.reduce((s, p) => s + p.units, 0);
    let done = job.phases.slice(0, job.phase).reduce((s, p) => s + p.units, 0);
    while (job.state === 'running' && job.phase < job.phases.length) {
      const phase = job.phase;
      const units = (await unitsOfPhase(deps.store, tenantId, jobId, phase)).filter((u) => !u.done);
      const current = job;
      await mapLimit(units, options.concurrency ?? 4, async (unit) => {
        await runUnit(deps, current, unit, options);
        done += 1;
        options.onProgress?.({ done, total, phase: current.phases[phase]!.name });
      });
      job = (await getJob(deps.store, tenantId, jobId))!;
      if (job.state !== 'running') break;
      await advancePhase(deps.store, tenantId, jobId, phase);
      job = (await getJob(deps.store, tenantId, jobId))!;
    }
    return job;
  } catch (error) {
    deps.log({ level: 'error', msg: 'nightly job failed', tenantId, jobId, error: errorText(error).slice(0, 300) });
    await failJob(deps, tenantId, jobId, error);
    return (await getJob(deps.store, tenantId, jobId))!;
  }
}

const unitMessages = (job: Job, phase: number, units: StoredUnit[]) =>
  units.filter((u) => !u.done).map((u) => ({ type: 'unit' as const, tenantId: job.tenantId, jobId: job.id, phase, n: u.n }));

/** In AWS: plan and send the first phase's units. */
export async function planAndDispatch(deps: Deps, queue: JobQueue, tenantId: string, jobId: string): Promise<void> {
  const job = await planJob(deps, tenantId, jobId);
  if (!job) return;
  await queue.send(unitMessages(job, 0, await unitsOfPhase(deps.store, tenantId, jobId, 0)));
}

/**
 * In AWS: one unit from the queue. After it, the worker that sees its phase complete advances the
 * job (once) and sends the next phase's units; after a freeze they wait a little, so that the
 * ledger index has caught up when the statements read it.
 */
export async function runQueuedUnit(deps: Deps, queue: JobQueue, tenantId: string, jobId: string, phase: number, n: number): Promise<void> {
  const job = await getJob(deps.store, tenantId, jobId);
  if (job?.state !== 'running') return;
  const unit = await getUnit(deps.store, tenantId, jobId, phase, n);
  if (!unit) throw new Error(`unit ${phase}/${n} of job ${jobId} does not exist`);
  await runUnit(deps, job, unit);
  const after = (await getJob(deps.store, tenantId, jobId))!;
  if (after.state !== 'running' || after.phase !== phase) return;
  if ((after.progress[`p${phase}`] ?? 0) < after.phases[phase]!.units) return;
  if (!(await advancePhase(deps.store, tenantId, jobId, phase))) return;
  const next = phase + 1;
  if (next >= after.phases.length) return;
  const units = await unitsOfPhase(deps.store, tenantId, jobId, next);
  // after a freeze and after the statements, the next phase reads what was just written through an
  // index (eventually consistent): give it time to catch up
  const settle = unit.spec.kind === 'close.freeze' || unit.spec.kind === 'close.statements' || unit.spec.kind === 'close.results';
  await queue.send(unitMessages(after, next, units), settle ? { delaySeconds: FREEZE_SETTLE_SECONDS } : {});
}

/** Fail a job (a unit exhausted its retries, or the job stalled). */
export async function failJob(deps: Deps, tenantId: string, jobId: string, error: unknown): Promise<void> {
  const job = await getJob(deps.store, tenantId, jobId);
  if (job) await endJob(deps, job, { state: 'failed', error: errorText(error) });
}

/** End a run once, and count it: its duration, and a failure (alarmed; infra/metrics.ts). */
async function endJob(deps: Deps, job: Job, outcome: Parameters<typeof finishJob>[3]): Promise<void> {
  const at = deps.now();
  if (!(await finishJob(deps.store, job.tenantId, job.id, outcome, at.toISOString()))) return;
  if (outcome.state === 'failed') deps.metric(METRIC.nightlyRunFailed);
  deps.metric(METRIC.nightlyRunDuration, Math.max(0, at.getTime() - Date.parse(job.startedAt ?? job.createdAt)));
}

/**
 * Start a run: create the job and hand it to the queue (AWS) or run it here in the background
 * (local server, tests). Answers the job as created (queued).
 */
export async function startNightly(
  deps: Deps,
  tenantId: string,
  request: NightlyRequest,
  queue: JobQueue | null,
  options: RunOptions = {},
): Promise<Job> {
  // a Lambda is frozen once it has answered: a run started here would never finish. Said before
  // the job exists, so a misconfigured function leaves no job stuck in `queued`.
  if (!queue && process.env.AWS_LAMBDA_FUNCTION_NAME)
    throw new Error('NIGHTLY_QUEUE_URL is not set: in AWS the nightly run goes through its queue');
  const { job, created } = await createNightlyJob(deps, tenantId, request);
  if (!created) return job;
  if (queue) {
    await queue.send([{ type: 'plan', tenantId, jobId: job.id }]);
  } else {
    void runJobInProcess(deps, tenantId, job.id, options);
  }
  return job;
}

export type { UnitSpec };
