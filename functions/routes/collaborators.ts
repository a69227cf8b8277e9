import { CollaboratorFilter, CollaboratorView, CreateCollaboratorInput } from '../../domain/entities/collaborator';
import { ANY_MEMBER, PageQuery, pageOf, route, STAFF } from './route';

export const collaboratorRoutes = {
  create: route({
    id: 'createCollaborator',
    method: 'POST',
    path: '/v1/tenants/{tenantId}/collaborators',
    handler: 'functions/handlers/collaborators/create.ts',
    auth: 'jwt',
    roles: STAFF,
    table: 'write',
    body: CreateCollaboratorInput,
    idempotent: true,
    summary: 'Add a CTV by hand (starts approved); the phone must be new to the business',
    tag: 'collaborators',
    responses: { 201: CollaboratorView },
  }),
  list: route({
    id: 'listCollaborators',
    method: 'GET',
    path: '/v1/tenants/{tenantId}/collaborators',
    handler: 'functions/handlers/collaborators/list.ts',
    auth: 'jwt',
    roles: STAFF,
    table: 'read',
    query: PageQuery.extend(CollaboratorFilter.shape),
    summary: 'CTVs, filtered by status, care staff or level (care staff see only their own)',
    tag: 'collaborators',
    responses: { 200: pageOf(CollaboratorView, 'CollaboratorPage') },
  }),
  get: route({
    id: 'getCollaborator',
    method: 'GET',
    path: '/v1/tenants/{tenantId}/collaborators/{collaboratorId}',
    handler: 'functions/handlers/collaborators/get.ts',
    auth: 'jwt',
    roles: ANY_MEMBER,
    table: 'read',
    summary: 'One CTV (care staff: their own CTVs; a CTV: themselves)',
    tag: 'collaborators',
    responses: { 200: CollaboratorView },
  }),
};
