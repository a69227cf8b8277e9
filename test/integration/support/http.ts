import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { signLocalToken } from '../../../infra/local/jwt';

/**
 * An HTTP client bound to one local server and its JWT secret, without vitest's `inject`: the
 * security suites run their own server instances, and the benchmarks use the same client.
 */
export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  /** parsed JSON, or the text when it is not JSON */
  body: T;
  /** the raw response text (what a leak check must search) */
  text: string;
  /** the raw response bytes (what a file download must be checked as) */
  bytes: Uint8Array;
}

export interface RequestOptions {
  token?: string;
  /** a string or bytes are sent as given (raw JSON, malformed JSON, bytes that are not UTF-8…); anything else as JSON */
  body?: unknown;
  headers?: Record<string, string>;
}

export const unique = (prefix = '') => `${prefix}${randomBytes(5).toString('hex')}`;

export interface ApiClient {
  baseUrl: string;
  jwtSecret: string;
  request(method: string, path: string, options?: RequestOptions): Promise<ApiResponse>;
  token(sub: string, options?: { email?: string; expiresIn?: string | number }): Promise<string>;
  as(sub: string, email?: string): Promise<Caller>;
}

export interface Caller {
  sub: string;
  email?: string;
  token: string;
  get(path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse>;
  post(path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse>;
  patch(path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse>;
  put(path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse>;
  delete(path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse>;
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse>;
}

/** One request to a local server: `body` is sent as given when it is a string or bytes, else as JSON. */
export async function sendRequest(baseUrl: string, method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | Uint8Array | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' || options.body instanceof Uint8Array ? options.body : JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(baseUrl + path, { method, headers, body });
  const bytes = new Uint8Array(await res.arrayBuffer());
  const text = new TextDecoder('utf-8').decode(bytes);
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, headers: res.headers, body: parsed, text, bytes };
}

export function apiClient(baseUrl: string, jwtSecret: string): ApiClient {
  const request = (method: string, path: string, options: RequestOptions = {}) => sendRequest(baseUrl, method, path, options);
  const token = (sub: string, options: { email?: string; expiresIn?: string | number } = {}) => signLocalToken(jwtSecret, sub, options);
  const as = async (sub: string, email?: string): Promise<Caller> => {
    const t = await token(sub, email ? { email } : {});
    const call = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
      request(method, path, { token: t, body, ...(headers ? { headers } : {}) });
    return {
      sub,
      ...(email ? { email } : {}),
      token: t,
      call,
      get: (p, b, h) => call('GET', p, b, h),
      post: (p, b, h) => call('POST', p, b, h),
      patch: (p, b, h) => call('PATCH', p, b, h),
      put: (p, b, h) => call('PUT', p, b, h),
      delete: (p, b, h) => call('DELETE', p, b, h),
    };
  };
  return { baseUrl, jwtSecret, request, token, as };
}

/**
 * Tokens an attacker could present for `sub` (typically the victim owner's): every one must be
 * refused with 401 by the authorizer.
 */
export async function badTokensFor(api: ApiClient, sub: string): Promise<Record<string, string>> {
  const now = Math.floor(Date.now() / 1000);
  const key = (s: string) => new TextEncoder().encode(s);
  const sign = (claims: Record<string, unknown>, secret = api.jwtSecret) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(key(secret));
  const good = await api.token(sub);
  const [header, payload] = good.split('.') as [string, string];
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  return {
    forged_secret: await sign({ sub, iss: 'ctv-local', aud: 'ctv-api', iat: now, exp: now + 3600 }, 'not-the-secret'),
    forged_payload: `${header}.${b64({ sub, iss: 'ctv-local', aud: 'ctv-api', iat: now, exp: now + 3600, role: 'owner' })}.${good.split('.')[2]}`,
    forged_signature: `${header}.${payload}.${'A'.repeat(43)}`,
    alg_none: `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub, iss: 'ctv-local', aud: 'ctv-api', exp: now + 3600 })}.`,
    expired: await api.token(sub, { expiresIn: now - 120 }),
    wrong_issuer: await sign({ sub, iss: 'evil', aud: 'ctv-api', iat: now, exp: now + 3600 }),
    wrong_audience: await sign({ sub, iss: 'ctv-local', aud: 'other-api', iat: now, exp: now + 3600 }),
    no_expiry: await sign({ sub, iss: 'ctv-local', aud: 'ctv-api', iat: now }),
    garbage: 'not.a.token',
  };
}

/**
 * An answer's text without the problem's `instance` (each request's own id): what must be the same,
 * byte for byte, for two answers a caller must not be able to tell apart.
 */
export function answerText(res: { text: string }): string {
  try {
    const body = JSON.parse(res.text) as unknown;
    if (body && typeof body === 'object' && 'instance' in body) {
      const { instance: _instance, ...rest } = body as Record<string, unknown>;
      return JSON.stringify(rest);
    }
  } catch {
    // not JSON: the text as it is
  }
  return res.text;
}
