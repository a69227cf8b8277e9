import { conflict } from '../../../domain/errors';
import { payoutCsv } from '../../../domain/payouts';
import { implement, toLambda } from '../../http/operation';
import { payoutRoutes } from '../../routes/payouts';
import { statementsOfBatch } from '../../store/statements';
import { payoutOf } from './access';

/** The bank-transfer file, as the batch froze it (names and bank details at batching time). */
export const operation = implement(payoutRoutes.export, async ({ deps, tenantId, params }) => {
  const batch = await payoutOf(deps, tenantId, params.batchId);
  if (batch.status === 'building') throw conflict('The batch is still being built; create it again to finish it');
  const statements = (await statementsOfBatch(deps.store, tenantId, batch.id)).sort((a, b) => (a.collaboratorId < b.collaboratorId ? -1 : 1));
  // read through the batch index: right after the batch was made it may not show every statement yet
  if (statements.length !== batch.count) throw conflict('The batch is still being indexed; retry in a few seconds');
  const csv = payoutCsv(
    statements.map((s) => ({ refId: s.payout!.refId, name: s.payout!.name, phone: s.payout!.phone, bank: s.payout!.bank, amount: s.payout!.amount, periodId: s.periodId })),
  );
  return {
    status: 200,
    body: csv,
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="chi-tra-hoa-hong-${batch.periodId}-${batch.id}.csv"`,
      'cache-control': 'no-store',
    },
  };
});

export const handler = toLambda(operation);
