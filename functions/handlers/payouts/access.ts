import { ULID_PATTERN } from '../../../domain/ids';
import { notFound } from '../../../domain/errors';
import type { Deps } from '../../deps';
import { getPayout, type PayoutBatch } from '../../store/payouts';

export async function payoutOf(deps: Deps, tenantId: string, batchId: string | undefined): Promise<PayoutBatch> {
  const batch = ULID_PATTERN.test(batchId ?? '') ? await getPayout(deps.store, tenantId, batchId!) : null;
  if (!batch) throw notFound('Payout batch');
  return batch;
}
