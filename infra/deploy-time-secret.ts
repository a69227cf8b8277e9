import { SecretValue } from 'aws-cdk-lib';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';

/** A Secrets Manager VersionId: what `put-secret-value` answers (a UUID). */
const VERSION_ID = /^[A-Za-z0-9-]{32,64}$/;

/**
 * A secret's value as a CloudFormation dynamic reference,
 * `{{resolve:secretsmanager:<arn>:SecretString:::[<VersionId>]}}`: resolved at deploy time, so neither
 * the template nor the cloud assembly holds the value, and no IAM grant is needed at run time.
 *
 * CloudFormation resolves a dynamic reference again only when the reference itself changes, so a
 * new value put into the secret reaches nothing through a plain redeploy. After a rotation, deploy
 * with `-c <versionContext>=<VersionId>` (the id put-secret-value answered): the reference then names
 * that version, and every resource using it is updated (docs/security.md). Anything else given there
 * stops the synth.
 */
export function deployTimeSecret(secret: ISecret, versionContext: string): string {
  const version = secret.node.tryGetContext(versionContext);
  if (version === undefined || version === '') return secret.secretValue.unsafeUnwrap();
  if (typeof version !== 'string' || !VERSION_ID.test(version))
    throw new Error(`${versionContext}: "${String(version)}" is not a Secrets Manager VersionId (the VersionId put-secret-value answered)`);
  return SecretValue.secretsManager(secret.secretArn, { versionId: version }).unsafeUnwrap();
}
