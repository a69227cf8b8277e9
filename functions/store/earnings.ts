import { emptyByKind, type ByKind } from '../../domain/commission/ledger';
import { LEDGER_KINDS } from '../../domain/commission/lines';
import { sumVnd } from '../../domain/money';
import type { Store } from './client';
import { keys, type Key } from './keys';
import { batchGetItems } from './paging';

export interface Earnings {
  byKind: ByKind;
  total: number;
}

/**
 * A beneficiary's totals by kind over some statement periods (months, at most 99), from the
 * running totals: one BatchGetItem. Sums are exact: a total past 2^53 is AmountOutOfRange (docs/api.md,
 * money limits), never a rounded or BigInt answer.
 */
export async function earningsOf(store: Store, tenantId: string, beneficiary: string, periodIds: string[]): Promise<Earnings> {
  const { byKind, total } = await readEarnings(store, tenantId, beneficiary, periodIds, null);
  return { byKind, total };
}

/**
 * The same for a beneficiary that is an account of the business (a seller), or null when the
 * account is unknown there: not a member, now or before (the member item stays when its last role
 * goes), and without a total in these periods. The member item is read in the same BatchGetItem,
 * so the check costs no extra round trip.
 */
export async function earningsOfMember(
  store: Store,
  tenantId: string,
  beneficiary: string,
  periodIds: string[],
  userId: string,
): Promise<Earnings | null> {
  const { byKind, total, known } = await readEarnings(store, tenantId, beneficiary, periodIds, keys.membership(tenantId, userId));
  return known ? { byKind, total } : null;
}

async function readEarnings(store: Store, tenantId: string, beneficiary: string, periodIds: string[], memberKey: Key | null) {
  const byKind = emptyByKind();
  const periods = [...new Set(periodIds)];
  if (periods.length === 0 && !memberKey) return { byKind, total: 0, known: true };
  const items = await batchGetItems(
    store,
    [...periods.map((p) => keys.earnings(tenantId, beneficiary, p)), ...(memberKey ? [memberKey] : [])],
    { consistent: true },
  );
  let totals = 0;
  let member = false;
  for (const item of items) {
    if (memberKey && item.pk === memberKey.pk && item.sk === memberKey.sk) {
      member = true;
      continue;
    }
    totals += 1;
    for (const kind of LEDGER_KINDS) byKind[kind] = sumVnd([byKind[kind], (item[`k_${kind}`] as number | undefined) ?? 0]);
  }
  return { byKind, total: sumVnd(Object.values(byKind)), known: !memberKey || member || totals > 0 };
}
