import * as z from 'zod';
import { isoDateTime } from '../../domain/text';
import { OWNER, PageQuery, pageOf, route } from './route';

/**
 * The operations the audit log records (DOMAIN.md: plans, rosters, approvals, closes, payouts):
 * after a successful call, `functions/http/operation.ts` writes who, when, what (the path's ids),
 * and the answer as `after` (a handler may give `before` / `after` itself). Route ids, so that a
 * route file need not change to be audited.
 */
export const AUDITED_OPERATIONS: ReadonlySet<string> = new Set([
  // settings, rosters, groups
  'updateSettings',
  'addManagers',
  'removeManagers',
  'addCareStaff',
  'removeCareStaff',
  'addSellers',
  'removeSellers',
  'createInvitation',
  'revokeInvitation',
  'addStaffGroupMember',
  'removeStaffGroupMember',
  // the network: approvals, levels, care staff
  'updateCollaborator',
  'approveCollaborator',
  'pauseCollaborator',
  'resumeCollaborator',
  'blockCollaborator',
  'assignCollaboratorCareStaff',
  // plans
  'createCommissionPlanVersion',
  'createKpiPlan',
  'addKpiPlanVersion',
  'createKpiAssignment',
  // money
  'approveIncurredCommission',
  'cancelIncurredCommission',
  'approveAdjustment',
  'cancelAdjustment',
  'startNightlyJob',
  'closePeriod',
  // the order intake: the owner's replays and discards
  'replayWebhookDelivery',
  'replayParkedDeliveries',
  'discardWebhookDelivery',
  'approveStatement',
  'resolveDispute',
  'createPayout',
  'markPayoutPaid',
  // order systems
  'createWebhookSource',
  'rotateWebhookSecret',
  'setWebhookSourceApi',
]);

export const AuditEntryView = z
  .object({
    id: z.string(),
    at: z.string(),
    actor: z.string(),
    action: z.string(),
    target: z.record(z.string(), z.string()),
    status: z.int().optional(),
    before: z.unknown().optional(),
    after: z.unknown().optional(),
  })
  .meta({ id: 'AuditEntry' });

export const AuditQuery = PageQuery.extend({
  from: isoDateTime.optional(),
  to: isoDateTime.optional(),
  action: z.string().max(64).optional(),
  actor: z.string().max(128).optional(),
});

export const auditRoutes = {
  list: route({
    id: 'listAudit',
    method: 'GET',
    path: '/v1/tenants/{tenantId}/audit',
    handler: 'functions/handlers/audit/list.ts',
    auth: 'jwt',
    roles: OWNER,
    table: 'read',
    query: AuditQuery,
    summary: 'Who changed what, when: plans, rosters, approvals, closes, payouts; newest first',
    tag: 'audit',
    responses: { 200: pageOf(AuditEntryView, 'AuditPage') },
  }),
};
