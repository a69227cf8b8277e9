import * as z from 'zod';
import type { Role } from '../../domain/entities/roster';
import { AUDITED_OPERATIONS } from '../routes/audit';
import { exampleOf } from './examples';
import { ROUTES } from '../routes';
import type { MediaType, Route } from '../routes/route';
import { XLSX_MEDIA_TYPE } from '../../domain/exports';

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
    instance: {
      type: 'string',
      description: 'this request (urn:ctv-cloud:request:<id>): quote it to support; the log line carries the same id',
    },
    errors: {
      type: 'array',
      items: { type: 'object', required: ['path', 'message'], properties: { path: { type: 'string' }, message: { type: 'string' } } },
    },
  },
};

/**
 * What each tag of the route table groups. A tag missing here still gets a description generated
 * from its operations (so a new tag keeps the document lint-clean), but a written one is better.
 */
const TAG_DESCRIPTIONS: Record<string, string> = {
  system: 'The API itself: this OpenAPI document, and the signed-in account with its roles in each business.',
  tenants:
    'Businesses: create one (the caller becomes its owner), read it, and read or change its settings (time zone, holding days, minimum payout, auto-approval, the CSAT step table).',
  rosters: "The owner's rosters of managers, care staff and sellers: which accounts hold those roles in a business.",
  collaborators:
    'Sales collaborators (CTVs): add one by hand or import a CSV, read and edit them, approve, pause, resume or block them, assign their care staff, and walk their referral tree.',
  pages: "A business's public page: self-registration as a CTV, and a signed-in account joining as one.",
  opportunities: "Sales opportunities that CTVs file on a business's page and their care staff work: new → contacted → won | lost.",
  'staff-groups': 'Groups of care staff; KPI plans are assigned to a group or to one care staff.',
  webhooks:
    'Order systems that send orders by signed webhook: registering them and rotating their signing secrets, and the deliveries received (list, inspect, replay, discard).',
  orders:
    'Orders: received from order systems by webhook or entered by hand, their states, and why each was (or was not) credited to a CTV.',
  commissions:
    "Commission: the commission plan and its versions (with a preview), a CTV's or seller's earnings and ledger, incurred-commission vouchers and manual adjustments.",
  kpi: 'KPI plans for care staff (versions of weighted conditions), their assignment to staff groups or people, and the results of a period.',
  okr: "Managers' objectives and key results per period, and their OKR score with the team's CSAT.",
  feedback: "Customers' ratings (CSAT) of orders: recorded by the staff, or by the customer through a one-time link.",
  reports: 'The manager report (BC Quản lý) and the staff report (BC Nhân viên).',
  jobs: 'Background jobs: the nightly run (close the months that ended, recompute snapshots) and its progress.',
  periods: "Statement months, open and closed: their close, and each CTV's month so far as of the last nightly run.",
  statements: "Each CTV's statement of a closed month: its settled lines with their traces, its approval, and disputes.",
  payouts: 'Payout batches from approved statements, their bank-transfer file, and marking them paid.',
  audit: 'The audit log: who changed what, and when.',
  me: "A signed-in CTV's own view of a business: their orders, ledger, month so far, statements and disputes.",
};

/** The body limit when a route names none: `DEFAULT_MAX_BODY` in functions/http/operation.ts. */
const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

const ROLE_NAMES: Record<Role, string> = {
  owner: 'owner',
  manager: 'manager',
  care_staff: 'care staff',
  seller: 'seller',
  collaborator: 'collaborator (CTV)',
};

const listOf = (words: readonly string[]) =>
  words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;

const bytes = (n: number) => (n % (1024 * 1024) === 0 ? `${n / (1024 * 1024)} MiB` : n % 1024 === 0 ? `${n / 1024} KiB` : `${n} bytes`);

const sentence = (text: string) => {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
};

/** Who may call a route, from its `auth` and `roles`. */
function whoMayCall(r: Route<any, any>): string {
  if (r.auth === 'public') return '**Who may call:** anyone; no token is needed.';
  if (r.auth === 'webhook') {
    return '**Who may call:** the registered order system, without a bearer token: the request is authenticated by the signature over its raw body (`X-Ctv-Signature`, or the native scheme of its adapter); a bad signature or an unknown source is a 401.';
  }
  if (!r.roles?.length)
    return '**Who may call:** any signed-in account (a bearer JWT; without a valid one, 401); no role in a business is needed.';
  const roles = r.roles.map((role) => ROLE_NAMES[role] ?? role);
  const everyone = Object.keys(ROLE_NAMES).every((role) => r.roles!.includes(role as Role));
  const who = everyone ? `any member of the business — ${listOf(roles)} —` : `members of the business with the role ${listOf(roles)}`;
  const forbidden = everyone ? '' : `; a member without ${roles.length === 1 ? 'that role' : 'one of these roles'}: 403`;
  return `**Who may call:** ${who}${everyone ? '' : ','} signed in with a bearer JWT. Without a valid token: 401${forbidden}; anyone who is not a member of the business (or a business that does not exist): 404.`;
}

/**
 * The operation's description, generated from its route: what it does (the summary), who may
 * call it, and what its flags ask of a client (Idempotency-Key, If-Match, the body and its limit).
 */
function describeOperation(r: Route<any, any>, ifMatch: { bodyVersion: boolean } | null, strictBody: boolean): string {
  const parts = [sentence(r.summary), whoMayCall(r)];
  if (r.idempotent) {
    parts.push(
      '**Idempotency:** send an `Idempotency-Key` header (1–128 letters, digits, `.`, `:`, `-` or `_`) to make a retry safe: a retry with the same key and body answers the first result again (with `Idempotent-Replayed: true`) and creates nothing twice; the same key with another body is a 422, and a retry while the first request is still running is a 409.',
    );
  }
  if (ifMatch) {
    parts.push(
      `**Concurrency:** send \`If-Match\` with the version you read (its ETag, e.g. \`"3"\`)${ifMatch.bodyVersion ? ', or `version` in the body' : ''}; if the item changed since, the answer is a 412 (read it again and retry), and without ${ifMatch.bodyVersion ? 'either' : 'it'} a 428.`,
    );
  }
  if (r.body) {
    const limit = bytes(r.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
    parts.push(
      r.rawBody
        ? `**Body:** at most ${limit} (larger: 413). The handler reads the raw bytes as sent and checks their signature before it parses them, so send the body exactly as signed; the schema below documents what it then accepts.`
        : `**Body:** JSON, at most ${limit} (larger: 413)${strictBody ? '; unknown fields are named and refused (400)' : ''}.`,
    );
  }
  if (r.method !== 'GET' && r.table !== 'write' && !/writes nothing/i.test(r.summary)) parts.push('Writes nothing.');
  if (r.nightlyQueue)
    parts.push(
      'Starts a nightly run in the background: the answer names the job, and `GET /v1/tenants/{tenantId}/jobs/{jobId}` follows it.',
    );
  if (AUDITED_OPERATIONS.has(r.id)) parts.push('Recorded in the audit log (`GET /v1/tenants/{tenantId}/audit`): who, when, what.');
  return parts.join('\n\n');
}

/** What each problem answer means, for every route that can give it. */
const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: 'Bad request: malformed JSON, a query parameter of the wrong shape, or an unknown field (named in `errors`)',
  401: 'Unauthorized: no valid bearer token (or, for a webhook, no valid signature)',
  403: 'Forbidden: a member of the business whose role does not allow this',
  404: 'Not found: no such item, or the caller is not a member of the business (its existence is not confirmed)',
  409: 'Conflict: a uniqueness rule, a concurrent change, or a retry while the first request with its Idempotency-Key still runs',
  410: 'Gone: the item existed but has expired',
  412: 'Precondition failed: the item changed since the version sent in If-Match (read it again)',
  413: 'Payload too large',
  422: 'Unprocessable content: well-formed but against a business rule, or an Idempotency-Key reused with another body (the field in `errors`)',
  428: 'Precondition required: send If-Match with the version read',
  429: 'Too many requests: throttled; retry later',
  500: 'Internal server error: quote `instance` to support',
  503: 'Service unavailable: the records were busy with other changes (or the table throttled); retry after `Retry-After` seconds',
};

const RETRY_AFTER = { description: 'seconds to wait before retrying, when known', schema: { type: 'integer', minimum: 0 } };

function problemExample(status: number) {
  return {
    type: 'about:blank',
    title: PROBLEM_DESCRIPTIONS[status]?.split(':')[0] ?? 'Error',
    status,
    detail: PROBLEM_DESCRIPTIONS[status] ?? 'Error',
  };
}

/** The name of a problem answer in `components.responses`: `Problem400`, … */
const problemResponseName = (status: number) => `Problem${status}`;

function problemResponse(status: number) {
  return {
    description: PROBLEM_DESCRIPTIONS[status] ?? 'Problem',
    ...(status === 429 || status === 503 ? { headers: { 'Retry-After': RETRY_AFTER } } : {}),
    content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' }, example: problemExample(status) } },
  };
}

/** The problem answers a route can give, from the features it declares plus its own `errors`. */
export function problemStatusesOf(r: Route<any, any>, ifMatch: boolean): number[] {
  const statuses = new Set<number>([400, 429, 500, 503, ...(r.errors ?? [])]);
  if (r.auth !== 'public') statuses.add(401);
  if (r.roles) statuses.add(403).add(404);
  if (/\{(?!tenantId\})\w+\}/.test(r.path)) statuses.add(404);
  if (r.body) statuses.add(413).add(422);
  if (r.idempotent) statuses.add(409).add(422);
  if (ifMatch) statuses.add(412).add(428);
  return [...statuses].sort((a, b) => a - b);
}

/** A media type that is neither JSON nor text is a file: its bytes, whatever the route's response schema says. */
const isFile = (type: MediaType) => type !== 'application/json' && !type.startsWith('text/');
const FILE_NAMES: Record<string, string> = { [XLSX_MEDIA_TYPE]: 'an Excel workbook (.xlsx)' };
const fileMedia = (type: MediaType) => ({
  schema: { type: 'string', contentMediaType: type, description: FILE_NAMES[type] ?? 'a file' },
  example: `(${FILE_NAMES[type] ?? 'a file'}: binary)`,
});

const HEADERS = {
  ETag: { description: 'the version of the item answered, e.g. "3": send it back in If-Match to change it', schema: { type: 'string' } },
  Location: { description: 'where the created item (or the started job) can be read', schema: { type: 'string' } },
  'Idempotent-Replayed': {
    description: '`true` when this answer repeats the first result of the same Idempotency-Key',
    schema: { type: 'string', enum: ['true'] },
  },
  Link: {
    description:
      'a workbook holding one page of a longer list links to the next page: `<?…&cursor=…>; rel="next"` (RFC 8288), this request\'s query with the cursor replaced; absent on the last page',
    schema: { type: 'string' },
  },
};

/**
 * Response headers of the success answers: ETag where the answer carries a `version` or is one
 * item, Location on 201 and 202, Idempotent-Replayed on routes that take an Idempotency-Key, Link
 * on paged lists that answer a workbook too.
 */
function declareSuccessHeaders(r: Route<any, any>, responses: Record<string, unknown>, ifMatch: boolean): void {
  for (const [status, response] of Object.entries(responses)) {
    if (!status.startsWith('2')) continue;
    const answer = response as { headers?: Record<string, unknown>; content?: Record<string, { schema?: JsonSchema; example?: unknown }> };
    const example = Object.values(answer.content ?? {})[0]?.example;
    const headers: Record<string, unknown> = {};
    // the answer names its version, or the route reads one item that can be changed with If-Match
    const oneItem = r.method !== 'DELETE' && /\}$/.test(r.path);
    const versioned = ifMatch || r.errors?.includes(412);
    if ((example && typeof example === 'object' && 'version' in example) || oneItem || versioned) headers.ETag = HEADERS.ETag;
    if (status === '201' || status === '202') headers.Location = HEADERS.Location;
    if (r.idempotent) headers['Idempotent-Replayed'] = HEADERS['Idempotent-Replayed'];
    const paged = r.query !== undefined && 'shape' in r.query && 'cursor' in (r.query.shape as object);
    if (paged && r.produces?.includes(XLSX_MEDIA_TYPE)) headers.Link = HEADERS.Link;
    if (Object.keys(headers).length > 0) answer.headers = headers;
  }
}

/**
 * A record keyed by an enum (`z.record(z.enum([...]), v)`) becomes `propertyNames` + `required`
 * without `properties`; linters then see required names that are not declared. Declare each key
 * as a property of the value's schema instead: the same instances validate.
 */
function declareEnumKeys(schema: JsonSchema): void {
  const names = (schema.propertyNames as JsonSchema | undefined)?.enum;
  const value = schema.additionalProperties;
  if (schema.type !== 'object' || !Array.isArray(names) || schema.properties || !value || typeof value !== 'object') return;
  schema.properties = Object.fromEntries(names.map((name) => [String(name), structuredClone(value)]));
  schema.additionalProperties = false;
  delete schema.propertyNames;
}

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

export interface DocumentInfo {
  title: string;
  version: string;
  contact?: { name?: string; url?: string; email?: string };
  /** OpenAPI 3.1: a name and either an SPDX `identifier` or a `url` */
  license?: { name: string; identifier?: string; url?: string };
}

/** ctv-cloud is private: no open-source licence, no public support address. */
const DEFAULT_CONTACT = { name: 'ctv-cloud maintainers' };
const DEFAULT_LICENSE = { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' };

export function buildOpenApiDocument(routes: readonly Route<any, any>[], info: DocumentInfo) {
  const components: Record<string, JsonSchema> = { Problem: PROBLEM };
  // every route's problem answers are the same few: each is written once and referred to
  const problemResponses: Record<string, unknown> = {};

  // many routes answer the same schema (a CTV, an order): each is converted once, and each use gets its own copy
  const converted = new Map<z.ZodType, Partial<Record<'input' | 'output', string>>>();
  const toSchema = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema => {
    const known = converted.get(schema)?.[io];
    if (known !== undefined) return JSON.parse(known) as JsonSchema;
    const generated = z.toJSONSchema(schema, {
      io,
      unrepresentable: 'any',
      target: 'draft-2020-12',
      override: (ctx) => declareEnumKeys(ctx.jsonSchema as JsonSchema),
    }) as JsonSchema;
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
    converted.set(schema, { ...converted.get(schema), [io]: rewritten });
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
    const resolved = typeof bodySchema.$ref === 'string' ? (components[bodySchema.$ref.split('/').pop()!] ?? {}) : bodySchema;
    const bodyProps = (resolved.properties ?? {}) as Record<string, unknown>;
    // updates (and routes whose summary asks for it) take the version read; without `version` in the body, the header is the only way
    const bodyVersion = 'version' in bodyProps;
    const ifMatch = r.method === 'PATCH' || r.method === 'PUT' || bodyVersion || /\bIf-Match\b/.test(r.summary) ? { bodyVersion } : null;
    if (ifMatch) {
      parameters.push({
        name: 'If-Match',
        in: 'header',
        required: !bodyVersion,
        schema: { type: 'string' },
        description: 'the version read, e.g. "3"',
      });
    }
    const responses: Record<string, unknown> = {};
    for (const [status, schema] of Object.entries(r.responses)) {
      if (!schema) {
        responses[status] = { description: 'No content' };
        continue;
      }
      const answer = toSchema(schema, 'output');
      const media = { schema: answer, example: exampleOf(answer, components) };
      const content = Object.fromEntries(
        (r.produces ?? ['application/json']).map((type) => [type, isFile(type) ? fileMedia(type) : media]),
      );
      responses[status] = { description: 'OK', content };
    }
    for (const status of problemStatusesOf(r, ifMatch !== null)) {
      if (responses[status]) continue;
      const name = problemResponseName(status);
      problemResponses[name] ??= problemResponse(status);
      responses[status] = { $ref: `#/components/responses/${name}` };
    }
    declareSuccessHeaders(r, responses, ifMatch !== null);
    const operation: Record<string, unknown> = {
      operationId: r.id,
      summary: r.summary,
      description: describeOperation(r, ifMatch, resolved.additionalProperties === false),
      tags: [r.tag],
      parameters,
      responses,
      security: r.auth === 'jwt' ? [{ bearerAuth: [] }] : r.auth === 'webhook' ? [{ webhookSignature: [] }] : [],
    };
    if (r.body) {
      const input = toSchema(r.body, 'input');
      operation.requestBody = { required: true, content: { 'application/json': { schema: input, example: exampleOf(input, components) } } };
    }
    paths[r.path] = { ...paths[r.path], [r.method.toLowerCase()]: operation };
  }

  // every tag used, in the order of the route table, each with a description
  const tagged = new Map<string, Route<any, any>[]>();
  for (const r of routes) tagged.set(r.tag, [...(tagged.get(r.tag) ?? []), r]);
  const tags = [...tagged].map(([name, tagRoutes]) => ({
    name,
    description: TAG_DESCRIPTIONS[name] ?? `Operations on ${name}: ${listOf(tagRoutes.map((r) => `\`${r.method} ${r.path}\``))}.`,
  }));

  const { title, version, contact = DEFAULT_CONTACT, license = DEFAULT_LICENSE } = info;
  return {
    openapi: '3.1.0',
    info: {
      title,
      version,
      description: 'ctv-cloud: run a network of sales collaborators (CTV). Money is integer VND; rates are basis points.',
      contact,
      license,
    },
    servers: [{ url: '/' }],
    tags,
    paths,
    components: {
      schemas: components,
      responses: Object.fromEntries(Object.entries(problemResponses).sort(([a], [b]) => a.localeCompare(b))),
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        webhookSignature: { type: 'apiKey', in: 'header', name: 'X-Ctv-Signature' },
      },
    },
  };
}

let served: ReturnType<typeof buildOpenApiDocument> | undefined;

/** The document GET /v1/openapi.json serves (and the typed client is generated from), built once. */
export function servedOpenApiDocument() {
  served ??= buildOpenApiDocument(ROUTES, { title: 'ctv-cloud API', version: '1' });
  return served;
}
