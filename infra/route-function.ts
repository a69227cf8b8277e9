import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { join } from 'node:path';
import type { Route } from '../functions/routes/route';

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

/** ESM bundles of CommonJS dependencies call `require`; ESM has none, so define one. */
const REQUIRE_BANNER = "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

export interface RouteFunctionProps {
  route: Route<any, any>;
  /** the project root: handler paths in the route table are relative to it */
  projectRoot: string;
  functionName: string;
  corsOrigins: string[];
}

/**
 * The Lambda of one route, with every default in one place (runtime, architecture, bundling, logs).
 * `bindTable` sets TABLE_NAME and the grant the route asks for in one call, so they cannot drift.
 */
export class RouteFunction extends NodejsFunction {
  readonly route: Route<any, any>;

  constructor(scope: Construct, id: string, props: RouteFunctionProps) {
    const { route, projectRoot } = props;
    // one log group per function: retention without the LogRetention custom resource (and its helper Lambda)
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    super(scope, id, {
      functionName: props.functionName,
      description: `${route.method} ${route.path}: ${route.summary}`.slice(0, 256),
      entry: join(projectRoot, route.handler),
      handler: 'handler',
      projectRoot,
      depsLockFilePath: join(projectRoot, 'package-lock.json'),
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: 512,
      timeout: Duration.seconds(10),
      logGroup,
      environment: {
        CORS_ORIGINS: props.corsOrigins.join(','),
        // minified code: stack traces in the logs are only readable through the source map
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        // prefer the ESM builds of dependencies: they tree-shake
        mainFields: ['module', 'main'],
        banner: REQUIRE_BANNER,
        minify: true,
        // esbuild prints only problems (a size table per function is noise in synth output)
        logLevel: LogLevel.WARNING,
        sourceMap: true,
        sourcesContent: false,
        // the nodejs22.x runtime ships AWS SDK v3
        externalModules: ['@aws-sdk/*'],
        tsconfig: join(projectRoot, 'tsconfig.json'),
      },
    });
    this.route = route;
  }

  /** Point the function at the table and grant exactly what `route.table` says. */
  bindTable(table: ITable): void {
    // set even for 'none': the shared deps read TABLE_NAME at cold start (an env var grants nothing)
    this.addEnvironment('TABLE_NAME', table.tableName);
    const actions = TABLE_ACTIONS[this.route.table];
    // grant on the table and its indexes (table/…/index/*)
    if (actions.length > 0) table.grant(this, ...actions);
  }
}
