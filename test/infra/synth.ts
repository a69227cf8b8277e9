import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { Route } from '../../functions/routes/route';
import { createCtvCloud } from '../../infra/ctv-cloud';

/** A fixed environment, so templates do not depend on the machine's AWS profile. */
export const ENV = { account: '123456789012', region: 'ap-southeast-1' };

type Resource = { Type: string; Properties?: any; Metadata?: any; DeletionPolicy?: string; UpdateReplacePolicy?: string };

/**
 * Synthesise both stacks without bundling and without CDK's built-in template validation (both
 * slow; the bundle test does them for real).
 */
export function synth(options: { routes?: readonly Route<any, any>[]; context?: Record<string, unknown> } = {}) {
  const app = new App({
    context: { 'aws:cdk:bundling-stacks': [], ...options.context },
    builtinCloudFormationValidation: false,
    treeMetadata: false,
  });
  const { data, api } = createCtvCloud(app, { routes: options.routes, env: ENV });
  return { data: Template.fromStack(data), api: Template.fromStack(api), apiStackName: api.stackName };
}

export const resourcesOf = (template: Template, type: string): Record<string, Resource> =>
  template.findResources(type) as Record<string, Resource>;

/** CDK's own helper Lambdas (log retention, custom resource providers) are not operations. */
const CDK_HELPER = /LogRetention|AWS[0-9a-f]{32}|CustomResource|Provider/;

/** The operation functions of the API stack, keyed by logical id. */
export function routeFunctions(api: Template): Record<string, Resource> {
  return Object.fromEntries(
    Object.entries(resourcesOf(api, 'AWS::Lambda::Function')).filter(([, r]) => !CDK_HELPER.test(r.Metadata?.['aws:cdk:path'] ?? '')),
  );
}

/** Every IAM action a function's role may use, from every policy attached to that role. */
export function actionsOfFunction(api: Template, fn: Resource): string[] {
  const roleId = fn.Properties.Role['Fn::GetAtt'][0] as string;
  return Object.values(resourcesOf(api, 'AWS::IAM::Policy'))
    .filter((p) => (p.Properties.Roles as unknown[]).some((r: any) => r.Ref === roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as any[])
    .flatMap((s) => [s.Action].flat() as string[]);
}

/** The function an API route invokes: route → integration → function. */
export function functionBehindRoute(api: Template, routeKey: string): Resource | undefined {
  const route = Object.values(resourcesOf(api, 'AWS::ApiGatewayV2::Route')).find((r) => r.Properties.RouteKey === routeKey);
  if (!route) return undefined;
  const integrationId = route.Properties.Target['Fn::Join'][1][1].Ref as string;
  const fnId = resourcesOf(api, 'AWS::ApiGatewayV2::Integration')[integrationId]!.Properties.IntegrationUri['Fn::GetAtt'][0] as string;
  return resourcesOf(api, 'AWS::Lambda::Function')[fnId];
}
