import * as z from 'zod';
import { CreateObjectiveInput, OkrResultView, PeriodId, UpdateKeyResultInput } from '../../domain/okr/okr';
import { PageQuery, pageOf, route } from './route';

const MANAGERS = ['owner', 'manager'] as const;

export const ObjectiveView = z
  .object({
    id: z.string(),
    tenantId: z.string(),
    managerUserId: z.string(),
    period: z.string(),
    title: z.string(),
    weightBp: z.int(),
    keyResults: z.array(
      z.object({
        id: z.string(),
        title: z.string(),
        unit: z.string().optional(),
        start: z.number(),
        target: z.number(),
        current: z.number(),
        weightBp: z.int(),
        progressBp: z.int(),
        updatedAt: z.string().optional(),
        updatedBy: z.string().optional(),
      }),
    ),
    scoreBp: z.int().meta({ description: 'weighted mean of the key results’ progress' }),
    version: z.int(),
    createdAt: z.string(),
    createdBy: z.string(),
    updatedAt: z.string(),
    updatedBy: z.string(),
  })
  .meta({ id: 'Objective' });

export const ObjectiveListQuery = PageQuery.extend({
  period: PeriodId,
  managerUserId: z.string().max(128).optional(),
});

export const OkrResultsQuery = PageQuery.extend({
  period: PeriodId.meta({ description: 'any cycle: 2026-10, 2026-W47, 2026-Q4, 2026' }),
  managerUserId: z.string().max(128).optional(),
});

/** Managers' objectives and key results per period, and their CSAT coefficient and OKR score. */
export const okrRoutes = {
  createObjective: route({
    id: 'createObjective',
    method: 'POST',
    path: '/v1/tenants/{tenantId}/okrs',
    handler: 'functions/handlers/okr/create-objective.ts',
    auth: 'jwt',
    roles: MANAGERS,
    table: 'write',
    body: CreateObjectiveInput,
    idempotent: true,
    summary: "An objective of a manager for a period, with weighted key results (owner: any manager's; manager: their own)",
    tag: 'okr',
    responses: { 201: ObjectiveView },
  }),
  listObjectives: route({
    id: 'listObjectives',
    method: 'GET',
    path: '/v1/tenants/{tenantId}/okrs',
    handler: 'functions/handlers/okr/list-objectives.ts',
    auth: 'jwt',
    roles: MANAGERS,
    table: 'read',
    query: ObjectiveListQuery,
    summary: "A period's objectives (owner: every manager's, or one; manager: their own)",
    tag: 'okr',
    responses: { 200: pageOf(ObjectiveView, 'ObjectivePage') },
  }),
  getObjective: route({
    id: 'getObjective',
    method: 'GET',
    path: '/v1/tenants/{tenantId}/okrs/{objectiveId}',
    handler: 'functions/handlers/okr/get-objective.ts',
    auth: 'jwt',
    roles: MANAGERS,
    table: 'read',
    summary: 'An objective with its key results and their progress (ETag: its version)',
    tag: 'okr',
    responses: { 200: ObjectiveView },
  }),
  updateKeyResult: route({
    id: 'updateKeyResult',
    method: 'PATCH',
    path: '/v1/tenants/{tenantId}/okrs/{objectiveId}/key-results/{keyResultId}',
    handler: 'functions/handlers/okr/update-key-result.ts',
    auth: 'jwt',
    roles: MANAGERS,
    table: 'write',
    body: UpdateKeyResultInput,
    summary: "Record a key result's current value (If-Match: the objective's version)",
    tag: 'okr',
    responses: { 200: ObjectiveView },
  }),
  results: route({
    id: 'getOkrResults',
    method: 'GET',
    path: '/v1/tenants/{tenantId}/okr-results',
    handler: 'functions/handlers/okr/results.ts',
    auth: 'jwt',
    roles: MANAGERS,
    table: 'read',
    query: OkrResultsQuery,
    summary:
      "Per manager (owner: all; manager: themselves): the team's CSAT, its coefficient k from the settings' step table, and the OKR score",
    tag: 'okr',
    responses: {
      200: z.object({ period: z.string(), items: z.array(OkrResultView), nextCursor: z.string().nullable() }).meta({ id: 'OkrResults' }),
    },
  }),
};
