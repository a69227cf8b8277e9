/**
 * The nightly run's entry (EventBridge Scheduler, infra/jobs-stack.ts): for every business, send
 * a `start` work item for the run as of the business's local day at the schedule's nominal time.
 * The job id is derived from that day, so a retried invocation starts nothing twice; a job of the
 * previous day still running (a lost work item) is failed, and today's run completes its work
 * (every unit is idempotent). Reads the table, writes only to the queue and to stalled jobs.
 */
import { localDay } from '../../domain/period';
import type { Context } from 'aws-lambda';
import { depsFromEnv, inInvocation, type Deps } from '../deps';
import { allTenantIds } from '../store/directory';
import { getJob } from '../store/jobs';
import { getSettings } from '../store/tenants';
import { mapLimit } from './data';
import { failJob } from './nightly';
import { queueFromEnv, type JobMessage, type JobQueue } from './queue';

export interface ScheduleEvent {
  job?: string;
  /** the schedule's nominal time (UTC), not the clock: a retry recomputes the same day */
  scheduledTime?: string;
}

/** The scheduled job of a business for a local day. */
export const scheduledJobId = (day: string) => `N${day.replace(/-/g, '')}`;

export async function scheduleNightly(
  deps: Deps,
  queue: JobQueue,
  event: ScheduleEvent,
  tenants?: readonly string[],
): Promise<{ started: number }> {
  const at = event.scheduledTime ? Date.parse(event.scheduledTime) : deps.now().getTime();
  if (!Number.isFinite(at)) throw new Error(`scheduledTime is not an instant: ${event.scheduledTime}`);
  const ids = tenants ?? (await allTenantIds(deps.store));
  const messages: JobMessage[] = [];
  await mapLimit(ids, 8, async (tenantId) => {
    const { timeZone } = await getSettings(deps.store, tenantId);
    const day = localDay(at, timeZone);
    const yesterday = localDay(at - 86_400_000, timeZone);
    const stalled = await getJob(deps.store, tenantId, scheduledJobId(yesterday));
    if (stalled && (stalled.state === 'running' || stalled.state === 'queued')) {
      // an UpdateItem (finishJob): infra grants this function read actions plus dynamodb:UpdateItem only
      await failJob(deps, tenantId, stalled.id, new Error('stalled: still running when the next nightly run started')).catch(
        (error: unknown) =>
          deps.log({
            level: 'error',
            msg: 'nightly schedule: could not fail a stalled job',
            tenantId,
            jobId: stalled.id,
            error: String(error).slice(0, 200),
          }),
      );
    }
    messages.push({ type: 'start', tenantId, asOf: day, jobId: scheduledJobId(day), requestedBy: 'scheduler' });
  });
  await queue.send(messages);
  return { started: messages.length };
}

let deps: Deps | undefined;

export async function handler(event: ScheduleEvent, context?: Context): Promise<{ started: number }> {
  deps ??= depsFromEnv();
  const queue = queueFromEnv();
  if (!queue) throw new Error('NIGHTLY_QUEUE_URL is not set');
  const ready = deps;
  return inInvocation(ready, context, { worker: 'nightly-schedule' }, () => scheduleNightly(ready, queue, event));
}
