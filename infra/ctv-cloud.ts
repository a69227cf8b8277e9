import { Annotations, type App, type Environment } from 'aws-cdk-lib';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROUTES } from '../functions/routes';
import type { Route } from '../functions/routes/route';
import { ApiStack } from './api-stack';
import { FunctionBundles } from './bundles';
import { DataStack, NIGHTLY_MAX_RECEIVE_COUNT } from './data-stack';
import { DELIVERY_SWEEP_FILE, DELIVERY_WORKER_FILE } from './delivery-worker';
import { createEdge } from './edge-stack';
import { JobsStack, NIGHTLY_JOB_FILES, nightlyJobEntries, type NightlyJobEntries } from './jobs-stack';
import { METRICS_NAMESPACE, serviceName } from './metrics';
import { MonitoringStack, type WatchedFunction } from './monitoring-stack';
import { CtvFunction } from './route-function';
import { stackNames, stageContext } from './stage';

/** The project root: handler paths in the route table are relative to it. */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface CtvCloudOptions {
  routes?: readonly Route<any, any>[];
  env?: Environment;
  /**
   * The nightly job's entry files. Default: NIGHTLY_JOB_FILES once both exist (no jobs stack
   * before); `false`: no jobs stack. Tests pass stand-in files.
   */
  jobs?: NightlyJobEntries | false;
}

/**
 * The stacks of one stage (`-c stage=<name>`, required, as is `-c corsOrigins=…`: infra/stage.ts),
 * each named `CtvCloud-<stage>-<role>`, so that stages live side by side in one account:
 * Data (table, user pool, webhook secrets key, nightly and delivery queues: stateful), Api (API,
 * route functions and the delivery worker: replaceable), once its handlers exist Jobs (the nightly
 * schedule and its functions: replaceable), and Monitoring (the alarm topic, the alarms, the
 * dashboard). Keeping data apart means a bad deploy, a rename or a `cdk destroy` of the Api stack
 * cannot touch it, and the others can be rebuilt at any time. In front of the API, the edge
 * (infra/edge-stack.ts): the WAF web ACL (us-east-1) and the CloudFront distribution that carries
 * it (stateless too). Resources take their names from their stack (function names
 * `CtvCloud-<stage>-Api-<route id>`, the API, the web ACL, the alarms) or from CloudFormation (the
 * table, queues, pool, roles, log groups): none is fixed across stages.
 *
 * Every function's code comes from one esbuild run over all the entries (infra/bundles.ts),
 * registered here before any function is made.
 */
export function createCtvCloud(app: App, options: CtvCloudOptions = {}) {
  const context = stageContext(app.node);
  const names = stackNames(context.stage);
  const env = options.env ?? { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };
  const routes = options.routes ?? ROUTES;
  const entries = options.jobs === undefined ? nightlyJobEntries(PROJECT_ROOT) : options.jobs || undefined;
  FunctionBundles.of(app, PROJECT_ROOT).register(
    ...routes.map((r) => r.handler),
    DELIVERY_WORKER_FILE,
    DELIVERY_SWEEP_FILE,
    ...Object.values(entries ?? {}),
  );

  const data = new DataStack(app, names.data, {
    env,
    description: `ctv-cloud ${context.stage}: the single table, the user pool, the webhook secrets key, the nightly and delivery queues (stateful)`,
    terminationProtection: true,
  });
  const api = new ApiStack(app, names.api, {
    env,
    description: `ctv-cloud ${context.stage}: the HTTP API and one function per route (stateless)`,
    routes,
    table: data.table,
    userPool: data.userPool,
    userPoolClient: data.userPoolClient,
    webhookSecretsKey: data.webhookSecretsKey,
    // the routes that start a nightly run (POST …/jobs/nightly, …/periods/{periodId}/close) queue it
    nightlyQueue: data.nightlyQueue,
    // the webhook and the replays hand what they cannot finish to the delivery worker (in this stack)
    deliveryQueue: data.deliveryQueue,
    corsOrigins: context.corsOrigins,
    projectRoot: PROJECT_ROOT,
  });

  if (options.jobs === undefined && !entries) {
    const present = Object.values(NIGHTLY_JOB_FILES).filter((f) => existsSync(join(PROJECT_ROOT, f)));
    if (present.length > 0)
      Annotations.of(data).addWarningV2(
        'ctv:nightly-jobs',
        `Only ${present.join(', ')} exists: the nightly jobs stack needs both of ${Object.values(NIGHTLY_JOB_FILES).join(', ')}`,
      );
  }
  const jobs = entries
    ? new JobsStack(app, names.jobs, {
        env,
        description: `ctv-cloud ${context.stage}: the nightly schedule and its functions (stateless)`,
        entries,
        table: data.table,
        queue: data.nightlyQueue,
        deadLetterQueue: data.nightlyDeadLetterQueue,
        maxReceiveCount: NIGHTLY_MAX_RECEIVE_COUNT,
        projectRoot: PROJECT_ROOT,
      })
    : undefined;

  // Powertools reads these: the namespace and the `service` dimension of the project's metrics (infra/metrics.ts)
  const functions = app.node.findAll().filter((c): c is CtvFunction => c instanceof CtvFunction);
  for (const fn of functions) {
    fn.addEnvironment('POWERTOOLS_SERVICE_NAME', serviceName(context.stage));
    fn.addEnvironment('POWERTOOLS_METRICS_NAMESPACE', METRICS_NAMESPACE);
  }

  const watched = (fn: CtvFunction, label: string): WatchedFunction => ({ label, functionName: fn.fixedName! });
  const worker = api.deliveryWorker;
  const monitoring = new MonitoringStack(app, names.monitoring, {
    env,
    description: `ctv-cloud ${context.stage}: the alarm topic, the alarms and the dashboard`,
    stage: context.stage,
    api: api.api,
    table: data.table,
    queues: [
      { name: 'Delivery', queue: data.deliveryQueue, deadLetterQueue: data.deliveryDeadLetterQueue },
      { name: 'Nightly', queue: data.nightlyQueue, deadLetterQueue: data.nightlyDeadLetterQueue },
    ],
    workers: [
      ...(worker ? [watched(worker.function, 'DeliveryWorker'), watched(worker.sweepFunction, 'DeliverySweep')] : []),
      ...(jobs ? [watched(jobs.scheduleFunction, 'NightlySchedule'), watched(jobs.workerFunction, 'NightlyWorker')] : []),
    ],
    routeFunctions: api.functions.map((fn) => watched(fn, fn.route.id)),
    nightly: jobs !== undefined,
    alarmEmails: context.alarmEmails,
  });

  // the public URL: CloudFront with the WAF rate rules in front of the API (WAF cannot sit on an HTTP API)
  const edge = createEdge(app, api, env, { waf: names.edgeWaf, edge: names.edge });
  return { data, api, jobs, monitoring, edge, stage: context.stage, names };
}
