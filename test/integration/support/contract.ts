import type { HttpResult } from '../../../functions/http/problem';
import { servedOpenApiDocument } from '../../../functions/openapi/document';
import type { Route } from '../../../functions/routes/route';

/** An answer as the served document declares it (a route's, or one of components.responses). */
export interface DeclaredAnswer {
  $ref?: string;
  description?: string;
  headers?: Record<string, unknown>;
  content?: Record<string, { example?: unknown }>;
}

/**
 * A route's declared answer as a reader sees it: a problem answer is written once in the served
 * document's components.responses, and the route refers to it by `$ref` (one that leads nowhere
 * throws).
 */
export function declaredAnswer(answer: DeclaredAnswer): DeclaredAnswer {
  if (!answer.$ref) return answer;
  const doc = servedOpenApiDocument() as unknown as { components: { responses?: Record<string, DeclaredAnswer> } };
  const found = doc.components.responses?.[answer.$ref.replace('#/components/responses/', '')];
  if (!found) throw new Error(`the answer ${answer.$ref} is not in the document`);
  return found;
}

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
    const doc = servedOpenApiDocument() as unknown as {
      paths: Record<string, Record<string, { responses: Record<string, DeclaredAnswer> }>>;
    };
    const out: string[] = [];
    for (const [id, { route, statuses }] of this.seen) {
      const responses = doc.paths[route.path]?.[route.method.toLowerCase()]?.responses ?? {};
      for (const [status, headers] of statuses) {
        const answer = responses[String(status)];
        if (!answer) {
          out.push(`${id} ${status}`);
          continue;
        }
        const declared = declaredAnswer(answer);
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
