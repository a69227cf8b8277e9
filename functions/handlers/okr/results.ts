import { implement, json, toLambda } from '../../http/operation';
import { okrRoutes } from '../../routes/okr';
import { okrResultsReport } from '../../services/reports';

/** CSAT, k and the OKR score per manager for a period: the owner's managers (or one), a manager's own. */
export const operation = implement(okrRoutes.results, async ({ deps, tenantId, query, membership }) =>
  json(200, await okrResultsReport(deps, tenantId, membership!, query)),
);

export const handler = toLambda(operation);
