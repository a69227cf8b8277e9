import { Lazy, Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { AccountPrincipal, ManagedPolicy, PolicyStatement, Role, ServicePrincipal, type IRole } from 'aws-cdk-lib/aws-iam';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { Route } from '../functions/routes/route';
import {
  CROSS_TENANT_FAMILIES,
  leadingKeyPattern,
  type CrossTenantAccess,
  type CrossTenantFamily,
  type CrossTenantFamilyShape,
} from '../functions/store/guard';
import { TABLE_ACTIONS } from './route-function';

export type AccessLevel = Route['table'];

/** What a route needs beyond its table access, from the route table: each need is a role of its own. */
export interface AccessNeeds {
  /** `route.nightlyQueue`: sqs:SendMessage on the nightly queue */
  nightlyQueue?: boolean;
  /** `route.deliveryQueue`: sqs:SendMessage on the order delivery queue */
  deliveryQueue?: boolean;
  /**
   * A tenant route (isTenantRoute): no table grant of its own; it may assume the tenant data role of
   * its level (with the session tag tenantId), which reaches one business's keys only.
   */
  tenant?: boolean;
  /** `route.crossTenant` (tenant routes): the cross-tenant families it reaches with its own role, each on its own grant */
  crossTenant?: CrossTenantAccess;
}

/** The session tag that names the business; IAM reads it as `aws:PrincipalTag/tenantId`. */
export const TENANT_TAG = 'tenantId';

/**
 * The keys a tenant data role session may touch, as `dynamodb:LeadingKeys` patterns: the partition
 * key of an item (GetItem, PutItem…, each item of a batch or a transaction) or of the queried table
 * or GSI. Business keys are `T#<tenantId>` (the business's own partition: settings, members, rosters,
 * plans…) and `T#<tenantId>#…` (everything else: CTVs, orders, statements, and every GSI partition of
 * a business's items, e.g. `T#<t>#CTVS#STAFF#<u>`); see functions/store/keys.ts.
 */
export const TENANT_LEADING_KEYS = ['T#${aws:PrincipalTag/tenantId}', 'T#${aws:PrincipalTag/tenantId}#*'];

/** Business ids are ULIDs: 26 characters. A session tag of another length cannot name a business. */
const TENANT_TAG_SHAPE = '?'.repeat(26);

/**
 * One execution role per table access level (none, read, write), shared by the route functions of
 * that level, made when first asked for. Least privilege is per access level, which is all the
 * route table says about a function: every function gets exactly the grant of its `route.table`,
 * and a role per function would cost two CloudFormation resources per route for no narrower grant.
 *
 * A route marked `nightlyQueue` (it starts a nightly run) runs as a role of its own per level,
 * e.g. TableWriteNightlyQueue: the same table grant plus sending to the nightly queue, so the other
 * routes of the level cannot send work items. Likewise `deliveryQueue` (the routes that hand
 * deliveries to the delivery worker): e.g. TableWriteDeliveryQueue; a route with both needs gets one
 * role with both grants, TableWriteNightlyQueueDeliveryQueue.
 *
 * Tenant routes (isTenantRoute: a `{tenantId}` path and a JWT) are fenced in IAM (docs/security.md, "Tenant
 * fences"): their roles (TenantRead, TenantWrite, TenantWriteNightlyQueue…) have no table grant at
 * all; they may only assume the tenant data role of their level (TenantDataRead, TenantDataWrite)
 * with the session tag tenantId, whose policy allows the table and its indexes only where the
 * leading key is that business's (TENANT_LEADING_KEYS). A tenant route that reaches a cross-tenant
 * family (`route.crossTenant`, e.g. the feedback links) gets a role of its own with one more grant,
 * on that family's keys only (e.g. TenantWriteFeedbackLinksWrite: `FBLINK#*`).
 *
 * Webhook secrets need no role of their own: the functions that read them get the key through a
 * deploy-time dynamic reference (see webhookSecretsKeyValue), not through an IAM grant; so does
 * every route function with the edge's origin secret (originSecretValue, infra/edge-stack.ts).
 */
export class AccessRoles extends Construct {
  private readonly roles = new Map<string, Role>();
  private readonly dataRoles = new Map<'read' | 'write', Role>();
  /** per tenant data role: the ARNs of the roles that may assume it (its trust policy reads them at synth) */
  private readonly dataRoleUsers = new Map<'read' | 'write', string[]>();
  private readonly table: ITable;
  private readonly nightlyQueue?: IQueue;
  private readonly deliveryQueue?: IQueue;

  constructor(scope: Construct, id: string, props: { table: ITable; nightlyQueue?: IQueue; deliveryQueue?: IQueue }) {
    super(scope, id);
    this.table = props.table;
    this.nightlyQueue = props.nightlyQueue;
    this.deliveryQueue = props.deliveryQueue;
  }

  for(level: AccessLevel, needs: AccessNeeds = {}): IRole {
    const families = Object.entries(needs.crossTenant ?? {}).sort(([a], [b]) => a.localeCompare(b)) as [
      CrossTenantFamily,
      'read' | 'write',
    ][];
    const id = [
      needs.tenant ? 'Tenant' : 'Table',
      pascalCase(level),
      needs.nightlyQueue ? 'NightlyQueue' : '',
      needs.deliveryQueue ? 'DeliveryQueue' : '',
      ...families.map(([family, access]) => `${pascalCase(family)}${pascalCase(access)}`),
    ].join('');
    let role = this.roles.get(id);
    if (!role) {
      if (needs.nightlyQueue && !this.nightlyQueue)
        throw new Error(`AccessRoles: a role that sends to the nightly queue was asked for, but no nightlyQueue was given`);
      if (needs.deliveryQueue && !this.deliveryQueue)
        throw new Error(`AccessRoles: a role that sends to the delivery queue was asked for, but no deliveryQueue was given`);
      if (families.length > 0 && !needs.tenant)
        throw new Error(
          `AccessRoles: cross-tenant families are declared by tenant routes only (the others reach the table by their level)`,
        );
      if (needs.tenant && level === 'none')
        throw new Error(`AccessRoles: a tenant route reads the caller's membership: its table access cannot be "none"`);
      const sends = [needs.nightlyQueue && 'the nightly queue', needs.deliveryQueue && 'the delivery queue'].filter(Boolean).join(' and ');
      role = new Role(this, id, {
        assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
        description: needs.tenant
          ? `ctv-cloud tenant route functions with table access "${level}" through the tenant data role${families.length ? `, and ${families.map(([f, a]) => `${a} ${f}`).join(', ')}` : ''}${sends ? `, that send to ${sends}` : ''}`
          : `ctv-cloud route functions with table access "${level}"${sends ? ` that send to ${sends}` : ''}`,
        // logs: what NodejsFunction gives its own roles
        managedPolicies: [ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaBasicExecutionRole')],
      });
      if (needs.tenant) {
        const dataLevel = level as 'read' | 'write';
        const dataRole = this.tenantData(dataLevel);
        // the identity side of the assumption (the trust side is the data role's, see tenantData)
        role.addToPrincipalPolicy(new PolicyStatement({ actions: ['sts:AssumeRole', 'sts:TagSession'], resources: [dataRole.roleArn] }));
        this.dataRoleUsers.get(dataLevel)!.push(role.roleArn);
        for (const [family, access] of families) this.grantFamily(role, level, family, access);
      } else {
        const actions = TABLE_ACTIONS[level];
        // grant on the table and its indexes (table/…/index/*)
        if (actions.length > 0) this.table.grant(role, ...actions);
      }
      // sqs:SendMessage (SendMessageBatch is authorised by it), GetQueueAttributes, GetQueueUrl on that queue only
      if (needs.nightlyQueue) this.nightlyQueue!.grantSendMessages(role);
      if (needs.deliveryQueue) this.deliveryQueue!.grantSendMessages(role);
      this.roles.set(id, role);
    }
    return role;
  }

  /**
   * The tenant data role of a level (TenantDataRead, TenantDataWrite), made when first asked for:
   * the table and its indexes, the level's actions, only where every leading key is the session's
   * business (`aws:PrincipalTag/tenantId`). Assumable only by the tenant route roles of that level
   * (aws:PrincipalArn), only with one session tag, tenantId, shaped like a business id.
   */
  tenantData(level: 'read' | 'write'): IRole {
    let role = this.dataRoles.get(level);
    if (!role) {
      const users: string[] = [];
      this.dataRoleUsers.set(level, users);
      role = new Role(this, `TenantData${pascalCase(level)}`, {
        description: `ctv-cloud: one business's keys, "${level}", for the tenant route functions (session tag ${TENANT_TAG})`,
        // a role assumed from the function's role is a chained session: one hour at most
        assumedBy: new AccountPrincipal(Stack.of(this).account)
          .withConditions({
            ArnEquals: { 'aws:PrincipalArn': Lazy.list({ produce: () => users }) },
            StringLike: { [`aws:RequestTag/${TENANT_TAG}`]: TENANT_TAG_SHAPE },
            'ForAllValues:StringEquals': { 'aws:TagKeys': [TENANT_TAG] },
          })
          .withSessionTags(),
      });
      const actions = TABLE_ACTIONS[level];
      role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: [...actions],
          resources: [this.table.tableArn, `${this.table.tableArn}/index/*`],
          conditions: {
            'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': TENANT_LEADING_KEYS },
            // a session without the tag reaches nothing (the trust policy already requires it)
            Null: { [`aws:PrincipalTag/${TENANT_TAG}`]: 'false' },
          },
        }),
      );
      this.dataRoles.set(level, role);
    }
    return role;
  }

  /** One cross-tenant family on a tenant route's own role: its keys only (a GSI family: Query of that index only). */
  private grantFamily(role: Role, level: AccessLevel, family: CrossTenantFamily, access: 'read' | 'write') {
    const shape: CrossTenantFamilyShape = CROSS_TENANT_FAMILIES[family];
    if (access === 'write' && level !== 'write')
      throw new Error(`AccessRoles: a "${level}" route cannot write the cross-tenant family ${family}`);
    if (shape.index && access === 'write') throw new Error(`AccessRoles: ${family} is an index partition: it can only be read`);
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: shape.index ? ['dynamodb:Query'] : [...TABLE_ACTIONS[access]],
        resources: [shape.index ? `${this.table.tableArn}/index/${shape.index}` : this.table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [leadingKeyPattern(family)] } },
      }),
    );
  }
}

/** "feedbackLinks" → "FeedbackLinks", "read" → "Read" */
const pascalCase = (name: string) => name[0]!.toUpperCase() + name.slice(1);
