import { describe, expect, it } from 'vitest';
import { CORS_EXPOSE_HEADERS } from '../../functions/http/cors';
import { problemStatusesOf, servedOpenApiDocument } from '../../functions/openapi/document';
import { route } from '../../functions/routes/route';
import { declaredAnswer, type DeclaredAnswer } from '../integration/support/contract';
import * as z from 'zod';

/**
 * What a front-end team reads in the served document: every operation described, with an example
 * of what it takes and answers, its problem answers and its response headers declared. (The suite
 * also checks every answer it sees is declared: test/integration/support/contract.ts.)
 */
type Operation = {
  operationId: string;
  description?: string;
  requestBody?: { content: Record<string, { example?: unknown }> };
  responses: Record<string, DeclaredAnswer>;
};
const doc = servedOpenApiDocument() as unknown as {
  paths: Record<string, Record<string, Operation>>;
  components: { responses: Record<string, DeclaredAnswer> };
};
const operations = Object.values(doc.paths).flatMap((item) => Object.values(item));

describe('the served OpenAPI document, for a front-end team', () => {
  it('describes every operation, with an example of each body it takes and each answer it gives', () => {
    expect(operations.length).toBeGreaterThan(100);
    const missing: string[] = [];
    for (const op of operations) {
      if (!op.description?.trim()) missing.push(`${op.operationId} description`);
      for (const [type, media] of Object.entries(op.requestBody?.content ?? {}))
        if (media.example === undefined) missing.push(`${op.operationId} body ${type}`);
      for (const [status, answer] of Object.entries(op.responses)) {
        for (const [type, media] of Object.entries(declaredAnswer(answer).content ?? {}))
          if (media.example === undefined) missing.push(`${op.operationId} ${status} ${type}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('declares the headers of creates and of idempotent routes', () => {
    const created = operations.filter((op) => op.responses['201']);
    expect(created.length).toBeGreaterThan(10);
    for (const op of created) expect(Object.keys(op.responses['201']!.headers ?? {}), op.operationId).toContain('Location');
    const idempotent = operations.filter((op) => op.description?.includes('Idempotency-Key'));
    expect(idempotent.length).toBeGreaterThan(5);
    for (const op of idempotent) {
      const success = Object.entries(op.responses).find(([s]) => s.startsWith('2'))![1];
      expect(Object.keys(success.headers ?? {}), op.operationId).toContain('Idempotent-Replayed');
    }
  });

  it('writes each problem answer once, and every route refers to it for each problem status it can answer', () => {
    const problems = doc.components.responses;
    // every status any route can answer, and nothing else: a component no route uses would be a lint warning
    const used = new Set(
      operations.flatMap((op) =>
        Object.values(op.responses).flatMap((a) => (a.$ref ? [a.$ref.replace('#/components/responses/', '')] : [])),
      ),
    );
    expect(Object.keys(problems).sort()).toEqual([...used].sort());
    for (const [name, answer] of Object.entries(problems)) {
      const status = Number(name.replace('Problem', ''));
      const media = answer.content?.['application/problem+json'];
      expect(media?.example, name).toMatchObject({ status });
      expect(Object.keys(answer.headers ?? {}), name).toEqual(status === 429 || status === 503 ? ['Retry-After'] : []);
    }
    // a problem status is never written in a route itself (which is where the repetition was)
    for (const op of operations)
      for (const [status, answer] of Object.entries(op.responses))
        if (!/^2/.test(status)) expect(answer.$ref, `${op.operationId} ${status}`).toBe(`#/components/responses/Problem${status}`);
    expect(used.has('Problem401') && used.has('Problem429')).toBe(true);
  });

  it('lets a browser script read every answer header the document declares (CORS exposes it)', () => {
    const declared = new Set<string>();
    for (const op of operations)
      for (const answer of Object.values(op.responses))
        for (const name of Object.keys(declaredAnswer(answer).headers ?? {})) declared.add(name);
    expect([...declared].sort()).toEqual(['ETag', 'Idempotent-Replayed', 'Link', 'Location', 'Retry-After']);
    const exposed = new Set(CORS_EXPOSE_HEADERS.map((h) => h.toLowerCase()));
    expect([...declared].filter((h) => !exposed.has(h.toLowerCase()))).toEqual([]);
  });

  it('declares the payout transfer file as CSV or a workbook, not JSON', () => {
    const exportOp = operations.find((op) => op.operationId === 'exportPayout')!;
    expect(Object.keys(exportOp.responses['200']!.content!)).toEqual([
      'text/csv',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    ]);
  });
});

describe('problemStatusesOf: the problem answers a route declares', () => {
  const base = {
    id: 'x',
    path: '/v1/tenants/{tenantId}/things',
    handler: 'h.ts',
    table: 'read',
    summary: 's',
    tag: 't',
    responses: { 200: null },
  } as const;

  it('a public read: a bad query, throttling, a fault, a busy store', () => {
    expect(problemStatusesOf(route({ ...base, method: 'GET', path: '/v1/pages/things', auth: 'public' }), false)).toEqual([
      400, 429, 500, 503,
    ]);
  });

  it('a member update of one item with If-Match and a body', () => {
    const r = route({
      ...base,
      method: 'PATCH',
      path: '/v1/tenants/{tenantId}/things/{thingId}',
      auth: 'jwt',
      roles: ['owner'],
      body: z.object({ a: z.string() }),
    });
    expect(problemStatusesOf(r, true)).toEqual([400, 401, 403, 404, 412, 413, 422, 428, 429, 500, 503]);
  });

  it('an idempotent create adds 409 (a retry while the first runs) and its own errors', () => {
    const r = route({ ...base, method: 'POST', auth: 'jwt', roles: ['owner'], idempotent: true, errors: [410] });
    expect(problemStatusesOf(r, false)).toEqual([400, 401, 403, 404, 409, 410, 422, 429, 500, 503]);
  });
});
