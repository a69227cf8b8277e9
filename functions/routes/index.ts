import { collaboratorRoutes } from './collaborators';
import { commissionPlanRoutes } from './commission-plans';
import { opportunityRoutes } from './opportunities';
import { pageRoutes } from './pages';
import { orderRoutes } from './orders';
import { rosterRoutes } from './rosters';
import { invitationRoutes } from './invitations';
import type { Route } from './route';
import { staffGroupRoutes } from './staff-groups';
import { systemRoutes } from './system';
import { tenantRoutes } from './tenants';
import { voucherRoutes } from './vouchers';
import { webhookDeliveryRoutes } from './webhook-deliveries';
import { webhookSourceRoutes } from './webhook-sources';
import { feedbackRoutes } from './feedback';
import { kpiRoutes } from './kpi';
import { okrRoutes } from './okr';
import { reportRoutes } from './reports';
import { auditRoutes } from './audit';
import { jobRoutes } from './jobs';
import { meCtvRoutes } from './me-ctv';
import { payoutRoutes } from './payouts';
import { periodRoutes } from './periods';
import { statementRoutes } from './statements';

/** The route table: every operation of the API, once. CDK, the local server and OpenAPI read this. */
export const ROUTES: Route<any, any>[] = [
  ...Object.values(systemRoutes),
  ...Object.values(tenantRoutes),
  ...Object.values(rosterRoutes).flatMap((r) => [r.add, r.list, r.remove]),
  ...Object.values(invitationRoutes),
  ...Object.values(collaboratorRoutes),
  ...Object.values(pageRoutes),
  ...Object.values(opportunityRoutes),
  ...Object.values(staffGroupRoutes),
  ...Object.values(webhookSourceRoutes),
  ...Object.values(webhookDeliveryRoutes),
  ...Object.values(orderRoutes),
  ...Object.values(commissionPlanRoutes),
  ...Object.values(kpiRoutes),
  ...Object.values(okrRoutes),
  ...Object.values(feedbackRoutes),
  ...Object.values(reportRoutes),
  ...Object.values(voucherRoutes).flatMap((r) => [r.create, r.list, r.approve, r.cancel]),
  ...Object.values(jobRoutes),
  ...Object.values(periodRoutes),
  ...Object.values(statementRoutes),
  ...Object.values(payoutRoutes),
  ...Object.values(auditRoutes),
  ...Object.values(meCtvRoutes),
];
