import type { Method, Route } from '../../functions/routes/route';
import { MAX_ROUTES_PER_GROUP } from '../../infra/api-stack';

/** Any real entry file will do: these tests synthesise without bundling. */
export const STAND_IN_HANDLER = 'functions/handlers/system/openapi.ts';

const base = { handler: STAND_IN_HANDLER, summary: 'test only', responses: {} };

/**
 * The real table may not yet have a public write or a webhook; these make the auth, throttle and
 * webhook-secret rules observable.
 */
export const EXTRA_ROUTES: Route[] = [
  {
    ...base,
    id: 'testRegister',
    method: 'POST',
    path: '/v1/pages/{pageId}/test-registrations',
    auth: 'public',
    table: 'write',
    tag: 'test',
  },
  {
    ...base,
    id: 'testWebhook',
    method: 'POST',
    path: '/v1/test-webhooks/{source}',
    auth: 'webhook',
    table: 'write',
    tag: 'test',
    sealingKey: true,
  },
  {
    ...base,
    id: 'testSecretsReader',
    method: 'GET',
    path: '/v1/test-webhooks/{source}/check',
    auth: 'jwt',
    table: 'read',
    tag: 'test',
    sealingKey: true,
  },
];

/**
 * A route table bigger than the project will have: `count` routes over a few tags, the first as
 * large as one nested stack may hold, with every kind of auth, table access, webhook secrets,
 * nightly queue and delivery queue senders (and routes that send to both).
 */
export function syntheticRoutes(count = 150): Route[] {
  const sizes = [MAX_ROUTES_PER_GROUP, 30, 20, 10, 6, 4];
  const tags = sizes.flatMap((n, t) => Array.from({ length: n }, () => `synthetic-${String.fromCharCode(97 + t)}`));
  const methods: Method[] = ['GET', 'POST', 'PATCH', 'DELETE', 'PUT'];
  return Array.from({ length: count }, (_, i): Route => {
    const tag = tags[i % tags.length]!;
    return {
      ...base,
      id: `synthetic${i}`,
      method: methods[i % methods.length]!,
      path: `/v1/${tag}/items${i}/{itemId}`,
      auth: i % 10 === 3 ? 'public' : i % 15 === 7 ? 'webhook' : 'jwt',
      table: (['none', 'read', 'write'] as const)[i % 3]!,
      sealingKey: i % 7 === 0 || undefined,
      // on every table access level: i = 5 (write), 16 (read), 27 (none), …
      nightlyQueue: i % 11 === 5 || undefined,
      // on every level too: i = 18 (none), 31 (read), 44 (write), …; with nightlyQueue as well: i = 5 (write), 148 (read)
      deliveryQueue: i % 13 === 5 || undefined,
      tag,
    };
  });
}
