import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { conflict } from '../../domain/errors';
import { sumVnd } from '../../domain/money';
import type { Collaborator } from '../../domain/entities/collaborator';
import { emptyCounters, type KpiCounters, type KpiCountersDelta, type ReturnFact } from '../../domain/kpi/indicators';
import type { KpiAssignment, KpiPlan } from '../../domain/kpi/plan';
import { movedAwayBy, type CollaboratorHistory } from '../../domain/kpi/stock';
import { cancellationReasons, stripKeys, storedVersionIs, type Store } from './client';
import { keys } from './keys';
import { batchGetItems, byPrefix, queryAll, queryPage, type Page, type PageRequest } from './paging';
import { transact, type TransactItem } from './transactions';

/**
 * KPI plans, assignments and the maintained KPI counters.
 *
 * Plans are versioned: a plan id names a sequence of immutable versions (`KPIVER#<planId>#<v>`),
 * each in force from its `effectiveFrom`; the plan item (`KPIPLAN#<planId>`) is a copy of the
 * latest version, so the list of plans is one Query. Assignments name the plan id; the version
 * used for a period is the one in force on the period's last day.
 */
export type StoredKpiPlanVersion = KpiPlan & {
  /** the plan id (shared by its versions) */
  id: string;
  tenantId: string;
  version: number;
  createdAt: string;
  createdBy: string;
};

export type StoredKpiAssignment = KpiAssignment & {
  id: string;
  tenantId: string;
  createdAt: string;
  createdBy: string;
};

function versionItem(v: StoredKpiPlanVersion) {
  return { ...keys.kpiPlanVersion(v.tenantId, v.id, v.version), entity: 'kpiPlanVersion', ...v };
}

/**
 * Store a plan version and make it the plan's latest, in one transaction: version 1 creates the
 * plan; version n > 1 requires the plan's latest to still be n − 1 (else 409: another version was
 * added meanwhile).
 */
export async function putKpiPlanVersion(store: Store, v: StoredKpiPlanVersion): Promise<void> {
  const plan = { ...keys.kpiPlan(v.tenantId, v.id), entity: 'kpiPlan', ...v };
  try {
    await transact(store, [
      {
        Put: {
          TableName: store.tableName,
          Item: plan,
          ...storedVersionIs(v.version - 1),
        },
      },
      { Put: { TableName: store.tableName, Item: versionItem(v), ConditionExpression: 'attribute_not_exists(pk)' } },
    ]);
  } catch (error) {
    if (cancellationReasons(error)?.includes('ConditionalCheckFailed')) {
      throw conflict('Another version of this plan was added at the same time; read it again and retry');
    }
    throw error;
  }
}

/** A plan: its latest version. */
export async function getKpiPlan(store: Store, tenantId: string, planId: string): Promise<StoredKpiPlanVersion | null> {
  const out = await store.db.send(
    new GetCommand({ TableName: store.tableName, Key: keys.kpiPlan(tenantId, planId), ConsistentRead: true }),
  );
  return out.Item ? stripKeys<StoredKpiPlanVersion>(out.Item) : null;
}

export function listKpiPlans(store: Store, tenantId: string, page: PageRequest): Promise<Page<StoredKpiPlanVersion>> {
  const { pk, skPrefix } = keys.kpiPlansPrefix(tenantId);
  return queryPage<StoredKpiPlanVersion>(store, { pk, skPrefix }, page);
}

/** The versions of one plan (or of every plan), oldest first. Plans are few and small: one partition read. */
export function kpiPlanVersions(store: Store, tenantId: string, planId?: string): Promise<StoredKpiPlanVersion[]> {
  const { pk, skPrefix } = keys.kpiPlanVersionsPrefix(tenantId, planId);
  return queryAll<StoredKpiPlanVersion>(store, { ...byPrefix(pk, skPrefix), ConsistentRead: true });
}

export async function createKpiAssignment(store: Store, a: StoredKpiAssignment): Promise<void> {
  // the plan must still exist when the assignment is written (plans are never deleted today, but the check is free)
  await transact(store, [
    {
      ConditionCheck: { TableName: store.tableName, Key: keys.kpiPlan(a.tenantId, a.planId), ConditionExpression: 'attribute_exists(pk)' },
    },
    {
      Put: {
        TableName: store.tableName,
        Item: { ...keys.kpiAssignment(a.tenantId, a.id), entity: 'kpiAssignment', ...a },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  ]);
}

export interface AssignmentFilter {
  planId?: string;
  userId?: string;
  staffGroupId?: string;
}

/** Assignments, oldest first (ids are ULIDs), optionally of one plan, person or group (a filter within the partition). */
export function listKpiAssignments(
  store: Store,
  tenantId: string,
  filter: AssignmentFilter,
  page: PageRequest,
): Promise<Page<StoredKpiAssignment>> {
  const { pk, skPrefix } = keys.kpiAssignmentsPrefix(tenantId);
  const conditions: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  for (const field of ['planId', 'userId', 'staffGroupId'] as const) {
    if (filter[field] === undefined) continue;
    conditions.push(`#${field} = :${field}`);
    names[`#${field}`] = field;
    values[`:${field}`] = filter[field];
  }
  return queryPage<StoredKpiAssignment>(
    store,
    { pk, skPrefix, ...(conditions.length ? { filter: { expression: conditions.join(' AND '), names, values } } : {}) },
    page,
  );
}

export function allKpiAssignments(store: Store, tenantId: string): Promise<StoredKpiAssignment[]> {
  const { pk, skPrefix } = keys.kpiAssignmentsPrefix(tenantId);
  return queryAll<StoredKpiAssignment>(store, { ...byPrefix(pk, skPrefix), ConsistentRead: true });
}

// ---------------------------------------------------------------------------------------------
// Maintained counters

const COUNTER_FIELDS = Object.keys(emptyCounters()) as (keyof KpiCounters)[];
/** `activeCollaborators` is never stored: it is the number of CTV items with n > 0 (see below) */
const STORED_FIELDS = COUNTER_FIELDS.filter((f) => f !== 'activeCollaborators');

/**
 * The writes that apply KPI counter deltas, for the order change's transaction: per (care staff,
 * period) one ADD to the counters item (all fields in one update), and per CTV whose approved-order
 * count moves one ADD to that CTV's item in the same partition. No write reads anything back, so
 * the transaction applies each increment exactly once with the order; the active-CTV count is
 * derived at read time from the CTV items (`readKpiCounters`).
 */
export function kpiCounterWrites(store: Store, tenantId: string, deltas: readonly KpiCountersDelta[], changedAt: string): TransactItem[] {
  const items: TransactItem[] = [];
  for (const d of deltas) {
    const names: Record<string, string> = {
      '#tenantId': 'tenantId',
      '#staff': 'careStaffUserId',
      '#period': 'periodId',
      '#changedAt': 'changedAt',
      '#entity': 'entity',
    };
    const values: Record<string, unknown> = {
      ':tenantId': tenantId,
      ':staff': d.careStaffUserId,
      ':period': d.periodId,
      ':changedAt': changedAt,
      ':entity': 'kpiCounters',
    };
    const adds: string[] = [];
    for (const f of STORED_FIELDS) {
      if (d.counters[f] === 0) continue;
      names[`#${f}`] = f;
      values[`:${f}`] = d.counters[f];
      adds.push(`#${f} :${f}`);
    }
    if (adds.length) {
      items.push({
        Update: {
          TableName: store.tableName,
          Key: keys.kpiCounters(tenantId, d.careStaffUserId, d.periodId),
          UpdateExpression: `SET #tenantId = :tenantId, #staff = :staff, #period = :period, #changedAt = :changedAt, #entity = :entity ADD ${adds.join(', ')}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
      });
    }
    for (const c of d.collaboratorOrders) {
      items.push({
        Update: {
          TableName: store.tableName,
          Key: keys.kpiCollaboratorOrders(tenantId, d.careStaffUserId, d.periodId, c.collaboratorId),
          UpdateExpression: 'SET #ctv = :ctv, #entity = :entity ADD #n :n',
          ExpressionAttributeNames: { '#ctv': 'collaboratorId', '#entity': 'entity', '#n': 'approvedOrders' },
          ExpressionAttributeValues: { ':ctv': c.collaboratorId, ':entity': 'kpiCollaboratorOrders', ':n': c.approvedOrders },
        },
      });
    }
  }
  return items;
}

/**
 * The counters of one care staff in one period: one Query of the (care staff, period) partition,
 * which holds the counters item and one small item per CTV that had an approved order in the
 * period; the active-CTV count is the number of those with a count above zero.
 */
export async function readKpiCounters(store: Store, tenantId: string, staffUserId: string, periodId: string): Promise<KpiCounters> {
  const counters = emptyCounters();
  let start: Record<string, unknown> | undefined;
  do {
    const out = await store.db.send(
      new QueryCommand({
        TableName: store.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.kpiPartition(tenantId, staffUserId, periodId) },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    for (const item of out.Items ?? []) {
      if (item.sk === 'COUNTERS') {
        for (const f of STORED_FIELDS) counters[f] = (item[f] as number | undefined) ?? 0;
      } else if (((item.approvedOrders as number | undefined) ?? 0) > 0) {
        counters.activeCollaborators += 1;
      }
    }
    start = out.LastEvaluatedKey;
  } while (start);
  return counters;
}

// ---------------------------------------------------------------------------------------------
// Each return of an order at its own time

/** The returns of an order as the KPI counters dated them, or null when none were kept (an order returned before they were). */
export async function getOrderKpiReturns(store: Store, tenantId: string, orderId: string): Promise<ReturnFact[] | null> {
  const out = await store.db.send(
    new GetCommand({ TableName: store.tableName, Key: keys.orderKpiReturns(tenantId, orderId), ConsistentRead: true }),
  );
  return out.Item ? ((out.Item.returns as ReturnFact[] | undefined) ?? []) : null;
}

/**
 * The write of an order's returns, for the order change's transaction (the order's own version
 * condition in the same transaction makes it follow the order exactly).
 */
export function orderKpiReturnsWrite(store: Store, tenantId: string, orderId: string, returns: readonly ReturnFact[]): TransactItem {
  return {
    Put: {
      TableName: store.tableName,
      Item: { ...keys.orderKpiReturns(tenantId, orderId), entity: 'orderKpiReturns', tenantId, orderId, returns },
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The stock of CTVs as of a cut-off

/** The attributes of a CTV record the stock reads (its state now and its histories). */
const HISTORY_ATTRIBUTES = ['id', 'createdAt', 'status', 'approvedAt', 'careStaffUserId', 'statusHistory', 'careStaffHistory'];

/**
 * The note a CTV change writes when it moves the CTV away from a care staff (`movedAwayBy`), for
 * the change's transaction: `T#t#CTVMOVES#<care staff left>` / `<at>#<ctv>`. Deterministic, so a
 * retried change writes the same item.
 */
export function careStaffMoveItems(store: Store, next: Collaborator): TransactItem[] {
  const moved = movedAwayBy(next);
  if (!moved) return [];
  return [
    {
      Put: {
        TableName: store.tableName,
        Item: {
          ...keys.careStaffMove(next.tenantId, moved.fromCareStaffUserId, moved.at, next.id),
          entity: 'careStaffMove',
          collaboratorId: next.id,
          fromCareStaffUserId: moved.fromCareStaffUserId,
          at: moved.at,
        },
      },
    },
  ];
}

/**
 * The records (state and histories) of every CTV that may have been a care staff's at a cut-off:
 * their CTVs now (GSI3, one partition, the history attributes only) and those that moved away from
 * them at or after the cut-off (their notes, then one BatchGet). `cutOffPassed` false (an open
 * period): nobody moved away after a cut-off still to come, and the notes are not read.
 */
export async function collaboratorHistoriesAt(
  store: Store,
  tenantId: string,
  staffUserId: string,
  cutOff: number,
  cutOffPassed: boolean,
): Promise<CollaboratorHistory[]> {
  const source = keys.collaboratorsByCareStaff(tenantId, staffUserId);
  const names = Object.fromEntries(HISTORY_ATTRIBUTES.map((a, i) => [`#h${i}`, a]));
  const [now, moved] = await Promise.all([
    queryAll<CollaboratorHistory>(store, {
      IndexName: source.index,
      KeyConditionExpression: 'gsi3pk = :pk',
      ExpressionAttributeValues: { ':pk': source.pk },
      ProjectionExpression: Object.keys(names).join(', '),
      ExpressionAttributeNames: names,
    }),
    cutOffPassed
      ? queryAll<{ collaboratorId: string }>(store, {
          KeyConditionExpression: 'pk = :pk AND sk >= :from',
          ExpressionAttributeValues: { ':pk': keys.careStaffMovesOf(tenantId, staffUserId).pk, ':from': new Date(cutOff).toISOString() },
          ProjectionExpression: 'collaboratorId',
        })
      : Promise.resolve([]),
  ]);
  const have = new Set(now.map((c) => c.id));
  const missing = [...new Set(moved.map((m) => m.collaboratorId))].filter((id) => !have.has(id));
  const others = missing.length
    ? (
        await batchGetItems(
          store,
          missing.map((id) => keys.collaborator(tenantId, id)),
          { attributes: HISTORY_ATTRIBUTES },
        )
      ).map((item) => stripKeys<CollaboratorHistory>(item))
    : [];
  return [...now, ...others];
}

/**
 * Σ of the earnings totals (`keys.earnings`, all kinds) of some beneficiaries over some statement
 * months: BatchGet, 100 keys a call. Used for the commission a manager's team is owed.
 */
export async function sumEarningsTotals(
  store: Store,
  tenantId: string,
  beneficiaries: readonly string[],
  months: readonly string[],
): Promise<number> {
  const all = beneficiaries.flatMap((b) => months.map((m) => keys.earnings(tenantId, b, m)));
  const items = await batchGetItems(store, all, { attributes: ['total'] });
  return sumVnd(items.map((item) => (item.total as number | undefined) ?? 0));
}
