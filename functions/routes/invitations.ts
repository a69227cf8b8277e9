import * as z from 'zod';
import { RosterEntryView } from '../../domain/entities/roster';
import {
  CreatedInvitationView,
  CreateInvitationInput,
  INVITATION_STATUSES,
  INVITATION_VALID_DAYS,
  InvitationView,
} from '../../domain/invitations';
import { OWNER, PageQuery, pageOf, route } from './route';

export const InvitationQuery = PageQuery.extend({
  status: z.enum(INVITATION_STATUSES).optional().meta({ description: 'only the invitations with this status now' }),
});

/** The owner invites people to the rosters by email or phone; the invitee, signed in, accepts (domain/invitations.ts). */
export const invitationRoutes = {
  create: route({
    id: 'createInvitation',
    method: 'POST',
    path: '/v1/tenants/{tenantId}/invitations',
    handler: 'functions/handlers/invitations/create.ts',
    auth: 'jwt',
    roles: OWNER,
    table: 'write',
    // the answer shows the token: an idempotent replay keeps it sealed with the secrets key, as a
    // webhook source's generated secret (functions/http/operation.ts)
    sealingKey: true,
    body: CreateInvitationInput,
    idempotent: true,
    summary: `Invite someone, by email or phone, to the manager, care staff or seller roster; the token (and the url that accepts it) is shown only in this answer; it works once, for ${INVITATION_VALID_DAYS} days (a care staff's managerUserId must be on the manager roster, else 422)`,
    tag: 'rosters',
    responses: { 201: CreatedInvitationView },
  }),
  list: route({
    id: 'listInvitations',
    method: 'GET',
    path: '/v1/tenants/{tenantId}/invitations',
    handler: 'functions/handlers/invitations/list.ts',
    auth: 'jwt',
    roles: OWNER,
    table: 'read',
    query: InvitationQuery,
    summary: 'The invitations, newest first, each with its status (pending, accepted, revoked, expired); never their tokens',
    tag: 'rosters',
    responses: { 200: pageOf(InvitationView, 'InvitationPage') },
  }),
  revoke: route({
    id: 'revokeInvitation',
    method: 'DELETE',
    path: '/v1/tenants/{tenantId}/invitations/{invitationId}',
    handler: 'functions/handlers/invitations/revoke.ts',
    auth: 'jwt',
    roles: OWNER,
    table: 'write',
    summary:
      'Revoke an invitation nobody has accepted: its link then answers 410 (an accepted one: 409, remove the account from its roster instead)',
    tag: 'rosters',
    // accepted already
    errors: [409],
    responses: { 204: null },
  }),
  accept: route({
    id: 'acceptInvitation',
    method: 'POST',
    path: '/v1/invitations/{token}/accept',
    handler: 'functions/handlers/invitations/accept.ts',
    auth: 'jwt',
    table: 'write',
    idempotent: true,
    summary:
      'The signed-in account accepts an invitation and joins its roster, as if the owner had added it by its sub; once (used: 409), before it expires or is revoked (410); a token that names nothing: 404',
    tag: 'rosters',
    // used (409), expired or revoked (410)
    errors: [409, 410],
    responses: { 201: RosterEntryView },
  }),
};
