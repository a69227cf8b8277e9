import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { CfnStage, CorsHttpMethod, HttpApi, HttpMethod, HttpStage, type ThrottleSettings } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { UserPool, UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import type { Route } from '../functions/routes/route';
import { RouteFunction } from './route-function';

/** Every route, unless it is listed below. Steady rate per second and burst. */
export const DEFAULT_THROTTLE = { rateLimit: 200, burstLimit: 400 } as const satisfies ThrottleSettings;
/** Anonymous writes (self-registration on public pages): a bot should not fill a tenant's table. */
export const PUBLIC_WRITE_THROTTLE = { rateLimit: 5, burstLimit: 10 } as const satisfies ThrottleSettings;

/** Headers a browser may send and read; API Gateway answers CORS itself and drops the handlers' headers. */
const CORS_ALLOW_HEADERS = ['authorization', 'content-type', 'idempotency-key', 'if-match'];
const CORS_EXPOSE_HEADERS = ['etag', 'idempotent-replayed', 'location'];

export const routeKey = (r: Pick<Route, 'method' | 'path'>) => `${r.method} ${r.path}`;

/** Routes that get PUBLIC_WRITE_THROTTLE: unauthenticated and changing something. */
export const isPublicWrite = (r: Pick<Route, 'auth' | 'method'>) => r.auth === 'public' && r.method !== 'GET';

export interface ApiStackProps extends StackProps {
  routes: readonly Route<any, any>[];
  table: Table;
  userPool: UserPool;
  userPoolClient: UserPoolClient;
  corsOrigins: string[];
  /** the project root: handler paths in the route table are relative to it */
  projectRoot: string;
}

/**
 * The stateless stack: the HTTP API and one function per route, built from the route table.
 * Nothing here holds data, so it can be replaced freely; it reads the table and the user pool
 * from the data stack.
 */
export class ApiStack extends Stack {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly functions: RouteFunction[] = [];

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    // Strong (CloudFormation exports): the data stack cannot be deleted while this stack uses it.
    // Said explicitly, so CDK does not warn; set before any child construct exists.
    this.node.setContext('@aws-cdk/core:defaultCrossStackReferences', 'strong');
    checkRoutes(props.routes);

    this.api = new HttpApi(this, 'HttpApi', {
      apiName: this.stackName,
      description: 'ctv-cloud API',
      // the stage is made below, to carry throttling
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: props.corsOrigins,
        allowMethods: [...new Set(props.routes.map((r) => r.method)), 'OPTIONS'].map((m) => CorsHttpMethod[m as keyof typeof CorsHttpMethod]),
        allowHeaders: CORS_ALLOW_HEADERS,
        exposeHeaders: CORS_EXPOSE_HEADERS,
        maxAge: Duration.minutes(10),
      },
    });
    this.stage = this.api.addStage('DefaultStage', { stageName: '$default', autoDeploy: true, throttle: DEFAULT_THROTTLE });

    // Cognito signs both token kinds: ID tokens carry the client id in `aud`, access tokens in `client_id`;
    // API Gateway accepts either against the audience.
    const region = Stack.of(props.userPool).region;
    const authorizer = new HttpJwtAuthorizer('JwtAuthorizer', `https://cognito-idp.${region}.amazonaws.com/${props.userPool.userPoolId}`, {
      jwtAudience: [props.userPoolClient.userPoolClientId],
    });

    const functions = new Construct(this, 'Routes');
    const routeSettings: Record<string, object> = {};
    for (const route of props.routes) {
      const fn = new RouteFunction(functions, route.id, {
        route,
        projectRoot: props.projectRoot,
        functionName: functionNameFor(this.stackName, route.id),
        corsOrigins: props.corsOrigins,
      });
      fn.bindTable(props.table);
      this.functions.push(fn);

      const [httpRoute] = this.api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: new HttpLambdaIntegration(`${route.id}Integration`, fn),
        // public routes answer anyone; webhooks check their own signature in the handler
        authorizer: route.auth === 'jwt' ? authorizer : undefined,
      });
      if (isPublicWrite(route)) {
        routeSettings[routeKey(route)] = {
          ThrottlingRateLimit: PUBLIC_WRITE_THROTTLE.rateLimit,
          ThrottlingBurstLimit: PUBLIC_WRITE_THROTTLE.burstLimit,
        };
        // the stage's route settings name the route: it must exist first
        this.stage.node.addDependency(httpRoute!);
      }
    }
    if (Object.keys(routeSettings).length > 0) (this.stage.node.defaultChild as CfnStage).routeSettings = routeSettings;

    new CfnOutput(this, 'ApiUrl', { value: this.stage.url });
  }
}

/** Lambda names are at most 64 characters; say which route is too long rather than fail at deploy. */
function functionNameFor(stackName: string, routeId: string): string {
  const name = `${stackName}-${routeId}`;
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(name)) throw new Error(`Function name "${name}" (route ${routeId}) is not a valid Lambda name (≤ 64 of A-Z a-z 0-9 _ -)`);
  return name;
}

/** A repeated id or route key would silently replace a function or fail late in CloudFormation. */
function checkRoutes(routes: readonly Route<any, any>[]): void {
  const seen = new Set<string>();
  for (const r of routes) {
    for (const key of [`id ${r.id}`, `route ${routeKey(r)}`]) {
      if (seen.has(key)) throw new Error(`Route table: duplicate ${key}`);
      seen.add(key);
    }
  }
}
