import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../functions/routes';
import { ROUTES_DOC, ROUTES_DOC_COMMAND, routesMarkdown, servedDocument, whoMayCall } from '../support/routes-doc';

/**
 * docs/routes.md is generated from the OpenAPI document (test/support/routes-doc.ts): it must be
 * what the generator writes today, and the generator must list every route of the route table.
 */
describe('docs/routes.md', () => {
  it('is what the OpenAPI document generates', async () => {
    const expected = routesMarkdown(await servedDocument());
    const written = existsSync(ROUTES_DOC) ? readFileSync(ROUTES_DOC, 'utf8') : '';
    // a diff of a 250-line file is noise: say how to fix it
    expect(written === expected, `docs/routes.md is out of date: run \`${ROUTES_DOC_COMMAND}\` and commit the result`).toBe(true);
  });

  it('lists every route of the route table once, with who may call it', async () => {
    const markdown = routesMarkdown(await servedDocument());
    const rows = markdown.split('\n').filter((line) => /^\| (GET|POST|PUT|PATCH|DELETE) \|/.test(line));
    expect(rows).toHaveLength(ROUTES.length);
    for (const r of ROUTES) {
      const row = `| ${r.method} | \`${r.path}\` |`;
      expect(
        rows.filter((line) => line.startsWith(row)),
        row,
      ).toHaveLength(1);
    }
    // the callers, as the route table states them (roles spelled as the document spells them)
    const doc = await servedDocument();
    const samples: [string, string, string][] = [
      ['/v1/openapi.json', 'get', 'anyone (public)'],
      ['/v1/me', 'get', 'any signed-in account'],
      ['/v1/webhooks/{tenantId}/{sourceId}/orders', 'post', 'the order system (signed body)'],
      ['/v1/tenants/{tenantId}/audit', 'get', 'owner'],
      ['/v1/tenants/{tenantId}/collaborators', 'post', 'owner, manager, care staff'],
    ];
    for (const [path, method, who] of samples) {
      const op = (doc.paths[path] as Record<string, Parameters<typeof whoMayCall>[0]> | undefined)?.[method];
      expect(op && whoMayCall(op), `${method} ${path}`).toBe(who);
    }
  });

  it('refuses a "who may call" wording it does not know, rather than guess', () => {
    const op = {
      operationId: 'x',
      summary: 's',
      tags: ['t'],
      security: [{ bearerAuth: [] }],
      description: '**Who may call:** somebody else.',
    };
    expect(() => whoMayCall(op)).toThrow(/cannot read who may call/);
  });
});
