import * as z from 'zod';
import { isoDate, isoDateTime } from '../../domain/text';
import { OWNER, PageQuery, pageOf, route } from './route';

export const StartNightlyInput = z
  .strictObject({
    asOf: z.union([isoDate, isoDateTime]).meta({
      description:
        'a local day (the run is as of its start in the business time zone: 2026-11-01 closes October) or an instant with offset; not in the future',
      example: '2026-11-01',
    }),
    mode: z
      .enum(['auto', 'full'])
      .optional()
      .meta({ description: 'auto (default): recompute only the snapshots of CTVs that changed since the last run; full: every CTV' }),
  })
  .meta({ id: 'StartNightlyInput' });

export const JobView = z
  .object({
    jobId: z.string(),
    kind: z.literal('nightly'),
    state: z.enum(['running', 'succeeded', 'failed']),
    asOf: z.string().meta({ description: 'the instant the run is as of' }),
    asOfInput: z.string(),
    mode: z.enum(['auto', 'full']),
    requestedBy: z.string(),
    createdAt: z.string(),
    startedAt: z.string().optional(),
    finishedAt: z.string().optional(),
    progress: z.object({ done: z.int(), total: z.int(), phase: z.string().nullable() }),
    phases: z.array(z.object({ name: z.string(), units: z.int(), done: z.int() })),
    plan: z
      .object({ toClose: z.array(z.string()), openMonth: z.string(), full: z.boolean(), changed: z.int(), collaborators: z.int() })
      .optional(),
    counters: z.record(z.string(), z.int()).optional(),
    summary: z
      .object({
        closed: z.array(z.string()),
        openMonth: z.string(),
        full: z.boolean(),
        changed: z.int(),
        snapshots: z.int(),
        written: z.int(),
        kpi: z.string(),
      })
      .optional(),
    error: z.string().optional(),
  })
  .meta({ id: 'Job' });

export const jobRoutes = {
  startNightly: route({
    id: 'startNightlyJob',
    method: 'POST',
    path: '/v1/tenants/{tenantId}/jobs/nightly',
    handler: 'functions/handlers/jobs/start-nightly.ts',
    auth: 'jwt',
    roles: OWNER,
    table: 'write',
    nightlyQueue: true,
    body: StartNightlyInput,
    idempotent: true,
    summary: 'Run the nightly job now, as of a day: close every month that ended before it, recompute the open month’s snapshots',
    tag: 'jobs',
    responses: { 202: z.object({ jobId: z.string(), state: z.string(), asOf: z.string() }).meta({ id: 'JobStarted' }) },
  }),
  get: route({
    id: 'getJob',
    method: 'GET',
    path: '/v1/tenants/{tenantId}/jobs/{jobId}',
    handler: 'functions/handlers/jobs/get.ts',
    auth: 'jwt',
    roles: OWNER,
    table: 'read',
    summary: 'A job: running, succeeded or failed, with its progress',
    tag: 'jobs',
    responses: { 200: JobView },
  }),
  list: route({
    id: 'listJobs',
    method: 'GET',
    path: '/v1/tenants/{tenantId}/jobs',
    handler: 'functions/handlers/jobs/list.ts',
    auth: 'jwt',
    roles: OWNER,
    table: 'read',
    query: PageQuery,
    summary: 'Jobs, newest first',
    tag: 'jobs',
    responses: { 200: pageOf(JobView, 'JobPage') },
  }),
};
