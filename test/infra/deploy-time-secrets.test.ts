import { App, type CfnResource } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ORIGIN_HEADER, ORIGIN_SECRET_ENV } from '../../functions/http/origin';
import { ROUTES } from '../../functions/routes';
import { createCtvCloud } from '../../infra/ctv-cloud';
import { ORIGIN_SECRET_VERSION_CONTEXT } from '../../infra/edge-stack';
import { SEALING_KEY_VERSION_CONTEXT } from '../../infra/route-function';
import { ENV, REQUIRED_CONTEXT, resolveIn, resourcesOf, routeFunctions, synth, type Group, type Resource, type Synth } from './synth';

/**
 * Secrets given to the stacks at deploy time (infra/deploy-time-secret.ts), and their rotation by
 * version (`-c originSecretVersion`, `-c sealingKeyVersion`).
 *
 * The origin secret (docs/security.md, "The origin header"): with the edge, CloudFront sends it to
 * the API in a header and every route function gets it in its environment, both as the same
 * deploy-time dynamic reference to one secret of the API stack, never as a value; without the edge,
 * neither the secret nor the variable exists (and the functions check nothing).
 */

const quick = { builtinCloudFormationValidation: false, treeMetadata: false } as const;

interface Built {
  api: Template;
  edge?: Template;
  groups: Group[];
  apiStackName: string;
}

/** The app as `cdk synth` builds it, without bundling; the edge's template too (test/infra/synth.ts leaves it out). */
function build(context: Record<string, unknown> = {}, routes = ROUTES, env: { account?: string; region?: string } = ENV): Built {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [], ...REQUIRED_CONTEXT, ...context }, ...quick });
  const out = createCtvCloud(app, { routes, env, jobs: false });
  const api = Template.fromStack(out.api);
  const parent = api.toJSON().Resources as Record<string, Resource>;
  const groups = out.api.groups.map((g): Group => {
    const resourceId = out.api.resolve((g.nestedStackResource as CfnResource).logicalId) as string;
    return { id: g.node.id, resourceId, template: Template.fromStack(g), parameters: parent[resourceId]!.Properties.Parameters ?? {} };
  });
  return { api, edge: out.edge && Template.fromStack(out.edge.edge), groups, apiStackName: out.api.stackName };
}

/** routeFunctions reads the groups only */
const asSynth = (b: Built) => ({ groups: b.groups }) as unknown as Synth;

/** The one origin secret of the API stack: its logical id and properties. */
function originSecretOf(api: Template): [string, Resource] {
  const secrets = Object.entries(resourcesOf(api, 'AWS::SecretsManager::Secret'));
  expect(secrets).toHaveLength(1);
  return secrets[0]!;
}

/** The parts of `{{resolve:secretsmanager:<arn>:SecretString:…}}` as CDK writes it: prefix, the ARN, suffix. */
function dynamicReference(value: unknown): [string, unknown, string] {
  // a literal string here would be the value itself in the template: never
  expect(typeof value).toBe('object');
  const join = (value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  expect(join?.[0]).toBe('');
  expect(join[1]).toHaveLength(3);
  return join[1] as [string, unknown, string];
}

let withEdge: Built;

beforeAll(() => {
  withEdge = build();
}, 120_000);

describe('the origin secret, with the edge', () => {
  it('is one generated secret of the API stack (no punctuation, 32 characters or more), whose value no template holds', () => {
    const [, secret] = originSecretOf(withEdge.api);
    expect(secret.Properties.GenerateSecretString).toMatchObject({ ExcludePunctuation: true });
    expect(secret.Properties.GenerateSecretString.PasswordLength).toBeGreaterThanOrEqual(32);
    expect(secret.Properties.SecretString).toBeUndefined();
  });

  it('goes to the API in the distribution origin header, as a dynamic reference to that secret', () => {
    const [secretId] = originSecretOf(withEdge.api);
    const distributions = Object.values(resourcesOf(withEdge.edge!, 'AWS::CloudFront::Distribution'));
    expect(distributions).toHaveLength(1);
    const origins = distributions[0]!.Properties.DistributionConfig.Origins as any[];
    expect(origins).toHaveLength(1);
    const headers = origins[0].OriginCustomHeaders as { HeaderName: string; HeaderValue: unknown }[];
    expect(headers.map((h) => h.HeaderName)).toEqual([ORIGIN_HEADER]);
    const [prefix, arn, suffix] = dynamicReference(headers[0]!.HeaderValue);
    expect(prefix).toBe('{{resolve:secretsmanager:');
    // the ARN, exported by the API stack (the edge stack already depends on it: no cycle)
    expect(arn).toEqual({ 'Fn::ImportValue': expect.stringMatching(new RegExp(`^${withEdge.apiStackName}:ExportsOutputRef${secretId}`)) });
    expect(suffix).toBe(':SecretString:::}}');
  });

  it(`is ${ORIGIN_SECRET_ENV} of every route function, the same dynamic reference, and of no other function`, () => {
    const [secretId] = originSecretOf(withEdge.api);
    const functions = routeFunctions(asSynth(withEdge));
    expect(functions).toHaveLength(ROUTES.length);
    for (const { group, fn } of functions) {
      const name = fn.Properties.FunctionName;
      const [prefix, arn, suffix] = dynamicReference(fn.Properties.Environment.Variables[ORIGIN_SECRET_ENV]);
      expect(prefix, name).toBe('{{resolve:secretsmanager:');
      expect(resolveIn(group, arn), name).toEqual({ Ref: secretId });
      expect(suffix, name).toBe(':SecretString:::}}');
    }
    // the delivery worker and its sweep answer no HTTP request
    const others = Object.values(resourcesOf(withEdge.api, 'AWS::Lambda::Function'));
    expect(others.length).toBeGreaterThan(0);
    for (const fn of others) expect(fn.Properties.Environment?.Variables?.[ORIGIN_SECRET_ENV]).toBeUndefined();
  });

  it(`names the secret's version on both sides with -c ${ORIGIN_SECRET_VERSION_CONTEXT}=<VersionId> (a rotation), and refuses anything else`, () => {
    const version = '4f8e2a4c-1b7d-4c55-9a0e-6a1f3d2b9c77';
    const routes = ROUTES.slice(0, 2);
    const rotated = build({ [ORIGIN_SECRET_VERSION_CONTEXT]: version }, routes);
    const [secretId] = originSecretOf(rotated.api);
    const origin = Object.values(resourcesOf(rotated.edge!, 'AWS::CloudFront::Distribution'))[0]!.Properties.DistributionConfig.Origins[0];
    const [, arn, suffix] = dynamicReference(origin.OriginCustomHeaders[0].HeaderValue);
    expect(arn).toEqual({ 'Fn::ImportValue': expect.stringContaining(secretId) });
    expect(suffix).toBe(`:SecretString:::${version}}}`);
    const functions = routeFunctions(asSynth(rotated));
    expect(functions).toHaveLength(routes.length);
    for (const { group, fn } of functions) {
      const [, fnArn, fnSuffix] = dynamicReference(fn.Properties.Environment.Variables[ORIGIN_SECRET_ENV]);
      expect(resolveIn(group, fnArn)).toEqual({ Ref: secretId });
      expect(fnSuffix).toBe(`:SecretString:::${version}}}`);
    }
    for (const bad of ['AWSCURRENT', 'v2', `${version}}}`, '../x'])
      expect(() => build({ [ORIGIN_SECRET_VERSION_CONTEXT]: bad }, routes), bad).toThrow(
        /originSecretVersion: .* is not a Secrets Manager VersionId/,
      );
  }, 120_000);
});

describe('without the edge', () => {
  it('with -c edge=false: no origin secret, and no function has the variable (nothing is checked)', () => {
    const off = synth({ context: { edge: 'false' } });
    expect(resourcesOf(off.api, 'AWS::SecretsManager::Secret')).toEqual({});
    const functions = routeFunctions(off);
    expect(functions).toHaveLength(ROUTES.length);
    for (const [name, template] of Object.entries(off.all))
      for (const fn of Object.values(resourcesOf(template, 'AWS::Lambda::Function')))
        expect(fn.Properties.Environment?.Variables?.[ORIGIN_SECRET_ENV], `${name} ${fn.Properties.FunctionName}`).toBeUndefined();
  }, 120_000);

  it('with no region at synth time (the edge is left out): no origin secret either', () => {
    const agnostic = build({}, ROUTES.slice(0, 2), {});
    expect(agnostic.edge).toBeUndefined();
    expect(resourcesOf(agnostic.api, 'AWS::SecretsManager::Secret')).toEqual({});
    for (const { fn } of routeFunctions(asSynth(agnostic))) expect(fn.Properties.Environment.Variables[ORIGIN_SECRET_ENV]).toBeUndefined();
  }, 120_000);
});

describe(`the sealing key (WEBHOOK_SECRETS_KEY) after a rotation: -c ${SEALING_KEY_VERSION_CONTEXT}=<VersionId>`, () => {
  it('names that version in every sealingKey route function’s reference, and nothing else changes; anything but a VersionId stops the synth', () => {
    const version = '0b6f3c1e-8d2a-4f7b-a9c4-2e5d7f1a3b60';
    const routes = ROUTES.filter((r) => r.sealingKey).slice(0, 2);
    expect(routes).toHaveLength(2);
    const key = (b: Built) =>
      routeFunctions(asSynth(b)).map(({ fn }) => dynamicReference(fn.Properties.Environment.Variables.WEBHOOK_SECRETS_KEY));
    const before = key(build({}, routes));
    const after = key(build({ [SEALING_KEY_VERSION_CONTEXT]: version }, routes));
    expect(before.map(([, , suffix]) => suffix)).toEqual([':SecretString:::}}', ':SecretString:::}}']);
    expect(after.map(([, , suffix]) => suffix)).toEqual([`:SecretString:::${version}}}`, `:SecretString:::${version}}}`]);
    // the same secret on both sides of the rotation
    expect(after.map(([prefix, arn]) => [prefix, arn])).toEqual(before.map(([prefix, arn]) => [prefix, arn]));
    for (const bad of ['AWSPREVIOUS', 'k1', `${version}:x`])
      expect(() => build({ [SEALING_KEY_VERSION_CONTEXT]: bad }, routes), bad).toThrow(
        /sealingKeyVersion: .* is not a Secrets Manager VersionId/,
      );
  }, 120_000);
});
