import { NestedStack, type NestedStackProps } from 'aws-cdk-lib';
import { HttpMethod, HttpRoute, HttpRouteKey, type IHttpApi, type IHttpRouteAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { isTenantRoute, type Route } from '../functions/routes/route';
import type { AccessRoles } from './access-roles';
import { RouteFunction } from './route-function';

export interface RouteGroupStackProps extends NestedStackProps {
  routes: readonly Route<any, any>[];
  api: IHttpApi;
  /** put on every `auth: 'jwt'` route */
  authorizer: IHttpRouteAuthorizer;
  roles: AccessRoles;
  table: ITable;
  webhookSecretsKey: ISecret;
  /** ORIGIN_VERIFY_SECRET of every route, when the edge is built (ApiStack.originSecret) */
  originSecret?: ISecret;
  /** NIGHTLY_QUEUE_URL of the routes with `nightlyQueue: true` (their role may send to it) */
  nightlyQueue?: IQueue;
  /** DELIVERY_QUEUE_URL of the routes with `deliveryQueue: true` (their role may send to it) */
  deliveryQueue?: IQueue;
  corsOrigins: string[];
  projectRoot: string;
  /** function names are `<prefix>-<route id>` */
  functionNamePrefix: string;
}

/**
 * The routes of one tag: per route a function (on the shared role of its access level and needs; a
 * tenant route's role reaches the table only through the tenant data role of its level), its log
 * group, the API route, its integration and the permission for API Gateway to invoke it.
 */
export class RouteGroupStack extends NestedStack {
  readonly functions: RouteFunction[] = [];
  /** by route id */
  readonly httpRoutes = new Map<string, HttpRoute>();

  constructor(scope: Construct, id: string, props: RouteGroupStackProps) {
    super(scope, id, props);
    for (const route of props.routes) {
      const fn = new RouteFunction(this, route.id, {
        route,
        projectRoot: props.projectRoot,
        functionName: functionNameFor(props.functionNamePrefix, route.id),
        corsOrigins: props.corsOrigins,
        role: props.roles.for(route.table, {
          nightlyQueue: route.nightlyQueue,
          deliveryQueue: route.deliveryQueue,
          tenant: isTenantRoute(route),
          crossTenant: route.crossTenant,
        }),
        tenantDataRole: isTenantRoute(route) ? props.roles.tenantData(route.table === 'write' ? 'write' : 'read') : undefined,
        table: props.table,
        webhookSecretsKey: route.sealingKey ? props.webhookSecretsKey : undefined,
        originSecret: props.originSecret,
        nightlyQueue: route.nightlyQueue ? props.nightlyQueue : undefined,
        deliveryQueue: route.deliveryQueue ? props.deliveryQueue : undefined,
      });
      this.functions.push(fn);
      this.httpRoutes.set(
        route.id,
        new HttpRoute(this, `${route.id}Route`, {
          httpApi: props.api,
          routeKey: HttpRouteKey.with(route.path, HttpMethod[route.method]),
          integration: new HttpLambdaIntegration(`${route.id}Integration`, fn),
          // public routes answer anyone; webhooks check their own signature in the handler
          authorizer: route.auth === 'jwt' ? props.authorizer : undefined,
        }),
      );
    }
  }
}

/** Lambda names are at most 64 characters; say which route is too long rather than fail at deploy. */
export function functionNameFor(prefix: string, routeId: string): string {
  const name = `${prefix}-${routeId}`;
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(name))
    throw new Error(`Function name "${name}" (route ${routeId}) is not a valid Lambda name (≤ 64 of A-Z a-z 0-9 _ -)`);
  return name;
}
