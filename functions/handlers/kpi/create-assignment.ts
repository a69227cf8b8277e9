import { ruleViolation } from '../../../domain/errors';
import { toKpiAssignment } from '../../../domain/kpi/plan';
import { cancellationReasons } from '../../store/client';
import { implement, json, toLambda } from '../../http/operation';
import { kpiRoutes } from '../../routes/kpi';
import { createKpiAssignment, getKpiPlan, type StoredKpiAssignment } from '../../store/kpi';
import { getRosterEntry } from '../../store/members';
import { getStaffGroup } from '../../store/staff-groups';

/**
 * Assign a plan to a staff group or to one care staff, from a day. Assignments are never edited:
 * a later one (a later effectiveFrom) takes over, and a person's own assignment overrides every
 * group's (DOMAIN.md), so history stays as it was.
 */
export const operation = implement(kpiRoutes.createAssignment, async ({ deps, tenantId, body, actor }) => {
  const assignment = toKpiAssignment(body);
  const [plan, group, staff] = await Promise.all([
    getKpiPlan(deps.store, tenantId, assignment.planId),
    assignment.staffGroupId !== undefined ? getStaffGroup(deps.store, tenantId, assignment.staffGroupId) : null,
    assignment.userId !== undefined ? getRosterEntry(deps.store, tenantId, 'care_staff', assignment.userId) : null,
  ]);
  if (!plan) throw ruleViolation('There is no KPI plan with this id', 'planId');
  if (assignment.staffGroupId !== undefined && !group) throw ruleViolation('There is no staff group with this id', 'staffGroupId');
  if (assignment.userId !== undefined && !staff) throw ruleViolation('This account is not on the care staff roster', 'userId');
  const stored: StoredKpiAssignment = { ...assignment, id: deps.newId(), tenantId, createdAt: deps.now().toISOString(), createdBy: actor };
  try {
    await createKpiAssignment(deps.store, stored);
  } catch (error) {
    if (cancellationReasons(error)?.[0] === 'ConditionalCheckFailed') throw ruleViolation('There is no KPI plan with this id', 'planId');
    throw error;
  }
  return json(201, stored);
});

export const handler = toLambda(operation);
