import { createHash } from 'node:crypto';
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ByKind, LedgerEntry } from '../../domain/commission/ledger';
import { conflict, notFound, preconditionFailed, ruleViolation } from '../../domain/errors';
import type { BankDetails } from '../../domain/payouts';
import type { Dispute, StatementLine, StatementState } from '../../domain/statements';
import { cancellationReasons, isConditionFailure, stripKeys, type Store } from './client';
import { keys } from './keys';
import { closedMeanwhileConflict, closedMeanwhileIn } from './periods';
import { batchPutItems, byPrefix, queryAll, queryPage, type Page, type PageRequest } from './paging';
import { transact, type TransactItem } from './transactions';

/** Entries per stored chunk of a statement: well under DynamoDB's 400 KB per item with traces. */
export const ENTRIES_PER_PART = 50;

export interface StatementHeader {
  tenantId: string;
  collaboratorId: string;
  collaborator: { name: string; refId: string; phone: string };
  /** the CTV's care staff and manager at the close (who may see the statement) */
  careStaffUserId: string | null;
  managerUserId: string | null;
  periodId: string;
  status: StatementState;
  byKind: ByKind;
  total: number;
  lineCount: number;
  pendingCount: number;
  pendingTotal: number;
  broughtForward: number;
  broughtForwardFrom: string | null;
  balance: number;
  openDisputes: number;
  /** the computation whose parts (lines, pending) this header names */
  rev: string;
  lineParts: number;
  pendingParts: number;
  createdAt: string;
  jobId: string;
  approvedAt?: string;
  approvedBy?: string;
  batchId?: string;
  /** the bank details and name as batched (a later edit of the CTV does not change an exported batch) */
  payout?: { name: string; refId: string; phone: string; bank: BankDetails; amount: number };
  paidAt?: string;
  carriedTo?: string;
  carriedAt?: string;
  version: number;
}

/** A short name of a computation's content: parts of different computations never mix. */
export function statementRev(lines: readonly LedgerEntry[], pending: readonly LedgerEntry[]): string {
  const h = createHash('sha256');
  for (const e of lines) h.update(`L${e.entryId}:${e.amount};`);
  for (const e of pending) h.update(`P${e.entryId}:${e.amount};`);
  return h.digest('base64url').slice(0, 10);
}

export type WriteStatementOutcome = 'written' | 'exists' | 'previous_changed';

/**
 * Store a statement: first its parts (under the computation's `rev`), then, in one transaction,
 * the header (only if none exists: a retry or a second run changes nothing) and the previous
 * statement's move to `carried` when its balance is brought forward (only if it is still in the
 * state the computation read: a statement batched meanwhile is not carried, and the caller
 * recomputes).
 */
export async function writeStatement(
  store: Store,
  header: StatementHeader,
  lines: readonly StatementLine[],
  pending: readonly LedgerEntry[],
  previous: { periodId: string; status: StatementState } | null,
): Promise<WriteStatementOutcome> {
  const { tenantId, collaboratorId, periodId, rev } = header;
  const parts: Record<string, unknown>[] = [];
  const addParts = (part: 'LINES' | 'PENDING', entries: readonly LedgerEntry[]) => {
    let n = 0;
    for (let i = 0; i < entries.length; i += ENTRIES_PER_PART) {
      n += 1;
      parts.push({
        ...keys.statementPart(tenantId, collaboratorId, periodId, part, rev, n),
        entity: 'statementPart',
        entries: entries.slice(i, i + ENTRIES_PER_PART),
      });
    }
    return n;
  };
  const lineParts = addParts('LINES', lines);
  const pendingParts = addParts('PENDING', pending);
  if (lineParts !== header.lineParts || pendingParts !== header.pendingParts) throw new Error('statement part counts disagree');
  const exists = await getStatement(store, tenantId, collaboratorId, periodId);
  if (exists) return 'exists';
  await batchPutItems(store, parts);

  const items: TransactItem[] = [
    {
      Put: {
        TableName: store.tableName,
        Item: {
          ...keys.statement(tenantId, collaboratorId, periodId),
          ...keys.statementIndexes(tenantId, periodId, collaboratorId),
          entity: 'statement',
          ...header,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  ];
  if (previous) {
    items.push({
      Update: {
        TableName: store.tableName,
        Key: keys.statement(tenantId, collaboratorId, previous.periodId),
        UpdateExpression: 'SET #status = :carried, carriedTo = :to, carriedAt = :at, #version = #version + :one',
        ConditionExpression: '#status = :expected',
        ExpressionAttributeNames: { '#status': 'status', '#version': 'version' },
        ExpressionAttributeValues: {
          ':carried': 'carried',
          ':to': periodId,
          ':at': header.createdAt,
          ':one': 1,
          ':expected': previous.status,
        },
      },
    });
  }
  try {
    await transact(store, items);
    return 'written';
  } catch (error) {
    const reasons = cancellationReasons(error);
    if (reasons?.[0] === 'ConditionalCheckFailed') return 'exists';
    if (reasons?.[1] === 'ConditionalCheckFailed') return 'previous_changed';
    throw error;
  }
}

export async function getStatement(store: Store, tenantId: string, collaboratorId: string, month: string): Promise<StatementHeader | null> {
  const out = await store.db.send(
    new GetCommand({ TableName: store.tableName, Key: keys.statement(tenantId, collaboratorId, month), ConsistentRead: true }),
  );
  return out.Item ? stripKeys<StatementHeader>(out.Item) : null;
}

/** The settled lines or the carried pending entries of a statement, in order. */
export async function statementEntries<T extends LedgerEntry = LedgerEntry>(
  store: Store,
  header: StatementHeader,
  part: 'LINES' | 'PENDING',
): Promise<T[]> {
  const count = part === 'LINES' ? header.lineParts : header.pendingParts;
  if (count === 0) return [];
  const { pk, skPrefix } = keys.statementPartPrefix(header.tenantId, header.collaboratorId, header.periodId, part, header.rev);
  const items = await queryAll<{ entries: T[] }>(store, { ...byPrefix(pk, skPrefix), ConsistentRead: true });
  if (items.length !== count)
    throw new Error(`statement ${header.collaboratorId}/${header.periodId}: ${items.length} of ${count} ${part} parts`);
  return items.flatMap((i) => i.entries);
}

/** The CTV's latest statement of a month before `month`, if any. */
export async function latestStatementBefore(
  store: Store,
  tenantId: string,
  collaboratorId: string,
  month: string,
): Promise<StatementHeader | null> {
  const { pk } = keys.statementsOfCollaborator(tenantId, collaboratorId);
  const out = await store.db.send(
    new QueryCommand({
      TableName: store.tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': pk, ':from': 'HEAD#', ':to': `HEAD#${month}` },
      ScanIndexForward: false,
      Limit: 2,
      ConsistentRead: true,
    }),
  );
  const found = (out.Items ?? []).map((i) => stripKeys<StatementHeader>(i)).filter((s) => s.periodId < month);
  return found[0] ?? null;
}

export function listStatementsOfMonth(
  store: Store,
  tenantId: string,
  month: string,
  page: PageRequest,
  filter: { status?: StatementState; managerUserId?: string; careStaffUserId?: string } = {},
): Promise<Page<StatementHeader>> {
  const source = keys.statementsOfMonth(tenantId, month);
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const conditions: string[] = [];
  if (filter.status) {
    names['#status'] = 'status';
    values[':status'] = filter.status;
    conditions.push('#status = :status');
  }
  if (filter.managerUserId) {
    values[':manager'] = filter.managerUserId;
    conditions.push('managerUserId = :manager');
  }
  if (filter.careStaffUserId) {
    values[':careStaff'] = filter.careStaffUserId;
    conditions.push('careStaffUserId = :careStaff');
  }
  return queryPage<StatementHeader>(
    store,
    {
      index: source.index,
      pk: source.pk,
      ...(conditions.length ? { filter: { expression: conditions.join(' AND '), names, values } } : {}),
    },
    page,
  );
}

/** Every statement of a month (the close's totals, a payout batch): bounded by the number of CTVs. */
export function allStatementsOfMonth(store: Store, tenantId: string, month: string): Promise<StatementHeader[]> {
  const source = keys.statementsOfMonth(tenantId, month);
  return queryAll<StatementHeader>(store, {
    IndexName: source.index,
    KeyConditionExpression: 'gsi1pk = :pk',
    ExpressionAttributeValues: { ':pk': source.pk },
  });
}

export function listStatementsOfCollaborator(
  store: Store,
  tenantId: string,
  collaboratorId: string,
  page: PageRequest,
): Promise<Page<StatementHeader>> {
  const { pk, skPrefix } = keys.statementsOfCollaborator(tenantId, collaboratorId);
  return queryPage<StatementHeader>(store, { pk, skPrefix, descending: true }, page);
}

function versioned(expectedVersion: number) {
  return { cond: '#version = :expected', values: { ':expected': expectedVersion, ':one': 1 } };
}

/** draft → approved, by the owner; not while a dispute on it is open. */
export async function approveStatement(
  store: Store,
  s: StatementHeader,
  expectedVersion: number,
  by: string,
  at: string,
): Promise<StatementHeader> {
  if (s.version !== expectedVersion) throw preconditionFailed();
  if (s.status !== 'draft') throw ruleViolation(`A ${s.status} statement cannot be approved`, 'status');
  if (s.openDisputes > 0) throw ruleViolation('Resolve the open disputes on this statement first', 'openDisputes');
  const v = versioned(expectedVersion);
  try {
    const out = await store.db.send(
      new UpdateCommand({
        TableName: store.tableName,
        Key: keys.statement(s.tenantId, s.collaboratorId, s.periodId),
        UpdateExpression: 'SET #status = :approved, approvedAt = :at, approvedBy = :by, #version = #version + :one',
        ConditionExpression: `${v.cond} AND #status = :draft AND openDisputes = :zero`,
        ExpressionAttributeNames: { '#status': 'status', '#version': 'version' },
        ExpressionAttributeValues: { ...v.values, ':approved': 'approved', ':draft': 'draft', ':at': at, ':by': by, ':zero': 0 },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return stripKeys<StatementHeader>(out.Attributes!);
  } catch (error) {
    if (isConditionFailure(error)) throw preconditionFailed();
    throw error;
  }
}

/** approved → batched: the statement joins a payout batch (false: it is no longer approved). */
export async function batchStatement(
  store: Store,
  s: StatementHeader,
  batchId: string,
  payout: NonNullable<StatementHeader['payout']>,
): Promise<boolean> {
  try {
    await store.db.send(
      new UpdateCommand({
        TableName: store.tableName,
        Key: keys.statement(s.tenantId, s.collaboratorId, s.periodId),
        UpdateExpression:
          'SET #status = :batched, batchId = :batch, payout = :payout, gsi2pk = :g2pk, gsi2sk = :g2sk, #version = #version + :one',
        ConditionExpression: '#status = :approved',
        ExpressionAttributeNames: { '#status': 'status', '#version': 'version' },
        ExpressionAttributeValues: {
          ':batched': 'batched',
          ':approved': 'approved',
          ':batch': batchId,
          ':payout': payout,
          ':g2pk': keys.statementBatchIndex(s.tenantId, batchId, s.collaboratorId).gsi2pk,
          ':g2sk': keys.statementBatchIndex(s.tenantId, batchId, s.collaboratorId).gsi2sk,
          ':one': 1,
        },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

export function statementsOfBatch(store: Store, tenantId: string, batchId: string): Promise<StatementHeader[]> {
  const source = keys.statementsOfBatch(tenantId, batchId);
  return queryAll<StatementHeader>(store, {
    IndexName: source.index,
    KeyConditionExpression: 'gsi2pk = :pk',
    ExpressionAttributeValues: { ':pk': source.pk },
  });
}

/** batched → paid (idempotent: a statement already paid in this batch stays as it is). */
export async function markStatementPaid(store: Store, s: StatementHeader, batchId: string, at: string): Promise<void> {
  try {
    await store.db.send(
      new UpdateCommand({
        TableName: store.tableName,
        Key: keys.statement(s.tenantId, s.collaboratorId, s.periodId),
        UpdateExpression: 'SET #status = :paid, paidAt = :at, #version = #version + :one',
        ConditionExpression: '#status = :batched AND batchId = :batch',
        ExpressionAttributeNames: { '#status': 'status', '#version': 'version' },
        ExpressionAttributeValues: { ':paid': 'paid', ':batched': 'batched', ':batch': batchId, ':at': at, ':one': 1 },
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Disputes

export async function openDispute(store: Store, d: Dispute): Promise<void> {
  try {
    await transact(store, [
      {
        Put: {
          TableName: store.tableName,
          Item: {
            ...keys.dispute(d.tenantId, d.collaboratorId, d.periodId, d.id),
            ...keys.disputeIndex(d.tenantId, d.status, d.openedAt, d.id),
            entity: 'dispute',
            ...d,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Update: {
          TableName: store.tableName,
          Key: keys.statement(d.tenantId, d.collaboratorId, d.periodId),
          UpdateExpression: 'ADD openDisputes :one',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':one': 1 },
        },
      },
    ]);
  } catch (error) {
    const reasons = cancellationReasons(error);
    if (reasons?.[0] === 'ConditionalCheckFailed') throw conflict('This dispute exists already');
    if (reasons?.[1] === 'ConditionalCheckFailed') throw notFound('Statement');
    throw error;
  }
}

export async function getDispute(
  store: Store,
  tenantId: string,
  collaboratorId: string,
  month: string,
  disputeId: string,
): Promise<Dispute | null> {
  const out = await store.db.send(
    new GetCommand({ TableName: store.tableName, Key: keys.dispute(tenantId, collaboratorId, month, disputeId), ConsistentRead: true }),
  );
  return out.Item ? stripKeys<Dispute>(out.Item) : null;
}

export function disputesOfStatement(store: Store, tenantId: string, collaboratorId: string, month: string): Promise<Dispute[]> {
  const { pk, skPrefix } = keys.disputesOfStatement(tenantId, collaboratorId, month);
  return queryAll<Dispute>(store, { ...byPrefix(pk, skPrefix), ConsistentRead: true });
}

export function listDisputesOfCollaborator(
  store: Store,
  tenantId: string,
  collaboratorId: string,
  page: PageRequest,
): Promise<Page<Dispute>> {
  const { pk, skPrefix } = keys.disputesOfCollaborator(tenantId, collaboratorId);
  return queryPage<Dispute>(store, { pk, skPrefix, descending: true }, page);
}

export function listDisputesByStatus(store: Store, tenantId: string, status: string, page: PageRequest): Promise<Page<Dispute>> {
  const source = keys.disputesByStatus(tenantId, status);
  return queryPage<Dispute>(store, { index: source.index, pk: source.pk, descending: true }, page);
}

/**
 * open → adjusted | rejected, with the statement's open-dispute count and, for an adjustment, its
 * ledger writes, in one transaction conditional on the dispute still being open at the version
 * read: a retried or concurrent resolution books nothing twice.
 */
export async function resolveDispute(store: Store, before: Dispute, after: Dispute, extraItems: TransactItem[]): Promise<void> {
  const key = keys.dispute(before.tenantId, before.collaboratorId, before.periodId, before.id);
  const index = keys.disputeIndex(after.tenantId, after.status, after.openedAt, after.id);
  const items: TransactItem[] = [
    {
      Put: {
        TableName: store.tableName,
        Item: { ...key, ...index, entity: 'dispute', ...after },
        ConditionExpression: '#status = :open AND #version = :expected',
        ExpressionAttributeNames: { '#status': 'status', '#version': 'version' },
        ExpressionAttributeValues: { ':open': 'open', ':expected': before.version },
      },
    },
    {
      Update: {
        TableName: store.tableName,
        Key: keys.statement(before.tenantId, before.collaboratorId, before.periodId),
        UpdateExpression: 'ADD openDisputes :minus',
        ExpressionAttributeValues: { ':minus': -1 },
      },
    },
    ...extraItems,
  ];
  try {
    await transact(store, items);
  } catch (error) {
    if (cancellationReasons(error)?.[0] === 'ConditionalCheckFailed')
      throw preconditionFailed('The dispute changed since you read it (or is resolved already)');
    // the only other condition an adjustment carries: no month frozen since it was priced
    if (closedMeanwhileIn(error, items)) throw closedMeanwhileConflict();
    throw error;
  }
}
