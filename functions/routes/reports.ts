import * as z from 'zod';
import { CsatResultView } from '../../domain/okr/csat';
import { PeriodId } from '../../domain/okr/okr';
import { JsonOrXlsx, XLSX_MEDIA_TYPE } from '../../domain/exports';
import { PageQuery, route, STAFF } from './route';

const Network = z.object({
  totalCollaborators: z.int().meta({ description: 'approved or paused at the period’s cut-off (now, for a period in progress)' }),
  newCollaborators: z.int().meta({ description: 'first approved in the period, with this care staff at its cut-off' }),
  activeCollaborators: z.int().meta({ description: 'with an approved order in the period' }),
});

export const StaffReportRow = Network.extend({
  userId: z.string(),
  name: z.string(),
  managerUserId: z.string().nullable(),
  revenue: z.int().meta({ description: 'R of orders approved in the period, net of returns recorded before its close' }),
  orders: z.int().meta({ description: 'orders approved in the period (not void)' }),
  createdOrders: z.int(),
  completedOrders: z.int(),
  voidOrders: z.int().meta({ description: 'of the orders created in the period, those void' }),
  confirmationRateBp: z.int(),
  completionRateBp: z.int(),
  cancelRateBp: z.int(),
}).meta({ id: 'StaffReportRow' });

export const ManagerReportRow = z
  .object({
    managerUserId: z.string(),
    name: z.string(),
    period: z.string(),
    careStaff: z.array(
      StaffReportRow.extend({
        kpi: z
          .object({
            planId: z.string(),
            planVersion: z.int(),
            score: z.number(),
            scoreBp: z.int(),
            award: z.int(),
            conditions: z.array(
              z.object({ indicator: z.string(), actual: z.number(), target: z.number(), achievementBp: z.int(), holds: z.boolean() }),
            ),
          })
          .nullable()
          .meta({ description: 'null: no KPI plan of the period’s cycle in force' }),
      }),
    ),
    network: Network,
    revenue: z.int(),
    orders: z.int(),
    commissionOwed: z.int().nullable().meta({
      description: "Σ the team's CTVs' earnings totals for the months of the period (null for a week: earnings are kept by month)",
    }),
    csat: CsatResultView,
  })
  .meta({ id: 'ManagerReportRow' });

export const ReportQuery = PageQuery.extend({ period: PeriodId, format: JsonOrXlsx });

/** BC Quản lý and BC Nhân viên, by period, from the maintained counters. */
export const reportRoutes = {
  manager: route({
    id: 'getManagerReport',
    method: 'GET',
    path: '/v1/tenants/{tenantId}/reports/manager',
    handler: 'functions/handlers/reports/manager.ts',
    auth: 'jwt',
    roles: ['owner', 'manager'],
    table: 'read',
    query: ReportQuery.extend({ managerUserId: z.string().max(128).optional() }),
    summary:
      "The manager report (BC Quản lý): per manager (owner: all; manager: themselves) the team's KPI progress per care staff, the network, revenue, commission owed and CSAT",
    tag: 'reports',
    produces: ['application/json', XLSX_MEDIA_TYPE],
    responses: {
      200: z
        .object({ period: z.string(), items: z.array(ManagerReportRow), nextCursor: z.string().nullable() })
        .meta({ id: 'ManagerReport' }),
    },
  }),
  staff: route({
    id: 'getStaffReport',
    method: 'GET',
    path: '/v1/tenants/{tenantId}/reports/staff',
    handler: 'functions/handlers/reports/staff.ts',
    auth: 'jwt',
    roles: STAFF,
    table: 'read',
    query: ReportQuery.extend({ userId: z.string().max(128).optional() }),
    summary:
      'The staff report (BC Nhân viên): per care staff (owner: all; manager: their team; care staff: themselves) revenue, orders, total/new/active CTVs, confirmation, completion and cancel rates',
    tag: 'reports',
    produces: ['application/json', XLSX_MEDIA_TYPE],
    responses: {
      200: z.object({ period: z.string(), items: z.array(StaffReportRow), nextCursor: z.string().nullable() }).meta({ id: 'StaffReport' }),
    },
  }),
};
