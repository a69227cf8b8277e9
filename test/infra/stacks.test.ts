import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../functions/routes';
import type { Route } from '../../functions/routes/route';
import { createTableInput } from '../../functions/store/table';
import { DEFAULT_THROTTLE, isPublicWrite, PUBLIC_WRITE_THROTTLE, routeKey } from '../../infra/api-stack';
import { DEFAULT_CORS_ORIGINS } from '../../infra/ctv-cloud';
import { actionsOfFunction, functionBehindRoute, resourcesOf, routeFunctions, synth } from './synth';

/** Writes that a read route must never be able to make (transactions are authorised per item). */
const WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:TransactWriteItems'];

/**
 * The real table may not yet have a public write or a webhook; these two make the auth and
 * throttle rules observable. They reuse an existing entry file (bundling is skipped anyway).
 */
const EXTRA_ROUTES: Route[] = [
  { id: 'testRegister', method: 'POST', path: '/v1/pages/{pageId}/test-registrations', auth: 'public' },
  { id: 'testWebhook', method: 'POST', path: '/v1/test-webhooks/{source}', auth: 'webhook' },
].map((r) => ({ ...r, handler: 'functions/handlers/system/openapi.ts', table: 'write', summary: 'test only', tag: 'test', responses: {} }) as Route);

let real: ReturnType<typeof synth>;
let extended: ReturnType<typeof synth>;
const extendedRoutes = [...ROUTES, ...EXTRA_ROUTES];

beforeAll(() => {
  real = synth();
  extended = synth({ routes: extendedRoutes });
});

describe('the API stack, built from the route table', () => {
  it('has one API route per entry, with its route key, and no other', () => {
    const keys = Object.values(resourcesOf(real.api, 'AWS::ApiGatewayV2::Route')).map((r) => r.Properties.RouteKey);
    expect(keys.sort()).toEqual(ROUTES.map(routeKey).sort());
  });

  it('has exactly one function per route, named after the route id, and each route invokes its own', () => {
    const names = Object.values(routeFunctions(real.api)).map((f) => f.Properties.FunctionName);
    expect(names.sort()).toEqual(ROUTES.map((r) => `${real.apiStackName}-${r.id}`).sort());
    // the wiring: a route whose integration pointed at another route's function would pass the counts above
    for (const route of ROUTES) {
      expect(functionBehindRoute(real.api, routeKey(route))?.Properties.FunctionName, routeKey(route)).toBe(`${real.apiStackName}-${route.id}`);
    }
  });

  it('puts the JWT authorizer (user pool issuer, app client audience) on jwt routes only', () => {
    // the extended table has all three kinds, so neither branch below is vacuous
    expect(new Set(extendedRoutes.map((r) => r.auth))).toEqual(new Set(['jwt', 'public', 'webhook']));

    const authorizers = resourcesOf(extended.api, 'AWS::ApiGatewayV2::Authorizer');
    expect(Object.keys(authorizers)).toHaveLength(1);
    const [authorizerId, authorizer] = Object.entries(authorizers)[0]!;
    expect(authorizer.Properties.AuthorizerType).toBe('JWT');
    expect(JSON.stringify(authorizer.Properties.JwtConfiguration.Issuer)).toMatch(/https:\/\/cognito-idp\.ap-southeast-1\.amazonaws\.com\/.*UserPool/);
    expect(JSON.stringify(authorizer.Properties.JwtConfiguration.Audience)).toMatch(/AppClient/);

    const routes = Object.values(resourcesOf(extended.api, 'AWS::ApiGatewayV2::Route'));
    for (const route of extendedRoutes) {
      const props = routes.find((r) => r.Properties.RouteKey === routeKey(route))!.Properties;
      if (route.auth === 'jwt') {
        expect(props, routeKey(route)).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: authorizerId } });
      } else {
        expect(props.AuthorizerId, routeKey(route)).toBeUndefined();
        expect(props.AuthorizationType ?? 'NONE', routeKey(route)).toBe('NONE');
      }
    }
  });

  it('throttles the stage, and anonymous writes harder', () => {
    const publicWrites = extendedRoutes.filter(isPublicWrite).map(routeKey);
    expect(publicWrites.length).toBeGreaterThan(0);
    expect(PUBLIC_WRITE_THROTTLE.rateLimit).toBeLessThan(DEFAULT_THROTTLE.rateLimit);

    const stages = Object.values(resourcesOf(extended.api, 'AWS::ApiGatewayV2::Stage'));
    expect(stages).toHaveLength(1);
    const stage = stages[0]!;
    expect(stage.Properties.DefaultRouteSettings).toEqual({
      ThrottlingRateLimit: DEFAULT_THROTTLE.rateLimit,
      ThrottlingBurstLimit: DEFAULT_THROTTLE.burstLimit,
    });
    expect(Object.keys(stage.Properties.RouteSettings).sort()).toEqual(publicWrites.sort());
    for (const key of publicWrites) {
      expect(stage.Properties.RouteSettings[key]).toEqual({
        ThrottlingRateLimit: PUBLIC_WRITE_THROTTLE.rateLimit,
        ThrottlingBurstLimit: PUBLIC_WRITE_THROTTLE.burstLimit,
      });
    }
  });

  it('answers CORS preflight for the configured origins, with a placeholder by default', () => {
    real.api.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({
        AllowOrigins: DEFAULT_CORS_ORIGINS,
        AllowMethods: Match.arrayWith([...new Set(ROUTES.map((r) => r.method))]),
        AllowHeaders: Match.arrayWith(['authorization', 'idempotency-key']),
      }),
    });
    const origins = ['https://app.ctv.vn', 'https://admin.ctv.vn'];
    const configured = synth({ context: { corsOrigins: origins.join(',') } });
    configured.api.hasResourceProperties('AWS::ApiGatewayV2::Api', { CorsConfiguration: Match.objectLike({ AllowOrigins: origins }) });
    // the handlers see the same list
    for (const fn of Object.values(routeFunctions(configured.api))) {
      expect(fn.Properties.Environment.Variables.CORS_ORIGINS).toBe(origins.join(','));
    }
  });

  it('stays well under the CloudFormation limit of 500 resources per stack', () => {
    // about 7 resources per route (function, role, policy, log group, route, integration, permission):
    // this fails while there is still room to split the stack, rather than at deploy time
    const count = Object.keys(real.api.toJSON().Resources).length;
    expect(count, `${count} resources for ${ROUTES.length} routes`).toBeLessThan(450);
  });

  it('refuses a route table with a repeated route key', () => {
    expect(() => synth({ routes: [...ROUTES, { ...ROUTES[0]!, id: 'sameKeyOtherId' }] })).toThrow(/duplicate route/);
  });
});

describe('the functions', () => {
  it('run nodejs22.x on arm64, bundled to index.mjs, with the table name and a log group kept a month', () => {
    const logGroups = resourcesOf(real.api, 'AWS::Logs::LogGroup');
    for (const [id, fn] of Object.entries(routeFunctions(real.api))) {
      expect(fn.Properties, id).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], Handler: 'index.handler' });
      expect(JSON.stringify(fn.Properties.Environment.Variables.TABLE_NAME), id).toMatch(/Table/);
      const logGroup = logGroups[fn.Properties.LoggingConfig.LogGroup.Ref];
      expect(logGroup?.Properties.RetentionInDays, id).toBe(30);
    }
  });

  it('get the table actions their route asks for: read routes cannot write, none routes get nothing', () => {
    const byName = new Map(Object.values(routeFunctions(real.api)).map((f) => [f.Properties.FunctionName, f]));
    const kinds = new Set<string>();
    for (const route of ROUTES) {
      const actions = actionsOfFunction(real.api, byName.get(`${real.apiStackName}-${route.id}`)!);
      const dynamo = actions.filter((a) => a.startsWith('dynamodb:'));
      kinds.add(route.table);
      if (route.table === 'none') expect(dynamo, route.id).toEqual([]);
      if (route.table === 'read') {
        expect(dynamo, route.id).toContain('dynamodb:Query');
        expect(dynamo.filter((a) => WRITE_ACTIONS.includes(a)), route.id).toEqual([]);
      }
      if (route.table === 'write') expect(dynamo, route.id).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:GetItem']));
      // no route needs a Scan: every list is a Query
      expect(dynamo, route.id).not.toContain('dynamodb:Scan');
    }
    expect(kinds.has('read') && kinds.has('write')).toBe(true);
  });

  it('have no wildcard actions and no DynamoDB grant on Resource "*"', () => {
    const statements = Object.values(resourcesOf(real.api, 'AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement as any[]);
    expect(statements.length).toBeGreaterThan(0);
    for (const s of statements) {
      const actions = [s.Action].flat() as string[];
      expect(actions.filter((a) => a === '*' || a === 'dynamodb:*')).toEqual([]);
      if (actions.some((a) => a.startsWith('dynamodb:'))) expect([s.Resource].flat()).not.toContain('*');
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

  it('keeps the user pool, and the outputs name the API, pool, client and table', () => {
    const pool = Object.values(resourcesOf(real.data, 'AWS::Cognito::UserPool'))[0]!;
    expect(pool.DeletionPolicy).toBe('Retain');
    expect(pool.Properties.DeletionProtection).toBe('ACTIVE');
    // ExportsOutput…: CDK's cross-stack exports, not ours
    const outputs = Object.keys(real.data.findOutputs('*')).filter((k) => !k.startsWith('ExportsOutput'));
    expect(outputs.sort()).toEqual(['TableName', 'UserPoolClientId', 'UserPoolId']);
    expect(Object.keys(real.api.findOutputs('*'))).toContain('ApiUrl');
  });
});
