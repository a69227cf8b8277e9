import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { clientSchemaSource, SCHEMA_FILE } from '../../scripts/generate-client';

/**
 * The committed typed client (client/schema.d.ts) is what `npm run client` generates from the
 * document the API serves today: a route, field or answer changed without regenerating fails here.
 */
describe('the typed client', () => {
  it('is generated from the current OpenAPI document (run `npm run client` after changing routes)', async () => {
    const generated = await clientSchemaSource();
    expect(generated).toContain('export interface paths');
    expect(readFileSync(SCHEMA_FILE, 'utf8') === generated, 'client/schema.d.ts is stale: run `npm run client`').toBe(true);
  });
});
