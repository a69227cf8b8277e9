/**
 * The typed client of the ctv-cloud API for a front end: openapi-fetch over the generated
 * client/schema.d.ts (`npm run client`). Paths, parameters, bodies, answers and problem answers are
 * all typed from the OpenAPI document.
 *
 *   const api = createCtvClient({ baseUrl: 'https://api.example.vn', token: () => session.idToken });
 *   const { data, error } = await api.GET('/v1/tenants/{tenantId}/collaborators/{collaboratorId}', {
 *     params: { path: { tenantId, collaboratorId } },
 *   });
 */
import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { components, paths } from './schema';

export type { components, paths };
/** An RFC 9457 problem answer, as every error of the API is. */
export type Problem = components['schemas']['Problem'];

export interface CtvClientOptions extends ClientOptions {
  /** the signed-in account's bearer token (a Cognito id token), read at each request */
  token?: () => string | undefined | Promise<string | undefined>;
}

export function createCtvClient({ token, ...options }: CtvClientOptions): Client<paths> {
  const client = createClient<paths>(options);
  if (token) {
    client.use({
      async onRequest({ request }) {
        const value = await token();
        if (value) request.headers.set('Authorization', `Bearer ${value}`);
        return request;
      },
    });
  }
  return client;
}
