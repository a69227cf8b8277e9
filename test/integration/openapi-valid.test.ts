import { Validator } from '@seriousme/openapi-schema-validator';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../functions/routes';
import { request } from './support/api';

/**
 * The served OpenAPI document (GET /v1/openapi.json) is a valid OpenAPI 3.1 document and
 * describes every route of the route table, and nothing else.
 *
 * The document must pass `@seriousme/openapi-schema-validator` (a pinned devDependency, imported
 * statically, so a missing validator fails this file instead of skipping it): the OpenAPI 3.1
 * JSON Schema, run by ajv, then every $ref resolving. Broken copies of the document must be
 * refused, which proves the validator is live. The OpenAPI 3.1 schema does not look inside the
 * embedded JSON Schemas (it accepts any object there), so the structural checks below also walk
 * them: path items and operations, unique operationIds, path parameters that match the templates,
 * response codes, security schemes, keyword types in every schema, and every $ref resolving.
 */
type Json = any;
let doc: Json;

beforeAll(async () => {
  const res = await request('GET', '/v1/openapi.json');
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type') ?? '').toContain('application/json');
  doc = res.body;
});

const VALIDATOR = '@seriousme/openapi-schema-validator';

/** One fresh validator per call (it keeps the last document it saw); the document is cloned. */
async function validate(spec: Json) {
  const validator = new Validator();
  const result = await validator.validate(structuredClone(spec));
  return { ...result, version: validator.version };
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const PATH_ITEM_KEYS = new Set([...METHODS, '$ref', 'summary', 'description', 'servers', 'parameters']);
const SCHEMA_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null']);

function resolvePointer(root: Json, ref: string): Json {
  if (!ref.startsWith('#')) return undefined; // external refs: none expected
  const parts = ref
    .slice(1)
    .split('/')
    .slice(1)
    .map((p) => decodeURIComponent(p).replace(/~1/g, '/').replace(/~0/g, '~'));
  let node = root;
  for (const p of parts) {
    if (node === null || typeof node !== 'object' || !(p in node)) return undefined;
    node = node[p];
  }
  return node;
}

function walk(value: Json, visit: (node: Json, path: string) => void, path = '#') {
  if (value === null || typeof value !== 'object') return;
  visit(value, path);
  for (const [k, v] of Object.entries(value)) walk(v, visit, `${path}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`);
}

const SUBSCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];
const SUBSCHEMA_LISTS = ['anyOf', 'oneOf', 'allOf', 'prefixItems'];
const SUBSCHEMAS = [
  'items',
  'additionalProperties',
  'unevaluatedProperties',
  'unevaluatedItems',
  'not',
  'contains',
  'propertyNames',
  'if',
  'then',
  'else',
];

/** The structural problems of a JSON Schema (2020-12): keyword value types, unknown types, walked through every subschema. */
function schemaProblems(schema: Json, at: string): string[] {
  if (typeof schema === 'boolean') return [];
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return [`${at}: not a schema`];
  const out: string[] = [];
  if ('type' in schema) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    for (const t of types) if (!SCHEMA_TYPES.has(t)) out.push(`${at}: unknown type ${JSON.stringify(t)}`);
  }
  if ('required' in schema && !(Array.isArray(schema.required) && schema.required.every((r: unknown) => typeof r === 'string')))
    out.push(`${at}: required is not a list of names`);
  if ('enum' in schema && !Array.isArray(schema.enum)) out.push(`${at}: enum is not an array`);
  for (const k of [
    'minimum',
    'maximum',
    'exclusiveMinimum',
    'exclusiveMaximum',
    'multipleOf',
    'minLength',
    'maxLength',
    'minItems',
    'maxItems',
  ]) {
    if (k in schema && typeof schema[k] !== 'number') out.push(`${at}: ${k} is not a number`);
  }
  if ('pattern' in schema) {
    try {
      new RegExp(schema.pattern, 'u');
    } catch {
      out.push(`${at}: pattern ${schema.pattern} is not a regular expression`);
    }
  }
  for (const k of SUBSCHEMA_MAPS) {
    if (!(k in schema)) continue;
    if (typeof schema[k] !== 'object' || Array.isArray(schema[k])) out.push(`${at}: ${k} is not an object`);
    else for (const [name, sub] of Object.entries(schema[k])) out.push(...schemaProblems(sub, `${at}.${k}.${name}`));
  }
  for (const k of SUBSCHEMA_LISTS) {
    if (!(k in schema)) continue;
    if (!Array.isArray(schema[k])) out.push(`${at}: ${k} is not an array`);
    else schema[k].forEach((sub: Json, i: number) => void out.push(...schemaProblems(sub, `${at}.${k}.${i}`)));
  }
  for (const k of SUBSCHEMAS) if (k in schema) out.push(...schemaProblems(schema[k], `${at}.${k}`));
  return out;
}

describe('the OpenAPI document', () => {
  it(`passes ${VALIDATOR} with zero errors`, async () => {
    const result = await validate(doc);
    expect(result.errors ?? [], JSON.stringify(result.errors, null, 2)?.slice(0, 3000)).toEqual([]);
    expect(result.valid).toBe(true);
    expect(result.version).toBe('3.1');
  });

  it(`${VALIDATOR} is live: broken copies of the document are refused`, async () => {
    const operation = (copy: Json) => copy.paths['/v1/me'].get;

    // a response without its required description: refused by the OpenAPI 3.1 schema
    const noDescription = structuredClone(doc);
    delete operation(noDescription).responses['200'].description;
    const schemaResult = await validate(noDescription);
    expect(schemaResult.valid).toBe(false);
    expect(JSON.stringify(schemaResult.errors)).toContain('/paths/~1v1~1me/get/responses/200');

    // a parameter in a place OpenAPI does not know
    const badParameter = structuredClone(doc);
    operation(badParameter).parameters = [{ name: 'x', in: 'body', schema: { type: 'string' } }];
    expect((await validate(badParameter)).valid).toBe(false);

    // a $ref to nowhere: refused by the reference check that follows the schema
    const danglingRef = structuredClone(doc);
    operation(danglingRef).responses['200'].content['application/json'].schema = { $ref: '#/components/schemas/NoSuchSchema' };
    const refResult = await validate(danglingRef);
    expect(refResult.valid).toBe(false);
    expect(JSON.stringify(refResult.errors)).toContain('NoSuchSchema');

    // and a version it does not support
    expect((await validate({ ...doc, openapi: '9.9.9' })).valid).toBe(false);
  });

  it('is OpenAPI 3.1 with info, paths and components', () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(typeof doc.info?.title).toBe('string');
    expect(typeof doc.info?.version).toBe('string');
    expect(typeof doc.paths).toBe('object');
    if (doc.jsonSchemaDialect !== undefined) expect(typeof doc.jsonSchemaDialect).toBe('string');
  });

  it('every path item and operation is well formed; operationIds are unique', () => {
    const problems: string[] = [];
    const ids = new Map<string, string>();
    const schemes = new Set(Object.keys(doc.components?.securitySchemes ?? {}));
    for (const [path, item] of Object.entries<Json>(doc.paths)) {
      if (!path.startsWith('/')) problems.push(`${path}: does not start with /`);
      for (const key of Object.keys(item))
        if (!PATH_ITEM_KEYS.has(key) && !key.startsWith('x-')) problems.push(`${path}: unknown key ${key}`);
      const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
      for (const method of METHODS.filter((m) => item[m])) {
        const op = item[method];
        const at = `${method.toUpperCase()} ${path}`;
        if (typeof op.operationId !== 'string' || !op.operationId) problems.push(`${at}: no operationId`);
        else if (ids.has(op.operationId)) problems.push(`${at}: operationId ${op.operationId} also used by ${ids.get(op.operationId)}`);
        else ids.set(op.operationId, at);

        const params: Json[] = [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p: Json) =>
          p.$ref ? resolvePointer(doc, p.$ref) : p,
        );
        const seen = new Set<string>();
        for (const p of params) {
          if (!p || typeof p.name !== 'string' || !['query', 'header', 'path', 'cookie'].includes(p.in)) {
            problems.push(`${at}: bad parameter ${JSON.stringify(p)}`);
            continue;
          }
          const key = `${p.in}:${p.in === 'header' ? p.name.toLowerCase() : p.name}`;
          if (seen.has(key)) problems.push(`${at}: parameter ${key} twice`);
          seen.add(key);
          if (p.in === 'path' && p.required !== true) problems.push(`${at}: path parameter ${p.name} is not required`);
          if (p.in === 'path' && !templated.includes(p.name)) problems.push(`${at}: path parameter ${p.name} is not in the path`);
          if (!p.schema === !p.content) problems.push(`${at}: parameter ${p.name} needs exactly one of schema or content`);
          if (p.schema) problems.push(...schemaProblems(p.schema, `${at} parameter ${p.name}`));
        }
        for (const name of templated)
          if (!params.some((p) => p?.in === 'path' && p.name === name)) problems.push(`${at}: {${name}} is not declared`);

        const responses = Object.entries<Json>(op.responses ?? {});
        if (!responses.length) problems.push(`${at}: no responses`);
        for (const [code, response] of responses) {
          if (!/^([1-5](\d\d|XX)|default)$/.test(code)) problems.push(`${at}: response code ${code}`);
          const r = response.$ref ? resolvePointer(doc, response.$ref) : response;
          if (typeof r?.description !== 'string') problems.push(`${at} ${code}: no description`);
          for (const [media, content] of Object.entries<Json>(r?.content ?? {})) {
            if (!/^[\w.+-]+\/[\w.+*-]+/.test(media)) problems.push(`${at} ${code}: media type ${media}`);
            if (content.schema) problems.push(...schemaProblems(content.schema, `${at} ${code}`));
          }
        }
        if (op.requestBody) {
          const body = op.requestBody.$ref ? resolvePointer(doc, op.requestBody.$ref) : op.requestBody;
          if (!body?.content || !Object.keys(body.content).length) problems.push(`${at}: requestBody without content`);
          for (const content of Object.values<Json>(body?.content ?? {}))
            if (content.schema) problems.push(...schemaProblems(content.schema, `${at} body`));
        }
        for (const requirement of [...(op.security ?? []), ...(doc.security ?? [])]) {
          for (const name of Object.keys(requirement))
            if (!schemes.has(name)) problems.push(`${at}: security scheme ${name} is not defined`);
        }
        if (op.tags && !(Array.isArray(op.tags) && op.tags.every((t: unknown) => typeof t === 'string'))) problems.push(`${at}: tags`);
      }
    }
    for (const [name, schema] of Object.entries<Json>(doc.components?.schemas ?? {})) {
      if (!/^[a-zA-Z0-9._-]+$/.test(name)) problems.push(`components.schemas.${name}: bad name`);
      problems.push(...schemaProblems(schema, `components.schemas.${name}`));
    }
    expect(problems).toEqual([]);
  });

  it('every $ref resolves inside the document', () => {
    const broken: string[] = [];
    let count = 0;
    walk(doc, (node, path) => {
      if (typeof node.$ref === 'string') {
        count++;
        if (resolvePointer(doc, node.$ref) === undefined) broken.push(`${path}: ${node.$ref}`);
      }
    });
    expect(broken).toEqual([]);
    expect(count).toBeGreaterThan(0);
  });

  it('describes every route of the route table, with its auth, and nothing else', () => {
    const problems: string[] = [];
    for (const r of ROUTES) {
      const op = doc.paths?.[r.path]?.[r.method.toLowerCase()];
      if (!op) {
        problems.push(`${r.method} ${r.path} (${r.id}) is missing`);
        continue;
      }
      if (op.operationId !== r.id) problems.push(`${r.method} ${r.path}: operationId ${op.operationId}, route id ${r.id}`);
      for (const status of Object.keys(r.responses))
        if (!op.responses?.[status]) problems.push(`${r.id}: response ${status} is not documented`);
      if (r.roles?.length)
        for (const status of ['403', '404']) if (!op.responses?.[status]) problems.push(`${r.id}: ${status} is not documented`);
      if (r.auth !== 'public' && !op.responses?.['401']) problems.push(`${r.id}: 401 is not documented`);
      const security = JSON.stringify(op.security ?? doc.security ?? []);
      if (r.auth === 'public' && security !== '[]') problems.push(`${r.id}: public but security ${security}`);
      if (r.auth !== 'public' && security === '[]') problems.push(`${r.id}: ${r.auth} but no security requirement`);
      if (r.body && !op.requestBody) problems.push(`${r.id}: the body is not documented`);
    }
    const known = new Set(ROUTES.map((r) => `${r.method.toLowerCase()} ${r.path}`));
    for (const [path, item] of Object.entries<Json>(doc.paths)) {
      for (const method of METHODS.filter((m) => item[m]))
        if (!known.has(`${method} ${path}`)) problems.push(`${method.toUpperCase()} ${path} is documented but not routed`);
    }
    expect(problems).toEqual([]);
  });
});
