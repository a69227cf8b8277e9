import type { LedgerEntry } from '../../domain/commission/ledger';
import { beneficiaryPart } from '../../domain/commission/lines';
import { sumVnd } from '../../domain/money';
import type { Store } from './client';
import { keys, type Key } from './keys';
import type { TransactItem } from './transactions';
import { byIndexPartition, byPartition, queryAll, queryPage, type PageRequest } from './paging';

/** Ledger entries are stored in items of at most this many, one (beneficiary, period) per item. */
const ENTRIES_PER_ITEM = 100;

/** Entries grouped by (beneficiary, period): one stored item and one earnings update each. */
function groupEntries(entries: readonly LedgerEntry[]) {
  const groups = new Map<string, { beneficiary: string; periodId: string; entries: LedgerEntry[] }>();
  for (const e of entries) {
    const beneficiary = beneficiaryPart(e.beneficiary);
    const id = `${beneficiary}|${e.periodId}`;
    const g = groups.get(id) ?? { beneficiary, periodId: e.periodId, entries: [] };
    groups.set(id, g);
    g.entries.push(e);
  }
  return [...groups.values()];
}

/**
 * Who owns a group of ledger items, and so where they are stored: an order, a voucher, a
 * dispute's adjustment, or a month's close for one beneficiary. `apply` numbers the owner's
 * successive postings; `at` (ISO) orders the items among a beneficiary's ledger of a period.
 */
export type LedgerOwner =
  | { type: 'order'; orderId: string; apply: number; at: string }
  | { type: 'voucher'; voucherId: string; apply: number; at: string }
  | { type: 'dispute'; collaboratorId: string; disputeId: string; at: string }
  | { type: 'period'; month: string; beneficiary: string; apply: number; at: string };

/** The n-th item of an owner's posting: its key, its sort key in the beneficiary's ledger, the attributes naming the owner. */
function itemOf(tenantId: string, owner: LedgerOwner, n: number): { key: Key; sortKey: string; attributes: Record<string, unknown> } {
  switch (owner.type) {
    case 'order':
      return {
        key: keys.ledgerItem(tenantId, owner.orderId, owner.apply, n),
        sortKey: `${owner.at}#${owner.orderId}#${owner.apply}#${n}`,
        attributes: { orderId: owner.orderId },
      };
    case 'voucher':
      return {
        key: keys.voucherLedgerItem(tenantId, owner.voucherId, owner.apply, n),
        sortKey: `${owner.at}#${owner.voucherId}#${owner.apply}#${n}`,
        attributes: { voucherId: owner.voucherId },
      };
    case 'dispute':
      return {
        key: keys.disputeLedgerItem(tenantId, owner.collaboratorId, owner.disputeId, n),
        sortKey: `${owner.at}#D#${owner.disputeId}#${n}`,
        attributes: { disputeId: owner.disputeId },
      };
    case 'period':
      return {
        key: keys.periodLedgerItem(tenantId, owner.month, owner.beneficiary, owner.apply, n),
        sortKey: `${owner.at}#P#${owner.month}#${String(owner.apply).padStart(6, '0')}#${n}`,
        attributes: { periodLedger: owner.month, apply: owner.apply },
      };
  }
}

/**
 * Items written only if absent. A close has no item of its own to hold a version, so its item keys
 * are what keeps two runs from appending the same lines twice; a dispute's adjustment is posted once
 * (its items are numbered by the dispute alone), so none may overwrite another. An order's and a
 * voucher's items are numbered by their `apply`, guarded by the version of the order or voucher.
 */
const WRITTEN_ONCE: Record<LedgerOwner['type'], boolean> = { order: false, voucher: false, dispute: true, period: true };

/**
 * The writes that append ledger entries, for the owner's transaction: items of entries (found
 * later by the owner, and by beneficiary and period through GSI1), and the running totals per kind
 * that earnings read. With the owner's own condition (above), the same entries are never appended twice.
 */
export function ledgerWriteItems(store: Store, tenantId: string, entries: readonly LedgerEntry[], owner: LedgerOwner): TransactItem[] {
  const items: TransactItem[] = [];
  let n = 0;
  for (const group of groupEntries(entries)) {
    for (let i = 0; i < group.entries.length; i += ENTRIES_PER_ITEM) {
      n += 1;
      const { key, sortKey, attributes } = itemOf(tenantId, owner, n);
      items.push({
        Put: {
          TableName: store.tableName,
          Item: {
            ...key,
            ...keys.ledgerItemIndex(tenantId, group.beneficiary, group.periodId, sortKey),
            entity: 'ledger',
            ...attributes,
            beneficiary: group.beneficiary,
            periodId: group.periodId,
            entries: group.entries.slice(i, i + ENTRIES_PER_ITEM),
          },
          ...(WRITTEN_ONCE[owner.type] ? { ConditionExpression: 'attribute_not_exists(pk)' } : {}),
        },
      });
    }
    // running totals per kind, so a beneficiary's earnings for a period are one read (exact sums:
    // past 2^53 is AmountOutOfRange, not a number lib-dynamodb refuses to write)
    const sums = new Map<string, number>();
    for (const e of group.entries) sums.set(e.kind, sumVnd([sums.get(e.kind) ?? 0, e.amount]));
    const names: Record<string, string> = { '#total': 'total' };
    const values: Record<string, number> = { ':total': sumVnd(group.entries.map((e) => e.amount)) };
    const adds = ['#total :total'];
    for (const [kind, amount] of sums) {
      names[`#${kind}`] = `k_${kind}`;
      values[`:${kind}`] = amount;
      adds.push(`#${kind} :${kind}`);
    }
    items.push({
      Update: {
        TableName: store.tableName,
        Key: keys.earnings(tenantId, group.beneficiary, group.periodId),
        UpdateExpression: `ADD ${adds.join(', ')}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    });
  }
  return items;
}

/** What a month's close booked so far, per beneficiary: its entries and the last posting's number. */
export async function closeLedgerOf(
  store: Store,
  tenantId: string,
  month: string,
): Promise<Map<string, { entries: LedgerEntry[]; apply: number }>> {
  const items = await queryAll<{ beneficiary: string; entries: LedgerEntry[]; apply?: number }>(store, {
    ...byPartition(keys.periodLedgerOf(tenantId, month).pk),
    ConsistentRead: true,
  });
  const out = new Map<string, { entries: LedgerEntry[]; apply: number }>();
  for (const item of items) {
    const held = out.get(item.beneficiary) ?? { entries: [], apply: 0 };
    held.entries.push(...item.entries);
    held.apply = Math.max(held.apply, item.apply ?? 0);
    out.set(item.beneficiary, held);
  }
  return out;
}

/** A beneficiary's ledger entries booked into a period (GSI1), all of them, in the order recorded. */
export async function ledgerOfPeriod(store: Store, tenantId: string, beneficiary: string, periodId: string): Promise<LedgerEntry[]> {
  const source = keys.ledgerOfBeneficiary(tenantId, beneficiary, periodId);
  const items = await queryAll<{ entries: LedgerEntry[] }>(store, byIndexPartition(source.index, source.pk));
  return items.flatMap((i) => i.entries);
}

/** A beneficiary's ledger entries of one statement period, in the order they were recorded, one page of items at a time. */
export async function listLedgerEntries(store: Store, tenantId: string, beneficiary: string, periodId: string, page: PageRequest) {
  const source = keys.ledgerOfBeneficiary(tenantId, beneficiary, periodId);
  const result = await queryPage<{ entries: LedgerEntry[] }>(store, { index: source.index, pk: source.pk }, page);
  return { entries: result.items.flatMap((item) => item.entries), nextCursor: result.nextCursor };
}
