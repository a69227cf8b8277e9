/**
 * Logs and business metrics in Lambda, through Powertools for AWS Lambda (TypeScript): JSON log
 * lines with the function's context (cold start, request id) plus the keys of the request being
 * served (operation, tenant, API Gateway's request id), and CloudWatch metrics in the embedded
 * metric format. Handlers and services never import this: they call `deps.log` / `deps.metric`
 * (functions/deps.ts), which the local server and the tests implement their own way.
 *
 * The metric names are the contract with the alarms and the dashboard (infra/metrics.ts); the
 * namespace and the service name come from the function's environment (POWERTOOLS_*), set by CDK.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { METRIC, METRICS_NAMESPACE } from '../infra/metrics';

export type MetricName = (typeof METRIC)[keyof typeof METRIC];

/** What each metric counts in: milliseconds for durations, a count otherwise. */
const UNITS: Record<MetricName, (typeof MetricUnit)[keyof typeof MetricUnit]> = {
  [METRIC.deliveriesParked]: MetricUnit.Count,
  [METRIC.nightlyRunFailed]: MetricUnit.Count,
  [METRIC.nightlyRunDuration]: MetricUnit.Milliseconds,
  [METRIC.ordersTaken]: MetricUnit.Count,
  [METRIC.statementsApproved]: MetricUnit.Count,
  [METRIC.busyAnswers]: MetricUnit.Count,
};

type Level = 'debug' | 'info' | 'warn' | 'error';
const LEVELS = new Set<string>(['debug', 'info', 'warn', 'error']);

let logger: Logger | undefined;
let metrics: Metrics | undefined;

function powertools() {
  logger ??= new Logger();
  metrics ??= new Metrics({ namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? METRICS_NAMESPACE });
  return { logger, metrics };
}

/** `deps.log` in Lambda: `{ level, msg, …keys }` becomes one Powertools JSON line. */
export function lambdaLog(entry: Record<string, unknown>): void {
  const { level, msg, ...keys } = entry;
  const at: Level = typeof level === 'string' && LEVELS.has(level) ? (level as Level) : 'info';
  powertools().logger[at](typeof msg === 'string' ? msg : 'log', keys);
}

/** `deps.metric` in Lambda: stored until the invocation ends (`endInvocation`). */
export function lambdaMetric(name: MetricName, value = 1): void {
  powertools().metrics.addMetric(name, UNITS[name], value);
}

/**
 * At the start of an invocation: the Lambda context (cold start, request id) and the request's own
 * keys go on every log line until `endInvocation`.
 */
export function beginInvocation(context: Context | undefined, keys: Record<string, string | undefined>): void {
  const { logger } = powertools();
  logger.resetKeys();
  if (context?.awsRequestId) logger.addContext(context);
  const defined = Object.fromEntries(Object.entries(keys).filter(([, v]) => v !== undefined)) as Record<string, string>;
  logger.appendKeys(defined);
}

/** At the end of an invocation: publish the metrics it stored (one EMF line; none if it stored none). */
export function endInvocation(): void {
  if (!metrics) return;
  if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
}
