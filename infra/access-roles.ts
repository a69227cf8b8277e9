import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { ManagedPolicy, Role, ServicePrincipal, type IRole } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { Route } from '../functions/routes/route';
import { TABLE_ACTIONS } from './route-function';

export type AccessLevel = Route['table'];

/**
 * One execution role per table access level (none, read, write), shared by the route functions of
 * that level, made when first asked for. Least privilege is per access level, which is all the
 * route table says about a function: every function gets exactly the grant of its `route.table`,
 * and a role per function would cost two CloudFormation resources per route for no narrower grant.
 *
 * Webhook secrets need no level of their own: the functions that read them get the key through a
 * deploy-time dynamic reference (see webhookSecretsKeyValue), not through an IAM grant.
 */
export class AccessRoles extends Construct {
  private readonly roles = new Map<AccessLevel, Role>();
  private readonly table: ITable;

  constructor(scope: Construct, id: string, props: { table: ITable }) {
    super(scope, id);
    this.table = props.table;
  }

  for(level: AccessLevel): IRole {
    let role = this.roles.get(level);
    if (!role) {
      role = new Role(this, `Table${level[0]!.toUpperCase()}${level.slice(1)}`, {
        assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
        description: `ctv-cloud route functions with table access "${level}"`,
        // logs: what NodejsFunction gives its own roles
        managedPolicies: [ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaBasicExecutionRole')],
      });
      const actions = TABLE_ACTIONS[level];
      // grant on the table and its indexes (table/…/index/*)
      if (actions.length > 0) this.table.grant(role, ...actions);
      this.roles.set(level, role);
    }
    return role;
  }
}
