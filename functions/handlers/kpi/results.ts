import { implement, json, toLambda } from '../../http/operation';
import { kpiRoutes } from '../../routes/kpi';
import { kpiResultsReport } from '../../services/reports';

/** KPI results of a period, one page of the care staff the caller may see (a frozen period as the close left it). */
export const operation = implement(kpiRoutes.results, async ({ deps, tenantId, query, membership }) =>
  json(200, await kpiResultsReport(deps, tenantId, membership!, query)),
);

export const handler = toLambda(operation);
