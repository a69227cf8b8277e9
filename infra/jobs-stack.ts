import { CfnOutput, Duration, Stack, TimeZone, type StackProps } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { ContextAttribute, Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CtvFunction, TABLE_ACTIONS } from './route-function';

/** The entry files of the nightly run, from the project root; the jobs stack exists once both do. */
export const NIGHTLY_JOB_FILES = {
  /** invoked by the schedule: finds what changed and sends work items to the queue */
  schedule: 'functions/jobs/nightly-schedule.ts',
  /** consumes the queue; answers { batchItemFailures } (SQSBatchResponse) so one bad item is retried alone */
  worker: 'functions/jobs/nightly-worker.ts',
} as const;

export type NightlyJobEntries = { [K in keyof typeof NIGHTLY_JOB_FILES]: string };

/** The business day turns over in Vietnam: the run starts at 02:00 there, daily. */
export const BUSINESS_TIME_ZONE = TimeZone.ASIA_HO_CHI_MINH;
export const NIGHTLY_AT = { hour: '2', minute: '0' } as const;
/**
 * The worker's timeout: a batch of up to 10 work items, handled one after another. The queue's
 * visibility timeout is six times this (data stack: 30 min; SQS allows at most 12 h).
 */
export const NIGHTLY_WORKER_TIMEOUT = Duration.minutes(5);
/** At most this many workers at once: the run must not crowd out daytime traffic on the table. */
export const NIGHTLY_WORKER_CONCURRENCY = 5;

/** The schedule function's table actions: read, and UpdateItem for failing a stalled job (finishJob). */
export const SCHEDULE_TABLE_ACTIONS = [...TABLE_ACTIONS.read, 'dynamodb:UpdateItem'] as const;

/** Both entry files, if both exist under the project root; otherwise there is no jobs stack yet. */
export function nightlyJobEntries(projectRoot: string): NightlyJobEntries | undefined {
  const present = Object.values(NIGHTLY_JOB_FILES).filter((f) => existsSync(join(projectRoot, f)));
  return present.length === Object.keys(NIGHTLY_JOB_FILES).length ? { ...NIGHTLY_JOB_FILES } : undefined;
}

export interface JobsStackProps extends StackProps {
  entries: NightlyJobEntries;
  table: ITable;
  /** from the data stack: the work items and their dead letters */
  queue: IQueue;
  deadLetterQueue: IQueue;
  /** receives before SQS moves a work item to the dead-letter queue: the worker fails the job on the last one */
  maxReceiveCount: number;
  projectRoot: string;
}

/**
 * The scheduled work (stateless, like the API stack): EventBridge Scheduler invokes the schedule
 * function at 02:00 Asia/Ho_Chi_Minh with the nominal time of the run, it sends work items to the
 * nightly queue (data stack), and the worker recomputes them. The queues live in the data stack so
 * that this stack can be replaced while items wait.
 *
 * What the handlers get: TABLE_NAME and NIGHTLY_QUEUE_URL (both). The schedule function may read the
 * table, update items (failJob marks yesterday's stalled job failed: one conditional UpdateItem) and
 * send to the queue; the worker may read and write the table, consume the queue and send to it (the
 * unit that completes a phase sends the next phase's units). The schedule's
 * event is `{ "job": "nightly", "scheduledTime": "2026-11-30T19:00:00Z" }` (UTC): use it, not the
 * clock, so that a retried run recomputes the same period.
 */
export class JobsStack extends Stack {
  readonly scheduleFunction: CtvFunction;
  readonly workerFunction: CtvFunction;
  readonly schedule: Schedule;

  constructor(scope: Construct, id: string, props: JobsStackProps) {
    super(scope, id, props);
    this.node.setContext('@aws-cdk/core:defaultCrossStackReferences', 'strong');

    this.scheduleFunction = new CtvFunction(this, 'NightlySchedule', {
      entry: props.entries.schedule,
      projectRoot: props.projectRoot,
      functionName: `${this.stackName}-nightlySchedule`,
      description: 'nightly run: finds what changed and queues the recompute work',
      timeout: Duration.minutes(5),
      // a run crosses the queue from this function to the workers: traced end to end
      tracing: true,
      environment: { TABLE_NAME: props.table.tableName, NIGHTLY_QUEUE_URL: props.queue.queueUrl },
    });
    // read, plus the one write it makes: failJob → finishJob, an UpdateItem of a stalled job
    props.table.grant(this.scheduleFunction, ...SCHEDULE_TABLE_ACTIONS);
    props.queue.grantSendMessages(this.scheduleFunction);

    this.workerFunction = new CtvFunction(this, 'NightlyWorker', {
      entry: props.entries.worker,
      projectRoot: props.projectRoot,
      functionName: `${this.stackName}-nightlyWorker`,
      description: 'nightly run: recomputes the KPI and commission snapshots of one work item',
      timeout: NIGHTLY_WORKER_TIMEOUT,
      tracing: true,
      environment: {
        TABLE_NAME: props.table.tableName,
        NIGHTLY_QUEUE_URL: props.queue.queueUrl,
        NIGHTLY_MAX_RECEIVES: String(props.maxReceiveCount),
      },
    });
    props.table.grant(this.workerFunction, ...TABLE_ACTIONS.write);
    // the unit that completes a phase sends the next phase's units
    props.queue.grantSendMessages(this.workerFunction);
    // grants the consume actions on the queue
    this.workerFunction.addEventSource(
      new SqsEventSource(props.queue, { batchSize: 10, reportBatchItemFailures: true, maxConcurrency: NIGHTLY_WORKER_CONCURRENCY }),
    );

    this.schedule = new Schedule(this, 'Nightly', {
      description: `ctv-cloud nightly recompute, ${NIGHTLY_AT.hour.padStart(2, '0')}:${NIGHTLY_AT.minute.padStart(2, '0')} ${BUSINESS_TIME_ZONE.timezoneName}`,
      schedule: ScheduleExpression.cron({ ...NIGHTLY_AT, timeZone: BUSINESS_TIME_ZONE }),
      target: new LambdaInvoke(this.scheduleFunction, {
        input: ScheduleTargetInput.fromObject({ job: 'nightly', scheduledTime: ContextAttribute.scheduledTime }),
        retryAttempts: 2,
        maxEventAge: Duration.hours(1),
        // an invocation that still fails lands beside the failed work items
        deadLetterQueue: props.deadLetterQueue,
      }),
    });

    new CfnOutput(this, 'NightlyScheduleName', { value: this.schedule.scheduleName });
  }
}
