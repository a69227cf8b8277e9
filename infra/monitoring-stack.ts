import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  MathExpression,
  Metric,
  TreatMissingData,
  type IMetric,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { METRIC, METRICS_NAMESPACE, SERVICE_DIMENSION, serviceName } from './metrics';

/** Alarms and graphs count in 5-minute periods. */
export const ALARM_PERIOD = Duration.minutes(5);
/** The API 5xx rate alarm: over this share of requests (percent) in 2 of 3 periods… */
export const API_5XX_RATE_PERCENT = 1;
/** …counted only in periods with at least this many requests (two 500s of three requests at night are not a rate). */
export const API_5XX_MIN_REQUESTS = 20;
/** DynamoDB throttle events (reads and writes) on the table per period: the SDK retries a few, more means a hot key or a burst. */
export const TABLE_THROTTLE_EVENTS = 10;

/** A queue whose dead letters are alarmed, by name (e.g. "Delivery"). */
export interface WatchedQueue {
  name: string;
  queue: IQueue;
  deadLetterQueue: IQueue;
}

/** A function by its fixed name (a plain string: no cross-stack reference, so the function's stack stays free to change). */
export interface WatchedFunction {
  /** what it is, for alarm ids and labels, e.g. "DeliveryWorker" */
  label: string;
  functionName: string;
}

export interface MonitoringStackProps extends StackProps {
  stage: string;
  api: IHttpApi;
  table: ITable;
  queues: WatchedQueue[];
  /** the functions that run off the request path (queue consumers, schedules): their errors and throttles are alarmed */
  workers: WatchedFunction[];
  /** the route functions: graphed (their errors reach callers as API 5xx, which is alarmed) */
  routeFunctions: WatchedFunction[];
  /** whether the stage runs the nightly jobs (then a failed run is alarmed) */
  nightly: boolean;
  /** subscribed to the alarm topic by email (each must confirm the subscription) */
  alarmEmails: string[];
}

/**
 * What an operator watches, in one stack: the SNS topic every alarm notifies (in ALARM and back to
 * OK), the alarms, and one dashboard named after the stage. Stateless: it reads the other stacks'
 * resources (the API id, the table and queue names) and the functions by their fixed names.
 *
 * The alarms: dead letters on each queue; the API's 5xx rate (route functions' failures, throttles
 * and timeouts all reach callers as 5xx); errors of each worker function and their throttles;
 * DynamoDB throttling on the table; deliveries parked for the owner; and, with the jobs stack, a
 * failed nightly run. The last two read the project's own metrics (infra/metrics.ts).
 */
export class MonitoringStack extends Stack {
  readonly topic: Topic;
  readonly dashboard: Dashboard;
  /** by id, e.g. "DeliveryDeadLetters", "Api5xxRate" */
  readonly alarms = new Map<string, Alarm>();

  constructor(scope: Construct, id: string, props: MonitoringStackProps) {
    super(scope, id, props);
    this.node.setContext('@aws-cdk/core:defaultCrossStackReferences', 'strong');
    this.topic = new Topic(this, 'AlarmTopic', { displayName: `ctv-cloud ${props.stage} alarms`, enforceSSL: true });
    for (const email of props.alarmEmails) this.topic.addSubscription(new EmailSubscription(email));

    const sum = (metric: Metric) => metric.with({ statistic: 'Sum', period: ALARM_PERIOD });
    const own = (metricName: string) =>
      new Metric({
        namespace: METRICS_NAMESPACE,
        metricName,
        dimensionsMap: { [SERVICE_DIMENSION]: serviceName(props.stage) },
        statistic: 'Sum',
        period: ALARM_PERIOD,
      });
    // no label on alarm metrics: a label turns the alarm into a metric-math one; graphs add it
    const lambda = (fn: WatchedFunction, metricName: string, statistic = 'Sum') =>
      new Metric({
        namespace: 'AWS/Lambda',
        metricName,
        dimensionsMap: { FunctionName: fn.functionName },
        statistic,
        period: ALARM_PERIOD,
      });
    const labelled = (fn: WatchedFunction, metricName: string, statistic = 'Sum') =>
      lambda(fn, metricName, statistic).with({ label: fn.label });

    // dead letters: a message that failed every receive waits to be looked at and redriven
    for (const q of props.queues) {
      this.alarm(`${q.name}DeadLetters`, {
        description: `${q.name} messages failed every receive and wait in the dead-letter queue: look at them, then redrive`,
        metric: q.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: ALARM_PERIOD }),
        threshold: 1,
      });
    }

    const requests = sum(props.api.metricCount());
    const serverErrors = sum(props.api.metricServerError());
    const errorRate = new MathExpression({
      expression: `IF(requests >= ${API_5XX_MIN_REQUESTS}, 100 * errors / requests, 0)`,
      usingMetrics: { requests, errors: serverErrors },
      period: ALARM_PERIOD,
      label: '5xx, % of requests',
    });
    this.alarm('Api5xxRate', {
      description: `More than ${API_5XX_RATE_PERCENT}% of API requests answered 5xx (periods of at least ${API_5XX_MIN_REQUESTS} requests): a route function fails, times out or is throttled`,
      metric: errorRate,
      threshold: API_5XX_RATE_PERCENT,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
    });

    for (const fn of props.workers) {
      this.alarm(`${fn.label}Errors`, {
        description: `${fn.functionName} failed (an invocation threw or timed out)`,
        metric: lambda(fn, 'Errors'),
        threshold: 1,
      });
    }
    if (props.workers.length > 0) {
      const throttles = Object.fromEntries(props.workers.map((fn, i) => [`t${i}`, lambda(fn, 'Throttles')]));
      this.alarm('WorkerThrottles', {
        description: `Lambda throttled a worker function (${props.workers.map((f) => f.label).join(', ')}): the account's concurrency is used up`,
        metric: new MathExpression({
          expression: Object.keys(throttles).join(' + '),
          usingMetrics: throttles,
          period: ALARM_PERIOD,
          label: 'worker throttles',
        }),
        threshold: 1,
      });
    }

    const tableThrottles = new MathExpression({
      expression: 'reads + writes',
      usingMetrics: {
        reads: props.table.metric('ReadThrottleEvents', { statistic: 'Sum' }),
        writes: props.table.metric('WriteThrottleEvents', { statistic: 'Sum' }),
      },
      period: ALARM_PERIOD,
      label: 'table throttle events',
    });
    this.alarm('TableThrottles', {
      description: `DynamoDB throttled at least ${TABLE_THROTTLE_EVENTS} reads or writes on the table in ${ALARM_PERIOD.toMinutes()} minutes`,
      metric: tableThrottles,
      threshold: TABLE_THROTTLE_EVENTS,
    });

    this.alarm('DeliveriesParked', {
      description: `Order deliveries were parked for the owner (GET …/webhook-deliveries?status=parked): metric ${METRIC.deliveriesParked}`,
      metric: own(METRIC.deliveriesParked),
      threshold: 1,
    });
    if (props.nightly) {
      this.alarm('NightlyRunFailed', {
        description: `A nightly run ended failed (the job record says why): metric ${METRIC.nightlyRunFailed}`,
        metric: own(METRIC.nightlyRunFailed),
        threshold: 1,
      });
    }

    this.dashboard = new Dashboard(this, 'Dashboard', { dashboardName: `CtvCloud-${props.stage}`, defaultInterval: Duration.hours(24) });
    const graph = (title: string, left: IMetric[], width = 8) => new GraphWidget({ title, left, width, height: 6 });
    const queueMetrics = (fn: (q: WatchedQueue) => IMetric) => props.queues.map(fn);
    this.dashboard.addWidgets(new AlarmStatusWidget({ title: 'Alarms', alarms: [...this.alarms.values()], width: 24, height: 4 }));
    this.dashboard.addWidgets(
      graph('API requests and errors', [
        requests.with({ label: 'requests' }),
        sum(props.api.metricClientError()).with({ label: '4xx' }),
        serverErrors.with({ label: '5xx' }),
      ]),
      graph(
        'API latency (ms)',
        ['p50', 'p90', 'p99'].map((p) => props.api.metricLatency({ statistic: p, period: ALARM_PERIOD, label: p })),
      ),
      graph('API 5xx rate (%)', [errorRate]),
    );
    this.dashboard.addWidgets(
      graph(
        'Dead letters',
        queueMetrics((q) =>
          q.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: ALARM_PERIOD, label: q.name }),
        ),
      ),
      graph(
        'Queue backlog (messages)',
        queueMetrics((q) =>
          q.queue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: ALARM_PERIOD, label: q.name }),
        ),
      ),
      graph(
        'Oldest message age (s)',
        queueMetrics((q) => q.queue.metricApproximateAgeOfOldestMessage({ statistic: 'Maximum', period: ALARM_PERIOD, label: q.name })),
      ),
    );
    this.dashboard.addWidgets(
      graph(
        'Worker errors',
        props.workers.map((fn) => labelled(fn, 'Errors')),
      ),
      graph(
        'Worker throttles',
        props.workers.map((fn) => labelled(fn, 'Throttles')),
      ),
      graph(
        'Worker duration p99 (ms)',
        props.workers.map((fn) => labelled(fn, 'Duration', 'p99')),
      ),
    );
    this.dashboard.addWidgets(
      graph(
        'Route function errors',
        props.routeFunctions.map((fn) => labelled(fn, 'Errors')),
        12,
      ),
      graph(
        'Route function throttles',
        props.routeFunctions.map((fn) => labelled(fn, 'Throttles')),
        12,
      ),
    );
    this.dashboard.addWidgets(
      graph('Table throttle events', [tableThrottles]),
      graph(
        'Table capacity used',
        ['ConsumedReadCapacityUnits', 'ConsumedWriteCapacityUnits'].map((m) =>
          props.table.metric(m, { statistic: 'Sum', period: ALARM_PERIOD, label: m }),
        ),
      ),
      graph('Orders and statements', [
        own(METRIC.ordersTaken).with({ label: 'orders taken' }),
        own(METRIC.statementsApproved).with({ label: 'statements approved' }),
      ]),
    );
    this.dashboard.addWidgets(
      graph(
        'Deliveries parked, nightly runs failed, answers 503 busy',
        [
          own(METRIC.deliveriesParked).with({ label: 'parked' }),
          own(METRIC.nightlyRunFailed).with({ label: 'nightly failed' }),
          own(METRIC.busyAnswers).with({ label: '503 busy' }),
        ],
        12,
      ),
      graph('Nightly run duration (ms)', [own(METRIC.nightlyRunDuration).with({ statistic: 'Maximum', label: 'duration' })], 12),
    );

    new CfnOutput(this, 'AlarmTopicArn', { value: this.topic.topicArn });
    new CfnOutput(this, 'DashboardName', { value: this.dashboard.dashboardName });
  }

  /** An alarm named `<stack>-<id>` that notifies the topic on ALARM and on OK; no data is not a breach. */
  private alarm(
    id: string,
    props: {
      description: string;
      metric: IMetric;
      threshold: number;
      comparisonOperator?: ComparisonOperator;
      evaluationPeriods?: number;
      datapointsToAlarm?: number;
    },
  ): Alarm {
    const alarm = new Alarm(this, id, {
      alarmName: `${this.stackName}-${id}`,
      alarmDescription: `ctv-cloud: ${props.description}`,
      metric: props.metric,
      threshold: props.threshold,
      comparisonOperator: props.comparisonOperator ?? ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: props.evaluationPeriods ?? 1,
      datapointsToAlarm: props.datapointsToAlarm,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    const action = new SnsAction(this.topic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
    this.alarms.set(id, alarm);
    return alarm;
  }
}
