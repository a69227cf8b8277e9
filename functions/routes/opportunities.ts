import { CreateOpportunityInput, MoveOpportunityInput, OpportunityFilter, OpportunityView } from '../../domain/entities/opportunity';
import type { Role } from '../../domain/entities/roster';
import { PageQuery, pageOf, route } from './route';

const VIEWERS: readonly Role[] = ['owner', 'manager', 'care_staff', 'collaborator'];

export const opportunityRoutes = {
  create: route({
    id: 'createOpportunity',
    method: 'POST',
    path: '/v1/pages/{pageId}/opportunities',
    handler: 'functions/handlers/opportunities/create.ts',
    auth: 'jwt',
    table: 'write',
    body: CreateOpportunityInput,
    idempotent: true,
    summary: "An approved CTV (by their linked account) files a sales opportunity on the business's page; it goes to their care staff",
    tag: 'opportunities',
    // an account that is not a CTV of the business (403); a CTV not approved (422)
    errors: [403],
    responses: { 201: OpportunityView },
  }),
  list: route({
    id: 'listOpportunities',
    method: 'GET',
    path: '/v1/tenants/{tenantId}/opportunities',
    handler: 'functions/handlers/opportunities/list.ts',
    auth: 'jwt',
    roles: VIEWERS,
    table: 'read',
    query: PageQuery.extend(OpportunityFilter.shape),
    summary: 'Opportunities by state, CTV or care staff (owner: all; manager: their team; care staff: their own; CTV: those they filed)',
    tag: 'opportunities',
    responses: { 200: pageOf(OpportunityView, 'OpportunityPage') },
  }),
  get: route({
    id: 'getOpportunity',
    method: 'GET',
    path: '/v1/tenants/{tenantId}/opportunities/{opportunityId}',
    handler: 'functions/handlers/opportunities/get.ts',
    auth: 'jwt',
    roles: VIEWERS,
    table: 'read',
    summary: 'One opportunity, with its ETag',
    tag: 'opportunities',
    responses: { 200: OpportunityView },
  }),
  move: route({
    id: 'moveOpportunity',
    method: 'POST',
    path: '/v1/tenants/{tenantId}/opportunities/{opportunityId}/state',
    handler: 'functions/handlers/opportunities/move.ts',
    auth: 'jwt',
    roles: ['owner', 'manager', 'care_staff'],
    table: 'write',
    body: MoveOpportunityInput,
    summary: 'new → contacted → won (with orderId) | lost, or new → lost; by the assigned care staff, their manager or the owner; If-Match',
    tag: 'opportunities',
    responses: { 200: OpportunityView },
  }),
};
