import { fileReply, implement, json, toLambda } from '../../http/operation';
import { reportRoutes } from '../../routes/reports';
import { staffReportWorkbook } from '../../services/exports';
import { staffReport } from '../../services/reports';

/** BC Nhân viên: one page of the care staff the caller may see (a frozen period as the close left it); as JSON or a workbook. */
export const operation = implement(reportRoutes.staff, async ({ deps, tenantId, query, membership }) =>
  query.format === 'xlsx'
    ? fileReply(await staffReportWorkbook(deps, tenantId, membership!, query), query)
    : json(200, await staffReport(deps, tenantId, membership!, query)),
);

export const handler = toLambda(operation);
