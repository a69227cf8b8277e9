import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { STSClient } from '@aws-sdk/client-sts';
import { AmountOutOfRange } from '../../domain/money';
import { KEY_ATTRIBUTES } from './keys';

/** What every repository function takes: the document client and the table's name. */
export interface Store {
  db: DynamoDBDocumentClient;
  tableName: string;
}

export function createStore(options: { tableName: string; endpoint?: string; region?: string }): Store {
  const db = documentClient({
    region: options.region ?? 'ap-southeast-1',
    ...(options.endpoint ? { endpoint: options.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });
  return { db, tableName: options.tableName };
}

/** A document client with the project's (un)marshalling: every client of the table is made here. */
function documentClient(config: DynamoDBClientConfig): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient({ maxAttempts: 3, ...config }), {
    marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
    unmarshallOptions: { wrapNumbers: readStoredNumber },
  });
}

/** Temporary credentials, as STS gives them and the SDK takes them. */
export interface TemporaryCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/** AssumeRole of the tenant data role with the session tag tenantId (see tenantClients). */
export type AssumeTenantRole = (roleArn: string, tenantId: string) => Promise<TemporaryCredentials>;

/** A role assumed from the function's role is a chained session: one hour at most. */
export const TENANT_SESSION_SECONDS = 3600;
/**
 * Credentials are renewed this long before they expire. More than the SDK's own margin (5 minutes),
 * so the SDK never asks for fresh credentials that the cache would not give.
 */
export const TENANT_CREDENTIALS_REFRESH_MS = 10 * 60_000;
/** Businesses a container keeps a client for (least recently used first out). */
export const TENANT_CLIENTS_PER_CONTAINER = 64;

/**
 * Credentials from `fetch`, kept until TENANT_CREDENTIALS_REFRESH_MS before they expire; concurrent
 * callers share one fetch, and a failed fetch is tried again on the next call.
 */
export function cachedCredentials(
  fetch: () => Promise<TemporaryCredentials>,
  nowMs: () => number = Date.now,
): () => Promise<TemporaryCredentials> {
  let current: Promise<TemporaryCredentials> | undefined;
  return async () => {
    if (current) {
      const held = await current.catch(() => undefined);
      if (held && (!held.expiration || held.expiration.getTime() - nowMs() > TENANT_CREDENTIALS_REFRESH_MS)) return held;
    }
    current = fetch();
    return current;
  };
}

/** The real AssumeRole, through STS; the SDK's STS client is loaded on first use (only tenant routes need it). */
function assumeWithSts(region: string | undefined): AssumeTenantRole {
  let sts: Promise<typeof import('@aws-sdk/client-sts') & { client: STSClient }> | undefined;
  return async (roleArn, tenantId) => {
    sts ??= import('@aws-sdk/client-sts').then((m) => ({ ...m, client: new m.STSClient({ region, maxAttempts: 3 }) }));
    const { client, AssumeRoleCommand } = await sts;
    const out = await client.send(
      new AssumeRoleCommand({
        RoleArn: roleArn,
        // in CloudTrail: which business the session acted for
        RoleSessionName: `tenant-${tenantId}`.slice(0, 64),
        DurationSeconds: TENANT_SESSION_SECONDS,
        Tags: [{ Key: 'tenantId', Value: tenantId }],
      }),
    );
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error('AssumeRole of the tenant data role gave no credentials');
    return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
  };
}

/**
 * AWS: per business, a document client acting as the tenant data role (`roleArn`) with the session
 * tag tenantId = that business, whose policy allows only keys led by `T#<tenantId>`
 * (infra/access-roles.ts). One AssumeRole per container and business, renewed shortly before the
 * session expires; the clients of the last TENANT_CLIENTS_PER_CONTAINER businesses are kept.
 */
export function tenantClients(options: {
  roleArn: string;
  region?: string;
  /** tests: DynamoDB Local */
  endpoint?: string;
  /** tests: a stand-in for STS */
  assumeRole?: AssumeTenantRole;
  nowMs?: () => number;
}): (tenantId: string) => DynamoDBDocumentClient {
  const assume = options.assumeRole ?? assumeWithSts(options.region);
  const clients = new Map<string, DynamoDBDocumentClient>();
  return (tenantId) => {
    let db = clients.get(tenantId);
    if (db) {
      // most recently used last
      clients.delete(tenantId);
    } else {
      db = documentClient({
        region: options.region ?? 'ap-southeast-1',
        ...(options.endpoint ? { endpoint: options.endpoint } : {}),
        credentials: cachedCredentials(() => assume(options.roleArn, tenantId), options.nowMs),
      });
      // the least recently used goes (not destroyed: a request of this container may still hold it)
      if (clients.size >= TENANT_CLIENTS_PER_CONTAINER) clients.delete(clients.keys().next().value!);
    }
    clients.set(tenantId, db);
    return db;
  };
}

/**
 * Every number read from the table. lib-dynamodb turns a number past the safe-integer range into a
 * BigInt, which no sum or JSON answer survives; money is capped far below it (docs/api.md, money
 * limits), so such a number is refused here with AmountOutOfRange, which the HTTP layer answers as
 * a 500 of its own type and logs, instead of a TypeError somewhere later.
 */
export function readStoredNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || Math.abs(n) > Number.MAX_SAFE_INTEGER) {
    throw new AmountOutOfRange(`a stored number is beyond the safe-integer range: ${value.slice(0, 40)}`);
  }
  return n;
}

/** An item without its key attributes: the stored domain object. */
export function stripKeys<T>(item: Record<string, unknown>): T {
  const copy: Record<string, unknown> = { ...item };
  for (const k of KEY_ATTRIBUTES) delete copy[k];
  return copy as T;
}

/** True when a write failed only because its condition did not hold. */
export function isConditionFailure(error: unknown): boolean {
  const name = (error as { name?: string } | null)?.name;
  return name === 'ConditionalCheckFailedException';
}

/** For a TransactWrite: the reasons per item, when it was cancelled. */
export function cancellationReasons(error: unknown): (string | undefined)[] | null {
  const e = error as { name?: string; CancellationReasons?: { Code?: string }[] } | null;
  if (e?.name !== 'TransactionCanceledException') return null;
  return (e.CancellationReasons ?? []).map((r) => r.Code);
}

/**
 * The store stayed busy through every retry (a write that kept meeting other writes to its items, a
 * batch DynamoDB kept leaving unprocessed): the same request may pass in a moment.
 */
export class StoreBusy extends Error {
  override name = 'StoreBusy';
}

// what DynamoDB answers when the request itself was fine but the table or its items were busy (the
// SDK has already retried the throttles), and the cancellation reasons that say the same of one item
const BUSY_ERRORS = new Set([
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'TransactionConflictException',
]);
const BUSY_REASONS = new Set(['TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded']);

/**
 * True when a store call failed only because the store was busy, not because of what it asked: a
 * throttle, or a transaction cancelled for conflicts or throttling alone (no condition failed).
 * Sending the same request again later may succeed.
 */
export function isStoreBusy(error: unknown): boolean {
  if (error instanceof StoreBusy) return true;
  const name = (error as { name?: string } | null)?.name;
  if (name !== undefined && BUSY_ERRORS.has(name)) return true;
  const reasons = cancellationReasons(error) ?? [];
  const busy = (r: string | undefined) => r !== undefined && BUSY_REASONS.has(r);
  return reasons.some(busy) && reasons.every((r) => r === undefined || r === 'None' || busy(r));
}

/**
 * For a TransactWrite cancelled on item `index`'s condition, sent with
 * `ReturnValuesOnConditionCheckFailure: 'ALL_OLD'`: the item stored there, read as the store reads
 * every item (numbers through readStoredNumber); null when there is none.
 */
export function cancelledItem(error: unknown, index: number): Record<string, unknown> | null {
  const e = error as { name?: string; CancellationReasons?: { Item?: Parameters<typeof unmarshall>[0] }[] } | null;
  const item = e?.name === 'TransactionCanceledException' ? e.CancellationReasons?.[index]?.Item : undefined;
  return item ? unmarshall(item, { wrapNumbers: readStoredNumber }) : null;
}

/**
 * The optimistic lock of every versioned item: the stored item is at `version` (0: none is
 * stored). Spread into a Put, Update, Delete or ConditionCheck; a lost race fails its condition.
 */
export function storedVersionIs(version: number) {
  return version === 0
    ? { ConditionExpression: 'attribute_not_exists(pk)' }
    : {
        ConditionExpression: '#version = :version',
        ExpressionAttributeNames: { '#version': 'version' },
        ExpressionAttributeValues: { ':version': version },
      };
}
