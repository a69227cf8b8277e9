import { notFound, ruleViolation } from '../../domain/errors';
import { toKpiAssignment, type KpiPlan } from '../../domain/kpi/plan';
import type { Deps } from '../deps';
import { cancellationReasons } from '../store/client';
import {
  createKpiAssignment,
  getKpiPlan,
  kpiPlanVersions,
  putKpiPlanVersion,
  type StoredKpiAssignment,
  type StoredKpiPlanVersion,
} from '../store/kpi';
import { getRosterEntry } from '../store/members';
import { getStaffGroup } from '../store/staff-groups';

/**
 * KPI plans and who they apply to. Versions are immutable and in force from their effectiveFrom;
 * assignments are never edited either: a later one takes over. So a past period keeps its numbers.
 */

/** A new plan is its version 1; later versions come through `addKpiPlanVersion`. */
export async function createKpiPlan(deps: Deps, tenantId: string, plan: KpiPlan, actor: string): Promise<StoredKpiPlanVersion> {
  const stored: StoredKpiPlanVersion = {
    ...plan,
    id: deps.newId(),
    tenantId,
    version: 1,
    createdAt: deps.now().toISOString(),
    createdBy: actor,
  };
  await putKpiPlanVersion(deps.store, stored);
  return stored;
}

/**
 * The next version of a plan. Its effectiveFrom may not be before the latest version's (the same
 * day replaces it from then on), so the version in force on a day is always the highest one that
 * has started.
 */
export async function addKpiPlanVersion(
  deps: Deps,
  tenantId: string,
  planId: string,
  plan: KpiPlan,
  actor: string,
): Promise<StoredKpiPlanVersion> {
  const latest = await getKpiPlan(deps.store, tenantId, planId);
  if (!latest) throw notFound('KPI plan');
  if (plan.effectiveFrom < latest.effectiveFrom) {
    throw ruleViolation(`A new version takes effect on or after the latest one (${latest.effectiveFrom})`, 'effectiveFrom');
  }
  const version: StoredKpiPlanVersion = {
    ...plan,
    id: latest.id,
    tenantId,
    version: latest.version + 1,
    createdAt: deps.now().toISOString(),
    createdBy: actor,
  };
  await putKpiPlanVersion(deps.store, version);
  return version;
}

/** A plan's latest version with the list of all its versions, or 404. */
export async function kpiPlanWithVersions(deps: Deps, tenantId: string, planId: string) {
  const [latest, versions] = await Promise.all([getKpiPlan(deps.store, tenantId, planId), kpiPlanVersions(deps.store, tenantId, planId)]);
  if (!latest) throw notFound('KPI plan');
  return { ...latest, versions };
}

/**
 * Assign a plan to a staff group or to one care staff, from a day (a person's own assignment
 * overrides every group's, DOMAIN.md). The plan, group and care staff must exist (422 naming the
 * field); the plan is checked again in the write, so one deleted meanwhile is refused too.
 */
export async function assignKpiPlan(
  deps: Deps,
  tenantId: string,
  input: Parameters<typeof toKpiAssignment>[0],
  actor: string,
): Promise<StoredKpiAssignment> {
  const assignment = toKpiAssignment(input);
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
  return stored;
}
