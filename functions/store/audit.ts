import { createHash } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Store } from './client';
import { keys } from './keys';
import { queryPage, type Page, type PageRequest } from './paging';

/**
 * The audit log (DOMAIN.md: "Every change to plans, rosters, approvals and payouts is in an audit
 * log: who, when, what"). One append-only partition per business, newest first: changes of this
 * kind are a few a day, far from any partition limit.
 */
export interface AuditEntry {
  id: string;
  tenantId: string;
  at: string;
  /** the account (`sub`) that acted, or `scheduler` / `webhook` */
  actor: string;
  /** the operation (route id, or a job step such as `closePeriod`) */
  action: string;
  /** what it acted on: the path parameters, or the period closed */
  target: Record<string, string>;
  status?: number;
  before?: unknown;
  after?: unknown;
}

/** Larger before/after values are kept as their size and SHA-256, not in full. */
const MAX_VALUE_BYTES = 64 * 1024;

function bounded(value: unknown): unknown {
  if (value === undefined) return undefined;
  const json = JSON.stringify(value);
  if (json === undefined) return undefined;
  if (Buffer.byteLength(json, 'utf8') <= MAX_VALUE_BYTES) return JSON.parse(json);
  return { truncated: true, bytes: Buffer.byteLength(json, 'utf8'), sha256: createHash('sha256').update(json).digest('hex') };
}

/** The retention of a business that set none (settings `auditRetentionDays`). */
export const DEFAULT_AUDIT_RETENTION_DAYS = 730;

/** Append an entry, kept `retentionDays` (then DynamoDB's TTL removes it). */
export async function writeAudit(store: Store, entry: AuditEntry, retentionDays = DEFAULT_AUDIT_RETENTION_DAYS): Promise<void> {
  const expiresAt = Math.floor(Date.parse(entry.at) / 1000) + retentionDays * 86_400;
  const item: Record<string, unknown> = { ...keys.auditEntry(entry.tenantId, entry.at, entry.id), entity: 'audit', ...entry, expiresAt };
  item.before = bounded(entry.before);
  item.after = bounded(entry.after);
  await store.db.send(new PutCommand({ TableName: store.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }));
}

/** Newest first, optionally within [from, to] (ISO instants, inclusive) and for one action. */
export function listAudit(
  store: Store,
  tenantId: string,
  filter: { from?: string; to?: string; action?: string; actor?: string },
  page: PageRequest,
): Promise<Page<AuditEntry>> {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const conditions: string[] = [];
  if (filter.action) {
    names['#action'] = 'action';
    values[':action'] = filter.action;
    conditions.push('#action = :action');
  }
  if (filter.actor) {
    names['#actor'] = 'actor';
    values[':actor'] = filter.actor;
    conditions.push('#actor = :actor');
  }
  return queryPage<AuditEntry>(
    store,
    {
      pk: keys.auditOf(tenantId).pk,
      skBetween: { from: filter.from ?? '0', to: `${filter.to ?? '9'}#~` },
      descending: true,
      ...(conditions.length ? { filter: { expression: conditions.join(' AND '), names, values } } : {}),
    },
    page,
  );
}
