import type { App, Environment } from 'aws-cdk-lib';
import { fileURLToPath } from 'node:url';
import { ROUTES } from '../functions/routes';
import type { Route } from '../functions/routes/route';
import { ApiStack } from './api-stack';
import { DataStack } from './data-stack';

/** The project root: handler paths in the route table are relative to it. */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Used when no `-c corsOrigins=…` is given: a placeholder, not a real front end. */
export const DEFAULT_CORS_ORIGINS = ['https://app.example.vn'];

/**
 * Two stacks: DataStack (table, user pool: retained, deletion- and termination-protected) and
 * ApiStack (API and functions: replaceable). Keeping data apart means a bad API deploy, a rename
 * or a `cdk destroy CtvCloudApi` cannot touch it, and the API can be rebuilt at any time.
 */
export function createCtvCloud(app: App, options: { routes?: readonly Route<any, any>[]; env?: Environment } = {}) {
  const env = options.env ?? { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };
  const data = new DataStack(app, 'CtvCloudData', {
    env,
    description: 'ctv-cloud: the single table and the user pool (stateful)',
    terminationProtection: true,
  });
  const api = new ApiStack(app, 'CtvCloudApi', {
    env,
    description: 'ctv-cloud: the HTTP API and one function per route (stateless)',
    routes: options.routes ?? ROUTES,
    table: data.table,
    userPool: data.userPool,
    userPoolClient: data.userPoolClient,
    corsOrigins: corsOriginsFrom(app.node.tryGetContext('corsOrigins')),
    projectRoot: PROJECT_ROOT,
  });
  return { data, api };
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
