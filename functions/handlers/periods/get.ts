import { implement, json, toLambda } from '../../http/operation';
import { periodRoutes } from '../../routes/periods';
import { monthView } from '../../services/periods';
import { monthParam } from '../../services/statement-access';

/** A month: its close, and its KPI and OKR results (frozen at the close, or the last nightly snapshot), as far as the caller may see them. */
export const operation = implement(periodRoutes.get, async ({ deps, tenantId, params, membership }) =>
  json(200, await monthView(deps, tenantId, monthParam(params.periodId), membership!)),
);

export const handler = toLambda(operation);
