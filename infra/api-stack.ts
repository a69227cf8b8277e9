import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import {
  type CfnStage,
  CorsHttpMethod,
  HttpApi,
  HttpAuthorizer,
  HttpAuthorizerType,
  type HttpStage,
  type IHttpRouteAuthorizer,
  type ThrottleSettings,
} from 'aws-cdk-lib/aws-apigatewayv2';
import type { UserPool, UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { Route } from '../functions/routes/route';
import { tenantRoutes } from '../functions/routes/tenants';
import { MAX_BUSINESSES_ENV, parseMaxBusinessesPerAccount } from '../domain/tenant-limits';
import { AccessRoles } from './access-roles';
import { DeliveryWorker } from './delivery-worker';
import { edgeWanted } from './edge-stack';
import { functionNameFor, RouteGroupStack } from './route-group';
import { CORS_ALLOW_HEADERS, CORS_EXPOSE_HEADERS } from '../functions/http/cors';

/** Every route, unless it is listed below. Steady rate per second and burst. */
export const DEFAULT_THROTTLE = { rateLimit: 200, burstLimit: 400 } as const satisfies ThrottleSettings;
/** Anonymous writes (self-registration on public pages): a bot should not fill a tenant's table. */
export const PUBLIC_WRITE_THROTTLE = { rateLimit: 5, burstLimit: 10 } as const satisfies ThrottleSettings;

// API Gateway answers CORS itself and drops the handlers' own CORS headers: the same lists as theirs
export { CORS_ALLOW_HEADERS, CORS_EXPOSE_HEADERS };

/**
 * Most routes one nested stack may hold: 5 resources each (function, log group, route, integration,
 * permission) keeps it near 400, under CloudFormation's 500 with room to spare.
 */
export const MAX_ROUTES_PER_GROUP = 80;

export const routeKey = (r: Pick<Route, 'method' | 'path'>) => `${r.method} ${r.path}`;

/** Routes that get PUBLIC_WRITE_THROTTLE: unauthenticated and changing something. */
export const isPublicWrite = (r: Pick<Route, 'auth' | 'method'>) => r.auth === 'public' && r.method !== 'GET';

/** The delivery worker's function is named `<stack>-deliveryWorker`, beside the route functions: no route may take the id. */
export const DELIVERY_WORKER_ID = 'deliveryWorker';

export interface ApiStackProps extends StackProps {
  routes: readonly Route<any, any>[];
  table: ITable;
  userPool: UserPool;
  userPoolClient: UserPoolClient;
  /** WEBHOOK_SECRETS_KEY of the routes with `sealingKey: true` */
  webhookSecretsKey: ISecret;
  /**
   * The nightly work queue (data stack): NIGHTLY_QUEUE_URL and sqs:SendMessage for the routes with
   * `nightlyQueue: true`, which start a run. Required if any route has it.
   */
  nightlyQueue?: IQueue;
  /**
   * The order delivery queue (data stack): DELIVERY_QUEUE_URL and sqs:SendMessage for the routes with
   * `deliveryQueue: true` (the webhook and the replays), and the DeliveryWorker that consumes it.
   * Required if any route has it.
   */
  deliveryQueue?: IQueue;
  corsOrigins: string[];
  /** the project root: handler paths in the route table are relative to it */
  projectRoot: string;
}

/**
 * The stateless stack: the HTTP API (with its stage and JWT authorizer), one IAM role per table
 * access level, and one nested stack per route tag holding that tag's functions and routes. Nothing
 * here holds data, so it can be replaced freely; it reads the table and the user pool from the data
 * stack.
 *
 * Why nested stacks: a route costs 5 CloudFormation resources, and a stack may hold 500. Grouping by
 * tag is stable: adding a route never moves another one to a different stack, which would fail on
 * the function's fixed name (CloudFormation creates the new one before deleting the old). Changing a
 * route's tag does move it: deploy that as a removal, then an addition. Each group stays far from the
 * limit (MAX_ROUTES_PER_GROUP), and `cdk deploy CtvCloud-<stage>-Api` still deploys it all at once. Why shared roles: least privilege is per access level, which is what the
 * route table expresses, and a role per function would add two resources per route; the few routes
 * that send to the nightly queue share a role of their own (AccessRoles), as do those that send to the
 * delivery queue.
 *
 * Given the delivery queue, the stack also holds its consumer (DeliveryWorker): the second half of
 * the webhook routes, which hand it what they could not finish. It lives here rather than in the jobs
 * stack because it must exist whenever these routes do (the jobs stack exists only with the nightly
 * entry files), and it is as stateless as they are: the messages wait in the data stack's queue.
 */
export class ApiStack extends Stack {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly roles: AccessRoles;
  readonly groups: RouteGroupStack[] = [];
  /** the delivery queue's consumer, when ApiStack was given the queue */
  readonly deliveryWorker?: DeliveryWorker;
  /** the cap on businesses per account the create route enforces */
  readonly maxBusinessesPerAccount: number;
  /**
   * ORIGIN_VERIFY_SECRET: the secret the edge's distribution sends with every request and every
   * route function checks (functions/http/origin.ts). Only when the edge is built (edgeWanted).
   */
  readonly originSecret?: Secret;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    // Strong (CloudFormation exports): the data stack cannot be deleted while this stack uses it.
    // Said explicitly, so CDK does not warn; set before any child construct exists.
    this.node.setContext('@aws-cdk/core:defaultCrossStackReferences', 'strong');
    const groups = groupRoutes(props.routes);
    // how many businesses one account may create: CDK context maxBusinessesPerAccount (default 3); a bad value stops the synth here
    this.maxBusinessesPerAccount = parseMaxBusinessesPerAccount(this.node.tryGetContext('maxBusinessesPerAccount'));

    this.api = new HttpApi(this, 'HttpApi', {
      apiName: this.stackName,
      description: 'ctv-cloud API',
      // the stage is made below, to carry throttling
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: props.corsOrigins,
        allowMethods: [...new Set(props.routes.map((r) => r.method)), 'OPTIONS'].map(
          (m) => CorsHttpMethod[m as keyof typeof CorsHttpMethod],
        ),
        allowHeaders: CORS_ALLOW_HEADERS,
        exposeHeaders: CORS_EXPOSE_HEADERS,
        maxAge: Duration.minutes(10),
      },
    });
    this.stage = this.api.addStage('DefaultStage', { stageName: '$default', autoDeploy: true, throttle: DEFAULT_THROTTLE });

    // Cognito signs both token kinds: ID tokens carry the client id in `aud`, access tokens in `client_id`;
    // API Gateway accepts either against the audience. Made here (not on first use, as
    // HttpJwtAuthorizer does), so that every route group refers to this one.
    const region = Stack.of(props.userPool).region;
    const jwt = new HttpAuthorizer(this, 'JwtAuthorizer', {
      httpApi: this.api,
      authorizerName: 'JwtAuthorizer',
      type: HttpAuthorizerType.JWT,
      identitySource: ['$request.header.Authorization'],
      jwtIssuer: `https://cognito-idp.${region}.amazonaws.com/${props.userPool.userPoolId}`,
      jwtAudience: [props.userPoolClient.userPoolClientId],
    });
    const authorizer: IHttpRouteAuthorizer = { bind: () => ({ authorizationType: 'JWT', authorizerId: jwt.authorizerId }) };

    const needQueue = props.routes.filter((r) => r.nightlyQueue).map((r) => r.id);
    if (needQueue.length > 0 && !props.nightlyQueue)
      throw new Error(`Routes ${needQueue.join(', ')} send to the nightly queue: give ApiStack the nightlyQueue`);
    const needDeliveryQueue = props.routes.filter((r) => r.deliveryQueue).map((r) => r.id);
    if (needDeliveryQueue.length > 0 && !props.deliveryQueue)
      throw new Error(`Routes ${needDeliveryQueue.join(', ')} send to the delivery queue: give ApiStack the deliveryQueue`);
    if (props.deliveryQueue && props.routes.some((r) => r.id === DELIVERY_WORKER_ID))
      throw new Error(`Route table: the id "${DELIVERY_WORKER_ID}" names the delivery worker's function`);
    this.roles = new AccessRoles(this, 'Roles', {
      table: props.table,
      nightlyQueue: props.nightlyQueue,
      deliveryQueue: props.deliveryQueue,
    });

    // Here rather than in the data stack: it guards this API alone, it holds no data (a new value only
    // means a deploy: docs/security.md), and the edge stack already depends on this one.
    if (edgeWanted(this)) {
      this.originSecret = new Secret(this, 'OriginSecret', {
        description:
          'ctv-cloud: ORIGIN_VERIFY_SECRET, the header CloudFront adds to every request it sends to the API; the route functions refuse a request without it.',
        generateSecretString: { passwordLength: 48, excludePunctuation: true },
        removalPolicy: RemovalPolicy.DESTROY,
      });
    }

    const routeSettings: Record<string, object> = {};
    for (const [tag, routes] of groups) {
      const group = new RouteGroupStack(this, `${pascal(tag)}Routes`, {
        description: `ctv-cloud: the functions and routes of tag "${tag}"`,
        routes,
        api: this.api,
        authorizer,
        roles: this.roles,
        table: props.table,
        webhookSecretsKey: props.webhookSecretsKey,
        originSecret: this.originSecret,
        nightlyQueue: props.nightlyQueue,
        deliveryQueue: props.deliveryQueue,
        corsOrigins: props.corsOrigins,
        projectRoot: props.projectRoot,
        functionNamePrefix: this.stackName,
      });
      this.groups.push(group);
      for (const route of routes.filter(isPublicWrite)) {
        routeSettings[routeKey(route)] = {
          ThrottlingRateLimit: PUBLIC_WRITE_THROTTLE.rateLimit,
          ThrottlingBurstLimit: PUBLIC_WRITE_THROTTLE.burstLimit,
        };
        // the stage's route settings name the route: it must exist first (here: its nested stack)
        this.stage.node.addDependency(group.httpRoutes.get(route.id)!);
      }
    }
    if (Object.keys(routeSettings).length > 0) (this.stage.node.defaultChild as CfnStage).routeSettings = routeSettings;

    // how many businesses one account may create (read above), given to the create route
    for (const fn of this.functions.filter((f) => f.route.id === tenantRoutes.create.id)) {
      fn.addEnvironment(MAX_BUSINESSES_ENV, String(this.maxBusinessesPerAccount));
    }

    if (props.deliveryQueue) {
      this.deliveryWorker = new DeliveryWorker(this, 'DeliveryWorker', {
        table: props.table,
        queue: props.deliveryQueue,
        projectRoot: props.projectRoot,
        functionName: functionNameFor(this.stackName, DELIVERY_WORKER_ID),
      });
    }

    new CfnOutput(this, 'ApiUrl', { value: this.stage.url });
  }

  /** Every route function, across the groups. */
  get functions() {
    return this.groups.flatMap((g) => g.functions);
  }
}

/**
 * The routes by tag, in table order. Refuses a repeated id or route key (it would silently replace
 * a function or fail late in CloudFormation) and a tag too big for one nested stack.
 */
export function groupRoutes(routes: readonly Route<any, any>[]): Map<string, Route<any, any>[]> {
  const seen = new Set<string>();
  const groups = new Map<string, Route<any, any>[]>();
  const ids = new Map<string, string>();
  for (const r of routes) {
    for (const key of [`id ${r.id}`, `route ${routeKey(r)}`]) {
      if (seen.has(key)) throw new Error(`Route table: duplicate ${key}`);
      seen.add(key);
    }
    // two tags that differ only in punctuation or case would share a construct id
    const id = pascal(r.tag);
    if (ids.has(id) && ids.get(id) !== r.tag)
      throw new Error(`Route table: tags "${ids.get(id)}" and "${r.tag}" are too alike to name two stacks`);
    ids.set(id, r.tag);
    groups.set(r.tag, [...(groups.get(r.tag) ?? []), r]);
  }
  for (const [tag, list] of groups) {
    if (list.length > MAX_ROUTES_PER_GROUP) {
      throw new Error(
        `Route table: tag "${tag}" has ${list.length} routes; one nested stack holds at most ${MAX_ROUTES_PER_GROUP}: split the tag`,
      );
    }
  }
  return groups;
}

/** "staff-groups" → "StaffGroups" */
export function pascal(tag: string): string {
  const name = tag
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
  if (!/^[A-Za-z]/.test(name)) throw new Error(`Route table: tag "${tag}" cannot name a stack (it must start with a letter)`);
  return name;
}
