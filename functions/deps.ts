import { randomBytes } from 'node:crypto';
import { ulid } from '../domain/ids';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { createStore, tenantClients, type Store } from './store/client';
import { fenceStore, type CrossTenantAccess } from './store/guard';
import { keyringFromEnv, type Keyring } from './webhooks/secrets';
import { beginInvocation, endInvocation, lambdaLog, lambdaMetric, type MetricName } from './observability';

/**
 * What a handler needs from the outside world, passed in rather than imported, so the local server
 * and the tests run the same handlers against DynamoDB Local with their own clock or logger.
 */
export interface Deps {
  store: Store;
  now: () => Date;
  random: (bytes: number) => Uint8Array;
  newId: () => string;
  log: (entry: Record<string, unknown>) => void;
  /** a business metric (infra/metrics.ts `METRIC`): CloudWatch in Lambda, nothing locally unless given */
  metric: (name: MetricName, value?: number) => void;
  /** Lambda only: put the invocation's context and keys on every log line, then publish its metrics */
  invocation?: { begin: typeof beginInvocation; end: typeof endInvocation };
  corsOrigins: string[];
  /** the key that encrypts webhook signing secrets at rest (AES-256-GCM); read on first use */
  secretsKey: () => Keyring;
  /**
   * AWS only (TENANT_DATA_ROLE_ARN set): the client acting as the tenant data role for one business,
   * cached per container (store/client.ts, tenantClients). Absent locally and in tests: there the
   * store guard alone fences a tenant route.
   */
  tenantDb?: (tenantId: string) => DynamoDBDocumentClient;
}

/**
 * The deps of a tenant route once its business is known: the store is fenced to that business
 * (store/guard.ts) — its keys, plus the cross-tenant families the route declares — and, in AWS, its
 * own keys go out with the business's credentials (IAM `dynamodb:LeadingKeys`), the families with
 * the function's own role. docs/security.md, "Tenant fences".
 */
export function fencedDeps(deps: Deps, tenantId: string, crossTenant?: CrossTenantAccess): Deps {
  return { ...deps, store: fenceStore(deps.store, { tenantId, crossTenant, tenantDb: deps.tenantDb?.(tenantId) }) };
}

function once<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

export function makeDeps(options: {
  store: Store;
  now?: () => Date;
  random?: (bytes: number) => Uint8Array;
  log?: (entry: Record<string, unknown>) => void;
  metric?: (name: MetricName, value?: number) => void;
  invocation?: Deps['invocation'];
  corsOrigins?: string[];
  secretsKey?: () => Keyring;
  tenantDb?: (tenantId: string) => DynamoDBDocumentClient;
}): Deps {
  const now = options.now ?? (() => new Date());
  const random = options.random ?? ((n: number) => new Uint8Array(randomBytes(n)));
  return {
    store: options.store,
    now,
    random,
    newId: () => ulid(now().getTime(), random(10)),
    log: options.log ?? ((entry) => console.log(JSON.stringify(entry))),
    metric: options.metric ?? (() => {}),
    ...(options.invocation ? { invocation: options.invocation } : {}),
    corsOrigins: options.corsOrigins ?? ['*'],
    secretsKey: options.secretsKey ?? once(() => keyringFromEnv(undefined, false)),
    ...(options.tenantDb ? { tenantDb: options.tenantDb } : {}),
  };
}

/** In Lambda: built once per cold start from the function's environment (set by CDK). */
export function depsFromEnv(env: NodeJS.ProcessEnv = process.env): Deps {
  const tableName = env.TABLE_NAME;
  if (!tableName) throw new Error('TABLE_NAME is not set');
  return makeDeps({
    store: createStore({ tableName, endpoint: env.DYNAMODB_ENDPOINT, region: env.AWS_REGION }),
    // in Lambda: Powertools JSON logs and CloudWatch metrics (functions/observability.ts)
    ...(env.AWS_LAMBDA_FUNCTION_NAME
      ? { log: lambdaLog, metric: lambdaMetric, invocation: { begin: beginInvocation, end: endInvocation } }
      : {}),
    corsOrigins: (env.CORS_ORIGINS ?? '*')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    // only the functions that handle webhook secrets have the key; the others never read it
    secretsKey: once(() => keyringFromEnv(env.WEBHOOK_SECRETS_KEY, !!env.AWS_LAMBDA_FUNCTION_NAME)),
    // tenant route functions (CDK sets it on them only): their business's keys through the tenant data role
    ...(env.TENANT_DATA_ROLE_ARN ? { tenantDb: tenantClients({ roleArn: env.TENANT_DATA_ROLE_ARN, region: env.AWS_REGION }) } : {}),
  });
}

/** Run one Lambda invocation with its log context, then publish the metrics it stored (functions/observability.ts). */
export async function inInvocation<T>(
  deps: Deps,
  context: Context | undefined,
  keys: Record<string, string | undefined>,
  run: () => Promise<T>,
): Promise<T> {
  deps.invocation?.begin(context, keys);
  try {
    return await run();
  } finally {
    deps.invocation?.end();
  }
}
