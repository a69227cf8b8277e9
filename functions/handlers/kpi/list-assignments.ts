import { implement, json, toLambda } from '../../http/operation';
import { kpiRoutes } from '../../routes/kpi';
import { listKpiAssignments } from '../../store/kpi';

export const operation = implement(kpiRoutes.listAssignments, async ({ deps, tenantId, query }) => {
  const { limit, cursor, ...filter } = query;
  return json(200, await listKpiAssignments(deps.store, tenantId, filter, { limit, cursor }));
});

export const handler = toLambda(operation);
