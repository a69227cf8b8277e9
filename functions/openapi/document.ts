import * as z from 'zod';
import type { Route } from '../routes/route';

/**
 * The OpenAPI 3.1 document, generated from the route table and its zod schemas, so it cannot
 * drift from what the handlers validate. Named schemas (`.meta({ id })`) become components.
 */
type JsonSchema = Record<string, unknown>;

const PROBLEM: JsonSchema = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    errors: {
      type: 'array',
      items: { type: 'object', required: ['path', 'message'], properties: { path: { type: 'string' }, message: { type: 'string' } } },
    },
  },
};

function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = k === '$ref' && typeof v === 'string' ? v.replace('#/$defs/', '#/components/schemas/') : rewriteRefs(v);
    }
    return out;
  }
  return value;
}

export function buildOpenApiDocument(routes: readonly Route<any, any>[], info: { title: string; version: string }) {
  const components: Record<string, JsonSchema> = { Problem: PROBLEM };

  const toSchema = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema => {
    const generated = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
    const defs = (generated.$defs ?? {}) as Record<string, JsonSchema>;
    const renames: Record<string, string> = {};
    for (const [id, def] of Object.entries(defs)) {
      const body = rewriteRefs(def) as JsonSchema;
      const existing = components[id];
      // the same name may differ between what we take (defaults optional) and what we answer
      const name = existing && JSON.stringify(existing) !== JSON.stringify(body) ? `${id}${io === 'input' ? 'Input' : ''}` : id;
      renames[id] = name;
      components[name] ??= body;
    }
    const { $schema: _schema, $defs: _defs, ...top } = generated;
    let rewritten = JSON.stringify(rewriteRefs(top));
    for (const [from, to] of Object.entries(renames)) {
      if (from !== to) rewritten = rewritten.replaceAll(`"#/components/schemas/${from}"`, `"#/components/schemas/${to}"`);
    }
    return JSON.parse(rewritten) as JsonSchema;
  };

  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const parameters: unknown[] = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    if (r.query) {
      const q = toSchema(r.query, 'input');
      const required = new Set((q.required as string[] | undefined) ?? []);
      for (const [name, schema] of Object.entries((q.properties ?? {}) as Record<string, JsonSchema>)) {
        parameters.push({ name, in: 'query', required: required.has(name), schema });
      }
    }
    if (r.idempotent) {
      parameters.push({ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 128 } });
    }
    const bodySchema = r.body ? toSchema(r.body, 'input') : {};
    const resolved = typeof bodySchema.$ref === 'string' ? components[bodySchema.$ref.split('/').pop()!] ?? {} : bodySchema;
    const bodyProps = (resolved.properties ?? {}) as Record<string, unknown>;
    if (r.method === 'PATCH' || r.method === 'PUT' || 'version' in bodyProps) {
      parameters.push({ name: 'If-Match', in: 'header', required: false, schema: { type: 'string' }, description: 'the version read, e.g. "3"' });
    }
    const responses: Record<string, unknown> = {};
    for (const [status, schema] of Object.entries(r.responses)) {
      responses[status] = schema
        ? { description: 'OK', content: { 'application/json': { schema: toSchema(schema, 'output') } } }
        : { description: 'No content' };
    }
    const problemStatuses = ['400', ...(r.auth === 'public' ? [] : ['401']), ...(r.roles ? ['403', '404'] : []), '500'];
    for (const status of problemStatuses) {
      responses[status] ??= { description: 'Problem', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
    }
    const operation: Record<string, unknown> = {
      operationId: r.id,
      summary: r.summary,
      tags: [r.tag],
      parameters,
      responses,
      security: r.auth === 'jwt' ? [{ bearerAuth: [] }] : r.auth === 'webhook' ? [{ webhookSignature: [] }] : [],
    };
    if (r.body) {
      operation.requestBody = { required: true, content: { 'application/json': { schema: toSchema(r.body, 'input') } } };
    }
    (paths[r.path] ??= {})[r.method.toLowerCase()] = operation;
  }

  return {
    openapi: '3.1.0',
    info: { ...info, description: 'ctv-cloud: run a network of sales collaborators (CTV). Money is integer VND; rates are basis points.' },
    servers: [{ url: '/' }],
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        webhookSignature: { type: 'apiKey', in: 'header', name: 'X-Ctv-Signature' },
      },
    },
  };
}
