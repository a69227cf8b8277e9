import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { emptyByKind, type ByKind } from '../../domain/commission/ledger';
import { LEDGER_KINDS } from '../../domain/commission/lines';
import { sumVnd } from '../../domain/money';
import type { Store } from './client';
import { keys } from './keys';

/** A beneficiary's totals by kind over some statement periods (months), from the running totals. */
export async function earningsOf(store: Store, tenantId: string, beneficiary: string, periodIds: string[]): Promise<{ byKind: ByKind; total: number }> {
  const byKind = emptyByKind();
  if (periodIds.length === 0) return { byKind, total: 0 };
  const out = await store.db.send(
    new BatchGetCommand({
      RequestItems: { [store.tableName]: { Keys: periodIds.map((p) => keys.earnings(tenantId, beneficiary, p)), ConsistentRead: true } },
    }),
  );
  for (const item of out.Responses?.[store.tableName] ?? []) {
    for (const kind of LEDGER_KINDS) byKind[kind] += (item[`k_${kind}`] as number | undefined) ?? 0;
  }
  return { byKind, total: sumVnd(Object.values(byKind)) };
}
