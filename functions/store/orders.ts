import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { LedgerEntry } from '../../domain/commission/ledger';
import type { OrderNetRevenue } from '../../domain/orders/net-revenue';
import type { OrderRecord } from '../../domain/orders/order';
import type { ReturnStep } from '../../domain/orders/returns';
import type { OrderAttribution } from '../../domain/orders/pricing';
import type { CustomerBinding } from '../../domain/orders/binding';
import { vnPhoneOf } from '../../domain/phone';
import { cancellationReasons, stripKeys, storedVersionIs, type Store } from './client';
import { keys } from './keys';
import type { TransactItem } from './transactions';
import { batchGet, queryAll, queryPage, queryPrefix, type Page, type PageRequest } from './paging';

/** The stored order: the merged revisions, the frozen credit decision and R per line. */
export interface StoredOrder {
  id: string;
  tenantId: string;
  record: OrderRecord;
  attribution: OrderAttribution | null;
  revenue: OrderNetRevenue;
  /** the plan version that priced it */
  plan: { planId: string; version: number } | null;
  /** how many times the ledger was written for it (ledger items are numbered by this) */
  applies: number;
  /** each return at its own time (domain/orders/returns.ts); absent on orders stored before they were kept */
  returns?: ReturnStep[];
  /** optimistic lock of the item */
  version: number;
  updatedAt: string;
}

export type StoredBinding = CustomerBinding & { version: number };

export interface OrderChange {
  order: StoredOrder;
  /** local month of the order's creation (the list bucket) */
  createdMonth: string;
  /** the ledger's writes of this change (functions/services/ledger-posting.ts): entries, earnings totals, change markers */
  ledger: TransactItem[];
  /** further writes that belong to the same change (maintained aggregates) */
  extraItems?: TransactItem[];
  /** a binding created or changed by this change, with the version it replaces (0: none stored) */
  binding?: { value: StoredBinding; replaces: number };
}

/** Thrown when another writer changed the order (or its customer's binding) first: read again and retry. */
export class ConcurrentOrderChange extends Error {
  constructor() {
    super('the order changed concurrently');
    this.name = 'ConcurrentOrderChange';
  }
}

export async function getOrder(store: Store, tenantId: string, orderId: string): Promise<StoredOrder | null> {
  const out = await store.db.send(new GetCommand({ TableName: store.tableName, Key: keys.order(tenantId, orderId), ConsistentRead: true }));
  return out.Item ? stripKeys<StoredOrder>(out.Item) : null;
}

/** Orders by id, read consistently (missing ones are absent; any number, 100 a call). */
export function getOrders(store: Store, tenantId: string, orderIds: Iterable<string>): Promise<StoredOrder[]> {
  return batchGet<StoredOrder>(
    store,
    [...new Set(orderIds)].map((id) => keys.order(tenantId, id)),
    true,
  );
}

/** Every ledger entry of an order, in the order they were written. */
export async function getOrderLedger(store: Store, tenantId: string, orderId: string): Promise<LedgerEntry[]> {
  const { pk, skPrefix } = keys.ledgerPrefix(tenantId, orderId);
  const items = await queryPrefix<{ entries: LedgerEntry[] }>(store, pk, skPrefix);
  return items.flatMap((item) => item.entries);
}

/** The binding of the customer with this Vietnamese phone (+84…); any other phone has none. */
export async function getBinding(store: Store, tenantId: string, phone: string): Promise<StoredBinding | null> {
  if (vnPhoneOf(phone) !== phone) return null; // never a key from a missing, foreign or unnormalised phone
  const out = await store.db.send(
    new GetCommand({ TableName: store.tableName, Key: keys.customerBinding(tenantId, phone), ConsistentRead: true }),
  );
  return out.Item ? stripKeys<StoredBinding>(out.Item) : null;
}

/**
 * Write one change of an order in one transaction: the order (if its version is still the one
 * read), its ledger posting, the customer binding and the aggregates it moves. Either
 * all of it is stored or none, so a crash or a concurrent delivery can never half-apply an event.
 */
export async function saveOrderChange(store: Store, change: OrderChange): Promise<void> {
  const { order } = change;
  const items: TransactItem[] = [];
  const who = {
    collaboratorId: order.attribution?.collaboratorId,
    careStaffUserId: order.attribution?.careStaffUserId,
    managerUserId: order.attribution?.managerUserId,
  };
  items.push({
    Put: {
      TableName: store.tableName,
      Item: {
        ...keys.order(order.tenantId, order.id),
        ...keys.orderIndexes(order.tenantId, order.id, order.record.createdAt, change.createdMonth, who, order.record.approvedAt),
        entity: 'order',
        ...order,
      },
      ...storedVersionIs(order.version - 1),
    },
  });

  items.push(...change.ledger);

  if (change.binding) {
    const { value, replaces } = change.binding;
    // bindings are keyed by the normalised Vietnamese phone only (domain/orders/binding.ts)
    if (vnPhoneOf(value.customerPhone) !== value.customerPhone) throw new Error('a customer binding needs a normalised Vietnamese phone');
    items.push({
      Put: {
        TableName: store.tableName,
        Item: { ...keys.customerBinding(order.tenantId, value.customerPhone), entity: 'binding', ...value },
        ...storedVersionIs(replaces),
      },
    });
  }

  items.push(...(change.extraItems ?? []));
  if (items.length > 100) throw new Error(`an order change needs ${items.length} writes; more than one transaction holds`);
  try {
    await store.db.send(new TransactWriteCommand({ TransactItems: items }));
  } catch (error) {
    const reasons = cancellationReasons(error);
    if (reasons?.some((r) => r === 'ConditionalCheckFailed' || r === 'TransactionConflict')) throw new ConcurrentOrderChange();
    throw error;
  }
}

/**
 * A CTV's credited orders approved in [from, to) (epoch ms), through the approval index (gsi5,
 * UTC sort key): however long before its approval an order was created, it is found.
 */
export async function ordersApprovedBetween(
  store: Store,
  tenantId: string,
  collaboratorId: string,
  from: number,
  to: number,
): Promise<StoredOrder[]> {
  const source = keys.ordersApprovedByCollaborator(tenantId, collaboratorId);
  const orders = await queryAll<StoredOrder>(store, {
    IndexName: source.index,
    KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
    ExpressionAttributeNames: { '#pk': `${source.index}pk`, '#sk': `${source.index}sk` },
    // the sort key is `<approvedAt UTC>#<id>`: the last millisecond before `to`, then any id
    ExpressionAttributeValues: { ':pk': source.pk, ':from': new Date(from).toISOString(), ':to': `${new Date(to - 1).toISOString()}#~` },
  });
  return orders.filter((o) => o.attribution?.collaboratorId === collaboratorId);
}

export interface OrderListFilter {
  collaboratorId?: string;
  careStaffUserId?: string;
  managerUserId?: string;
  state?: string;
  /** inclusive ISO instants */
  from: string;
  to: string;
}

/**
 * Orders created in [from, to], newest first. A CTV, care staff or manager list reads that one
 * partition; the business-wide list reads the month partitions of the range, newest first, and the
 * cursor remembers which month it is in.
 */
export async function listOrders(
  store: Store,
  tenantId: string,
  filter: OrderListFilter,
  months: string[],
  page: PageRequest,
): Promise<Page<StoredOrder>> {
  const range = {
    expression: '',
    names: {} as Record<string, string>,
    values: {} as Record<string, unknown>,
  };
  const conditions: string[] = [];
  if (filter.state) {
    conditions.push('#record.#state = :state');
    range.names['#record'] = 'record';
    range.names['#state'] = 'state';
    range.values[':state'] = filter.state;
  }
  const single = filter.collaboratorId
    ? keys.ordersByCollaborator(tenantId, filter.collaboratorId)
    : filter.careStaffUserId
      ? keys.ordersByCareStaff(tenantId, filter.careStaffUserId)
      : filter.managerUserId
        ? keys.ordersByManager(tenantId, filter.managerUserId)
        : null;
  // a narrower scope given with another (care staff's own view) is a filter within the partition
  if (filter.collaboratorId && filter.careStaffUserId) {
    conditions.push('#attribution.#careStaff = :careStaff');
    range.names['#attribution'] = 'attribution';
    range.names['#careStaff'] = 'careStaffUserId';
    range.values[':careStaff'] = filter.careStaffUserId;
  }
  if ((filter.collaboratorId || filter.careStaffUserId) && filter.managerUserId) {
    conditions.push('#attribution.#manager = :manager');
    range.names['#attribution'] = 'attribution';
    range.names['#manager'] = 'managerUserId';
    range.values[':manager'] = filter.managerUserId;
  }
  range.expression = conditions.join(' AND ');
  const skRange = { from: `${filter.from}`, to: `${filter.to}#~` };
  const filterOption = conditions.length ? { filter: range } : {};

  if (single) {
    return queryPage<StoredOrder>(
      store,
      { index: single.index, pk: single.pk, skBetween: skRange, descending: true, ...filterOption },
      page,
    );
  }
  // business-wide: walk the month partitions newest first; the cursor is "<month>|<cursor in it>"
  let monthIndex = 0;
  let inner: string | undefined;
  if (page.cursor) {
    const [month, rest] = page.cursor.split('|', 2);
    monthIndex = months.indexOf(month ?? '');
    if (monthIndex < 0) monthIndex = months.length;
    inner = rest || undefined;
  }
  const items: StoredOrder[] = [];
  for (; monthIndex < months.length; monthIndex++) {
    const source = keys.ordersByMonth(tenantId, months[monthIndex]!);
    const part = await queryPage<StoredOrder>(
      store,
      { index: source.index, pk: source.pk, skBetween: skRange, descending: true, ...filterOption },
      { limit: page.limit - items.length, cursor: inner },
    );
    items.push(...part.items);
    inner = undefined;
    if (part.nextCursor) return { items, nextCursor: `${months[monthIndex]}|${part.nextCursor}` };
    if (items.length >= page.limit) {
      return { items, nextCursor: monthIndex + 1 < months.length ? `${months[monthIndex + 1]}|` : null };
    }
  }
  return { items, nextCursor: null };
}
