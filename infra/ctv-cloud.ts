import { Annotations, type App, type Environment } from 'aws-cdk-lib';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROUTES } from '../functions/routes';
import type { Route } from '../functions/routes/route';
import { ApiStack } from './api-stack';
import { DataStack, NIGHTLY_MAX_RECEIVE_COUNT } from './data-stack';
import { createEdge } from './edge-stack';
import { JobsStack, NIGHTLY_JOB_FILES, nightlyJobEntries, type NightlyJobEntries } from './jobs-stack';

/** The project root: handler paths in the route table are relative to it. */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Used when no `-c corsOrigins=…` is given: a placeholder, not a real front end. */
export const DEFAULT_CORS_ORIGINS = ['https://app.example.vn'];

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
 * Three stacks: DataStack (table, user pool, webhook secrets key, nightly and delivery queues:
 * stateful), ApiStack (API, route functions and the delivery worker: replaceable) and, once its
 * handlers exist, JobsStack (the nightly schedule and its functions: replaceable). Keeping data
 * apart means a bad deploy, a rename or a `cdk destroy CtvCloudApi` cannot touch it, and the others
 * can be rebuilt at any time. In front of the API, the edge (infra/edge-stack.ts): the WAF web ACL
 * (us-east-1) and the CloudFront distribution that carries it (stateless too).
 */
export function createCtvCloud(app: App, options: CtvCloudOptions = {}) {
  const env = options.env ?? { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };
  const data = new DataStack(app, 'CtvCloudData', {
    env,
    description: 'ctv-cloud: the single table, the user pool, the webhook secrets key, the nightly and delivery queues (stateful)',
    terminationProtection: true,
  });
  const api = new ApiStack(app, 'CtvCloudApi', {
    env,
    description: 'ctv-cloud: the HTTP API and one function per route (stateless)',
    routes: options.routes ?? ROUTES,
    table: data.table,
    userPool: data.userPool,
    userPoolClient: data.userPoolClient,
    webhookSecretsKey: data.webhookSecretsKey,
    // the routes that start a nightly run (POST …/jobs/nightly, …/periods/{periodId}/close) queue it
    nightlyQueue: data.nightlyQueue,
    // the webhook and the replays hand what they cannot finish to the delivery worker (in this stack)
    deliveryQueue: data.deliveryQueue,
    deliveryDeadLetterQueue: data.deliveryDeadLetterQueue,
    corsOrigins: corsOriginsFrom(app.node.tryGetContext('corsOrigins')),
    projectRoot: PROJECT_ROOT,
  });

  const entries = options.jobs === undefined ? nightlyJobEntries(PROJECT_ROOT) : options.jobs || undefined;
  if (options.jobs === undefined && !entries) {
    const present = Object.values(NIGHTLY_JOB_FILES).filter((f) => existsSync(join(PROJECT_ROOT, f)));
    if (present.length > 0) Annotations.of(data).addWarningV2('ctv:nightly-jobs', `Only ${present.join(', ')} exists: the nightly jobs stack needs both of ${Object.values(NIGHTLY_JOB_FILES).join(', ')}`);
  }
  const jobs = entries
    ? new JobsStack(app, 'CtvCloudJobs', {
        env,
        description: 'ctv-cloud: the nightly schedule and its functions (stateless)',
        entries,
        table: data.table,
        queue: data.nightlyQueue,
        deadLetterQueue: data.nightlyDeadLetterQueue,
        maxReceiveCount: NIGHTLY_MAX_RECEIVE_COUNT,
        projectRoot: PROJECT_ROOT,
      })
    : undefined;
  // the public URL: CloudFront with the WAF rate rules in front of the API (WAF cannot sit on an HTTP API)
  const edge = createEdge(app, api, env);
  return { data, api, jobs, edge };
}

/** `-c corsOrigins=https://a.vn,https://b.vn` gives a string; cdk.json may hold a list. */
export function corsOriginsFrom(value: unknown): string[] {
  if (value === undefined || value === null || value === '') return DEFAULT_CORS_ORIGINS;
  const list = (Array.isArray(value) ? value : String(value).split(',')).map((o) => String(o).trim()).filter(Boolean);
  for (const origin of list) {
    if (origin !== '*' && !/^https?:\/\/[^/\s]+$/.test(origin)) throw new Error(`corsOrigins: "${origin}" is not an origin (scheme://host[:port], no path)`);
  }
  return list;
}
