import type { HttpResult } from '../../../functions/http/problem';
import { servedOpenApiDocument } from '../../../functions/openapi/document';
import type { Route } from '../../../functions/routes/route';

/** Response headers the document must declare wherever the API sends them. */
const DECLARED_HEADERS = ['etag', 'location', 'idempotent-replayed', 'retry-after', 'link'];

/**
 * What the suite saw each route answer (status, and the headers above), checked at the end of the
 * run against the served OpenAPI document: an answer the document does not declare fails the run,
 * so the contract front-end teams generate clients from cannot under-declare.
 */
export class ContractWatch {
  private readonly seen = new Map<string, { route: Route<any, any>; statuses: Map<number, Set<string>> }>();

  observe = (route: Route<any, any>, result: HttpResult): void => {
    let entry = this.seen.get(route.id);
    if (!entry) this.seen.set(route.id, (entry = { route, statuses: new Map() }));
    let headers = entry.statuses.get(result.statusCode);
    if (!headers) entry.statuses.set(result.statusCode, (headers = new Set()));
    for (const name of Object.keys(result.headers ?? {})) {
      if (DECLARED_HEADERS.includes(name.toLowerCase())) headers.add(name.toLowerCase());
    }
  };

  /** Each answer seen that the document does not declare, as `operationId status [header]`. */
  undeclared(): string[] {
    type Answer = { $ref?: string; headers?: Record<string, unknown> };
    const doc = servedOpenApiDocument() as {
      paths: Record<string, Record<string, { responses: Record<string, Answer> }>>;
      components: { responses?: Record<string, Answer> };
    };
    // a problem answer is written once in components.responses and referred to by each route
    const resolve = (a: Answer | undefined) => (a?.$ref ? doc.components.responses?.[a.$ref.split('/').pop()!] : a);
    const out: string[] = [];
    for (const [id, { route, statuses }] of this.seen) {
      const responses = doc.paths[route.path]?.[route.method.toLowerCase()]?.responses ?? {};
      for (const [status, headers] of statuses) {
        const declared = resolve(responses[String(status)]);
        if (!declared) {
          out.push(`${id} ${status}`);
          continue;
        }
        const names = new Set(Object.keys(declared.headers ?? {}).map((h) => h.toLowerCase()));
        for (const h of headers) if (!names.has(h)) out.push(`${id} ${status} header ${h}`);
      }
    }
    return out.sort();
  }

  /** how many (route, status) answers were seen */
  get answers(): number {
    let n = 0;
    for (const { statuses } of this.seen.values()) n += statuses.size;
    return n;
  }
}
