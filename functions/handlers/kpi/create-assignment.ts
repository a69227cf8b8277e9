import { implement, json, toLambda } from '../../http/operation';
import { kpiRoutes } from '../../routes/kpi';
import { assignKpiPlan } from '../../services/kpi-plans';

/** Assign a plan to a staff group or to one care staff, from a day; assignments are never edited (a later one takes over). */
export const operation = implement(kpiRoutes.createAssignment, async ({ deps, tenantId, body, actor }) =>
  json(201, await assignKpiPlan(deps, tenantId, body, actor)),
);

export const handler = toLambda(operation);
