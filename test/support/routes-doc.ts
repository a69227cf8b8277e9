/**
 * docs/routes.md, generated from the OpenAPI document the API serves (GET /v1/openapi.json, itself
 * built from the route table), so the route list is never kept by hand.
 *
 *   npm run docs:routes      writes docs/routes.md
 *
 * test/infra/routes-doc.test.ts fails when the file differs from what this generates.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { operation as openApiOperation } from '../../functions/handlers/system/openapi';

export const ROUTES_DOC = fileURLToPath(new URL('../../docs/routes.md', import.meta.url));
export const ROUTES_DOC_COMMAND = 'npm run docs:routes';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

interface Operation {
  operationId: string;
  summary: string;
  description: string;
  tags: string[];
  security: Record<string, unknown>[];
}

interface OpenApiDocument {
  tags: { name: string; description: string }[];
  paths: Record<string, Partial<Record<(typeof METHODS)[number], Operation>>>;
}

/** The document exactly as GET /v1/openapi.json answers it (the handler's own reply). */
export async function servedDocument(): Promise<OpenApiDocument> {
  const reply = await openApiOperation.run({} as Parameters<typeof openApiOperation.run>[0]);
  if (reply.status !== 200) throw new Error(`GET /v1/openapi.json answered ${reply.status}`);
  return reply.body as OpenApiDocument;
}

/**
 * Who may call an operation, in a few words: from its security scheme, and for signed-in routes
 * from the "Who may call" paragraph the document writes for every operation (openapi/document.ts).
 * A wording this does not know is an error, so a change there cannot leave the list wrong.
 */
export function whoMayCall(op: Operation): string {
  const schemes = op.security.flatMap((s) => Object.keys(s));
  if (schemes.length === 0) return 'anyone (public)';
  if (schemes.includes('webhookSignature')) return 'the order system (signed body)';
  const who = /\*\*Who may call:\*\* ([^\n]*)/.exec(op.description)?.[1] ?? '';
  if (who.startsWith('any signed-in account')) return 'any signed-in account';
  if (who.startsWith('any member of the business')) return 'any member';
  const roles = /^members of the business with the role (.+?), signed in/.exec(who)?.[1];
  if (roles) return roles.replace(/ or /g, ', ');
  throw new Error(`${op.operationId}: cannot read who may call it from "${who.slice(0, 120)}"`);
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');

/** The Markdown of docs/routes.md for a document: one table per tag, in the document's tag order. */
export function routesMarkdown(doc: OpenApiDocument): string {
  const rows = new Map<string, string[]>(doc.tags.map((t) => [t.name, []]));
  let count = 0;
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const tag = op.tags[0] ?? '';
      const tagRows = rows.get(tag);
      if (!tagRows) throw new Error(`${op.operationId}: tag "${tag}" is not declared in the document`);
      tagRows.push(`| ${method.toUpperCase()} | \`${path}\` | ${cell(op.summary)} | ${cell(whoMayCall(op))} |`);
      count++;
    }
  }
  const sections = doc.tags.flatMap((t) => [
    `## ${t.name}`,
    '',
    cell(t.description),
    '',
    '| method | path | what it does | who may call |',
    '|---|---|---|---|',
    ...(rows.get(t.name) ?? []),
    '',
  ]);
  return [
    '# Routes',
    '',
    `<!-- Generated from the OpenAPI document by \`${ROUTES_DOC_COMMAND}\` (test/support/routes-doc.ts). Do not edit: change the route table (functions/routes/) and run the command; test/infra/routes-doc.test.ts fails while this file differs. -->`,
    '',
    `The ${count} operations of the API, as \`GET /v1/openapi.json\` describes them (that document also has`,
    'every body, query and answer schema). "Who may call" is the caller a route accepts: for a role, a',
    'member of the business in the path with that role; anyone else signed in gets 404, a member',
    'without the role 403. What each role then sees and may change is in',
    '[domain-rules.md](domain-rules.md#who-may-do-what).',
    '',
    ...sections,
  ].join('\n');
}

async function main() {
  writeFileSync(ROUTES_DOC, routesMarkdown(await servedDocument()));
  console.log(`wrote ${ROUTES_DOC}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
