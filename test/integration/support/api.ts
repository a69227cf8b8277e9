import { inject } from 'vitest';
import { signLocalToken } from '../../../infra/local/jwt';
import { sendRequest, unique, type ApiResponse, type RequestOptions } from './http';

export type { ApiResponse };

export { unique } from './http';

export async function tokenFor(sub: string, options: { email?: string; expiresIn?: string | number } = {}) {
  return signLocalToken(inject('jwtSecret'), sub, options);
}

/** A raw request to the local API; `body` is sent as given when it is a string, else as JSON. */
export function request(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse> {
  return sendRequest(inject('baseUrl'), method, path, options);
}

/** A signed-in user: the same calls with their token. */
export async function as(sub: string, email?: string) {
  const token = await tokenFor(sub, email ? { email } : {});
  const call = (method: string) => (path: string, body?: unknown, headers?: Record<string, string>) =>
    request(method, path, { token, body, headers });
  return { sub, token, get: call('GET'), post: call('POST'), patch: call('PATCH'), put: call('PUT'), delete: call('DELETE') };
}
export type User = Awaited<ReturnType<typeof as>>;

/** A new business owned by a new user, with unique ids. */
export async function newBusiness(name = 'Cửa hàng thử nghiệm') {
  const owner = await as(unique('owner-'));
  const res = await owner.post('/v1/tenants', { name, pageId: unique('page-') });
  if (res.status !== 201) throw new Error(`could not create a business: ${res.status} ${JSON.stringify(res.body)}`);
  const tenantId = res.body.id as string;
  return { owner, tenantId, base: `/v1/tenants/${tenantId}`, tenant: res.body };
}

let phoneCounter = 0;
const phoneBase = Math.floor(Math.random() * 1e6) * 100;
/** A valid Vietnamese mobile number not used before by this test file (businesses are per test anyway). */
export function uniquePhone(): string {
  phoneCounter += 1;
  return `091${String((phoneBase + phoneCounter) % 10_000_000).padStart(7, '0')}`;
}
