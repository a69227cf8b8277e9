/**
 * The project's own CloudWatch metrics: the contract between the code that emits them and the
 * alarms and dashboard that read them (infra/monitoring-stack.ts). No imports, so the functions can
 * import it too.
 *
 * CloudWatch tells metrics apart by namespace, name and their exact set of dimensions. Emit each one
 * in METRICS_NAMESPACE with exactly one dimension, SERVICE_DIMENSION, set to the function's
 * POWERTOOLS_SERVICE_NAME: Powertools Metrics does both by default, since every function gets
 * POWERTOOLS_METRICS_NAMESPACE and POWERTOOLS_SERVICE_NAME (`serviceName(stage)`) from infra. The
 * dimension keeps two stages in one account apart; a metric emitted without it (or with more
 * dimensions) is a different metric, which no alarm watches.
 */
export const METRICS_NAMESPACE = 'CtvCloud';

/** The one dimension of every metric above: the stage's service name. */
export const SERVICE_DIMENSION = 'service';

/** POWERTOOLS_SERVICE_NAME of a stage's functions, and the value of SERVICE_DIMENSION. */
export const serviceName = (stage: string) => `ctv-cloud-${stage}`;

/** Metric names, each with its unit and when it is emitted. */
export const METRIC = {
  /** Count, 1 per delivery parked for the owner (functions/services/intake.ts). Alarmed: any. */
  deliveriesParked: 'DeliveriesParked',
  /** Count, 1 per nightly run that ends failed (the job marked failed). Alarmed: any. */
  nightlyRunFailed: 'NightlyRunFailed',
  /** Milliseconds, 1 per nightly run that ends (done or failed): from its start to its end. Dashboard. */
  nightlyRunDuration: 'NightlyRunDuration',
  /** Count, 1 per order created by a webhook delivery or the orders API. Dashboard. */
  ordersTaken: 'OrdersTaken',
  /** Count, 1 per statement approved. Dashboard. */
  statementsApproved: 'StatementsApproved',
  /**
   * Count, 1 per request answered 503 busy (functions/http/operation.ts): the table throttled, or
   * other writes kept meeting this one's, through every retry. Dashboard (the 5xx rate alarm counts
   * them with the faults; this tells them apart).
   */
  busyAnswers: 'BusyAnswers',
} as const;
