import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../functions/routes';
import { ContractWatch } from '../integration/support/contract';

/**
 * The check the integration suite ends with (every answer it saw is declared in the OpenAPI
 * document) reads a problem answer through its `$ref` to components.responses: a header declared
 * only there still counts, and one declared nowhere is still reported.
 */
const routeOf = (id: string) => ROUTES.find((r) => r.id === id)!;
const answer = (statusCode: number, headers: Record<string, string> = {}) => ({ statusCode, headers, body: '{}' });

describe('ContractWatch: what the suite saw against the served document', () => {
  it('finds a throttled answer and its Retry-After declared through the shared problem answer', () => {
    const watch = new ContractWatch();
    watch.observe(routeOf('registerOnPage'), answer(429, { 'Retry-After': '3', 'content-type': 'application/problem+json' }));
    watch.observe(routeOf('getCollaborator'), answer(404));
    watch.observe(routeOf('getCollaborator'), answer(200, { ETag: '"2"' }));
    expect(watch.answers).toBe(3);
    expect(watch.undeclared()).toEqual([]);
  });

  it('reports a status or a header the document does not declare', () => {
    const watch = new ContractWatch();
    watch.observe(routeOf('getCollaborator'), answer(418));
    watch.observe(routeOf('getCollaborator'), answer(404, { 'retry-after': '1' }));
    watch.observe(routeOf('getCollaborator'), answer(200, { location: '/v1/elsewhere' }));
    expect(watch.undeclared()).toEqual([
      'getCollaborator 200 header location',
      'getCollaborator 404 header retry-after',
      'getCollaborator 418',
    ]);
  });
});
