import { Annotations, CfnOutput, Stack, Token, type StackProps } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  PriceClass,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import type { Construct, IConstruct } from 'constructs';
import { ORIGIN_HEADER } from '../functions/http/origin';
import { deployTimeSecret } from './deploy-time-secret';

/**
 * The edge in front of the HTTP API: AWS WAF cannot be associated with an API Gateway HTTP API
 * (only with REST APIs, load balancers, AppSync, Cognito, App Runner and CloudFront), so the API is
 * published through a CloudFront distribution that carries a web ACL with rate-based rules. The
 * stage throttle (ApiStack) stays behind it, but that is one bucket per route for everyone; these
 * rules count per client IP, and per page, so one client cannot spend the route's budget for all.
 *
 * A web ACL for CloudFront must live in us-east-1: it is its own stack there (EdgeWafStack), and
 * the distribution, in the API's region, refers to it across regions (CDK crossRegionReferences:
 * SSM parameters written by a custom resource in the web ACL's stack).
 *
 * The API's own `execute-api` endpoint would still answer anyone directly, past the rules: so the
 * distribution adds a secret header to every request it forwards (ORIGIN_HEADER,
 * functions/http/origin.ts), and every route function, given the same value (ORIGIN_VERIFY_SECRET),
 * refuses a request without it. The secret lives in the API stack (ApiStack.originSecret, made only
 * when the edge is built: edgeWanted), which the edge stack already depends on; both sides get it as
 * the same deploy-time dynamic reference (originSecretValue). The API stack exports its id and the
 * secret's ARN, nothing more.
 */

/** Rate-based rules count requests over this window (WAF allows 60, 120, 300 or 600 s). */
export const EDGE_WINDOW_SECONDS = 300;

/**
 * Per client IP, per window: the anonymous writes (POST on `/v1/pages/…` and `/v1/feedback/…`;
 * join is under `/v1/pages/` too). Mobile carriers put many people behind one address, so not 1.
 */
export const PUBLIC_WRITES_PER_IP = 30;
/** Per page (the lower-cased, decoded path: the page id and the route), from all clients, per window. */
export const PUBLIC_WRITES_PER_PAGE = 200;
/** Per client IP, per window, every route but the order webhooks (an order system sends from a few addresses). */
export const REQUESTS_PER_IP = 3000;

/** The path prefixes whose POSTs are anonymous writes. */
export const PUBLIC_WRITE_PREFIXES = ['/v1/pages/', '/v1/feedback/'] as const;
/** Left out of the general per-IP rule: order systems post their webhooks in bursts. */
export const WEBHOOK_PREFIX = '/v1/webhooks/';

/** What a rate-limited client gets, like the API's own 429 (problem+json; WAF sends it as application/json). */
export const EDGE_RETRY_AFTER_SECONDS = 60;
const TOO_MANY_BODY = 'tooManyRequests';

/** The path as the API sees it: decoded, `//` and `/./` removed, lower case (page ids are case-insensitive). */
const PATH_TRANSFORMS = [
  { priority: 0, type: 'URL_DECODE' },
  { priority: 1, type: 'NORMALIZE_PATH' },
  { priority: 2, type: 'LOWERCASE' },
];

const pathStartsWith = (prefix: string): CfnWebACL.StatementProperty => ({
  byteMatchStatement: {
    fieldToMatch: { uriPath: {} },
    positionalConstraint: 'STARTS_WITH',
    searchString: prefix,
    textTransformations: PATH_TRANSFORMS,
  },
});
const methodIs = (method: string): CfnWebACL.StatementProperty => ({
  byteMatchStatement: {
    fieldToMatch: { method: {} },
    positionalConstraint: 'EXACTLY',
    searchString: method,
    textTransformations: [{ priority: 0, type: 'NONE' }],
  },
});
const anyOf = (statements: CfnWebACL.StatementProperty[]): CfnWebACL.StatementProperty =>
  statements.length === 1 ? statements[0]! : { orStatement: { statements } };

/** POST on a public write prefix. */
const publicWrite: CfnWebACL.StatementProperty = {
  andStatement: { statements: [methodIs('POST'), anyOf(PUBLIC_WRITE_PREFIXES.map(pathStartsWith))] },
};

const visibility = (metricName: string): CfnWebACL.VisibilityConfigProperty => ({
  cloudWatchMetricsEnabled: true,
  metricName,
  sampledRequestsEnabled: true,
});

const block429: CfnWebACL.RuleActionProperty = {
  block: {
    customResponse: {
      responseCode: 429,
      customResponseBodyKey: TOO_MANY_BODY,
      responseHeaders: [{ name: 'retry-after', value: String(EDGE_RETRY_AFTER_SECONDS) }],
    },
  },
};

/** The rules, in priority order (each a rate-based rule that blocks with a 429 while over its limit). */
export function edgeRules(): CfnWebACL.RuleProperty[] {
  const rule = (name: string, priority: number, rateBasedStatement: CfnWebACL.RateBasedStatementProperty): CfnWebACL.RuleProperty => ({
    name,
    priority,
    action: block429,
    statement: { rateBasedStatement: { evaluationWindowSec: EDGE_WINDOW_SECONDS, ...rateBasedStatement } },
    visibilityConfig: visibility(name),
  });
  return [
    rule('PublicWritesPerIp', 0, { aggregateKeyType: 'IP', limit: PUBLIC_WRITES_PER_IP, scopeDownStatement: publicWrite }),
    rule('PublicWritesPerPage', 1, {
      aggregateKeyType: 'CUSTOM_KEYS',
      customKeys: [{ uriPath: { textTransformations: PATH_TRANSFORMS } }],
      limit: PUBLIC_WRITES_PER_PAGE,
      scopeDownStatement: publicWrite,
    }),
    rule('RequestsPerIp', 2, {
      aggregateKeyType: 'IP',
      limit: REQUESTS_PER_IP,
      scopeDownStatement: { notStatement: { statement: pathStartsWith(WEBHOOK_PREFIX) } },
    }),
  ];
}

/** The web ACL of the distribution: CloudFront scope, so in us-east-1. */
export class EdgeWafStack extends Stack {
  readonly webAcl: CfnWebACL;

  constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, { ...props, crossRegionReferences: true });
    if (!this.region || this.region !== 'us-east-1')
      throw new Error(`EdgeWafStack: a CloudFront web ACL must be in us-east-1, not ${this.region}`);
    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      name: `${this.stackName}-api`,
      description: 'ctv-cloud: rate limits per client IP and per public page, in front of the API',
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      customResponseBodies: {
        [TOO_MANY_BODY]: {
          contentType: 'APPLICATION_JSON',
          content: JSON.stringify({
            type: 'about:blank',
            title: 'Too many requests',
            status: 429,
            detail: 'Too many requests from this address or to this page; retry later',
          }),
        },
      },
      rules: edgeRules(),
      visibilityConfig: visibility('CtvCloudEdge'),
    });
  }
}

export interface EdgeStackProps extends StackProps {
  api: HttpApi;
  webAcl: CfnWebACL;
  /** the origin secret (ApiStack.originSecret): its value goes with every request to the API, in ORIGIN_HEADER */
  originSecret: ISecret;
}

/**
 * The distribution that publishes the API (its URL is the `EdgeUrl` output): nothing cached, every
 * method, every viewer header but Host (API Gateway routes by its own host name; the Authorization
 * header passes with them), HTTPS only; the web ACL above on it; the origin secret in ORIGIN_HEADER
 * (CloudFront replaces a viewer's header of that name with it).
 */
export class EdgeStack extends Stack {
  readonly distribution: Distribution;

  constructor(scope: Construct, id: string, props: EdgeStackProps) {
    super(scope, id, { ...props, crossRegionReferences: true });
    const api = props.api;
    const apiHost = `${api.apiId}.execute-api.${Stack.of(api).region}.${Stack.of(api).urlSuffix}`;
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'ctv-cloud API behind AWS WAF',
      defaultBehavior: {
        origin: new HttpOrigin(apiHost, {
          protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
          customHeaders: { [ORIGIN_HEADER]: originSecretValue(props.originSecret) },
        }),
        allowedMethods: AllowedMethods.ALLOW_ALL,
        cachePolicy: CachePolicy.CACHING_DISABLED,
        originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      },
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_ALL,
      webAclId: props.webAcl.attrArn,
    });
    new CfnOutput(this, 'EdgeUrl', { value: `https://${this.distribution.distributionDomainName}` });
  }
}

/** CDK context: the version (VersionId) of the origin secret to use, after a rotation (docs/security.md). */
export const ORIGIN_SECRET_VERSION_CONTEXT = 'originSecretVersion';
/**
 * Whether the edge is built in front of this API stack: not with `-c edge=false`, nor when the
 * stack's region is unknown at synth time (an environment-agnostic synth: cross-region references
 * need it; `cdk deploy` always knows it). createEdge and ApiStack (which makes the origin secret
 * only then) both ask this.
 */
export function edgeWanted(api: Stack): boolean {
  return !edgeTurnedOff(api) && !Token.isUnresolved(api.region);
}

const edgeTurnedOff = (scope: IConstruct) => {
  const flag = scope.node.tryGetContext('edge');
  return flag === false || flag === 'false';
};

/** The origin secret as a deploy-time dynamic reference: the distribution's header and the functions' variable use this same string. */
export function originSecretValue(secret: ISecret): string {
  return deployTimeSecret(secret, ORIGIN_SECRET_VERSION_CONTEXT);
}

/**
 * The edge stacks for an API stack: `names.waf` (us-east-1) and `names.edge` (the API's region), e.g.
 * `CtvCloud-prod-EdgeWaf` and `CtvCloud-prod-Edge`. Left out with `-c edge=false`, and (with a
 * warning) when the API's region is not known at synth time (edgeWanted).
 */
export function createEdge(
  app: Construct,
  api: Stack & { api: HttpApi; originSecret?: ISecret },
  env: { account?: string; region?: string },
  names: { waf: string; edge: string },
) {
  if (!edgeWanted(api)) {
    if (!edgeTurnedOff(app))
      Annotations.of(api).addWarningV2(
        'ctv:edge',
        'No region at synth time: the WAF and CloudFront edge stacks are left out (set CDK_DEFAULT_REGION or env to build them)',
      );
    return undefined;
  }
  // made by ApiStack whenever edgeWanted: without it the API would answer the edge's requests and anyone else's alike
  if (!api.originSecret) throw new Error(`${api.stackName}: the edge needs the API stack's origin secret`);
  const waf = new EdgeWafStack(app, names.waf, {
    env: { ...(env.account ? { account: env.account } : {}), region: 'us-east-1' },
    description: 'ctv-cloud: the WAF web ACL of the API distribution (CloudFront scope: us-east-1)',
  });
  const edge = new EdgeStack(app, names.edge, {
    env: { ...(env.account ? { account: env.account } : {}), region: api.region },
    description: 'ctv-cloud: the CloudFront distribution in front of the API, with the WAF rate limits',
    api: api.api,
    webAcl: waf.webAcl,
    originSecret: api.originSecret,
  });
  return { waf, edge };
}
