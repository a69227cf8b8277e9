import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { LedgerEntry } from '../../domain/commission/ledger';
import type { Adjustment, IncurredVoucher } from '../../domain/commission/vouchers';
import { preconditionFailed } from '../../domain/errors';
import { cancellationReasons, stripKeys, storedVersionIs, type Store } from './client';
import { keys } from './keys';
import { closedMeanwhileConflict, closedMeanwhileIn } from './periods';
import { queryPage, queryPrefix, type Page, type PageRequest } from './paging';
import { transact, type TransactItem } from './transactions';

/** Incurred-commission vouchers and manual adjustments: ledger sources entered by people. */
export type VoucherKind = 'incurred' | 'adjustment';
export type StoredVoucher = (IncurredVoucher | Adjustment) & { tenantId: string; kind: VoucherKind; applies: number };

export async function getVoucher(store: Store, tenantId: string, id: string): Promise<StoredVoucher | null> {
  const out = await store.db.send(new GetCommand({ TableName: store.tableName, Key: keys.voucher(tenantId, id), ConsistentRead: true }));
  return out.Item ? stripKeys<StoredVoucher>(out.Item) : null;
}

export async function getVoucherLedger(store: Store, tenantId: string, id: string): Promise<LedgerEntry[]> {
  const { pk, skPrefix } = keys.voucherLedgerPrefix(tenantId, id);
  return (await queryPrefix<{ entries: LedgerEntry[] }>(store, pk, skPrefix)).flatMap((item) => item.entries);
}

/**
 * Store a voucher (new, or the next version of the one read) with the ledger posting of its change
 * (functions/services/ledger-posting.ts: entries, change markers, and the check that no month was
 * frozen since the closed list was read) in one transaction.
 */
export async function saveVoucher(store: Store, voucher: StoredVoucher, posting: TransactItem[]): Promise<void> {
  const items: TransactItem[] = [
    {
      Put: {
        TableName: store.tableName,
        Item: {
          ...keys.voucher(voucher.tenantId, voucher.id),
          ...keys.voucherIndex(voucher.tenantId, voucher.kind, voucher.id),
          entity: 'voucher',
          ...voucher,
        },
        ...storedVersionIs(voucher.version - 1),
      },
    },
    ...posting,
  ];
  try {
    await transact(store, items);
  } catch (error) {
    if (cancellationReasons(error)?.[0] === 'ConditionalCheckFailed') throw preconditionFailed();
    if (closedMeanwhileIn(error, items)) throw closedMeanwhileConflict();
    throw error;
  }
}

/** Vouchers of a kind, newest first; of one manager's team only when `managerUserId` is given (pages may come short). */
export function listVouchers(
  store: Store,
  tenantId: string,
  kind: VoucherKind,
  page: PageRequest,
  managerUserId?: string,
): Promise<Page<StoredVoucher>> {
  const source = keys.vouchersOfKind(tenantId, kind);
  const filter = managerUserId
    ? { expression: '#manager = :manager', names: { '#manager': 'managerUserId' }, values: { ':manager': managerUserId } }
    : undefined;
  return queryPage<StoredVoucher>(store, { index: source.index, pk: source.pk, descending: true, ...(filter ? { filter } : {}) }, page);
}
