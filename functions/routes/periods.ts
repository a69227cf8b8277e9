import * as z from 'zod';
import { ByKindView } from '../../domain/statements';
import { OWNER, PageQuery, pageOf, route, STAFF } from './route';

const Month = z.string().regex(/^\d{4}-\d{2}$/, 'a month, for example 2026-10');

export const PeriodView = z
  .object({
    id: z.string().meta({ example: '2026-10' }),
    state: z.enum(['open', 'closing', 'closed']),
    frozenAt: z.string().optional(),
    closedAt: z.string().optional(),
    jobId: z.string().optional(),
    requestedBy: z.string().optional(),
    settledPeriods: z.array(z.string()).optional().meta({ description: 'the periods whose awards and referral this close booked' }),
    statements: z.int().optional(),
    total: z.int().optional(),
    byKind: ByKindView.optional(),
  })
  .meta({ id: 'Period' });

export const PeriodDetailView = PeriodView.extend({
  kpi: z.object({ asOf: z.string(), items: z.array(z.unknown()).nullable(), unavailable: z.string().optional() }).nullable(),
  okr: z.object({ asOf: z.string(), items: z.array(z.unknown()).nullable(), unavailable: z.string().optional() }).nullable(),
}).meta({ id: 'PeriodDetail' });

export const SnapshotView = z
  .object({
    periodId: z.string(),
    collaboratorId: z.string(),
    name: z.string(),
    refId: z.string(),
    status: z.string(),
    careStaffUserId: z.string().nullable(),
    managerUserId: z.string().nullable(),
    asOf: z.string(),
    earnings: z.object({ byKind: ByKindView, total: z.int() }),
    volume: z.object({ revenue: z.int(), quantity: z.int(), orders: z.int() }),
    ratings: z.object({ count: z.int(), starsSum: z.int() }),
    projected: z.object({
      lines: z.array(z.object({ key: z.string(), kind: z.string(), amount: z.int(), trace: z.object({ rule: z.string() }).loose() })),
      total: z.int(),
    }),
    projectedTotal: z.int().meta({ description: 'earnings so far + projected awards' }),
  })
  .meta({ id: 'CollaboratorSnapshot' });

export const periodRoutes = {
  list: route({
    id: 'listPeriods',
    method: 'GET',
    path: '/v1/tenants/{tenantId}/periods',
    handler: 'functions/handlers/periods/list.ts',
    auth: 'jwt',
    roles: STAFF,
    table: 'read',
    summary: 'Statement months: the closed ones with their totals, and the open one',
    tag: 'periods',
    responses: { 200: pageOf(PeriodView, 'PeriodPage') },
  }),
  get: route({
    id: 'getPeriod',
    method: 'GET',
    path: '/v1/tenants/{tenantId}/periods/{periodId}',
    handler: 'functions/handlers/periods/get.ts',
    auth: 'jwt',
    roles: ['owner', 'manager'],
    table: 'read',
    summary: 'A month: its close and the KPI / OKR snapshots the nightly run took of it',
    tag: 'periods',
    responses: { 200: PeriodDetailView },
  }),
  close: route({
    id: 'closePeriod',
    method: 'POST',
    path: '/v1/tenants/{tenantId}/periods/{periodId}/close',
    handler: 'functions/handlers/periods/close.ts',
    auth: 'jwt',
    roles: OWNER,
    table: 'write',
    nightlyQueue: true,
    summary: 'Close an ended month now (and any earlier open one): starts a nightly run as of the day after it',
    tag: 'periods',
    responses: { 202: z.object({ jobId: z.string(), state: z.string(), asOf: z.string() }) },
  }),
  snapshots: route({
    id: 'listSnapshots',
    method: 'GET',
    path: '/v1/tenants/{tenantId}/periods/{periodId}/snapshots',
    handler: 'functions/handlers/periods/snapshots.ts',
    auth: 'jwt',
    roles: STAFF,
    table: 'read',
    query: PageQuery,
    summary:
      "Each CTV's month so far (earnings by kind, volume, projected awards), as of the last nightly run; managers and care staff see their CTVs",
    tag: 'periods',
    responses: { 200: pageOf(SnapshotView, 'SnapshotPage') },
  }),
  snapshot: route({
    id: 'getSnapshot',
    method: 'GET',
    path: '/v1/tenants/{tenantId}/periods/{periodId}/snapshots/{collaboratorId}',
    handler: 'functions/handlers/periods/snapshot.ts',
    auth: 'jwt',
    roles: ['owner', 'manager', 'care_staff', 'collaborator'],
    table: 'read',
    summary: "One CTV's month so far, as of the last nightly run",
    tag: 'periods',
    responses: { 200: SnapshotView },
  }),
};

export { Month };
