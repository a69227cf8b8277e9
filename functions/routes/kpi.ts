import * as z from 'zod';
import { INDICATORS } from '../../domain/kpi/indicators';
import { KpiAssignmentInput, KpiGroupInput, KpiPlanInput } from '../../domain/kpi/plan';
import { KpiResultView } from '../../domain/kpi/score';
import { PeriodId } from '../../domain/okr/okr';
import { CYCLES } from '../../domain/period';
import { OWNER, PageQuery, pageOf, route, STAFF } from './route';

/** A stored KPI plan version: the plan as posted, with its id (shared by its versions) and version number. */
export const KpiPlanVersionView = z
  .object({
    id: z.string().meta({ description: 'the plan id, shared by its versions; assignments name it' }),
    version: z.int(),
    tenantId: z.string(),
    name: z.string(),
    effectiveFrom: z.string(),
    cycle: z.enum(CYCLES),
    distributedIndicator: z.enum(['revenue', 'revenue_above_target']),
    capBp: z.int(),
    groups: z.array(KpiGroupInput),
    createdAt: z.string(),
    createdBy: z.string(),
  })
  .meta({ id: 'KpiPlanVersion' });

export const KpiPlanWithVersions = KpiPlanVersionView.extend({
  versions: z.array(KpiPlanVersionView).meta({ description: 'every version, oldest first' }),
}).meta({ id: 'KpiPlanWithVersions' });

export const KpiAssignmentView = z
  .object({
    id: z.string(),
    tenantId: z.string(),
    planId: z.string(),
    staffGroupId: z.string().optional(),
    userId: z.string().optional(),
    effectiveFrom: z.string(),
    createdAt: z.string(),
    createdBy: z.string(),
  })
  .meta({ id: 'KpiAssignment' });

const Counters = z.object({
  createdOrders: z.int(),
  createdApproved: z.int(),
  createdVoid: z.int(),
  approvedOrders: z.int(),
  completedOrders: z.int(),
  revenue: z.int(),
  activeCollaborators: z.int(),
  newCollaborators: z.int(),
  totalCollaborators: z.int(),
});
export const KpiCountersView = Counters.meta({ id: 'KpiCounters', description: 'the maintained counters the indicators come from' });
export const IndicatorsView = z
  .record(z.enum(INDICATORS), z.number())
  .meta({ id: 'KpiIndicators', description: 'VND, counts, rates in bp' });

export const KpiResultItemView = KpiResultView.extend({
  period: z.string(),
  plan: z.object({
    id: z.string(),
    version: z.int(),
    name: z.string(),
    cycle: z.enum(CYCLES),
    distributedIndicator: z.string(),
    capBp: z.int(),
  }),
  assignment: z.object({
    id: z.string(),
    planId: z.string(),
    effectiveFrom: z.string(),
    userId: z.string().optional(),
    staffGroupId: z.string().optional(),
  }),
  indicators: IndicatorsView,
  counters: KpiCountersView,
}).meta({ id: 'KpiResultItem' });

export const ResultsQuery = PageQuery.extend({
  period: PeriodId.meta({ description: '2026-10 (month), 2026-W47, 2026-Q4 or 2026: results use the plans of that cycle' }),
  userId: z.string().max(128).optional().meta({ description: 'one care staff (within what the caller may see)' }),
});

export const AssignmentListQuery = PageQuery.extend({
  planId: z.string().max(64).optional(),
  userId: z.string().max(128).optional(),
  staffGroupId: z.string().max(64).optional(),
});

/** KPI plans (owner), their assignment to staff groups or people, and the results per care staff and period. */
export const kpiRoutes = {
  createPlan: route({
    id: 'createKpiPlan',
    method: 'POST',
    path: '/v1/tenants/{tenantId}/kpi-plans',
    handler: 'functions/handlers/kpi/create-plan.ts',
    auth: 'jwt',
    roles: OWNER,
    table: 'write',
    body: KpiPlanInput,
    idempotent: true,
    summary: 'A new KPI plan (its version 1): cycle, distributed indicator, groups of weighted conditions',
    tag: 'kpi',
    responses: { 201: KpiPlanVersionView },
  }),
  addPlanVersion: route({
    id: 'addKpiPlanVersion',
    method: 'POST',
    path: '/v1/tenants/{tenantId}/kpi-plans/{planId}/versions',
    handler: 'functions/handlers/kpi/add-plan-version.ts',
    auth: 'jwt',
    roles: OWNER,
    table: 'write',
    body: KpiPlanInput,
    idempotent: true,
    summary: 'The next version of a KPI plan, in force from its effectiveFrom (not before the latest version’s)',
    tag: 'kpi',
    responses: { 201: KpiPlanVersionView },
  }),
  listPlans: route({
    id: 'listKpiPlans',
    method: 'GET',
    path: '/v1/tenants/{tenantId}/kpi-plans',
    handler: 'functions/handlers/kpi/list-plans.ts',
    auth: 'jwt',
    roles: STAFF,
    table: 'read',
    query: PageQuery,
    summary: 'KPI plans, each as its latest version',
    tag: 'kpi',
    responses: { 200: pageOf(KpiPlanVersionView, 'KpiPlanPage') },
  }),
  getPlan: route({
    id: 'getKpiPlan',
    method: 'GET',
    path: '/v1/tenants/{tenantId}/kpi-plans/{planId}',
    handler: 'functions/handlers/kpi/get-plan.ts',
    auth: 'jwt',
    roles: STAFF,
    table: 'read',
    summary: 'A KPI plan: its latest version and every version',
    tag: 'kpi',
    responses: { 200: KpiPlanWithVersions },
  }),
  createAssignment: route({
    id: 'createKpiAssignment',
    method: 'POST',
    path: '/v1/tenants/{tenantId}/kpi-assignments',
    handler: 'functions/handlers/kpi/create-assignment.ts',
    auth: 'jwt',
    roles: OWNER,
    table: 'write',
    body: KpiAssignmentInput,
    idempotent: true,
    summary: "Assign a plan to a staff group (all its members) or to one care staff (overrides the group's), from a date",
    tag: 'kpi',
    responses: { 201: KpiAssignmentView },
  }),
  listAssignments: route({
    id: 'listKpiAssignments',
    method: 'GET',
    path: '/v1/tenants/{tenantId}/kpi-assignments',
    handler: 'functions/handlers/kpi/list-assignments.ts',
    auth: 'jwt',
    roles: STAFF,
    table: 'read',
    query: AssignmentListQuery,
    summary: 'KPI assignments, oldest first, optionally of one plan, person or group',
    tag: 'kpi',
    responses: { 200: pageOf(KpiAssignmentView, 'KpiAssignmentPage') },
  }),
  results: route({
    id: 'getKpiResults',
    method: 'GET',
    path: '/v1/tenants/{tenantId}/kpi-results',
    handler: 'functions/handlers/kpi/results.ts',
    auth: 'jwt',
    roles: STAFF,
    table: 'read',
    query: ResultsQuery,
    summary:
      'KPI results of a period per care staff with a plan of that cycle in force (owner: all; manager: their team; care staff: themselves), from the maintained counters',
    tag: 'kpi',
    responses: {
      200: z
        .object({ period: z.string(), items: z.array(KpiResultItemView), nextCursor: z.string().nullable() })
        .meta({ id: 'KpiResults' }),
    },
  }),
};
