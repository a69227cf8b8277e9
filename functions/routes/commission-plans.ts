import * as z from 'zod';
import { CommissionPlanVersionInput, CommissionPlanVersionView } from '../../domain/commission/plan';
import { isoDate } from '../../domain/text';
import { OWNER, PageQuery, pageOf, route } from './route';

const PlanVersionAnswer = CommissionPlanVersionView.extend({ id: z.string(), createdBy: z.string() }).meta({
  id: 'CommissionPlanVersionAnswer',
});

export const PreviewInput = z
  .strictObject({
    plan: CommissionPlanVersionInput,
    from: isoDate.meta({ description: 'first local day of approval' }),
    to: isoDate.meta({ description: 'last local day of approval' }),
  })
  .meta({ id: 'CommissionPlanPreviewInput' });

const PreviewAnswer = z
  .object({
    from: z.string(),
    to: z.string(),
    orders: z.int(),
    items: z.array(z.object({ collaboratorId: z.string(), current: z.int(), draft: z.int(), difference: z.int() })),
    totals: z.object({ current: z.int(), draft: z.int(), difference: z.int() }),
  })
  .meta({ id: 'CommissionPlanPreview' });

export const commissionPlanRoutes = {
  create: route({
    id: 'createCommissionPlanVersion',
    method: 'POST',
    path: '/v1/tenants/{tenantId}/commission-plans',
    handler: 'functions/handlers/commission-plans/create.ts',
    auth: 'jwt',
    roles: OWNER,
    table: 'write',
    body: CommissionPlanVersionInput,
    idempotent: true,
    summary: 'A new version of the commission plan, in force from its effectiveFrom (a local day)',
    tag: 'commissions',
    responses: { 201: PlanVersionAnswer },
  }),
  list: route({
    id: 'listCommissionPlanVersions',
    method: 'GET',
    path: '/v1/tenants/{tenantId}/commission-plans',
    handler: 'functions/handlers/commission-plans/list.ts',
    auth: 'jwt',
    roles: ['owner', 'manager', 'care_staff'],
    table: 'read',
    query: PageQuery,
    summary: 'Versions of the commission plan, newest first',
    tag: 'commissions',
    responses: { 200: pageOf(PlanVersionAnswer, 'CommissionPlanVersionPage') },
  }),
  preview: route({
    id: 'previewCommissionPlan',
    method: 'POST',
    path: '/v1/tenants/{tenantId}/commission-plans/preview',
    handler: 'functions/handlers/commission-plans/preview.ts',
    auth: 'jwt',
    roles: ['owner', 'manager'],
    table: 'read',
    body: PreviewInput,
    summary:
      'What each CTV would have earned under a draft version on the orders approved in a range, beside what they earn now; writes nothing',
    tag: 'commissions',
    responses: { 200: PreviewAnswer },
  }),
  get: route({
    id: 'getCommissionPlanVersion',
    method: 'GET',
    path: '/v1/tenants/{tenantId}/commission-plans/{version}',
    handler: 'functions/handlers/commission-plans/get.ts',
    auth: 'jwt',
    roles: ['owner', 'manager', 'care_staff'],
    table: 'read',
    summary: 'One version of the commission plan',
    tag: 'commissions',
    responses: { 200: PlanVersionAnswer },
  }),
};
