import { App, type CfnResource } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { Route } from '../../functions/routes/route';
import { createCtvCloud, type CtvCloudOptions } from '../../infra/ctv-cloud';
import { stackNames, type StackNames } from '../../infra/stage';

/** A fixed environment, so templates do not depend on the machine's AWS profile. */
export const ENV = { account: '123456789012', region: 'ap-southeast-1' };

/** The context every synth must be given (infra/stage.ts): the tests' own stage and front end. */
export const STAGE = 'test';
export const CORS_ORIGINS = ['https://app.test.example.vn'];
export const REQUIRED_CONTEXT = { stage: STAGE, corsOrigins: CORS_ORIGINS.join(',') };
export const NAMES = stackNames(STAGE);

export type Resource = {
  Type: string;
  Properties?: any;
  Metadata?: any;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  DependsOn?: string[];
};

/** One nested stack of route functions: its template, and what the parent passes to its parameters. */
export interface Group {
  /** construct id, e.g. "OrdersRoutes" */
  id: string;
  /** logical id of its AWS::CloudFormation::Stack resource in the API stack */
  resourceId: string;
  template: Template;
  parameters: Record<string, unknown>;
}

export interface Synth {
  data: Template;
  api: Template;
  groups: Group[];
  jobs?: Template;
  monitoring: Template;
  apiStackName: string;
  /** the stage's stack names */
  names: StackNames;
  /** every template, named: data, api, api/<group>, jobs, monitoring */
  all: Record<string, Template>;
}

/**
 * Synthesise the stacks without bundling and without CDK's built-in template validation (both
 * slow; the bundle test does them for real). No jobs stack unless `jobs` names stand-in entries
 * (`jobs: undefined`, given explicitly: as the app decides, from the files). The context is
 * REQUIRED_CONTEXT, and what `context` adds or replaces (a key set to undefined is left out).
 */
export function synth(
  options: { routes?: readonly Route<any, any>[]; context?: Record<string, unknown>; jobs?: CtvCloudOptions['jobs'] } = {},
): Synth {
  const app = new App({
    context: withoutUndefined({ 'aws:cdk:bundling-stacks': [], ...REQUIRED_CONTEXT, ...options.context }),
    builtinCloudFormationValidation: false,
    treeMetadata: false,
  });
  const { data, api, jobs, monitoring, names } = createCtvCloud(app, {
    routes: options.routes,
    env: ENV,
    jobs: 'jobs' in options ? options.jobs : false,
  });
  const apiTemplate = Template.fromStack(api);
  const parentResources = apiTemplate.toJSON().Resources as Record<string, Resource>;
  const groups = api.groups.map((g): Group => {
    const resourceId = api.resolve((g.nestedStackResource as CfnResource).logicalId) as string;
    return {
      id: g.node.id,
      resourceId,
      template: Template.fromStack(g),
      parameters: parentResources[resourceId]!.Properties.Parameters ?? {},
    };
  });
  const jobsTemplate = jobs && Template.fromStack(jobs);
  const monitoringTemplate = Template.fromStack(monitoring);
  return {
    data: Template.fromStack(data),
    api: apiTemplate,
    groups,
    jobs: jobsTemplate,
    monitoring: monitoringTemplate,
    apiStackName: api.stackName,
    names,
    all: {
      data: Template.fromStack(data),
      api: apiTemplate,
      ...Object.fromEntries(groups.map((g) => [`api/${g.id}`, g.template])),
      ...(jobsTemplate ? { jobs: jobsTemplate } : {}),
      monitoring: monitoringTemplate,
    },
  };
}

const withoutUndefined = (context: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(context).filter(([, v]) => v !== undefined));

export const resourcesOf = (template: Template, type: string): Record<string, Resource> =>
  template.findResources(type) as Record<string, Resource>;

export const resourceCount = (template: Template) => Object.keys(template.toJSON().Resources ?? {}).length;

/** A value in a nested template, with a parameter reference replaced by what the parent passes. */
export function resolveIn(group: Group, value: any): any {
  if (value && typeof value === 'object' && 'Ref' in value && value.Ref in group.parameters) return group.parameters[value.Ref];
  return value;
}

/** CDK's own helper Lambdas (log retention, custom resource providers) are not operations. */
const CDK_HELPER = /LogRetention|AWS[0-9a-f]{32}|CustomResource|Provider/;

export interface GroupFunction {
  group: Group;
  logicalId: string;
  fn: Resource;
}

/** The operation functions, across the route groups. */
export function routeFunctions(s: Synth): GroupFunction[] {
  return s.groups.flatMap((group) =>
    Object.entries(resourcesOf(group.template, 'AWS::Lambda::Function'))
      .filter(([, r]) => !CDK_HELPER.test(r.Metadata?.['aws:cdk:path'] ?? ''))
      .map(([logicalId, fn]) => ({ group, logicalId, fn })),
  );
}

/** Route functions by function name. */
export const functionsByName = (s: Synth) => new Map(routeFunctions(s).map((f) => [f.fn.Properties.FunctionName as string, f]));

/** The logical id (in the API stack) of the role a route function runs as. */
export function roleOfFunction({ group, fn }: GroupFunction): string {
  const role = resolveIn(group, fn.Properties.Role);
  const id = role?.['Fn::GetAtt']?.[0];
  if (typeof id !== 'string')
    throw new Error(`role of ${fn.Properties.FunctionName} is not a role of the API stack: ${JSON.stringify(fn.Properties.Role)}`);
  return id;
}

/** Every policy statement attached to a role of this template (the API or the jobs stack). */
export function statementsOfRole(template: Template, roleId: string): any[] {
  return Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
    .filter((p) => (p.Properties.Roles as unknown[]).some((r: any) => r.Ref === roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as any[]);
}

/** Every IAM action a role of the API stack may use, from every policy attached to it. */
export function actionsOfRole(api: Template, roleId: string): string[] {
  return statementsOfRole(api, roleId).flatMap((s) => [s.Action].flat() as string[]);
}

/** The API route with this key: in which group, and its properties. */
export function apiRoute(s: Synth, routeKey: string): { group: Group; props: any } | undefined {
  for (const group of s.groups) {
    const route = Object.values(resourcesOf(group.template, 'AWS::ApiGatewayV2::Route')).find((r) => r.Properties.RouteKey === routeKey);
    if (route) return { group, props: route.Properties };
  }
  return undefined;
}

/** The function an API route invokes: route → integration → function (all in the route's group). */
export function functionBehindRoute(s: Synth, routeKey: string): Resource | undefined {
  const found = apiRoute(s, routeKey);
  if (!found) return undefined;
  const integrationId = found.props.Target['Fn::Join'][1][1].Ref as string;
  const integration = resourcesOf(found.group.template, 'AWS::ApiGatewayV2::Integration')[integrationId]!;
  const fnId = integration.Properties.IntegrationUri['Fn::GetAtt'][0] as string;
  return resourcesOf(found.group.template, 'AWS::Lambda::Function')[fnId];
}

/** The tags routes are grouped by, as ApiStack names the nested stacks. */
export { pascal } from '../../infra/api-stack';
