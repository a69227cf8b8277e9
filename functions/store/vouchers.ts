import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { collaboratorsIn, type LedgerEntry } from '../../domain/commission/ledger';
import type { Adjustment, IncurredVoucher } from '../../domain/commission/vouchers';
import { preconditionFailed } from '../../domain/errors';
import { cancellationReasons, stripKeys, storedVersionIs, type Store } from './client';
import { keys } from './keys';
import { ledgerWriteItems } from './ledger';
import { closedListUnchanged, closedMeanwhile, closedMeanwhileConflict } from './periods';
import { changeMarkerItems } from './snapshots';
import { queryPage, queryPrefix, type Page, type PageRequest } from './paging';

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
 * Store a voucher (new, or the next version of the one read) with the ledger entries its change
 * makes, the change markers of the CTVs they pay, and (with entries) the check that no month was
 * frozen since `closedListVersion` was read.
 */
export async function saveVoucher(store: Store, voucher: StoredVoucher, entries: LedgerEntry[], at: string, closedListVersion = 0): Promise<void> {
  const check = closedListUnchanged(store, voucher.tenantId, closedListVersion);
  const items = [
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
    ...ledgerWriteItems(store, voucher.tenantId, entries, {
      itemKey: (n) => keys.voucherLedgerItem(voucher.tenantId, voucher.id, voucher.applies, n),
      sortKey: (n) => `${at}#${voucher.id}#${voucher.applies}#${n}`,
      attributes: { voucherId: voucher.id },
    }),
    ...(entries.length > 0 ? [...changeMarkerItems(store, voucher.tenantId, collaboratorsIn(entries), at), check] : []),
  ];
  try {
    await store.db.send(new TransactWriteCommand({ TransactItems: items }));
  } catch (error) {
    if (cancellationReasons(error)?.[0] === 'ConditionalCheckFailed') throw preconditionFailed();
    if (closedMeanwhile(error, items, check)) throw closedMeanwhileConflict();
    throw error;
  }
}

/** Vouchers of a kind, newest first; of one manager's team only when `managerUserId` is given (pages may come short). */
export function listVouchers(store: Store, tenantId: string, kind: VoucherKind, page: PageRequest, managerUserId?: string): Promise<Page<StoredVoucher>> {
  const source = keys.vouchersOfKind(tenantId, kind);
  const filter = managerUserId ? { expression: '#manager = :manager', names: { '#manager': 'managerUserId' }, values: { ':manager': managerUserId } } : undefined;
  return queryPage<StoredVoucher>(store, { index: source.index, pk: source.pk, descending: true, ...(filter ? { filter } : {}) }, page);
}
