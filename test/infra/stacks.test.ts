import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { DEFAULT_MAX_BUSINESSES_PER_ACCOUNT, MAX_BUSINESSES_ENV } from '../../domain/tenant-limits';
import {
  EDGE_RETRY_AFTER_SECONDS,
  EDGE_WINDOW_SECONDS,
  PUBLIC_WRITE_PREFIXES,
  PUBLIC_WRITES_PER_IP,
  PUBLIC_WRITES_PER_PAGE,
  REQUESTS_PER_IP,
  WEBHOOK_PREFIX,
} from '../../infra/edge-stack';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { UserPool } from 'aws-cdk-lib/aws-cognito';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../functions/routes';
import { createTableInput } from '../../functions/store/table';
import type { Route } from '../../functions/routes/route';
import {
  ApiStack,
  CORS_ALLOW_HEADERS,
  DELIVERY_WORKER_ID,
  CORS_EXPOSE_HEADERS,
  DEFAULT_THROTTLE,
  isPublicWrite,
  MAX_ROUTES_PER_GROUP,
  PUBLIC_WRITE_THROTTLE,
  routeKey,
} from '../../infra/api-stack';
import { createCtvCloud, PROJECT_ROOT } from '../../infra/ctv-cloud';
import { DELIVERY_MAX_RECEIVE_COUNT, NIGHTLY_MAX_RECEIVE_COUNT } from '../../infra/data-stack';
import {
  DELIVERY_SWEEP_RATE,
  DELIVERY_WORKER_BATCH_SIZE,
  DELIVERY_WORKER_CONCURRENCY,
  DELIVERY_WORKER_TIMEOUT,
} from '../../infra/delivery-worker';
import { SWEEP_AFTER_MS } from '../../functions/services/intake';
import { BUSINESS_TIME_ZONE, NIGHTLY_JOB_FILES, NIGHTLY_WORKER_TIMEOUT, nightlyJobEntries } from '../../infra/jobs-stack';
import { METRIC, METRICS_NAMESPACE, SERVICE_DIMENSION, serviceName } from '../../infra/metrics';
import { API_5XX_MIN_REQUESTS, API_5XX_RATE_PERCENT, TABLE_THROTTLE_EVENTS } from '../../infra/monitoring-stack';
import { isTracedRoute, ROUTE_TIMEOUT, TABLE_ACTIONS } from '../../infra/route-function';
import { FREEZE_SETTLE_SECONDS } from '../../functions/jobs/nightly';
import { isTenantRoute } from '../../functions/routes/route';
import { CROSS_TENANT_FAMILIES, leadingKeyPattern, type CrossTenantFamily, type CrossTenantFamilyShape } from '../../functions/store/guard';
import { keys } from '../../functions/store/keys';
import { TENANT_LEADING_KEYS } from '../../infra/access-roles';
import { EXTRA_ROUTES, STAND_IN_HANDLER, syntheticRoutes } from './routes';
import {
  actionsOfRole,
  apiRoute,
  functionBehindRoute,
  functionsByName,
  pascal,
  resolveIn,
  resourceCount,
  resourcesOf,
  roleOfFunction,
  routeFunctions,
  statementsOfRole,
  CORS_ORIGINS,
  ENV,
  NAMES,
  REQUIRED_CONTEXT,
  STAGE,
  synth,
  type Resource,
  type Synth,
} from './synth';

/** Writes that a read route must never be able to make (transactions are authorised per item). */
const WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:TransactWriteItems',
];

/** What active tracing adds to a function's role (sending its segments; X-Ray scopes neither to a resource). */
const XRAY_ACTIONS = ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'];

/** The variables Powertools reads, which every function gets (see "observability"). */
const POWERTOOLS_ENV = ['POWERTOOLS_METRICS_NAMESPACE', 'POWERTOOLS_SERVICE_NAME'];

/** What queue.grantSendMessages gives: sending (SendMessageBatch is authorised by sqs:SendMessage) and finding the queue. */
const SQS_SEND_ACTIONS = ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'];

/** The queues of the data stack, by construct id. */
const QUEUES = ['NightlyQueue', 'NightlyDeadLetterQueue', 'DeliveryQueue', 'DeliveryDeadLetterQueue'] as const;
type QueueName = (typeof QUEUES)[number];

/** A queue's logical id in the data stack: its construct id and CDK's hash. */
function queueId(s: Synth, name: QueueName): string {
  const ids = Object.keys(resourcesOf(s.data, 'AWS::SQS::Queue')).filter((id) => new RegExp(`^${name}[0-9A-F]{8}$`).test(id));
  expect(ids, name).toHaveLength(1);
  return ids[0]!;
}

/** The nightly work queue's logical id in the data stack. */
const workQueueId = (s: Synth) => queueId(s, 'NightlyQueue');

/** Which data stack queue a policy statement's resource names (imported by the API or jobs stack); anything else as JSON. */
function queueOfResource(s: Synth, resource: unknown): string {
  const imported = (resource as { 'Fn::ImportValue'?: unknown } | null)?.['Fn::ImportValue'];
  const name = QUEUES.find(
    (q) => typeof imported === 'string' && new RegExp(`^${s.names.data}:ExportsOutputFnGetAtt${queueId(s, q)}Arn`).test(imported),
  );
  return name ?? JSON.stringify(resource);
}

/** The SQS actions these statements allow, by the queue they name (sorted, each once). */
function sqsGrants(s: Synth, statements: any[]): Record<string, string[]> {
  const grants: Record<string, Set<string>> = {};
  for (const st of statements) {
    const actions = ([st.Action].flat() as string[]).filter((a) => a.startsWith('sqs:'));
    if (actions.length === 0) continue;
    expect(st.Effect).toBe('Allow');
    for (const resource of [st.Resource].flat()) for (const a of actions) (grants[queueOfResource(s, resource)] ??= new Set()).add(a);
  }
  return Object.fromEntries(Object.entries(grants).map(([queue, actions]) => [queue, [...actions].sort()]));
}

/** The SQS grants a route function's role must have: sending, on the queues its route is flagged for. */
const expectedSqsGrants = (r: Route<any, any>) => ({
  ...(r.nightlyQueue ? { NightlyQueue: SQS_SEND_ACTIONS } : {}),
  ...(r.deliveryQueue ? { DeliveryQueue: SQS_SEND_ACTIONS } : {}),
});

/** The delivery worker's function in the API stack: logical id and resource. */
function deliveryWorkerOf(s: Synth): [string, Resource] {
  const found = Object.entries(resourcesOf(s.api, 'AWS::Lambda::Function')).filter(
    ([, f]) => f.Properties.FunctionName === `${s.apiStackName}-${DELIVERY_WORKER_ID}`,
  );
  expect(found).toHaveLength(1);
  return found[0]!;
}

/** CloudFormation refuses a stack of more than 500; failing at 450 leaves time to react. */
const RESOURCE_BUDGET = 450;

const extendedRoutes = [...ROUTES, ...EXTRA_ROUTES];
const synthetic = syntheticRoutes(150);

/** The jobs stack, from stand-in entry files (synth does not bundle). */
const STAND_IN_JOBS = { schedule: STAND_IN_HANDLER, worker: STAND_IN_HANDLER };

let real: Synth;
let extended: Synth;
let big: Synth;

// a few seconds each, more on a busy machine
beforeAll(() => {
  real = synth({ jobs: STAND_IN_JOBS });
  extended = synth({ routes: extendedRoutes });
  big = synth({ routes: synthetic });
}, 120_000);

/** The same properties, for the real route table (plus test routes) and for 150 synthetic routes. */
describe.each([
  ['the route table (plus test routes)', () => extended, extendedRoutes],
  ['150 synthetic routes', () => big, synthetic],
] as const)('the API, built from %s', (_, get, routes) => {
  it('has one API route per entry, with its route key, and no other', () => {
    const keys = get().groups.flatMap((g) =>
      Object.values(resourcesOf(g.template, 'AWS::ApiGatewayV2::Route')).map((r) => r.Properties.RouteKey),
    );
    expect(keys.sort()).toEqual(routes.map(routeKey).sort());
    // and none in the API stack itself
    expect(resourcesOf(get().api, 'AWS::ApiGatewayV2::Route')).toEqual({});
  });

  it('has exactly one function per route, named after the route id, and each route invokes its own', () => {
    const s = get();
    const names = routeFunctions(s).map((f) => f.fn.Properties.FunctionName);
    expect(names.sort()).toEqual(routes.map((r) => `${s.apiStackName}-${r.id}`).sort());
    // the wiring: a route whose integration pointed at another route's function would pass the counts above
    for (const route of routes) {
      expect(functionBehindRoute(s, routeKey(route))?.Properties.FunctionName, routeKey(route)).toBe(`${s.apiStackName}-${route.id}`);
    }
  });

  it('puts each route, with its function, in the nested stack of its tag', () => {
    const s = get();
    expect(s.groups.map((g) => g.id).sort()).toEqual([...new Set(routes.map((r) => `${pascal(r.tag)}Routes`))].sort());
    const byName = functionsByName(s);
    for (const route of routes) {
      const group = `${pascal(route.tag)}Routes`;
      expect(apiRoute(s, routeKey(route))?.group.id, route.id).toBe(group);
      expect(byName.get(`${s.apiStackName}-${route.id}`)?.group.id, route.id).toBe(group);
    }
  });

  it('puts the JWT authorizer (user pool issuer, app client audience) on jwt routes only', () => {
    const s = get();
    // every kind of auth is present, so neither branch below is vacuous
    expect(new Set(routes.map((r) => r.auth))).toEqual(new Set(['jwt', 'public', 'webhook']));

    const authorizers = resourcesOf(s.api, 'AWS::ApiGatewayV2::Authorizer');
    expect(Object.keys(authorizers)).toHaveLength(1);
    const [authorizerId, authorizer] = Object.entries(authorizers)[0]!;
    expect(authorizer.Properties.AuthorizerType).toBe('JWT');
    expect(JSON.stringify(authorizer.Properties.JwtConfiguration.Issuer)).toMatch(
      /https:\/\/cognito-idp\.ap-southeast-1\.amazonaws\.com\/.*UserPool/,
    );
    expect(JSON.stringify(authorizer.Properties.JwtConfiguration.Audience)).toMatch(/AppClient/);
    // no group makes an authorizer of its own
    for (const g of s.groups) expect(resourcesOf(g.template, 'AWS::ApiGatewayV2::Authorizer'), g.id).toEqual({});

    for (const route of routes) {
      const { group, props } = apiRoute(s, routeKey(route))!;
      if (route.auth === 'jwt') {
        expect(props.AuthorizationType, routeKey(route)).toBe('JWT');
        expect(resolveIn(group, props.AuthorizerId), routeKey(route)).toEqual({ Ref: authorizerId });
      } else {
        expect(props.AuthorizerId, routeKey(route)).toBeUndefined();
        expect(props.AuthorizationType ?? 'NONE', routeKey(route)).toBe('NONE');
      }
    }
  });

  it('runs each function as the shared role of its table access (and queues), which grants exactly that', () => {
    const s = get();
    const byName = functionsByName(s);
    // a role per table access level, and apart from it a role per level for the routes that send to the
    // nightly queue, to the delivery queue, or to both
    // (tenant routes: a kind of their own per level and cross-tenant families; their table access is
    // through the tenant data role, see "tenant fences in IAM")
    const kind = (r: Route<any, any>) =>
      `${isTenantRoute(r) ? 'tenant:' : ''}${r.table}${r.nightlyQueue ? '+nightlyQueue' : ''}${r.deliveryQueue ? '+deliveryQueue' : ''}${r.crossTenant ? `+${JSON.stringify(r.crossTenant)}` : ''}`;
    const roleOfKind = new Map<string, string>();
    for (const route of routes) {
      const roleId = roleOfFunction(byName.get(`${s.apiStackName}-${route.id}`)!);
      // every function of a kind runs as the same role, and no two kinds share one
      expect(roleOfKind.get(kind(route)) ?? roleId, route.id).toBe(roleId);
      roleOfKind.set(kind(route), roleId);
      const actions = actionsOfRole(s.api, roleId);
      const dynamo = actions.filter((a) => a.startsWith('dynamodb:'));
      expect(dynamo.sort(), route.id).toEqual((isTenantRoute(route) ? familyActions(route) : [...TABLE_ACTIONS[route.table]]).sort());
      if (route.table === 'read')
        expect(
          dynamo.filter((a) => WRITE_ACTIONS.includes(a)),
          route.id,
        ).toEqual([]);
      // no route needs a Scan: every list is a Query
      expect(dynamo, route.id).not.toContain('dynamodb:Scan');
      // sending to the nightly queue is for the routes that start a run, to the delivery queue for those
      // that hand deliveries to the worker; no route function consumes either, nor touches another queue
      expect(sqsGrants(s, statementsOfRole(s.api, roleId)), route.id).toEqual(expectedSqsGrants(route));
      // X-Ray's two actions on the role of a traced route (the webhooks), and on no other role
      const sharers = routes.filter((r) => kind(r) === kind(route));
      expect(actions.filter((a) => a.startsWith('xray:')).sort(), route.id).toEqual(sharers.some(isTracedRoute) ? XRAY_ACTIONS : []);
      // and nothing else (a tenant route: assuming the tenant data role): the logs come from the managed AWSLambdaBasicExecutionRole
      expect(
        actions.filter((a) => !/^(dynamodb|sqs|xray):/.test(a)),
        route.id,
      ).toEqual(isTenantRoute(route) ? ['sts:AssumeRole', 'sts:TagSession'] : []);
    }
    expect(new Set(roleOfKind.values()).size).toBe(roleOfKind.size);
    expect([...roleOfKind.keys()].sort()).toEqual([...new Set(routes.map(kind))].sort());
    // every kind of role is in use, so no branch above is vacuous
    expect(
      routes.some((r) => r.nightlyQueue) &&
        routes.some((r) => r.deliveryQueue) &&
        routes.some((r) => !r.nightlyQueue && !r.deliveryQueue && r.table === 'write'),
    ).toBe(true);
    // the roles of the kinds in use, and no others but the delivery worker's, its sweep's and the
    // sweep schedule's own (no route function runs as them)
    const workerRole = deliveryWorkerOf(s)[1].Properties.Role['Fn::GetAtt'][0];
    const sweepRole = Object.values(resourcesOf(s.api, 'AWS::Lambda::Function')).find(
      (f) => f.Properties.FunctionName === `${s.apiStackName}-${DELIVERY_WORKER_ID}Sweep`,
    )!.Properties.Role['Fn::GetAtt'][0];
    const schedulerRoles = Object.values(resourcesOf(s.api, 'AWS::Scheduler::Schedule')).map(
      (sc) => sc.Properties.Target.RoleArn['Fn::GetAtt'][0],
    );
    expect(schedulerRoles).toHaveLength(1);
    for (const own of [workerRole, sweepRole, ...schedulerRoles]) expect([...roleOfKind.values()]).not.toContain(own);
    expect(Object.keys(resourcesOf(s.api, 'AWS::IAM::Role')).sort()).toEqual(
      [...roleOfKind.values(), workerRole, sweepRole, ...schedulerRoles, ...tenantDataRoles(s).map(([id]) => id)].sort(),
    );
    for (const g of s.groups) expect(resourcesOf(g.template, 'AWS::IAM::Role'), g.id).toEqual({});
  });

  it.each([
    ['nightlyQueue', 'NIGHTLY_QUEUE_URL', 'NightlyQueue'],
    ['deliveryQueue', 'DELIVERY_QUEUE_URL', 'DeliveryQueue'],
  ] as const)('gives the %s routes, and only them, %s and sqs:SendMessage on that queue', (flag, variable, queue) => {
    const s = get();
    const byName = functionsByName(s);
    const id = queueId(s, queue);
    expect(routes.some((r) => r[flag]) && routes.some((r) => !r[flag])).toBe(true);
    for (const route of routes) {
      const f = byName.get(`${s.apiStackName}-${route.id}`)!;
      const env = f.fn.Properties.Environment.Variables;
      const grants = sqsGrants(s, statementsOfRole(s.api, roleOfFunction(f)));
      if (!route[flag]) {
        expect(env[variable], route.id).toBeUndefined();
        expect(grants[queue], route.id).toBeUndefined();
        continue;
      }
      // the queue's URL, imported from the data stack and passed to the nested stack
      expect(resolveIn(f.group, env[variable]), route.id).toEqual({
        'Fn::ImportValue': expect.stringMatching(new RegExp(`^${s.names.data}:ExportsOutputRef${id}`)),
      });
      // exactly sending, on that queue (not its dead letters, not "*"; the rest: the roles test above)
      expect(grants[queue], route.id).toEqual(SQS_SEND_ACTIONS);
    }
  });

  it('gives WEBHOOK_SECRETS_KEY, as a reference to the data stack secret, to the sealingKey routes only', () => {
    const s = get();
    const byName = functionsByName(s);
    const secretId = Object.keys(resourcesOf(s.data, 'AWS::SecretsManager::Secret'))[0]!;
    expect(routes.some((r) => r.sealingKey)).toBe(true);
    for (const route of routes) {
      const env = byName.get(`${s.apiStackName}-${route.id}`)!.fn.Properties.Environment.Variables;
      if (!route.sealingKey) {
        expect(env.WEBHOOK_SECRETS_KEY, route.id).toBeUndefined();
        continue;
      }
      // {{resolve:secretsmanager:<the secret's ARN>:SecretString:::}}, resolved by CloudFormation at deploy time
      const [, parts] = env.WEBHOOK_SECRETS_KEY['Fn::Join'];
      expect(parts[0], route.id).toBe('{{resolve:secretsmanager:');
      expect(parts[1]['Fn::ImportValue'], route.id).toMatch(new RegExp(`^${s.names.data}:ExportsOutputRef${secretId}`));
      expect(parts[2], route.id).toBe(':SecretString:::}}');
    }
  });

  it('keeps every stack under the resource budget', () => {
    const s = get();
    for (const [name, template] of Object.entries(s.all)) {
      const count = resourceCount(template);
      expect(count, `${name}: ${count} resources (${routes.length} routes)`).toBeLessThan(RESOURCE_BUDGET);
    }
  });
});

describe('the API stack', () => {
  it('throttles the stage, and anonymous writes harder, after their routes exist', () => {
    const publicWrites = extendedRoutes.filter(isPublicWrite);
    expect(publicWrites.length).toBeGreaterThan(0);
    expect(PUBLIC_WRITE_THROTTLE.rateLimit).toBeLessThan(DEFAULT_THROTTLE.rateLimit);

    const stages = Object.values(resourcesOf(extended.api, 'AWS::ApiGatewayV2::Stage'));
    expect(stages).toHaveLength(1);
    const stage = stages[0]!;
    expect(stage.Properties.DefaultRouteSettings).toEqual({
      ThrottlingRateLimit: DEFAULT_THROTTLE.rateLimit,
      ThrottlingBurstLimit: DEFAULT_THROTTLE.burstLimit,
    });
    expect(Object.keys(stage.Properties.RouteSettings).sort()).toEqual(publicWrites.map(routeKey).sort());
    for (const route of publicWrites) {
      expect(stage.Properties.RouteSettings[routeKey(route)]).toEqual({
        ThrottlingRateLimit: PUBLIC_WRITE_THROTTLE.rateLimit,
        ThrottlingBurstLimit: PUBLIC_WRITE_THROTTLE.burstLimit,
      });
      // route settings naming a route that does not exist yet fail the deploy
      expect(stage.DependsOn, route.id).toContain(apiRoute(extended, routeKey(route))!.group.resourceId);
    }
  });

  it('answers CORS preflight for the configured origins, with the headers the API uses', () => {
    real.api.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({
        AllowOrigins: CORS_ORIGINS,
        AllowMethods: Match.arrayWith([...new Set(ROUTES.map((r) => r.method))]),
        AllowHeaders: ['authorization', 'content-type', 'idempotency-key', 'if-match', 'x-ctv-signature'],
        ExposeHeaders: ['ETag', 'Idempotent-Replayed', 'Location', 'Link', 'Retry-After'],
      }),
    });
    expect(CORS_ALLOW_HEADERS).toContain('x-ctv-signature');
    expect(CORS_EXPOSE_HEADERS).toContain('ETag');
    const origins = ['https://app.ctv.vn', 'https://admin.ctv.vn'];
    const configured = synth({ context: { corsOrigins: origins.join(',') } });
    configured.api.hasResourceProperties('AWS::ApiGatewayV2::Api', { CorsConfiguration: Match.objectLike({ AllowOrigins: origins }) });
    // the handlers see the same list
    for (const { fn } of routeFunctions(configured)) {
      expect(fn.Properties.Environment.Variables.CORS_ORIGINS).toBe(origins.join(','));
    }
  });

  it('marks nightlyQueue exactly the routes whose handler starts a run through the queue', () => {
    const flagged = ROUTES.filter((r) => r.nightlyQueue).map((r) => r.id);
    expect(flagged.sort()).toEqual(['closePeriod', 'startNightlyJob']);
    // a handler that reads NIGHTLY_QUEUE_URL throws in AWS without it: every such route must be flagged, and only those
    const readsQueue = ROUTES.filter((r) => /\bqueueFromEnv\b/.test(readFileSync(join(PROJECT_ROOT, r.handler), 'utf8'))).map((r) => r.id);
    expect(readsQueue.sort()).toEqual(flagged.sort());
  });

  it('refuses a nightlyQueue route without the queue', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const data = new Stack(app, 'Data', { env: { account: '123456789012', region: 'ap-southeast-1' } });
    const userPool = new UserPool(data, 'Pool');
    const props = {
      env: { account: '123456789012', region: 'ap-southeast-1' },
      table: new Table(data, 'Table', { partitionKey: { name: 'pk', type: AttributeType.STRING } }),
      userPool,
      userPoolClient: userPool.addClient('Client'),
      webhookSecretsKey: new Secret(data, 'Key'),
      corsOrigins: CORS_ORIGINS,
      projectRoot: PROJECT_ROOT,
    };
    const starter = ROUTES.find((r) => r.id === 'startNightlyJob')!;
    expect(() => new ApiStack(app, 'Api', { ...props, routes: [starter] })).toThrow(/startNightlyJob send to the nightly queue/);
    // the same route unflagged needs no queue
    expect(() => new ApiStack(app, 'Api2', { ...props, routes: [{ ...starter, nightlyQueue: undefined }] })).not.toThrow();

    const webhook = ROUTES.find((r) => r.id === 'receiveOrderWebhook')!;
    expect(() => new ApiStack(app, 'Api3', { ...props, routes: [webhook] })).toThrow(/receiveOrderWebhook send to the delivery queue/);
    // given the nightly queue only, it is still refused
    const nightlyQueue = new Queue(data, 'Nightly');
    expect(() => new ApiStack(app, 'Api4', { ...props, nightlyQueue, routes: [webhook] })).toThrow(
      /receiveOrderWebhook send to the delivery queue/,
    );
    // unflagged, it needs no queue; and without the queue there is no worker
    const unflagged = new ApiStack(app, 'Api5', { ...props, routes: [{ ...webhook, deliveryQueue: undefined }] });
    expect(unflagged.deliveryWorker).toBeUndefined();
    // a route may not take the worker's function name
    const deliveryQueue = new Queue(data, 'Delivery');
    expect(
      () =>
        new ApiStack(app, 'Api6', {
          ...props,
          deliveryQueue,
          routes: [webhook, { ...starter, id: DELIVERY_WORKER_ID, nightlyQueue: undefined }],
        }),
    ).toThrow(/names the delivery worker/);
  });

  it('marks deliveryQueue exactly the routes whose handler hands deliveries to the worker', () => {
    const flagged = ROUTES.filter((r) => r.deliveryQueue).map((r) => r.id);
    expect(flagged.sort()).toEqual(['receiveOrderWebhook', 'replayParkedDeliveries', 'replayWebhookDelivery']);
    // without DELIVERY_QUEUE_URL such a handler falls back to an in-process timer, which a frozen Lambda never runs;
    // a handler sends if it takes the queue itself, or calls a use case (functions/services) that does
    const takesQueue = /\bdeliveryQueue(FromEnv)?\(/;
    const services = join(PROJECT_ROOT, 'functions/services');
    const senders = readdirSync(services)
      .filter((f) => f.endsWith('.ts'))
      .flatMap((f) => readFileSync(join(services, f), 'utf8').split(/\n(?=export (?:async )?function )/))
      .map((chunk) => [/^export (?:async )?function (\w+)/.exec(chunk)?.[1], chunk] as const)
      .filter(([name, body]) => name && !takesQueue.test(`${name}(`) && takesQueue.test(body))
      .map(([name]) => name!);
    expect(senders).toEqual(expect.arrayContaining(['replayDeliveryById', 'replayParkedDeliveries']));
    const sendsFrom = (source: string) => takesQueue.test(source) || senders.some((name) => new RegExp(`\\b${name}\\(`).test(source));
    const sends = ROUTES.filter((r) => sendsFrom(readFileSync(join(PROJECT_ROOT, r.handler), 'utf8'))).map((r) => r.id);
    expect(sends.sort()).toEqual(flagged.sort());
  });

  it('gives a route that sends to both queues one role with both grants', () => {
    const both = synthetic.filter((r) => r.nightlyQueue && r.deliveryQueue);
    expect(new Set(both.map((r) => r.table)).size).toBeGreaterThan(1);
    const byName = functionsByName(big);
    for (const route of both) {
      const roleId = roleOfFunction(byName.get(`${big.apiStackName}-${route.id}`)!);
      const level = route.table[0]!.toUpperCase() + route.table.slice(1);
      expect(roleId, route.id).toMatch(new RegExp(`^RolesTable${level}NightlyQueueDeliveryQueue[0-9A-F]{8}$`));
      expect(sqsGrants(big, statementsOfRole(big.api, roleId)), route.id).toEqual({
        NightlyQueue: SQS_SEND_ACTIONS,
        DeliveryQueue: SQS_SEND_ACTIONS,
      });
    }
  });

  it('refuses a repeated route key or id, and a tag too big for one nested stack', () => {
    expect(() => synth({ routes: [...ROUTES, { ...ROUTES[0]!, id: 'sameKeyOtherId' }] })).toThrow(/duplicate route/);
    expect(() => synth({ routes: [...ROUTES, { ...ROUTES[0]!, path: '/v1/other' }] })).toThrow(/duplicate id/);
    const oneTag = syntheticRoutes(MAX_ROUTES_PER_GROUP + 1).map((r) => ({ ...r, tag: 'one' }));
    expect(() => synth({ routes: oneTag })).toThrow(/tag "one" has 81 routes/);
  });
});

describe('the functions', () => {
  it('run nodejs22.x on arm64, bundled to index.mjs, with the table name and a log group kept a month', () => {
    const functions = routeFunctions(real);
    expect(functions).toHaveLength(ROUTES.length);
    for (const { group, logicalId, fn } of functions) {
      expect(fn.Properties, logicalId).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], Handler: 'index.handler' });
      expect(JSON.stringify(fn.Properties.Environment.Variables.TABLE_NAME), logicalId).toMatch(/Table/);
      const logGroup = resourcesOf(group.template, 'AWS::Logs::LogGroup')[fn.Properties.LoggingConfig.LogGroup.Ref];
      expect(logGroup?.Properties.RetentionInDays, logicalId).toBe(30);
    }
  });

  it('time out before the close reads the ledger after a freeze (the fence against order changes priced before it)', () => {
    // an order change that read the closed list before a freeze lands or fails within its timeout;
    // the statements phase starts FREEZE_SETTLE_SECONDS after the freeze
    expect(ROUTE_TIMEOUT.toSeconds()).toBeLessThan(FREEZE_SETTLE_SECONDS);
    for (const { logicalId, fn } of routeFunctions(real)) expect(fn.Properties.Timeout, logicalId).toBe(ROUTE_TIMEOUT.toSeconds());
    // the delivery worker applies order changes too
    expect(DELIVERY_WORKER_TIMEOUT.toSeconds()).toBeLessThan(FREEZE_SETTLE_SECONDS);
    expect(deliveryWorkerOf(real)[1].Properties.Timeout).toBe(DELIVERY_WORKER_TIMEOUT.toSeconds());
  });

  it('have no wildcard actions and no DynamoDB or SQS grant on Resource "*" (API and jobs stacks)', () => {
    expect(Object.keys(real.all)).toContain('jobs');
    const statements = Object.values(real.all)
      .flatMap((t) => Object.values(resourcesOf(t, 'AWS::IAM::Policy')))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as any[]);
    expect(statements.length).toBeGreaterThan(0);
    expect(statements.some((s) => [s.Action].flat().includes('sqs:SendMessage'))).toBe(true);
    for (const s of statements) {
      const actions = [s.Action].flat() as string[];
      expect(actions.filter((a) => a === '*' || a.endsWith(':*'))).toEqual([]);
      if (actions.some((a) => a.startsWith('dynamodb:') || a.startsWith('sqs:'))) expect([s.Resource].flat()).not.toContain('*');
    }
  });
});

describe('the data stack', () => {
  it('keeps the table: on demand, PITR, TTL, deletion protection, retained on delete and replace', () => {
    const tables = Object.values(resourcesOf(real.data, 'AWS::DynamoDB::Table'));
    expect(tables).toHaveLength(1);
    const table = tables[0]!;
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.UpdateReplacePolicy).toBe('Retain');
    expect(table.Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      DeletionProtectionEnabled: true,
    });
  });

  it('has the keys and GSIs of TABLE_DEFINITION, exactly as the local and test tables do', () => {
    // createTableInput is what DynamoDB Local gets: the cloud table must not drift from it
    const expected = createTableInput('any');
    const table = Object.values(resourcesOf(real.data, 'AWS::DynamoDB::Table'))[0]!.Properties;
    const byName = (a: { AttributeName: string }, b: { AttributeName: string }) => a.AttributeName.localeCompare(b.AttributeName);
    expect([...table.AttributeDefinitions].sort(byName)).toEqual([...expected.AttributeDefinitions].sort(byName));
    expect(table.KeySchema).toEqual(expected.KeySchema);
    expect(table.GlobalSecondaryIndexes).toEqual(expected.GlobalSecondaryIndexes);
  });

  it('generates the webhook secrets key in Secrets Manager, retained, and no template holds a secret value', () => {
    const secrets = Object.values(resourcesOf(real.data, 'AWS::SecretsManager::Secret'));
    expect(secrets).toHaveLength(1);
    const secret = secrets[0]!;
    expect(secret.DeletionPolicy).toBe('Retain');
    expect(secret.Properties.SecretString).toBeUndefined();
    expect(secret.Properties.GenerateSecretString.PasswordLength).toBeGreaterThanOrEqual(32);
    // the only mentions of a secret anywhere are dynamic references, never a value
    for (const [name, template] of Object.entries(extended.all)) {
      const json = JSON.stringify(template.toJSON());
      expect(json, name).not.toMatch(/"SecretString"\s*:/);
      for (const m of json.matchAll(/\{\{resolve:[^"]*/g)) expect(m[0], name).toBe('{{resolve:secretsmanager:');
    }
  });

  it('has the nightly and delivery queues with their dead-letter queues, and no other', () => {
    const queues = resourcesOf(real.data, 'AWS::SQS::Queue');
    expect(Object.keys(queues).sort()).toEqual(QUEUES.map((q) => queueId(real, q)).sort());
    for (const q of Object.values(queues)) expect(q.Properties.SqsManagedSseEnabled).toBe(true);
    // enforceSSL: each queue has a policy that denies plain HTTP
    const policies = Object.values(resourcesOf(real.data, 'AWS::SQS::QueuePolicy'));
    for (const q of QUEUES) {
      const policy = policies.find((p) => (p.Properties.Queues as unknown[]).some((r: any) => r.Ref === queueId(real, q)));
      expect(policy?.Properties.PolicyDocument.Statement, q).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          Resource: { 'Fn::GetAtt': [queueId(real, q), 'Arn'] },
        }),
      );
    }
    // a dead-letter queue has no dead letters of its own
    for (const q of ['NightlyDeadLetterQueue', 'DeliveryDeadLetterQueue'] as const)
      expect(queues[queueId(real, q)]!.Properties.RedrivePolicy, q).toBeUndefined();
  });

  it('has the nightly work queue, with a dead-letter queue after 3 receives', () => {
    const queues = resourcesOf(real.data, 'AWS::SQS::Queue');
    const work = queues[queueId(real, 'NightlyQueue')]!;
    expect(NIGHTLY_MAX_RECEIVE_COUNT).toBe(3);
    expect(work.Properties.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [queueId(real, 'NightlyDeadLetterQueue'), 'Arn'] },
      maxReceiveCount: 3,
    });
    // a message must not come back while a worker still has it
    expect(work.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * NIGHTLY_WORKER_TIMEOUT.toSeconds());
    // and valid: SQS allows at most 12 hours, Lambda a timeout of at most 15 minutes
    expect(work.Properties.VisibilityTimeout).toBeLessThanOrEqual(12 * 3600);
    expect(NIGHTLY_WORKER_TIMEOUT.toSeconds()).toBeLessThanOrEqual(15 * 60);
  });

  it('has the delivery queue, with a dead-letter queue after DELIVERY_MAX_RECEIVE_COUNT receives, kept 14 days', () => {
    const queues = resourcesOf(real.data, 'AWS::SQS::Queue');
    const [queue, dead] = [queues[queueId(real, 'DeliveryQueue')]!, queues[queueId(real, 'DeliveryDeadLetterQueue')]!];
    expect(DELIVERY_MAX_RECEIVE_COUNT).toBe(5);
    expect(queue.Properties.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [queueId(real, 'DeliveryDeadLetterQueue'), 'Arn'] },
      maxReceiveCount: DELIVERY_MAX_RECEIVE_COUNT,
    });
    expect(dead.Properties.MessageRetentionPeriod).toBe(14 * 24 * 3600);
    // SQS keeps a dead-lettered message's first enqueue time: the dead letters must outlive the queue's
    expect(queue.Properties.MessageRetentionPeriod ?? 4 * 24 * 3600).toBeLessThan(dead.Properties.MessageRetentionPeriod);
    // a message must not come back while a worker still has it: six times the worker's timeout, as synthesized
    const [, worker] = deliveryWorkerOf(real);
    expect(worker.Properties.Timeout).toBe(DELIVERY_WORKER_TIMEOUT.toSeconds());
    expect(queue.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * worker.Properties.Timeout);
    expect(queue.Properties.VisibilityTimeout).toBeLessThanOrEqual(12 * 3600);
    // no delay of its own: each message carries its backoff (DelaySeconds)
    expect(queue.Properties.DelaySeconds).toBeUndefined();
  });

  it('keeps the user pool, and the outputs name the API, pool, client, table and dead letters', () => {
    const pool = Object.values(resourcesOf(real.data, 'AWS::Cognito::UserPool'))[0]!;
    expect(pool.DeletionPolicy).toBe('Retain');
    expect(pool.Properties.DeletionProtection).toBe('ACTIVE');
    // ExportsOutput…: CDK's cross-stack exports, not ours
    const outputs = Object.keys(real.data.findOutputs('*')).filter((k) => !k.startsWith('ExportsOutput'));
    expect(outputs.sort()).toEqual([
      'DeliveryDeadLetterQueueUrl',
      'DeliveryQueueUrl',
      'NightlyDeadLetterQueueUrl',
      'TableName',
      'UserPoolClientId',
      'UserPoolId',
    ]);
    expect(real.data.findOutputs('DeliveryQueueUrl').DeliveryQueueUrl!.Value).toEqual({ Ref: queueId(real, 'DeliveryQueue') });
    expect(real.data.findOutputs('DeliveryDeadLetterQueueUrl').DeliveryDeadLetterQueueUrl!.Value).toEqual({
      Ref: queueId(real, 'DeliveryDeadLetterQueue'),
    });
    expect(Object.keys(real.api.findOutputs('*'))).toContain('ApiUrl');
  });
});

describe('the delivery worker', () => {
  it('consumes the delivery queue in small batches, with partial batch failures and bounded concurrency', () => {
    const [workerId] = deliveryWorkerOf(real);
    const mappings = Object.values(resourcesOf(real.api, 'AWS::Lambda::EventSourceMapping'));
    expect(mappings).toHaveLength(1);
    expect(mappings[0]!.Properties).toEqual({
      FunctionName: { Ref: workerId },
      EventSourceArn: {
        'Fn::ImportValue': expect.stringMatching(
          new RegExp(`^${real.names.data}:ExportsOutputFnGetAtt${queueId(real, 'DeliveryQueue')}Arn`),
        ),
      },
      BatchSize: DELIVERY_WORKER_BATCH_SIZE,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: DELIVERY_WORKER_CONCURRENCY },
    });
    expect(DELIVERY_WORKER_BATCH_SIZE).toBeLessThanOrEqual(5);
    // Lambda's bounds for MaximumConcurrency: 2 … 1000
    expect(DELIVERY_WORKER_CONCURRENCY).toBeGreaterThanOrEqual(2);
    expect(DELIVERY_WORKER_CONCURRENCY).toBeLessThanOrEqual(10);
    // no route group consumes a queue
    for (const g of real.groups) expect(resourcesOf(g.template, 'AWS::Lambda::EventSourceMapping'), g.id).toEqual({});
  });

  it('gets the table name and the queue URL, and no webhook secrets key', () => {
    const [, worker] = deliveryWorkerOf(real);
    expect(worker.Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], Handler: 'index.handler' });
    const env = worker.Properties.Environment.Variables;
    expect(Object.keys(env).sort()).toEqual(['DELIVERY_QUEUE_URL', 'NODE_OPTIONS', ...POWERTOOLS_ENV, 'TABLE_NAME']);
    expect(env.DELIVERY_QUEUE_URL).toEqual({
      'Fn::ImportValue': expect.stringMatching(new RegExp(`^${real.names.data}:ExportsOutputRef${queueId(real, 'DeliveryQueue')}`)),
    });
    expect(JSON.stringify(env.TABLE_NAME)).toMatch(/Table/);
    const logGroup = resourcesOf(real.api, 'AWS::Logs::LogGroup')[worker.Properties.LoggingConfig.LogGroup.Ref];
    expect(logGroup?.Properties.RetentionInDays).toBe(30);
  });

  it('runs as a role of its own that reads and writes the table, consumes the delivery queue and sends to it, and nothing more', () => {
    const [, worker] = deliveryWorkerOf(real);
    const roleId = worker.Properties.Role['Fn::GetAtt'][0];
    const statements = statementsOfRole(real.api, roleId);
    const actions = statements.flatMap((st) => [st.Action].flat() as string[]);
    expect(actions.filter((a) => a.startsWith('dynamodb:')).sort()).toEqual([...TABLE_ACTIONS.write].sort());
    // later attempts are new messages on the same queue; the event source consumes it; no other queue
    expect(sqsGrants(real, statements)).toEqual({
      DeliveryQueue: [
        'sqs:ChangeMessageVisibility',
        'sqs:DeleteMessage',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:ReceiveMessage',
        'sqs:SendMessage',
      ],
    });
    // and sending its traces (it is traced, as the webhook is)
    expect(actions.filter((a) => !a.startsWith('dynamodb:') && !a.startsWith('sqs:')).sort()).toEqual(XRAY_ACTIONS);
    // no route function runs as it
    for (const f of routeFunctions(real)) expect(roleOfFunction(f), f.fn.Properties.FunctionName).not.toBe(roleId);
  });
});

describe('the delivery sweep', () => {
  it('runs every few minutes, reads and writes the table and sends to the delivery queue only', () => {
    const sweeps = Object.entries(resourcesOf(real.api, 'AWS::Lambda::Function')).filter(
      ([, f]) => f.Properties.FunctionName === `${real.apiStackName}-${DELIVERY_WORKER_ID}Sweep`,
    );
    expect(sweeps).toHaveLength(1);
    const [sweepId, sweep] = sweeps[0]!;
    expect(Object.keys(sweep.Properties.Environment.Variables).sort()).toEqual([
      'DELIVERY_QUEUE_URL',
      'NODE_OPTIONS',
      ...POWERTOOLS_ENV,
      'TABLE_NAME',
    ]);
    const statements = statementsOfRole(real.api, sweep.Properties.Role['Fn::GetAtt'][0]);
    const actions = statements.flatMap((st) => [st.Action].flat() as string[]);
    expect(actions.filter((a) => a.startsWith('dynamodb:')).sort()).toEqual([...TABLE_ACTIONS.write].sort());
    expect(sqsGrants(real, statements)).toEqual({ DeliveryQueue: SQS_SEND_ACTIONS });
    expect(actions.filter((a) => !a.startsWith('dynamodb:') && !a.startsWith('sqs:')).sort()).toEqual(XRAY_ACTIONS);
    // the schedule invokes it, at the rate that takes what waited longer than the sweep's threshold
    const schedules = Object.values(resourcesOf(real.api, 'AWS::Scheduler::Schedule'));
    const target = schedules.filter((sc) => JSON.stringify(sc.Properties.Target.Arn).includes(sweepId));
    expect(target).toHaveLength(1);
    expect(target[0]!.Properties.ScheduleExpression).toBe(`rate(${DELIVERY_SWEEP_RATE.toMinutes()} minutes)`);
    expect(DELIVERY_SWEEP_RATE.toMilliseconds()).toBeLessThanOrEqual(SWEEP_AFTER_MS);
  });
});

describe('the nightly jobs', () => {
  const roots: string[] = [];
  afterAll(() => {
    for (const r of roots) rmSync(r, { recursive: true, force: true });
  });
  const projectWith = (files: string[]) => {
    const root = mkdtempSync(join(tmpdir(), 'ctv-jobs-'));
    roots.push(root);
    for (const f of files) {
      mkdirSync(dirname(join(root, f)), { recursive: true });
      writeFileSync(join(root, f), 'export const handler = async () => {};\n');
    }
    return root;
  };

  it('exist once both entry files exist, and not before', () => {
    const { schedule, worker } = NIGHTLY_JOB_FILES;
    expect(nightlyJobEntries(projectWith([]))).toBeUndefined();
    expect(nightlyJobEntries(projectWith([schedule]))).toBeUndefined();
    expect(nightlyJobEntries(projectWith([schedule, worker]))).toEqual(NIGHTLY_JOB_FILES);
    // the real project: whatever its state, synth works and follows the files
    const app = synth({ jobs: undefined });
    expect(app.jobs !== undefined).toBe(nightlyJobEntries(PROJECT_ROOT) !== undefined);
  });

  describe('with stand-in entry files', () => {
    let s: Synth;
    beforeAll(() => {
      s = synth({ jobs: STAND_IN_JOBS });
    }, 60_000);
    const fnNamed = (name: string) =>
      Object.entries(resourcesOf(s.jobs!, 'AWS::Lambda::Function')).find(([, f]) => f.Properties.FunctionName === name)!;
    const statementsOf = (fnId: string) =>
      statementsOfRole(s.jobs!, resourcesOf(s.jobs!, 'AWS::Lambda::Function')[fnId]!.Properties.Role['Fn::GetAtt'][0]);
    const actionsOf = (fnId: string): string[] => statementsOf(fnId).flatMap((st: any) => [st.Action].flat());
    /** The statements granting sqs:SendMessage name the work queue, imported from the data stack, and nothing else. */
    const expectSendsToWorkQueueOnly = (fnId: string) => {
      const send = statementsOf(fnId).filter((st: any) => [st.Action].flat().includes('sqs:SendMessage'));
      expect(send.length).toBeGreaterThan(0);
      for (const st of send)
        expect(st.Resource).toEqual({
          'Fn::ImportValue': expect.stringMatching(new RegExp(`^${s.names.data}:ExportsOutputFnGetAtt${workQueueId(s)}Arn`)),
        });
    };
    const expectWorkQueueUrl = (fn: any) =>
      expect(fn.Properties.Environment.Variables.NIGHTLY_QUEUE_URL).toEqual({
        'Fn::ImportValue': expect.stringMatching(new RegExp(`^${s.names.data}:ExportsOutputRef${workQueueId(s)}`)),
      });

    it('run the schedule function at 02:00 daily, business time, with the nominal time of the run', () => {
      const [scheduleFnId] = fnNamed(`${NAMES.jobs}-nightlySchedule`);
      const schedules = Object.values(resourcesOf(s.jobs!, 'AWS::Scheduler::Schedule'));
      expect(schedules).toHaveLength(1);
      const props = schedules[0]!.Properties;
      expect(props).toMatchObject({
        ScheduleExpression: 'cron(0 2 * * ? *)',
        ScheduleExpressionTimezone: 'Asia/Ho_Chi_Minh',
        State: 'ENABLED',
      });
      expect(BUSINESS_TIME_ZONE.timezoneName).toBe('Asia/Ho_Chi_Minh');
      expect(props.Target.Arn).toEqual({ 'Fn::GetAtt': [scheduleFnId, 'Arn'] });
      expect(JSON.parse(props.Target.Input)).toEqual({ job: 'nightly', scheduledTime: '<aws.scheduler.scheduled-time>' });
      expect(JSON.stringify(props.Target.DeadLetterConfig)).toMatch(/NightlyDeadLetterQueue/);
    });

    it('let the schedule function read the table, fail a stalled job (UpdateItem) and send work items, and nothing more', () => {
      const [id, fn] = fnNamed(`${NAMES.jobs}-nightlySchedule`);
      expectWorkQueueUrl(fn);
      const actions = actionsOf(id);
      // failJob → finishJob is one conditional UpdateItem: no other write
      expect(actions.filter((a: string) => a.startsWith('dynamodb:')).sort()).toEqual(
        [...TABLE_ACTIONS.read, 'dynamodb:UpdateItem'].sort(),
      );
      for (const write of ['dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem']) expect(actions).not.toContain(write);
      expect(actions.filter((a: string) => a.startsWith('sqs:')).sort()).toEqual(SQS_SEND_ACTIONS);
      expectSendsToWorkQueueOnly(id);
    });

    it('have the worker consume the queue with partial batch failures, and write the table', () => {
      const [id, fn] = fnNamed(`${NAMES.jobs}-nightlyWorker`);
      expect(fn.Properties.Timeout).toBe(NIGHTLY_WORKER_TIMEOUT.toSeconds());
      // the worker fails the job on the receive after which SQS dead-letters the item: the same number
      expect(fn.Properties.Environment.Variables.NIGHTLY_MAX_RECEIVES).toBe(String(NIGHTLY_MAX_RECEIVE_COUNT));
      const mappings = Object.values(resourcesOf(s.jobs!, 'AWS::Lambda::EventSourceMapping'));
      expect(mappings).toHaveLength(1);
      expect(mappings[0]!.Properties).toMatchObject({ FunctionName: { Ref: id }, FunctionResponseTypes: ['ReportBatchItemFailures'] });
      expect(JSON.stringify(mappings[0]!.Properties.EventSourceArn)).toMatch(/NightlyQueue(?!.*DeadLetter)/);
      const actions = actionsOf(id);
      expect(actions.filter((a: string) => a.startsWith('dynamodb:')).sort()).toEqual([...TABLE_ACTIONS.write].sort());
      expect(actions).toContain('sqs:DeleteMessage');
    });

    it('let the worker send the next phase of a job to the work queue', () => {
      const [id, fn] = fnNamed(`${NAMES.jobs}-nightlyWorker`);
      expectWorkQueueUrl(fn);
      expect(actionsOf(id)).toContain('sqs:SendMessage');
      expectSendsToWorkQueueOnly(id);
    });

    it('stay well under the resource budget', () => {
      expect(resourceCount(s.jobs!)).toBeLessThan(RESOURCE_BUDGET);
    });
  });
});

describe('the edge: WAF rate rules in front of the HTTP API', () => {
  // WAF cannot be associated with an API Gateway HTTP API: the rules sit on a CloudFront distribution
  // in front of it (infra/edge-stack.ts), the web ACL in us-east-1 as CloudFront requires
  let edge: { waf: Template; edge: Template; api: Template };
  beforeAll(() => {
    const app = new App({
      context: { 'aws:cdk:bundling-stacks': [], ...REQUIRED_CONTEXT },
      builtinCloudFormationValidation: false,
      treeMetadata: false,
    } as any);
    const out = createCtvCloud(app, { env: ENV, jobs: false });
    expect(out.edge?.waf.region).toBe('us-east-1');
    expect(out.edge?.edge.region).toBe(ENV.region);
    edge = { waf: Template.fromStack(out.edge!.waf), edge: Template.fromStack(out.edge!.edge), api: Template.fromStack(out.api) };
  }, 120_000);

  const webAcl = () => {
    const acls = Object.values(resourcesOf(edge.waf, 'AWS::WAFv2::WebACL'));
    expect(acls).toHaveLength(1);
    return acls[0]!.Properties;
  };
  const ruleNamed = (name: string) => {
    const rule = (webAcl().Rules as any[]).find((r) => r.Name === name);
    expect(rule, name).toBeDefined();
    return rule;
  };
  /** the path prefixes a scope-down statement limits a rule to, each with its transformations */
  const prefixesIn = (statement: any): string[] =>
    JSON.stringify(statement)
      .match(/"SearchString":"\/[^"]*"/g)!
      .map((m) => m.slice('"SearchString":"'.length, -1));

  it('the API is an HTTP API, which WAF cannot be attached to: no association is made to it', () => {
    const apis = Object.values(resourcesOf(edge.api, 'AWS::ApiGatewayV2::Api'));
    expect(apis.map((a) => a.Properties.ProtocolType)).toEqual(['HTTP']);
    for (const t of [edge.api, edge.waf, edge.edge]) expect(resourcesOf(t, 'AWS::WAFv2::WebACLAssociation')).toEqual({});
  });

  it('puts one CloudFront-scoped web ACL on the distribution in front of the API: nothing cached, every method, every header but Host', () => {
    expect(webAcl()).toMatchObject({ Scope: 'CLOUDFRONT', DefaultAction: { Allow: {} } });
    const distributions = Object.entries(resourcesOf(edge.edge, 'AWS::CloudFront::Distribution'));
    expect(distributions).toHaveLength(1);
    const config = distributions[0]![1].Properties.DistributionConfig;
    // the web ACL's ARN, carried from us-east-1 by CDK's cross-region reader
    const [readerId, parameter] = config.WebACLId['Fn::GetAtt'];
    expect(resourcesOf(edge.edge, 'Custom::CrossRegionExportReader')[readerId]).toBeDefined();
    // (the parameter's name is the stack's, without its hyphens)
    expect(parameter).toMatch(new RegExp(`${NAMES.edgeWaf.replaceAll('-', '')}.*WebAclArn`));
    // the origin is the API's own endpoint, over HTTPS
    expect(config.Origins).toHaveLength(1);
    const origin = config.Origins[0];
    expect(origin.CustomOriginConfig.OriginProtocolPolicy).toBe('https-only');
    expect(JSON.stringify(origin.DomainName)).toMatch(
      new RegExp(`${NAMES.api}:ExportsOutputRefHttpApi.*\\.execute-api\\.ap-southeast-1\\.`),
    );
    const behavior = config.DefaultCacheBehavior;
    expect(behavior.AllowedMethods.sort()).toEqual(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT']);
    expect(behavior.CachePolicyId).toBe('4135ea2d-6df8-44a3-9df3-4b5a84be39ad'); // managed CachingDisabled
    // managed AllViewerExceptHostHeader: with caching disabled, Accept-Encoding reaches the functions
    // as any header does, so large answers go gzipped (functions/http/compression.ts)
    expect(behavior.OriginRequestPolicyId).toBe('b689b0a8-53d0-40ab-baf2-68738e2966ac');
    expect(behavior.ViewerProtocolPolicy).toBe('https-only');
    expect(Object.keys(edge.edge.findOutputs('*'))).toContain('EdgeUrl');
    // the API stack gains only exports: its id, and the origin secret's ARN (deploy-time-secrets.test.ts; its roles and functions: the tests above)
    expect(
      Object.keys(edge.api.findOutputs('*'))
        .filter((k) => k !== 'ApiUrl')
        .every((k) => k.startsWith('ExportsOutput')),
    ).toBe(true);
  });

  it('limits public writes per client IP, on every public write route of the table', () => {
    const rule = ruleNamed('PublicWritesPerIp');
    const rate = rule.Statement.RateBasedStatement;
    expect(rate).toMatchObject({ AggregateKeyType: 'IP', Limit: PUBLIC_WRITES_PER_IP, EvaluationWindowSec: EDGE_WINDOW_SECONDS });
    expect(JSON.stringify(rate.ScopeDownStatement)).toContain('"SearchString":"POST"');
    const prefixes = prefixesIn(rate.ScopeDownStatement);
    expect(prefixes.sort()).toEqual([...PUBLIC_WRITE_PREFIXES].sort());
    expect(prefixes).toContain('/v1/pages/');
    // a public write route the rule would not see fails here (its path must start with a prefix)
    const publicWrites = ROUTES.filter(isPublicWrite);
    expect(publicWrites.map((r) => r.id)).toContain('registerOnPage');
    for (const r of publicWrites)
      expect(
        prefixes.some((p) => r.path.toLowerCase().startsWith(p)),
        r.id,
      ).toBe(true);
    // paths compared as the API reads them: decoded, normalised, lower case (page ids are case-insensitive)
    expect(JSON.stringify(rate.ScopeDownStatement)).toMatch(/URL_DECODE.*NORMALIZE_PATH.*LOWERCASE/);
    // blocked with a 429 that says when to retry, like the API's own throttle
    expect(rule.Action.Block.CustomResponse).toMatchObject({
      ResponseCode: 429,
      ResponseHeaders: [{ Name: 'retry-after', Value: String(EDGE_RETRY_AFTER_SECONDS) }],
    });
    const body = webAcl().CustomResponseBodies[rule.Action.Block.CustomResponse.CustomResponseBodyKey];
    expect(JSON.parse(body.Content)).toMatchObject({ status: 429, title: 'Too many requests' });
  });

  it('limits public writes per page from all clients together, and every request per IP except the order webhooks', () => {
    const perPage = ruleNamed('PublicWritesPerPage').Statement.RateBasedStatement;
    expect(perPage).toMatchObject({
      AggregateKeyType: 'CUSTOM_KEYS',
      Limit: PUBLIC_WRITES_PER_PAGE,
      EvaluationWindowSec: EDGE_WINDOW_SECONDS,
    });
    expect(perPage.CustomKeys).toHaveLength(1);
    expect(perPage.CustomKeys[0].UriPath.TextTransformations.map((t: any) => t.Type)).toContain('LOWERCASE');
    expect(prefixesIn(perPage.ScopeDownStatement).sort()).toEqual([...PUBLIC_WRITE_PREFIXES].sort());

    const perIp = ruleNamed('RequestsPerIp').Statement.RateBasedStatement;
    expect(perIp).toMatchObject({ AggregateKeyType: 'IP', Limit: REQUESTS_PER_IP });
    expect(perIp.ScopeDownStatement.NotStatement).toBeDefined();
    expect(prefixesIn(perIp.ScopeDownStatement)).toEqual([WEBHOOK_PREFIX]);
    expect(ROUTES.filter((r) => r.auth === 'webhook').every((r) => r.path.startsWith(WEBHOOK_PREFIX))).toBe(true);

    // one client alone cannot use up a page's budget, nor a page the whole address's; WAF's least limit is 10
    expect(PUBLIC_WRITES_PER_IP).toBeGreaterThanOrEqual(10);
    expect(PUBLIC_WRITES_PER_IP).toBeLessThan(PUBLIC_WRITES_PER_PAGE);
    expect(PUBLIC_WRITES_PER_PAGE).toBeLessThan(REQUESTS_PER_IP);
    // every rule blocks (none only counts), each with its own metric
    const rules = webAcl().Rules as any[];
    expect(rules.map((r) => r.Name).sort()).toEqual(['PublicWritesPerIp', 'PublicWritesPerPage', 'RequestsPerIp']);
    for (const r of rules) {
      expect(r.Action.Block, r.Name).toBeDefined();
      expect(r.VisibilityConfig.MetricName, r.Name).toBe(r.Name);
    }
    expect(new Set(rules.map((r) => r.Priority)).size).toBe(rules.length);
  });

  it('is left out with -c edge=false, and (with a warning) when the region is unknown at synth time', () => {
    // CDK's template validation is slow and beside the point here
    const quick = { builtinCloudFormationValidation: false, treeMetadata: false } as const;
    const off = createCtvCloud(new App({ context: { 'aws:cdk:bundling-stacks': [], ...REQUIRED_CONTEXT, edge: 'false' }, ...quick }), {
      env: ENV,
      jobs: false,
    });
    expect(off.edge).toBeUndefined();
    const agnostic = createCtvCloud(new App({ context: { 'aws:cdk:bundling-stacks': [], ...REQUIRED_CONTEXT }, ...quick }), {
      env: {},
      jobs: false,
    });
    expect(agnostic.edge).toBeUndefined();
    const warnings = Annotations.fromStack(agnostic.api).findWarning('*', Match.stringLikeRegexp('edge stacks are left out'));
    expect(warnings).toHaveLength(1);
  }, 120_000);
});

describe('businesses per account', () => {
  it('gives the create-business function MAX_BUSINESSES_PER_ACCOUNT (default 3, or the maxBusinessesPerAccount context), and no other function', () => {
    const envOf = (s: Synth) =>
      new Map(
        routeFunctions(s).map((f) => [
          f.fn.Properties.FunctionName as string,
          f.fn.Properties.Environment.Variables as Record<string, unknown>,
        ]),
      );
    const byDefault = envOf(real);
    expect(byDefault.get(`${real.apiStackName}-createTenant`)?.[MAX_BUSINESSES_ENV]).toBe(String(DEFAULT_MAX_BUSINESSES_PER_ACCOUNT));
    const others = [...byDefault].filter(([name]) => name !== `${real.apiStackName}-createTenant`);
    expect(others.length).toBeGreaterThan(0);
    for (const [name, env] of others) expect(env[MAX_BUSINESSES_ENV], name).toBeUndefined();
    const five = synth({ context: { maxBusinessesPerAccount: '5' } });
    expect(envOf(five).get(`${five.apiStackName}-createTenant`)?.[MAX_BUSINESSES_ENV]).toBe('5');
    // a value that is not a whole number from 1 to 1000 stops the synth
    for (const bad of ['0', 'three', '2.5', '-1', '1001'])
      expect(() => synth({ context: { maxBusinessesPerAccount: bad } }), bad).toThrow(/maxBusinessesPerAccount/);
  }, 180_000);
});

/** The tenant data roles of the API stack: logical id and level. */
function tenantDataRoles(s: Synth): [string, 'read' | 'write'][] {
  return Object.keys(resourcesOf(s.api, 'AWS::IAM::Role'))
    .map((id) => [id, /^RolesTenantData(Read|Write)[0-9A-F]{8}$/.exec(id)?.[1]] as const)
    .filter((e): e is readonly [string, 'Read' | 'Write'] => !!e[1])
    .map(([id, level]) => [id, level.toLowerCase() as 'read' | 'write']);
}

/** The DynamoDB actions a tenant route's own role has: its declared cross-tenant families' only. */
function familyActions(route: Route<any, any>): string[] {
  return (Object.entries(route.crossTenant ?? {}) as [CrossTenantFamily, 'read' | 'write'][]).flatMap(([family, access]) =>
    (CROSS_TENANT_FAMILIES[family] as CrossTenantFamilyShape).index ? ['dynamodb:Query'] : [...TABLE_ACTIONS[access]],
  );
}

const isDynamo = (st: any) => ([st.Action].flat() as string[]).some((a) => a.startsWith('dynamodb:'));

/** IAM's StringLike: `*` any run of characters, `?` one. */
const stringLike = (pattern: string, value: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^$()|[\]\\{}]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  ).test(value);

describe('tenant fences in IAM', () => {
  const LEADING_KEYS = {
    'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['T#${aws:PrincipalTag/tenantId}', 'T#${aws:PrincipalTag/tenantId}#*'] },
  };

  it("has a tenant data role per level whose one grant is the table and its indexes, where every leading key is the session's business", () => {
    const roles = tenantDataRoles(real);
    expect(roles.map(([, level]) => level).sort()).toEqual(['read', 'write']);
    for (const [id, level] of roles) {
      const statements = statementsOfRole(real.api, id);
      expect(statements, id).toHaveLength(1);
      const st = statements[0];
      expect(st.Effect).toBe('Allow');
      expect([st.Action].flat().sort(), id).toEqual([...TABLE_ACTIONS[level]].sort());
      if (level === 'read') expect([st.Action].flat().filter((a: string) => WRITE_ACTIONS.includes(a))).toEqual([]);
      // the session tag must be there, and every leading key (each item of a batch or transaction,
      // the queried partition of the table or a GSI) must be T#<tag> or under T#<tag>#
      expect(st.Condition, id).toEqual({ ...LEADING_KEYS, Null: { 'aws:PrincipalTag/tenantId': 'false' } });
      expect(TENANT_LEADING_KEYS).toEqual(LEADING_KEYS['ForAllValues:StringLike']['dynamodb:LeadingKeys']);
      // the table imported from the data stack, and its indexes
      const resources = JSON.stringify(st.Resource);
      expect(resources).toMatch(new RegExp(`${NAMES.data}:ExportsOutputFnGetAttTable[0-9A-F]{8}Arn`));
      expect([st.Resource].flat()).toHaveLength(2);
      expect(resources).toContain('/index/*');
      // and nothing else: no managed policy (no logs: it runs no code)
      expect(resourcesOf(real.api, 'AWS::IAM::Role')[id]!.Properties.ManagedPolicyArns, id).toBeUndefined();
    }
  });

  it('lets exactly the tenant route roles of its level assume it, with the one session tag tenantId shaped like a business id', () => {
    const byName = functionsByName(real);
    for (const [id, level] of tenantDataRoles(real)) {
      const trust = resourcesOf(real.api, 'AWS::IAM::Role')[id]!.Properties.AssumeRolePolicyDocument.Statement as any[];
      expect(trust, id).toHaveLength(1);
      const [st] = trust;
      expect(st.Effect).toBe('Allow');
      expect([st.Action].flat().sort()).toEqual(['sts:AssumeRole', 'sts:TagSession']);
      expect(JSON.stringify(st.Principal)).toContain(`:iam::${ENV.account}:root`);
      const users = new Set(
        ROUTES.filter((r) => isTenantRoute(r) && r.table === level).map((r) => roleOfFunction(byName.get(`${real.apiStackName}-${r.id}`)!)),
      );
      expect(users.size, id).toBeGreaterThan(0);
      expect(st.Condition.ArnEquals['aws:PrincipalArn'].map((a: any) => a['Fn::GetAtt'][0]).sort(), id).toEqual([...users].sort());
      expect(st.Condition.StringLike).toEqual({ 'aws:RequestTag/tenantId': '?'.repeat(26) });
      expect(st.Condition['ForAllValues:StringEquals']).toEqual({ 'aws:TagKeys': ['tenantId'] });
    }
  });

  it('gives tenant route functions the data role of their level (TENANT_DATA_ROLE_ARN, AssumeRole with TagSession) and no unconditioned table grant', () => {
    const byName = functionsByName(real);
    const dataRoleOf = Object.fromEntries(tenantDataRoles(real).map(([id, level]) => [level, id]));
    expect(ROUTES.filter(isTenantRoute).length).toBeGreaterThan(50);
    expect(ROUTES.some((r) => !isTenantRoute(r))).toBe(true);
    for (const route of ROUTES) {
      const f = byName.get(`${real.apiStackName}-${route.id}`)!;
      const env = f.fn.Properties.Environment.Variables;
      const statements = statementsOfRole(real.api, roleOfFunction(f));
      const sts = statements.filter((st) => ([st.Action].flat() as string[]).some((a) => a.startsWith('sts:')));
      if (!isTenantRoute(route)) {
        // public, webhook and signed-in routes outside a business keep their table grant (docs/security.md, "Tenant fences")
        expect(env.TENANT_DATA_ROLE_ARN, route.id).toBeUndefined();
        expect(sts, route.id).toEqual([]);
        continue;
      }
      const dataRole = dataRoleOf[route.table]!;
      expect(resolveIn(f.group, env.TENANT_DATA_ROLE_ARN), route.id).toEqual({ 'Fn::GetAtt': [dataRole, 'Arn'] });
      expect(sts, route.id).toEqual([
        { Action: ['sts:AssumeRole', 'sts:TagSession'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [dataRole, 'Arn'] } },
      ]);
      // every table statement of its own role is one declared cross-tenant family's keys, never a business's
      for (const st of statements.filter(isDynamo)) {
        const patterns = st.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'];
        expect(patterns, route.id).toHaveLength(1);
        expect(
          Object.keys(route.crossTenant ?? {}).map((f) => leadingKeyPattern(f as CrossTenantFamily)),
          route.id,
        ).toContain(patterns[0]);
        expect(patterns[0].startsWith('T#'), route.id).toBe(false);
      }
    }
    // the one family in use: the feedback links, written by createFeedbackLink, on the table only
    const link = statementsOfRole(real.api, roleOfFunction(byName.get(`${real.apiStackName}-createFeedbackLink`)!)).filter(isDynamo);
    expect(link).toHaveLength(1);
    expect(link[0].Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['FBLINK#*'] } });
    expect(JSON.stringify(link[0].Resource)).not.toContain('/index/');
  });

  it('agrees with the key design: every partition key of keys.ts is led by its business, or belongs to a cross-tenant family', () => {
    const t = '01HZZZZZZZZZZZZZZZZZZZZZZZ';
    const other = '01HYYYYYYYYYYYYYYYYYYYYYYY';
    // the data role's patterns, as IAM resolves them for a session tagged with business t
    const fenced = (value: string) =>
      TENANT_LEADING_KEYS.map((p) => p.replace('${aws:PrincipalTag/tenantId}', t)).some((p) => stringLike(p, value));
    const family = (value: string, index: string | undefined) =>
      (Object.keys(CROSS_TENANT_FAMILIES) as CrossTenantFamily[]).find(
        (f) => (CROSS_TENANT_FAMILIES[f] as CrossTenantFamilyShape).index === index && stringLike(leadingKeyPattern(f), value),
      );
    // every key builder, called with business t and ISO dates for every other argument
    const at = '2026-01-01T00:00:00.000Z';
    const partitions: { builder: string; value: string; index: string | undefined }[] = [];
    for (const [builder, make] of Object.entries(keys)) {
      const made = (make as (...args: unknown[]) => unknown)(t, at, at, at, at, at, at, at);
      if (typeof made === 'string') partitions.push({ builder, value: made, index: undefined });
      else
        for (const [attr, value] of Object.entries(made as Record<string, unknown>)) {
          const gsi = /^(gsi\d)pk$/.exec(attr)?.[1];
          if (attr === 'pk') partitions.push({ builder, value: String(value), index: (made as { index?: string }).index });
          else if (gsi) partitions.push({ builder, value: String(value), index: gsi });
        }
    }
    expect(partitions.length).toBeGreaterThan(80);
    const outside = partitions.filter((p) => !fenced(p.value));
    // each key outside the business is a family's (on its index), so the guard and IAM name it the same way
    for (const p of outside) expect(family(p.value, p.index), `${p.builder}: ${p.value} on ${p.index ?? 'the table'}`).toBeDefined();
    expect(new Set(outside.map((p) => family(p.value, p.index)))).toEqual(new Set(Object.keys(CROSS_TENANT_FAMILIES)));
    // and the fence refuses another business, a look-alike, and every family
    for (const value of [
      keys.tenant(other).pk,
      keys.collaborator(other, 'c').pk,
      `T#${t}X`,
      `T#${t.slice(0, 25)}`,
      'T#',
      keys.pageClaim('p').pk,
      keys.feedbackLink('h').pk,
      'TENANTS',
      'DLVS#ACCEPTED',
    ]) {
      expect(fenced(value), value).toBe(false);
    }
  });
});

/** Every .ts file under a folder. */
const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );

/**
 * Every name a template gives a resource that is unique in the account and region, or an export
 * (plain strings only: CloudFormation generates the others).
 */
function givenNames(s: Synth): string[] {
  const NAME_PROPERTIES = [
    'FunctionName',
    'AlarmName',
    'DashboardName',
    'TableName',
    'QueueName',
    'TopicName',
    'UserPoolName',
    'ScheduleName',
    'LogGroupName',
    'RoleName',
  ];
  // `Name` names an account-wide resource only on these (an authorizer's is its API's own)
  const NAMED_BY_NAME = ['AWS::ApiGatewayV2::Api', 'AWS::WAFv2::WebACL'];
  const names: string[] = [];
  for (const template of Object.values(s.all)) {
    const json = template.toJSON();
    for (const r of Object.values((json.Resources ?? {}) as Record<string, Resource>)) {
      for (const p of NAME_PROPERTIES) if (typeof r.Properties?.[p] === 'string') names.push(r.Properties[p]);
      if (NAMED_BY_NAME.includes(r.Type) && typeof r.Properties?.Name === 'string') names.push(r.Properties.Name);
    }
    for (const o of Object.values((json.Outputs ?? {}) as Record<string, { Export?: { Name?: unknown } }>))
      if (typeof o.Export?.Name === 'string') names.push(o.Export.Name);
  }
  return names;
}

describe('stages', () => {
  it('names every stack CtvCloud-<stage>-<role>, and every name a resource or export is given carries the stage, so two stages never share one', () => {
    const prod = synth({ context: { stage: 'prod' }, jobs: STAND_IN_JOBS });
    for (const [s, stage] of [
      [real, STAGE],
      [prod, 'prod'],
    ] as const) {
      expect(s.names).toEqual({
        data: `CtvCloud-${stage}-Data`,
        api: `CtvCloud-${stage}-Api`,
        jobs: `CtvCloud-${stage}-Jobs`,
        monitoring: `CtvCloud-${stage}-Monitoring`,
        edgeWaf: `CtvCloud-${stage}-EdgeWaf`,
        edge: `CtvCloud-${stage}-Edge`,
      });
      expect(s.apiStackName).toBe(`CtvCloud-${stage}-Api`);
      const names = givenNames(s);
      // functions, the API, the alarms, the dashboard, the cross-stack exports: each says its stage
      expect(names.length).toBeGreaterThan(ROUTES.length);
      for (const name of names) expect(name, name).toMatch(new RegExp(`^CtvCloud-${stage}(-|$)`));
      for (const { fn } of routeFunctions(s)) expect(fn.Properties.FunctionName).toMatch(new RegExp(`^CtvCloud-${stage}-Api-`));
    }
    const shared = givenNames(prod).filter((n) => new Set(givenNames(real)).has(n));
    expect(shared).toEqual([]);
    // and no template of one stage mentions the other's stacks
    for (const [name, template] of Object.entries(prod.all))
      expect(JSON.stringify(template.toJSON()), name).not.toContain(`CtvCloud-${STAGE}-`);
  }, 120_000);

  it('refuses to synth without the stage or the CORS origins, naming what to pass', () => {
    expect(() => synth({ context: { stage: undefined } })).toThrow(/Missing CDK context "stage": stage, .*-c stage=dev/);
    expect(() => synth({ context: { corsOrigins: undefined } })).toThrow(
      /Missing CDK context "corsOrigins": corsOrigins, .*-c corsOrigins=https:/,
    );
    expect(() => synth({ context: { stage: undefined, corsOrigins: undefined } })).toThrow(/Missing CDK context "stage" and "corsOrigins"/);
    // an empty value is no value (no placeholder takes its place)
    expect(() => synth({ context: { corsOrigins: ' ' } })).toThrow(/Missing CDK context "corsOrigins"/);
    expect(() => synth({ context: { corsOrigins: ',' } })).toThrow(/corsOrigins: no origin given/);
    expect(() => synth({ context: { corsOrigins: 'app.example.vn' } })).toThrow(/corsOrigins: "app.example.vn" is not an origin/);
    expect(() => synth({ context: { corsOrigins: 'https://app.example.vn/login' } })).toThrow(/is not an origin/);
    // a stage name goes into every function name: short, lower case, no separators
    for (const bad of ['Prod', 'dev-1', '1dev', 'averylongstage', 'pr od'])
      expect(() => synth({ context: { stage: bad } }), bad).toThrow(/is not a stage name/);
    expect(() => synth({ context: { alarmEmail: 'ops.example.vn' } })).toThrow(/alarmEmail: "ops.example.vn" is not an email address/);
    // neither the app nor cdk.json supplies them: `cdk synth` without the context stops at the same message
    expect(readFileSync(join(PROJECT_ROOT, 'infra/app.ts'), 'utf8')).toMatch(/new App\(\);\ncreateCtvCloud\(app\);/);
    const cdkContext = JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')).context ?? {};
    expect(cdkContext).not.toHaveProperty('stage');
    expect(cdkContext).not.toHaveProperty('corsOrigins');
  });

  it('takes the CORS origins from the context, as a list in cdk.json too', () => {
    const listed = synth({ context: { corsOrigins: ['https://a.example.vn', ' https://b.example.vn '] } });
    const apis = Object.values(resourcesOf(listed.api, 'AWS::ApiGatewayV2::Api'));
    expect(apis.map((a) => a.Properties.CorsConfiguration.AllowOrigins)).toEqual([['https://a.example.vn', 'https://b.example.vn']]);
  });
});

describe('observability', () => {
  const alarms = (s: Synth) => Object.values(resourcesOf(s.monitoring, 'AWS::CloudWatch::Alarm'));
  const alarmNamed = (s: Synth, id: string) => {
    const found = alarms(s).filter((a) => a.Properties.AlarmName === `${s.names.monitoring}-${id}`);
    expect(found, id).toHaveLength(1);
    return found[0]!.Properties;
  };
  /** The metrics an alarm reads: its own, or those of its math expression. */
  const metricsOf = (alarm: any): { MetricName: string; Namespace: string; Dimensions: any[] }[] =>
    alarm.MetricName ? [alarm] : (alarm.Metrics as any[]).filter((m) => m.MetricStat).map((m) => m.MetricStat.Metric);
  const functionNamed = (s: Synth, name: string) =>
    Object.values(s.all)
      .flatMap((t) => Object.values(resourcesOf(t, 'AWS::Lambda::Function')))
      .find((f) => f.Properties.FunctionName === name);
  const WORKERS = {
    DeliveryWorker: `${NAMES.api}-${DELIVERY_WORKER_ID}`,
    DeliverySweep: `${NAMES.api}-${DELIVERY_WORKER_ID}Sweep`,
    NightlySchedule: `${NAMES.jobs}-nightlySchedule`,
    NightlyWorker: `${NAMES.jobs}-nightlyWorker`,
  };

  it('has the alarms an operator needs, each notifying the one alarm topic on ALARM and on OK', () => {
    const ids = [
      'DeliveryDeadLetters',
      'NightlyDeadLetters',
      'Api5xxRate',
      'DeliveryWorkerErrors',
      'DeliverySweepErrors',
      'NightlyScheduleErrors',
      'NightlyWorkerErrors',
      'WorkerThrottles',
      'TableThrottles',
      'DeliveriesParked',
      'NightlyRunFailed',
    ];
    expect(
      alarms(real)
        .map((a) => a.Properties.AlarmName)
        .sort(),
    ).toEqual(ids.map((id) => `${real.names.monitoring}-${id}`).sort());
    const topics = Object.keys(resourcesOf(real.monitoring, 'AWS::SNS::Topic'));
    expect(topics).toHaveLength(1);
    for (const a of alarms(real)) {
      expect(a.Properties.AlarmActions, a.Properties.AlarmName).toEqual([{ Ref: topics[0] }]);
      expect(a.Properties.OKActions, a.Properties.AlarmName).toEqual([{ Ref: topics[0] }]);
      expect(a.Properties.TreatMissingData, a.Properties.AlarmName).toBe('notBreaching');
    }
    // no other stack holds an alarm or a topic
    for (const [name, t] of Object.entries(real.all).filter(([n]) => n !== 'monitoring')) {
      expect(resourcesOf(t, 'AWS::CloudWatch::Alarm'), name).toEqual({});
      expect(resourcesOf(t, 'AWS::SNS::Topic'), name).toEqual({});
    }
    expect(Object.keys(real.monitoring.findOutputs('*'))).toEqual(expect.arrayContaining(['AlarmTopicArn', 'DashboardName']));
    // without the jobs stack, nothing alarms on its functions or runs
    const noJobs = alarms(extended)
      .map((a) => a.Properties.AlarmName.slice(`${extended.names.monitoring}-`.length))
      .sort();
    expect(noJobs).toEqual(ids.filter((id) => !/^Nightly(Schedule|Worker)Errors$|^NightlyRunFailed$/.test(id)).sort());
  });

  it('subscribes the -c alarmEmail addresses to the topic, and none without it', () => {
    expect(resourcesOf(real.monitoring, 'AWS::SNS::Subscription')).toEqual({});
    const withEmail = synth({ context: { alarmEmail: 'ops@example.vn,oncall@example.vn' } });
    const subscriptions = Object.values(resourcesOf(withEmail.monitoring, 'AWS::SNS::Subscription')).map((r) => r.Properties);
    expect(subscriptions.map((p) => [p.Protocol, p.Endpoint]).sort()).toEqual([
      ['email', 'oncall@example.vn'],
      ['email', 'ops@example.vn'],
    ]);
  });

  it('alarms on a message in either dead-letter queue', () => {
    for (const [id, queue] of [
      ['DeliveryDeadLetters', 'DeliveryDeadLetterQueue'],
      ['NightlyDeadLetters', 'NightlyDeadLetterQueue'],
    ] as const) {
      const alarm = alarmNamed(real, id);
      expect(alarm).toMatchObject({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Statistic: 'Maximum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
      expect(alarm.Dimensions).toEqual([
        {
          Name: 'QueueName',
          Value: {
            'Fn::ImportValue': expect.stringMatching(
              new RegExp(`^${real.names.data}:ExportsOutputFnGetAtt${queueId(real, queue)}QueueName`),
            ),
          },
        },
      ]);
    }
  });

  it('alarms on the share of API requests answered 5xx, in periods with enough requests to make a rate', () => {
    const alarm = alarmNamed(real, 'Api5xxRate');
    expect(alarm).toMatchObject({
      Threshold: API_5XX_RATE_PERCENT,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
    });
    const expression = (alarm.Metrics as any[]).find((m) => m.Expression);
    expect(expression.Expression).toBe(`IF(requests >= ${API_5XX_MIN_REQUESTS}, 100 * errors / requests, 0)`);
    expect(expression.ReturnData ?? true).toBe(true);
    const byId: Record<string, any> = Object.fromEntries(
      (alarm.Metrics as any[]).filter((m) => m.MetricStat).map((m) => [m.Id, m.MetricStat]),
    );
    expect(byId.errors).toMatchObject({ Metric: { Namespace: 'AWS/ApiGateway', MetricName: '5xx' }, Stat: 'Sum' });
    expect(byId.requests).toMatchObject({ Metric: { Namespace: 'AWS/ApiGateway', MetricName: 'Count' }, Stat: 'Sum' });
    // both of this stage's API, by its id exported from the API stack
    for (const m of Object.values(byId))
      expect(m.Metric.Dimensions).toEqual([
        { Name: 'ApiId', Value: { 'Fn::ImportValue': expect.stringMatching(new RegExp(`^${real.names.api}:ExportsOutputRefHttpApi`)) } },
      ]);
  });

  it('alarms on each worker function failing, and on any of them throttled, by their fixed names', () => {
    for (const [label, name] of Object.entries(WORKERS)) {
      expect(functionNamed(real, name), name).toBeDefined();
      const alarm = alarmNamed(real, `${label}Errors`);
      expect(alarm).toMatchObject({
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Statistic: 'Sum',
        Threshold: 1,
        Dimensions: [{ Name: 'FunctionName', Value: name }],
      });
    }
    const throttles = alarmNamed(real, 'WorkerThrottles');
    expect(
      metricsOf(throttles)
        .map((m) => [m.MetricName, m.Dimensions[0].Value])
        .sort(),
    ).toEqual(
      Object.values(WORKERS)
        .map((n) => ['Throttles', n])
        .sort(),
    );
    expect(throttles.Threshold).toBe(1);
  });

  it('alarms on DynamoDB throttling reads or writes on the table', () => {
    const alarm = alarmNamed(real, 'TableThrottles');
    expect(alarm.Threshold).toBe(TABLE_THROTTLE_EVENTS);
    const metrics = metricsOf(alarm);
    expect(metrics.map((m) => m.MetricName).sort()).toEqual(['ReadThrottleEvents', 'WriteThrottleEvents']);
    for (const m of metrics)
      expect(m.Dimensions).toEqual([
        { Name: 'TableName', Value: { 'Fn::ImportValue': expect.stringMatching(new RegExp(`^${real.names.data}:ExportsOutputRefTable`)) } },
      ]);
  });

  it("alarms on parked deliveries and failed nightly runs, on infra/metrics.ts's names with the stage's service dimension, which every function is told", () => {
    for (const [id, metricName] of [
      ['DeliveriesParked', METRIC.deliveriesParked],
      ['NightlyRunFailed', METRIC.nightlyRunFailed],
    ] as const) {
      expect(alarmNamed(real, id)).toMatchObject({
        Namespace: METRICS_NAMESPACE,
        MetricName: metricName,
        Dimensions: [{ Name: SERVICE_DIMENSION, Value: serviceName(STAGE) }],
        Statistic: 'Sum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    }
    // each stage's own: prod's alarm would not see test's metric
    expect(serviceName('prod')).not.toBe(serviceName(STAGE));
    // the code emits both (by METRIC's key or by name): an alarm on a metric nothing emits never fires
    const sources = filesUnder(join(PROJECT_ROOT, 'functions')).map((f) => readFileSync(f, 'utf8'));
    for (const key of ['deliveriesParked', 'nightlyRunFailed'] as const) {
      expect(
        sources.some((src) => src.includes(`METRIC.${key}`) || src.includes(`'${METRIC[key]}'`)),
        key,
      ).toBe(true);
    }
    // Powertools Metrics takes its namespace and `service` dimension from these, in every function
    const functions = Object.values(real.all).flatMap((t) => Object.values(resourcesOf(t, 'AWS::Lambda::Function')));
    expect(functions.length).toBe(ROUTES.length + 4);
    for (const fn of functions) {
      expect(fn.Properties.Environment.Variables, fn.Properties.FunctionName).toMatchObject({
        POWERTOOLS_SERVICE_NAME: serviceName(STAGE),
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
      });
      // Lambda's own lines in JSON too, so one query reads a request's whole story
      expect(fn.Properties.LoggingConfig?.LogFormat, fn.Properties.FunctionName).toBe('JSON');
    }
  });

  it('has one dashboard, named after the stage, with every alarm, the API, the queues, the table and every function', () => {
    const dashboards = Object.entries(resourcesOf(real.monitoring, 'AWS::CloudWatch::Dashboard'));
    expect(dashboards).toHaveLength(1);
    const [, dashboard] = dashboards[0]!;
    expect(dashboard.Properties.DashboardName).toBe(`CtvCloud-${STAGE}`);
    // the body as CloudFormation will join it, each reference written as JSON in its place
    const body = (dashboard.Properties.DashboardBody['Fn::Join'][1] as unknown[])
      .map((p) => (typeof p === 'string' ? p : JSON.stringify(p)))
      .join('');
    for (const alarmId of Object.keys(resourcesOf(real.monitoring, 'AWS::CloudWatch::Alarm')))
      expect(body, alarmId).toContain(`{"Fn::GetAtt":["${alarmId}","Arn"]}`);
    for (const name of [...Object.values(WORKERS), ...routeFunctions(real).map((f) => f.fn.Properties.FunctionName as string)])
      expect(body, name).toContain(`"FunctionName","${name}"`);
    for (const metric of [
      '"5xx"',
      '"Latency"',
      'ApproximateAgeOfOldestMessage',
      'ReadThrottleEvents',
      ...Object.values(METRIC).map((m) => `"${m}"`),
    ])
      expect(body, metric).toContain(metric);
  });

  it('traces the webhooks, the delivery worker and sweep, and the nightly functions with X-Ray, and no other function', () => {
    const functions = Object.values(real.all).flatMap((t) => Object.values(resourcesOf(t, 'AWS::Lambda::Function')));
    const traced = functions.filter((f) => f.Properties.TracingConfig?.Mode === 'Active').map((f) => f.Properties.FunctionName as string);
    const webhooks = ROUTES.filter(isTracedRoute).map((r) => `${NAMES.api}-${r.id}`);
    expect(webhooks).toContain(`${NAMES.api}-receiveOrderWebhook`);
    expect(traced.sort()).toEqual([...webhooks, ...Object.values(WORKERS)].sort());
    for (const f of functions.filter((f) => !traced.includes(f.Properties.FunctionName)))
      expect(f.Properties.TracingConfig, f.Properties.FunctionName).toBeUndefined();
  });
});
