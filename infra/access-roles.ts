import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { ManagedPolicy, Role, ServicePrincipal, type IRole } from 'aws-cdk-lib/aws-iam';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { Route } from '../functions/routes/route';
import { TABLE_ACTIONS } from './route-function';

export type AccessLevel = Route['table'];

/** What a route needs beyond its table access, from the route table: each need is a role of its own. */
export interface AccessNeeds {
  /** `route.nightlyQueue`: sqs:SendMessage on the nightly queue */
  nightlyQueue?: boolean;
  /** `route.deliveryQueue`: sqs:SendMessage on the order delivery queue */
  deliveryQueue?: boolean;
}

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
 * Webhook secrets need no role of their own: the functions that read them get the key through a
 * deploy-time dynamic reference (see webhookSecretsKeyValue), not through an IAM grant.
 */
export class AccessRoles extends Construct {
  private readonly roles = new Map<string, Role>();
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
    const id = `Table${level[0]!.toUpperCase()}${level.slice(1)}${needs.nightlyQueue ? 'NightlyQueue' : ''}${needs.deliveryQueue ? 'DeliveryQueue' : ''}`;
    let role = this.roles.get(id);
    if (!role) {
      if (needs.nightlyQueue && !this.nightlyQueue) throw new Error(`AccessRoles: a role that sends to the nightly queue was asked for, but no nightlyQueue was given`);
      if (needs.deliveryQueue && !this.deliveryQueue) throw new Error(`AccessRoles: a role that sends to the delivery queue was asked for, but no deliveryQueue was given`);
      const sends = [needs.nightlyQueue && 'the nightly queue', needs.deliveryQueue && 'the delivery queue'].filter(Boolean).join(' and ');
      role = new Role(this, id, {
        assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
        description: `ctv-cloud route functions with table access "${level}"${sends ? ` that send to ${sends}` : ''}`,
        // logs: what NodejsFunction gives its own roles
        managedPolicies: [ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaBasicExecutionRole')],
      });
      const actions = TABLE_ACTIONS[level];
      // grant on the table and its indexes (table/…/index/*)
      if (actions.length > 0) this.table.grant(role, ...actions);
      // sqs:SendMessage (SendMessageBatch is authorised by it), GetQueueAttributes, GetQueueUrl on that queue only
      if (needs.nightlyQueue) this.nightlyQueue!.grantSendMessages(role);
      if (needs.deliveryQueue) this.deliveryQueue!.grantSendMessages(role);
      this.roles.set(id, role);
    }
    return role;
  }
}
