import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import { Architecture, Function as LambdaFunction, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isTenantRoute, type Route } from '../functions/routes/route';
import { ORIGIN_SECRET_ENV } from '../functions/http/origin';
import { FunctionBundles } from './bundles';
import { deployTimeSecret } from './deploy-time-secret';
import { originSecretValue } from './edge-stack';

export { BUNDLING, REQUIRE_BANNER } from './bundles';

/**
 * What a function may do to the table, per `route.table`. Narrower than grantReadData /
 * grantReadWriteData on purpose: no Scan (every list is a Query), no stream reads, no DescribeTable.
 * Transactions need no actions of their own: TransactWriteItems is authorised per item
 * (PutItem/UpdateItem/DeleteItem/ConditionCheckItem), TransactGetItems by GetItem.
 */
export const TABLE_ACTIONS = {
  none: [],
  read: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'],
  write: [
    'dynamodb:GetItem',
    'dynamodb:BatchGetItem',
    'dynamodb:Query',
    'dynamodb:ConditionCheckItem',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    'dynamodb:BatchWriteItem',
  ],
} as const satisfies Record<Route['table'], readonly string[]>;

/**
 * Every function's default timeout, the route functions' always. Shorter than the close's
 * FREEZE_SETTLE_SECONDS (functions/jobs/nightly.ts) on purpose: that is the fence that keeps an
 * order change priced before a freeze from landing after the statements were read (infra test).
 */
export const ROUTE_TIMEOUT = Duration.seconds(10);

export interface CtvFunctionProps {
  /** the entry file, from the project root; it exports `handler` */
  entry: string;
  /** the project root: entry paths are relative to it */
  projectRoot: string;
  functionName?: string;
  description: string;
  /** a shared role (route functions: one per access level); by default the function gets its own */
  role?: IRole;
  timeout?: Duration;
  memorySize?: number;
  environment?: Record<string, string>;
  /** X-Ray active tracing: the functions whose work crosses a queue (the order intake, the nightly run) */
  tracing?: boolean;
}

/**
 * Every Lambda of the project, with the defaults in one place: runtime, architecture, ESM bundle,
 * a log group kept a month.
 *
 * The code is the entry's bundle from the app's one esbuild run (FunctionBundles, infra/bundles.ts):
 * `index.mjs` and its source map, nothing else, so the handler is `index.handler`.
 */
export class CtvFunction extends LambdaFunction {
  /** the entry file, from the project root */
  readonly entry: string;
  /** the name it was given, as a plain string (functionName is a token): for metrics read in another stack */
  readonly fixedName?: string;

  constructor(scope: Construct, id: string, props: CtvFunctionProps) {
    const { projectRoot } = props;
    if (!existsSync(join(projectRoot, props.entry))) throw new Error(`${id}: no entry file ${props.entry} under ${projectRoot}`);
    // one log group per function: retention without the LogRetention custom resource (and its helper Lambda)
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    super(scope, id, {
      functionName: props.functionName,
      description: props.description.slice(0, 256),
      code: FunctionBundles.of(scope, projectRoot).code(props.entry),
      handler: 'index.handler',
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? ROUTE_TIMEOUT,
      role: props.role,
      logGroup,
      // Lambda's JSON log format: its own lines (START, REPORT, errors) are JSON like Powertools' lines
      loggingFormat: LoggingFormat.JSON,
      tracing: props.tracing ? Tracing.ACTIVE : undefined,
      environment: {
        // minified code: stack traces in the logs are only readable through the source map
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
    });
    this.entry = props.entry;
    this.fixedName = props.functionName;
  }
}

export interface RouteFunctionProps {
  route: Route<any, any>;
  /** the project root: handler paths in the route table are relative to it */
  projectRoot: string;
  functionName: string;
  corsOrigins: string[];
  /**
   * The role of the route's access level (AccessRoles.for(route.table, { nightlyQueue, deliveryQueue })):
   * it holds the table grant, and for `nightlyQueue` / `deliveryQueue` routes the send grant on that
   * queue. Its grants and the TABLE_NAME, NIGHTLY_QUEUE_URL and DELIVERY_QUEUE_URL below follow the
   * same route fields, so they cannot drift.
   */
  role: IRole;
  /** required for a tenant route (isTenantRoute): the tenant data role it assumes (AccessRoles.tenantData(route.table)) */
  tenantDataRole?: IRole;
  table: ITable;
  /** required when the route has `sealingKey: true` */
  webhookSecretsKey?: ISecret;
  /**
   * With the edge (ApiStack.originSecret): ORIGIN_VERIFY_SECRET, so that the function answers only
   * what came through CloudFront (functions/http/origin.ts); without it nothing is checked.
   */
  originSecret?: ISecret;
  /** required when the route has `nightlyQueue: true` */
  nightlyQueue?: IQueue;
  /** required when the route has `deliveryQueue: true` */
  deliveryQueue?: IQueue;
}

/**
 * The Lambda of one route. Its environment is exactly what the route table says it needs:
 * the table name always, the webhook secrets key only with `sealingKey: true`, the nightly
 * queue's URL only with `nightlyQueue: true`, the delivery queue's only with `deliveryQueue: true`,
 * the tenant data role's ARN only on tenant routes; with the edge, the origin secret on every route.
 */
export class RouteFunction extends CtvFunction {
  readonly route: Route<any, any>;

  constructor(scope: Construct, id: string, props: RouteFunctionProps) {
    const { route } = props;
    if (route.sealingKey && !props.webhookSecretsKey)
      throw new Error(`Route ${route.id} uses the sealing key: give RouteFunction the webhookSecretsKey`);
    if (route.nightlyQueue && !props.nightlyQueue)
      throw new Error(`Route ${route.id} sends to the nightly queue: give RouteFunction the nightlyQueue`);
    if (route.deliveryQueue && !props.deliveryQueue)
      throw new Error(`Route ${route.id} sends to the delivery queue: give RouteFunction the deliveryQueue`);
    if (isTenantRoute(route) && !props.tenantDataRole)
      throw new Error(`Route ${route.id} is a tenant route: give RouteFunction the tenantDataRole`);
    super(scope, id, {
      entry: route.handler,
      projectRoot: props.projectRoot,
      functionName: props.functionName,
      description: `${route.method} ${route.path}: ${route.summary}`,
      role: props.role,
      // an order system's webhook starts the order intake, which the delivery worker may finish: one trace
      tracing: isTracedRoute(route),
      environment: {
        CORS_ORIGINS: props.corsOrigins.join(','),
        // set even for 'none': the shared deps read TABLE_NAME at cold start (an env var grants nothing)
        TABLE_NAME: props.table.tableName,
        ...(route.sealingKey ? { WEBHOOK_SECRETS_KEY: webhookSecretsKeyValue(props.webhookSecretsKey!) } : {}),
        ...(route.nightlyQueue ? { NIGHTLY_QUEUE_URL: props.nightlyQueue!.queueUrl } : {}),
        ...(route.deliveryQueue ? { DELIVERY_QUEUE_URL: props.deliveryQueue!.queueUrl } : {}),
        // tenant routes reach their business's keys as this role, with the session tag tenantId (functions/deps.ts)
        ...(isTenantRoute(route) ? { TENANT_DATA_ROLE_ARN: props.tenantDataRole!.roleArn } : {}),
        // the same dynamic reference as the distribution's header (infra/edge-stack.ts): deploy-time, no grant
        ...(props.originSecret ? { [ORIGIN_SECRET_ENV]: originSecretValue(props.originSecret) } : {}),
      },
    });
    this.route = route;
  }
}

/** Routes whose functions run with X-Ray active tracing: the order systems' webhooks. */
export const isTracedRoute = (route: Pick<Route, 'auth'>) => route.auth === 'webhook';

/** CDK context: the version (VersionId) of the sealing key's secret to deploy, after a rotation (docs/security.md). */
export const SEALING_KEY_VERSION_CONTEXT = 'sealingKeyVersion';

/**
 * The sealing key as a deploy-time dynamic reference (deployTimeSecret: a new value takes a deploy
 * with `-c sealingKeyVersion=<VersionId>`).
 *
 * The trade-off, accepted for now: the resolved value sits in the function's configuration, where
 * anyone allowed lambda:GetFunctionConfiguration can read it (Lambda encrypts it at rest with KMS).
 * Fetching it at cold start instead (secret ARN in the environment + secret.grantRead(role) +
 * GetSecretValue, cached per container) keeps it out of the configuration, but needs
 * @aws-sdk/client-secrets-manager, which the project does not install.
 */
export function webhookSecretsKeyValue(secret: ISecret): string {
  return deployTimeSecret(secret, SEALING_KEY_VERSION_CONTEXT);
}
