/**
 * The nightly run's SQS consumer (infra/jobs-stack.ts): each message names one piece of work
 * (start a scheduled job, plan a job, run a unit; see queue.ts). It answers SQS's partial batch
 * response, so only the failed messages are retried; a message that fails on its last receive
 * fails its job before it goes to the dead-letter queue, so `GET …/jobs/{jobId}` says so.
 */
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { Context } from 'aws-lambda';
import { depsFromEnv, inInvocation, type Deps } from '../deps';
import { createNightlyJob, failJob, planAndDispatch, runQueuedUnit } from './nightly';
import { eachMessage, isJobMessage, queueFromEnv, type JobMessage, type JobQueue } from './queue';

/** Receives before SQS moves a message to the dead-letter queue (infra: NIGHTLY_MAX_RECEIVE_COUNT). */
const maxReceives = () => Number(process.env.NIGHTLY_MAX_RECEIVES ?? 3);

export async function handleJobMessage(deps: Deps, queue: JobQueue, m: JobMessage): Promise<void> {
  switch (m.type) {
    case 'start': {
      const { job } = await createNightlyJob(deps, m.tenantId, { asOf: m.asOf, requestedBy: m.requestedBy, jobId: m.jobId });
      if (job.state === 'queued') await planAndDispatch(deps, queue, m.tenantId, job.id);
      return;
    }
    case 'plan':
      return planAndDispatch(deps, queue, m.tenantId, m.jobId);
    case 'unit':
      return runQueuedUnit(deps, queue, m.tenantId, m.jobId, m.phase, m.n);
  }
}

/** The batch, one message after another; the ids of the failed ones go back to SQS. */
export function processBatch(deps: Deps, queue: JobQueue, event: SQSEvent): Promise<SQSBatchResponse> {
  return eachMessage(event, {
    name: 'nightly worker',
    log: deps.log,
    isMessage: isJobMessage,
    handle: (m) => handleJobMessage(deps, queue, m),
    onError: async (m, error, record) => {
      const receives = Number(record.attributes?.ApproximateReceiveCount ?? '1');
      deps.log({
        level: 'error',
        msg: 'nightly worker: work item failed',
        tenantId: m.tenantId,
        jobId: m.jobId,
        type: m.type,
        receives,
        error: error instanceof Error ? error.message.slice(0, 300) : String(error),
      });
      if (receives >= maxReceives()) await failJob(deps, m.tenantId, m.jobId, error);
    },
  });
}

let deps: Deps | undefined;
let queue: JobQueue | undefined;

export async function handler(event: SQSEvent, context?: Context): Promise<SQSBatchResponse> {
  deps ??= depsFromEnv();
  queue ??= queueFromEnv() ?? undefined;
  if (!queue) throw new Error('NIGHTLY_QUEUE_URL is not set: the worker sends the next phase of a job to the queue');
  const ready = { deps, queue };
  return inInvocation(deps, context, { worker: 'nightly' }, () => processBatch(ready.deps, ready.queue, event));
}
