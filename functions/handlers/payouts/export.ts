import { fileReply, implement, toLambda } from '../../http/operation';
import { payoutRoutes } from '../../routes/payouts';
import { payoutWorkbook } from '../../services/exports';
import { payoutTransferFile } from '../../services/payouts';

/** A batch's bank-transfer file: CSV (comma or semicolon), or a workbook. */
export const operation = implement(payoutRoutes.export, async ({ deps, tenantId, params, query }) => {
  if (query.format === 'xlsx') return fileReply(await payoutWorkbook(deps, tenantId, params.batchId ?? ''));
  const separator = query.separator === 'semicolon' ? ';' : ',';
  const { batch, csv } = await payoutTransferFile(deps, tenantId, params.batchId ?? '', separator);
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
