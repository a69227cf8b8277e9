import * as z from 'zod';
import { Earnings, OrderView } from '../../domain/entities/order-views';
import { DisputeView, OpenDisputeInput, StatementView } from '../../domain/statements';
import { isoDate } from '../../domain/text';
import { SnapshotView } from './periods';
import { PageQuery, pageOf, route } from './route';
import { StatementDetailView } from './statements';

/**
 * A CTV's own view (DOMAIN.md: "a CTV sees only their own data"): under the business, for the
 * caller's own CTV record (the account linked by joining the page). No collaborator id in the path:
 * there is nothing to guess.
 */
const CTV_ONLY = ['collaborator'] as const;

const MonthQuery = z.strictObject({
  period: z
    .string()
    .regex(/^\d{4}-\d{2}$/, 'a month, for example 2026-10')
    .meta({ example: '2026-10' }),
});

export const MyOrdersQuery = PageQuery.extend({
  from: isoDate.optional().meta({ description: 'first local day of creation (default: 90 days before `to`)' }),
  to: isoDate.optional().meta({ description: 'last local day (default: today)' }),
});

export const MyLedgerView = z
  .object({
    period: z.string(),
    earnings: Earnings,
    items: z.array(
      z
        .object({
          entryId: z.string(),
          kind: z.string(),
          amount: z.int(),
          periodId: z.string(),
          reason: z.string(),
          recordedAt: z.string(),
          source: z.object({ type: z.string() }).loose(),
          trace: z.object({ rule: z.string() }).loose(),
        })
        .loose(),
    ),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'MyLedger' });

export const meCtvRoutes = {
  orders: route({
    id: 'listMyOrders',
    method: 'GET',
    path: '/v1/tenants/{tenantId}/me/orders',
    handler: 'functions/handlers/me-ctv/orders.ts',
    auth: 'jwt',
    roles: CTV_ONLY,
    table: 'read',
    query: MyOrdersQuery,
    summary: 'My orders (credited to me), newest first; each order with its commission lines is GET …/orders/{orderId}',
    tag: 'me',
    responses: { 200: pageOf(OrderView, 'MyOrderPage') },
  }),
  ledger: route({
    id: 'listMyLedger',
    method: 'GET',
    path: '/v1/tenants/{tenantId}/me/ledger',
    handler: 'functions/handlers/me-ctv/ledger.ts',
    auth: 'jwt',
    roles: CTV_ONLY,
    table: 'read',
    query: MonthQuery.extend(PageQuery.shape),
    summary: 'My ledger lines of a month with their traces (why I earned what I earned), and my totals by kind',
    tag: 'me',
    responses: { 200: MyLedgerView },
  }),
  snapshot: route({
    id: 'getMySnapshot',
    method: 'GET',
    path: '/v1/tenants/{tenantId}/me/snapshot',
    handler: 'functions/handlers/me-ctv/snapshot.ts',
    auth: 'jwt',
    roles: CTV_ONLY,
    table: 'read',
    query: MonthQuery,
    summary: 'My month so far, as of the last nightly run: earnings by kind, volume, projected awards',
    tag: 'me',
    responses: { 200: SnapshotView },
  }),
  statements: route({
    id: 'listMyStatements',
    method: 'GET',
    path: '/v1/tenants/{tenantId}/me/statements',
    handler: 'functions/handlers/me-ctv/statements.ts',
    auth: 'jwt',
    roles: CTV_ONLY,
    table: 'read',
    query: PageQuery,
    summary: 'My statements, newest first',
    tag: 'me',
    responses: { 200: pageOf(StatementView, 'MyStatementPage') },
  }),
  statement: route({
    id: 'getMyStatement',
    method: 'GET',
    path: '/v1/tenants/{tenantId}/me/statements/{periodId}',
    handler: 'functions/handlers/me-ctv/statement.ts',
    auth: 'jwt',
    roles: CTV_ONLY,
    table: 'read',
    summary: 'My statement of a month with its lines, their traces, and my disputes',
    tag: 'me',
    responses: { 200: StatementDetailView },
  }),
  openDispute: route({
    id: 'openMyDispute',
    method: 'POST',
    path: '/v1/tenants/{tenantId}/me/statements/{periodId}/disputes',
    handler: 'functions/handlers/me-ctv/open-dispute.ts',
    auth: 'jwt',
    roles: CTV_ONLY,
    table: 'write',
    body: OpenDisputeInput,
    idempotent: true,
    summary: 'Dispute a line of my statement',
    tag: 'me',
    responses: { 201: DisputeView },
  }),
  disputes: route({
    id: 'listMyDisputes',
    method: 'GET',
    path: '/v1/tenants/{tenantId}/me/disputes',
    handler: 'functions/handlers/me-ctv/disputes.ts',
    auth: 'jwt',
    roles: CTV_ONLY,
    table: 'read',
    query: PageQuery,
    summary: 'My disputes, newest first',
    tag: 'me',
    responses: { 200: pageOf(DisputeView, 'MyDisputePage') },
  }),
};
