import * as z from 'zod';
import { Role } from '../../domain/entities/roster';
import { route } from './route';

export const MeView = z
  .object({
    sub: z.string(),
    email: z.string().optional(),
    memberships: z.array(z.object({ tenantId: z.string(), role: Role })),
  })
  .meta({ id: 'Me' });

export const BankView = z
  .object({
    bin: z.string().meta({ description: 'the NAPAS BIN: what a bank account names its bank by' }),
    code: z.string(),
    shortName: z.string(),
    name: z.string(),
  })
  .meta({ id: 'Bank' });

export const systemRoutes = {
  openapi: route({
    id: 'getOpenApi',
    method: 'GET',
    path: '/v1/openapi.json',
    handler: 'functions/handlers/system/openapi.ts',
    auth: 'public',
    table: 'none',
    summary: 'The OpenAPI 3.1 document of this API',
    tag: 'system',
    responses: { 200: z.object({ openapi: z.string() }).loose() },
  }),
  me: route({
    id: 'getMe',
    method: 'GET',
    path: '/v1/me',
    handler: 'functions/handlers/system/me.ts',
    auth: 'jwt',
    table: 'read',
    summary: "The caller's account and their roles in each business",
    tag: 'system',
    responses: { 200: MeView },
  }),
  banks: route({
    id: 'listBanks',
    method: 'GET',
    path: '/v1/banks',
    handler: 'functions/handlers/system/banks.ts',
    auth: 'public',
    table: 'none',
    summary: "Vietnam's banks that take NAPAS 247 transfers, by BIN: the choices for a CTV's bank account",
    tag: 'system',
    responses: { 200: z.object({ items: z.array(BankView) }) },
  }),
};
