import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { CtvFunction, ROUTE_TIMEOUT, TABLE_ACTIONS } from './route-function';

/** The delivery worker's entry file, from the project root (it exports `handler`, an SQSBatchResponse). */
export const DELIVERY_WORKER_FILE = 'functions/jobs/delivery-worker.ts';
/** The sweep's entry file: deliveries a crash left waiting (`accepted`) are processed again. */
export const DELIVERY_SWEEP_FILE = 'functions/jobs/delivery-sweep.ts';
/** How often the sweep runs (it takes deliveries waiting longer than SWEEP_AFTER_MS, 5 minutes). */
export const DELIVERY_SWEEP_RATE = Duration.minutes(5);

/**
 * The worker's timeout: the route functions' own. It applies order changes, as the webhook route
 * does, so the close's time fence (FREEZE_SETTLE_SECONDS > this, checked by an infra test) covers it
 * too. The delivery queue's visibility timeout is six times this (data stack).
 */
export const DELIVERY_WORKER_TIMEOUT = ROUTE_TIMEOUT;
/** Messages per invocation, handled one after another: a few, well inside the timeout. */
export const DELIVERY_WORKER_BATCH_SIZE = 5;
/**
 * At most this many workers at once, so a backlog (after an outage) drains steadily instead of
 * crowding the table. The event source's maxConcurrency, not reserved concurrency: Lambda then
 * receives no more than it can run, so a throttle does not count as a receive (nor dead-letter).
 */
export const DELIVERY_WORKER_CONCURRENCY = 5;

export interface DeliveryWorkerProps {
  table: ITable;
  /** the delivery queue (data stack): consumed, and sent to for later attempts */
  queue: IQueue;
  projectRoot: string;
  /** the Lambda's name */
  functionName: string;
}

/**
 * The consumer of the delivery queue: each message names a stored delivery the webhook (or a
 * replay) could not finish, processed again by the same code (functions/jobs/delivery-worker.ts).
 * It gets TABLE_NAME and DELIVERY_QUEUE_URL, reads and writes the table, consumes the queue and
 * sends to it (a failure that may pass becomes a new, later message); no webhook secrets key.
 *
 * Why SQS with a dead-letter queue, not DynamoDB Streams on the stored deliveries: the request path
 * already processes the common case, so only the failures that may pass (a conflict, a throttle, an
 * outage) need a worker, and they need it later: SQS DelaySeconds gives the backoff, a stream
 * cannot delay a record (it would retry at once, or block its shard). A message that fails every
 * time waits in the dead-letter queue to be looked at, while the delivery itself stays listed as
 * `accepted` for the owner, who can replay it.
 */
export class DeliveryWorker extends Construct {
  readonly function: CtvFunction;
  readonly sweepFunction: CtvFunction;
  readonly sweepSchedule: Schedule;

  constructor(scope: Construct, id: string, props: DeliveryWorkerProps) {
    super(scope, id);
    this.function = new CtvFunction(this, 'Function', {
      entry: DELIVERY_WORKER_FILE,
      projectRoot: props.projectRoot,
      functionName: props.functionName,
      description: 'order intake: finishes the webhook deliveries that could not be finished in their request',
      timeout: DELIVERY_WORKER_TIMEOUT,
      // the second half of a webhook's order intake: traced like the webhook
      tracing: true,
      environment: { TABLE_NAME: props.table.tableName, DELIVERY_QUEUE_URL: props.queue.queueUrl },
    });
    props.table.grant(this.function, ...TABLE_ACTIONS.write);
    // a later attempt is a new message, sent with a delay
    props.queue.grantSendMessages(this.function);
    // grants the consume actions on the queue; partial batch failures: one bad message is retried alone
    this.function.addEventSource(
      new SqsEventSource(props.queue, {
        batchSize: DELIVERY_WORKER_BATCH_SIZE,
        reportBatchItemFailures: true,
        maxConcurrency: DELIVERY_WORKER_CONCURRENCY,
      }),
    );

    // the sweep: what a crash between storing and processing left waiting, when no retry comes
    this.sweepFunction = new CtvFunction(this, 'Sweep', {
      entry: DELIVERY_SWEEP_FILE,
      projectRoot: props.projectRoot,
      functionName: `${props.functionName}Sweep`,
      description: 'order intake: processes deliveries left waiting by a crash',
      timeout: Duration.minutes(2),
      tracing: true,
      environment: { TABLE_NAME: props.table.tableName, DELIVERY_QUEUE_URL: props.queue.queueUrl },
    });
    props.table.grant(this.sweepFunction, ...TABLE_ACTIONS.write);
    props.queue.grantSendMessages(this.sweepFunction);
    this.sweepSchedule = new Schedule(this, 'SweepSchedule', {
      description: 'ctv-cloud order intake: sweep of waiting deliveries',
      schedule: ScheduleExpression.rate(DELIVERY_SWEEP_RATE),
      target: new LambdaInvoke(this.sweepFunction, { retryAttempts: 0 }),
    });
  }
}
