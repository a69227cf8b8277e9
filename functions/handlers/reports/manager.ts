import { fileReply, implement, json, toLambda } from '../../http/operation';
import { reportRoutes } from '../../routes/reports';
import { managerReportWorkbook } from '../../services/exports';
import { managerReport } from '../../services/reports';

/** BC Quản lý: the owner's managers (or one), a manager's own row (a frozen period as the close left it); as JSON or a workbook. */
export const operation = implement(reportRoutes.manager, async ({ deps, tenantId, query, membership }) =>
  query.format === 'xlsx'
    ? fileReply(await managerReportWorkbook(deps, tenantId, membership!, query), query)
    : json(200, await managerReport(deps, tenantId, membership!, query)),
);

export const handler = toLambda(operation);
