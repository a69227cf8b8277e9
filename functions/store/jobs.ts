import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { UnitSpec } from '../../domain/nightly';
import { cancellationReasons, isConditionFailure, stripKeys, type Store } from './client';
import { keys } from './keys';
import { batchPutItems, byPrefix, queryAll, queryPage, type Page, type PageRequest } from './paging';
import { transact } from './transactions';

export type JobState = 'queued' | 'running' | 'succeeded' | 'failed';

export interface JobSummary {
  /** months this run closed */
  closed: string[];
  openMonth: string;
  /** snapshots recomputed: every CTV, or only the changed ones */
  full: boolean;
  changed: number;
  snapshots: number;
  written: number;
  kpi: string;
}

export interface Job {
  tenantId: string;
  id: string;
  kind: 'nightly';
  /** what the caller asked for, and the instant it means */
  asOfInput: string;
  asOf: string;
  mode: 'auto' | 'full';
  requestedBy: string;
  createdAt: string;
  state: JobState;
  /** the planned phases; `phase` is the one running */
  phases: { name: string; units: number }[];
  phase: number;
  /** units done per phase: p0, p1, … */
  progress: Record<string, number>;
  /** change markers read up to this instant */
  changesUpTo?: string;
  /** what the plan decided: the months to close, whether every snapshot is recomputed, how many CTVs changed */
  plan?: { toClose: string[]; openMonth: string; full: boolean; changed: number; collaborators: number; fingerprint: string };
  /** sums reported by units: snapshots computed, snapshots / statements / lines written */
  counters?: Record<string, number>;
  summary?: JobSummary;
  startedAt?: string;
  finishedAt?: string;
  error?: string;
  version: number;
}

export interface StoredUnit {
  tenantId: string;
  jobId: string;
  phase: number;
  n: number;
  spec: UnitSpec;
  done: boolean;
  doneAt?: string;
}

/** false when a job with this id exists already (a scheduled run retried: the same job). */
export async function createJob(store: Store, job: Job): Promise<boolean> {
  try {
    await store.db.send(
      new PutCommand({
        TableName: store.tableName,
        Item: { ...keys.job(job.tenantId, job.id), ...keys.jobIndex(job.tenantId, job.createdAt, job.id), entity: 'job', ...job },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

export async function getJob(store: Store, tenantId: string, jobId: string): Promise<Job | null> {
  const out = await store.db.send(new GetCommand({ TableName: store.tableName, Key: keys.job(tenantId, jobId), ConsistentRead: true }));
  return out.Item ? stripKeys<Job>(out.Item) : null;
}

export function listJobs(store: Store, tenantId: string, page: PageRequest): Promise<Page<Job>> {
  const source = keys.jobsOf(tenantId);
  return queryPage<Job>(store, { index: source.index, pk: source.pk, descending: true }, page);
}

/**
 * Store the planned units (same keys, same content on a retry) and start the job: queued → running
 * with its phases. False when another worker planned it first.
 */
export async function saveJobPlan(
  store: Store,
  job: Job,
  phases: { name: string; units: UnitSpec[] }[],
  changesUpTo: string,
  plan: NonNullable<Job['plan']>,
  at: string,
): Promise<boolean> {
  const items: Record<string, unknown>[] = [];
  for (const [phase, p] of phases.entries()) {
    for (const [i, spec] of p.units.entries()) {
      const unit: StoredUnit = { tenantId: job.tenantId, jobId: job.id, phase, n: i + 1, spec, done: false };
      items.push({ ...keys.jobUnit(job.tenantId, job.id, phase, i + 1), entity: 'jobUnit', ...unit });
    }
  }
  await batchPutItems(store, items);
  const progress = Object.fromEntries(phases.map((_, i) => [`p${i}`, 0]));
  try {
    await store.db.send(
      new UpdateCommand({
        TableName: store.tableName,
        Key: keys.job(job.tenantId, job.id),
        UpdateExpression:
          'SET #state = :running, phases = :phases, phase = :zero, progress = :progress, changesUpTo = :changes, #plan = :plan, counters = :counters, startedAt = :at, #version = #version + :one',
        ConditionExpression: '#state = :queued',
        ExpressionAttributeNames: { '#state': 'state', '#version': 'version', '#plan': 'plan' },
        ExpressionAttributeValues: {
          ':plan': plan,
          ':counters': { snapshots: 0, snapshotsWritten: 0, statements: 0, lines: 0, facts: 0 },
          ':running': 'running',
          ':queued': 'queued',
          ':phases': phases.map((p) => ({ name: p.name, units: p.units.length })),
          ':zero': 0,
          ':progress': progress,
          ':changes': changesUpTo,
          ':at': at,
          ':one': 1,
        },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

export function unitsOfPhase(store: Store, tenantId: string, jobId: string, phase: number): Promise<StoredUnit[]> {
  const { pk, skPrefix } = keys.jobUnitsPrefix(tenantId, jobId, phase);
  return queryAll<StoredUnit>(store, { ...byPrefix(pk, skPrefix), ConsistentRead: true });
}

export async function getUnit(store: Store, tenantId: string, jobId: string, phase: number, n: number): Promise<StoredUnit | null> {
  const out = await store.db.send(
    new GetCommand({ TableName: store.tableName, Key: keys.jobUnit(tenantId, jobId, phase, n), ConsistentRead: true }),
  );
  return out.Item ? stripKeys<StoredUnit>(out.Item) : null;
}

/**
 * Mark a unit done and count it in its phase, in one transaction, once: a unit run twice (SQS
 * delivers at least once) counts once. False when it was done already.
 */
export async function completeUnit(
  store: Store,
  tenantId: string,
  jobId: string,
  phase: number,
  n: number,
  at: string,
  counters: Record<string, number> = {},
): Promise<boolean> {
  const names: Record<string, string> = { '#p': `p${phase}` };
  const values: Record<string, number> = { ':one': 1 };
  const adds = ['progress.#p :one'];
  Object.entries(counters).forEach(([k, v], i) => {
    if (!v) return;
    names[`#c${i}`] = k;
    values[`:c${i}`] = v;
    adds.push(`counters.#c${i} :c${i}`);
  });
  try {
    await transact(store, [
      {
        Update: {
          TableName: store.tableName,
          Key: keys.jobUnit(tenantId, jobId, phase, n),
          UpdateExpression: 'SET done = :true, doneAt = :at',
          ConditionExpression: 'done = :false',
          ExpressionAttributeValues: { ':true': true, ':false': false, ':at': at },
        },
      },
      {
        Update: {
          TableName: store.tableName,
          Key: keys.job(tenantId, jobId),
          UpdateExpression: `ADD ${adds.join(', ')}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
      },
    ]);
    return true;
  } catch (error) {
    if (cancellationReasons(error)?.[0] === 'ConditionalCheckFailed') return false;
    throw error;
  }
}

/** phase → phase + 1, once (false: someone else advanced it, or the job is over). */
export async function advancePhase(store: Store, tenantId: string, jobId: string, from: number): Promise<boolean> {
  try {
    await store.db.send(
      new UpdateCommand({
        TableName: store.tableName,
        Key: keys.job(tenantId, jobId),
        UpdateExpression: 'SET phase = :next, #version = #version + :one',
        ConditionExpression: 'phase = :from AND #state = :running',
        ExpressionAttributeNames: { '#state': 'state', '#version': 'version' },
        ExpressionAttributeValues: { ':next': from + 1, ':from': from, ':running': 'running', ':one': 1 },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** running (or queued) → succeeded | failed, once. */
export async function finishJob(
  store: Store,
  tenantId: string,
  jobId: string,
  outcome: { state: 'succeeded'; summary: JobSummary } | { state: 'failed'; error: string },
  at: string,
): Promise<boolean> {
  const sets = ['#state = :state', 'finishedAt = :at', '#version = #version + :one'];
  const values: Record<string, unknown> = { ':state': outcome.state, ':at': at, ':one': 1, ':running': 'running', ':queued': 'queued' };
  if (outcome.state === 'succeeded') {
    sets.push('summary = :summary');
    values[':summary'] = outcome.summary;
  } else {
    sets.push('#error = :error');
    values[':error'] = outcome.error.slice(0, 500);
  }
  try {
    await store.db.send(
      new UpdateCommand({
        TableName: store.tableName,
        Key: keys.job(tenantId, jobId),
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: '#state IN (:running, :queued)',
        ExpressionAttributeNames: {
          '#state': 'state',
          '#version': 'version',
          ...(outcome.state === 'failed' ? { '#error': 'error' } : {}),
        },
        ExpressionAttributeValues: values,
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}
