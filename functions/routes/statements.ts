import * as z from 'zod';
import { DisputeView, OpenDisputeInput, ResolveDisputeInput, STATEMENT_STATES, StatementView } from '../../domain/statements';
import { JsonOrXlsx, XLSX_MEDIA_TYPE } from '../../domain/exports';
import { OWNER, PageQuery, pageOf, route, STAFF } from './route';

export const StatementListQuery = PageQuery.extend({
  period: z
    .string()
    .regex(/^\d{4}-\d{2}$/, 'a month, for example 2026-10')
    .meta({ example: '2026-10' }),
  status: z.enum(STATEMENT_STATES).optional(),
  format: JsonOrXlsx,
});

export const DisputeListQuery = PageQuery.extend({ status: z.enum(['open', 'adjusted', 'rejected']).default('open') });

export const StatementDetailView = StatementView.extend({ disputes: z.array(DisputeView) }).meta({ id: 'StatementDetail' });

export const statementRoutes = {
  list: route({
    id: 'listStatements',
    method: 'GET',
    path: '/v1/tenants/{tenantId}/statements',
    handler: 'functions/handlers/statements/list.ts',
    auth: 'jwt',
    roles: STAFF,
    table: 'read',
    query: StatementListQuery,
    summary: "A closed month's statements (without lines); managers and care staff see their CTVs'",
    tag: 'statements',
    produces: ['application/json', XLSX_MEDIA_TYPE],
    responses: { 200: pageOf(StatementView, 'StatementPage') },
  }),
  get: route({
    id: 'getStatement',
    method: 'GET',
    path: '/v1/tenants/{tenantId}/statements/{periodId}/{collaboratorId}',
    handler: 'functions/handlers/statements/get.ts',
    auth: 'jwt',
    roles: ['owner', 'manager', 'care_staff', 'collaborator'],
    table: 'read',
    summary: "A CTV's statement of a month: its settled lines with their traces, what stays pending, its disputes",
    tag: 'statements',
    responses: { 200: StatementDetailView },
  }),
  approve: route({
    id: 'approveStatement',
    method: 'POST',
    path: '/v1/tenants/{tenantId}/statements/{periodId}/{collaboratorId}/approve',
    handler: 'functions/handlers/statements/approve.ts',
    auth: 'jwt',
    roles: OWNER,
    table: 'write',
    summary: 'Approve a draft statement (If-Match); not while a dispute on it is open',
    tag: 'statements',
    responses: { 200: StatementView },
  }),
  disputes: route({
    id: 'listDisputes',
    method: 'GET',
    path: '/v1/tenants/{tenantId}/disputes',
    handler: 'functions/handlers/statements/disputes.ts',
    auth: 'jwt',
    roles: OWNER,
    table: 'read',
    query: DisputeListQuery,
    summary: 'Disputes by status (default open), newest first',
    tag: 'statements',
    responses: { 200: pageOf(DisputeView, 'DisputePage') },
  }),
  resolve: route({
    id: 'resolveDispute',
    method: 'POST',
    path: '/v1/tenants/{tenantId}/statements/{periodId}/{collaboratorId}/disputes/{disputeId}/resolve',
    handler: 'functions/handlers/statements/resolve-dispute.ts',
    auth: 'jwt',
    roles: OWNER,
    table: 'write',
    body: ResolveDisputeInput,
    summary: 'Resolve a dispute (If-Match): with an adjustment booked into the open month, or rejected with a written reason',
    tag: 'statements',
    responses: { 200: DisputeView },
  }),
};

export { OpenDisputeInput };
