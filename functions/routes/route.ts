import * as z from 'zod';
import type { Role } from '../../domain/entities/roster';
import type { XLSX_MEDIA_TYPE } from '../../domain/exports';
import type { CrossTenantAccess } from '../store/guard';

/**
 * A route: everything about an operation except its code. The route table (index.ts) feeds CDK
 * (an HTTP API route and a function per entry, with grants from `table`), the local server, the
 * OpenAPI document, and the handler itself (which validates and authorises with these fields).
 * Route files import only zod and domain schemas, never handler code.
 */
export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What an answer can be: JSON, text (the route's response schema), or an Excel workbook (bytes). */
export type MediaType = 'application/json' | 'text/plain' | 'text/csv' | typeof XLSX_MEDIA_TYPE;

export interface Route<B = unknown, Q = unknown> {
  /** operationId in OpenAPI; also names the Lambda */
  id: string;
  method: Method;
  /** API Gateway syntax: /v1/tenants/{tenantId}/collaborators */
  path: string;
  /** the entry file, from the project root; it exports `handler` */
  handler: string;
  /** jwt: a verified token is required; public: anyone; webhook: its own signature */
  auth: 'jwt' | 'public' | 'webhook';
  /** tenant routes: who may call (a non-member gets 404, a member without the role 403) */
  roles?: readonly Role[];
  /** what the function may do to the table: read-only routes get read grants only */
  table: 'none' | 'read' | 'write';
  /**
   * Tenant routes (isTenantRoute): the keys outside the business the handler reaches, by family
   * (store/guard.ts), each with its own narrow grant; every other key must be the business's.
   */
  crossTenant?: CrossTenantAccess;
  body?: z.ZodType<B>;
  /** the handler reads the raw body itself (a signature must be checked first); `body` documents it */
  rawBody?: boolean;
  query?: z.ZodType<Q>;
  /**
   * the route's function is given the sealing key (WEBHOOK_SECRETS_KEY, functions/webhooks/secrets.ts),
   * which seals webhook secrets at rest and the stored replay of an answer that carries a secret or
   * token (an idempotent create: functions/http/operation.ts)
   */
  sealingKey?: boolean;
  /**
   * the handler sends work items to the nightly queue (it starts a nightly run): its function gets
   * NIGHTLY_QUEUE_URL and sqs:SendMessage on that queue, on a role of its own (no other route has it)
   */
  nightlyQueue?: true;
  /**
   * the handler hands deliveries it cannot finish to the delivery worker: its function gets
   * DELIVERY_QUEUE_URL and sqs:SendMessage on that queue (docs/orders.md, "Order intake")
   */
  deliveryQueue?: true;
  /** creates: an Idempotency-Key header makes a retry answer the first result */
  idempotent?: boolean;
  /** largest body accepted, bytes (default 64 KiB) */
  maxBodyBytes?: number;
  /**
   * the media types of the success answers when they are not JSON alone, the default first (the
   * handler sends a string for text, bytes for a file); the OpenAPI document lists each
   */
  produces?: readonly MediaType[];
  summary: string;
  tag: string;
  /** documented answers: status → body schema (null: no body) */
  responses: Record<number, z.ZodType | null>;
  /**
   * problem answers beyond those its other fields imply (functions/openapi/document.ts
   * `problemStatusesOf`), e.g. 409 for a uniqueness rule; the integration suite fails on an answer
   * the document does not declare (test/integration/global-setup.ts)
   */
  errors?: readonly number[];
}

/**
 * A tenant route: a signed-in caller acting in the business named by the path. Its store is fenced
 * to that business (store/guard.ts) and, in AWS, its function reaches the business's keys only
 * through the tenant data role, scoped by IAM to them (docs/security.md, "Tenant fences").
 */
export const isTenantRoute = (r: Pick<Route, 'auth' | 'path'>) => r.auth === 'jwt' && r.path.includes('{tenantId}');

export function route<B = undefined, Q = Record<string, never>>(r: Route<B, Q>): Route<B, Q> {
  return r;
}

/** ?limit=&cursor= on every list; answers { items, nextCursor } */
export const PageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(2048).optional(),
});

export const pageOf = <T extends z.ZodType>(item: T, id: string) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() }).meta({ id });

export const STAFF: readonly Role[] = ['owner', 'manager', 'care_staff'];
export const OWNER: readonly Role[] = ['owner'];
export const ANY_MEMBER: readonly Role[] = ['owner', 'manager', 'care_staff', 'seller', 'collaborator'];
