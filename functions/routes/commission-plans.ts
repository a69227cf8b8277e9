import * as z from 'zod';
import { CommissionPlanVersionInput, CommissionPlanVersionView } from '../../domain/commission/plan';
import { OWNER, PageQuery, pageOf, route } from './route';

const PlanVersionAnswer = CommissionPlanVersionView.extend({ id: z.string(), createdBy: z.string() }).meta({ id: 'CommissionPlanVersionAnswer' });

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
