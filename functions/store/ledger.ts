import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { LedgerEntry } from '../../domain/commission/ledger';
import { beneficiaryPart } from '../../domain/commission/lines';
import { sumVnd } from '../../domain/money';
import type { Store } from './client';
import { keys, type Key } from './keys';
import { queryPage, type PageRequest } from './paging';

type TransactItems = NonNullable<TransactWriteCommandInput['TransactItems']>;

/** Ledger entries are stored in items of at most this many, one (beneficiary, period) per item. */
const ENTRIES_PER_ITEM = 100;

/** Entries grouped by (beneficiary, period): one stored item and one earnings update each. */
function groupEntries(entries: readonly LedgerEntry[]) {
  const groups = new Map<string, { beneficiary: string; periodId: string; entries: LedgerEntry[] }>();
  for (const e of entries) {
    const beneficiary = beneficiaryPart(e.beneficiary);
    const id = `${beneficiary}|${e.periodId}`;
    let g = groups.get(id);
    if (!g) groups.set(id, (g = { beneficiary, periodId: e.periodId, entries: [] }));
    g.entries.push(e);
  }
  return [...groups.values()];
}

/**
 * The writes that append ledger entries, for a transaction: items of entries (found later by the
 * owner of the entries — an order, a period close, a voucher — under `itemKey`, and by beneficiary
 * and period through GSI1), and the running totals per kind that earnings read. The caller makes
 * the transaction conditional on its own item, so the same entries are never appended twice.
 */
export function ledgerWriteItems(
  store: Store,
  tenantId: string,
  entries: readonly LedgerEntry[],
  where: { itemKey: (n: number) => Key; sortKey: (n: number) => string; attributes?: Record<string, unknown> },
): TransactItems {
  const items: TransactItems = [];
  let n = 0;
  for (const group of groupEntries(entries)) {
    for (let i = 0; i < group.entries.length; i += ENTRIES_PER_ITEM) {
      n += 1;
      items.push({
        Put: {
          TableName: store.tableName,
          Item: {
            ...where.itemKey(n),
            ...keys.ledgerItemIndex(tenantId, group.beneficiary, group.periodId, where.sortKey(n)),
            entity: 'ledger',
            ...where.attributes,
            beneficiary: group.beneficiary,
            periodId: group.periodId,
            entries: group.entries.slice(i, i + ENTRIES_PER_ITEM),
          },
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

/** A beneficiary's ledger entries of one statement period, in the order they were recorded, one page of items at a time. */
export async function listLedgerEntries(store: Store, tenantId: string, beneficiary: string, periodId: string, page: PageRequest) {
  const source = keys.ledgerOfBeneficiary(tenantId, beneficiary, periodId);
  const result = await queryPage<{ entries: LedgerEntry[] }>(store, { index: source.index, pk: source.pk }, page);
  return { entries: result.items.flatMap((item) => item.entries), nextCursor: result.nextCursor };
}
