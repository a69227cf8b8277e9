import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import type { Deps } from '../../functions/deps';
import { toLambda, type HttpAnswer, type HttpEvent, type Operation } from '../../functions/http/operation';
import { problem, type HttpResult } from '../../functions/http/problem';
import { CORS_ALLOW_HEADERS } from '../../functions/http/cors';
import { ROUTES } from '../../functions/routes';
import type { Route } from '../../functions/routes/route';
import { CLOCK_PATH, clockRequest, type LocalClock } from './clock';
import { verifyLocalToken } from './jwt';

/**
 * The local API: the same handlers and the same route table as in AWS, behind a plain Node HTTP
 * server that does what API Gateway does for us there — match the route, verify the JWT, build the
 * HTTP API (payload 2.0) event with the verified claims, and write the answer back.
 */
const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** API Gateway's own cap on a request body is larger than anything we accept; keep ours bounded too */
const MAX_REQUEST_BYTES = 6 * 1024 * 1024;

type LambdaHandler = (event: HttpEvent, context: Context) => Promise<HttpAnswer>;

interface CompiledRoute {
  route: Route<any, any>;
  pattern: RegExp;
  names: string[];
  handler: LambdaHandler;
}

async function compile(routes: readonly Route<any, any>[], deps: Deps): Promise<CompiledRoute[]> {
  return Promise.all(
    routes.map(async (route) => {
      const mod = (await import(pathToFileURL(resolve(PROJECT_ROOT, route.handler)).href)) as { operation?: Operation };
      if (!mod.operation || mod.operation.id !== route.id) throw new Error(`${route.handler} does not export the operation ${route.id}`);
      const names: string[] = [];
      const pattern = new RegExp(
        `^${route.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_m, name: string) => {
          names.push(name);
          return '([^/]+)';
        })}$`,
      );
      return { route, pattern, names, handler: toLambda(mod.operation, deps) as unknown as LambdaHandler };
    }),
  );
}

function readBody(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) {
        resolveBody(null);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolveBody(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, result: HttpAnswer, corsOrigin: string | undefined) {
  const headers: Record<string, string> = { ...result.headers };
  if (corsOrigin && !Object.keys(headers).some((h) => h.toLowerCase() === 'access-control-allow-origin')) {
    headers['access-control-allow-origin'] = corsOrigin;
  }
  res.writeHead(result.statusCode, headers);
  // as API Gateway does: a body flagged base64 is sent as the bytes it encodes (a file)
  res.end(result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body);
}

/**
 * The local stand-in for API Gateway's throttling of public writes (self-registration): a token
 * bucket per client IP, refilled at `ratePerSecond` up to `burst`. Configure with
 * LOCAL_PUBLIC_RATE=<rate>/<burst> (e.g. 5/10), or `off`.
 */
export interface RateLimit {
  ratePerSecond: number;
  burst: number;
}

export const DEFAULT_PUBLIC_RATE: RateLimit = { ratePerSecond: 20, burst: 50 };

export function rateLimitFromEnv(value: string | undefined): RateLimit | false {
  if (value === undefined || value.trim() === '') return DEFAULT_PUBLIC_RATE;
  if (value.trim().toLowerCase() === 'off') return false;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(?:\/\s*(\d+))?\s*$/.exec(value);
  if (!match || Number(match[1]) <= 0) throw new Error(`LOCAL_PUBLIC_RATE="${value}": use <rate per second>/<burst>, e.g. 20/50, or off`);
  const ratePerSecond = Number(match[1]);
  return { ratePerSecond, burst: match[2] ? Math.max(1, Number(match[2])) : Math.max(1, Math.ceil(ratePerSecond)) };
}

export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Take a token for `key`: allowed, or how many seconds until one is free. */
  take(key: string): { allowed: true } | { allowed: false; retryAfterSeconds: number } {
    const now = this.now();
    if (this.buckets.size > 10_000) this.sweep(now);
    const bucket = this.buckets.get(key) ?? { tokens: this.limit.burst, at: now };
    bucket.tokens = Math.min(this.limit.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.limit.ratePerSecond);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.limit.ratePerSecond)) };
  }

  /** forget clients whose bucket has refilled: they are as if never seen */
  private sweep(now: number) {
    for (const [key, b] of this.buckets) {
      if (b.tokens + ((now - b.at) / 1000) * this.limit.ratePerSecond >= this.limit.burst) this.buckets.delete(key);
    }
  }
}

/** What API Gateway throttles with the public-write settings: unauthenticated routes that change something. */
const isPublicWrite = (route: Route<any, any>) => route.auth === 'public' && route.method !== 'GET';

export interface LocalServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

export async function startLocalServer(options: {
  deps: Deps;
  jwtSecret: string;
  port?: number;
  host?: string;
  routes?: readonly Route<any, any>[];
  /** per-IP limit on public writes; default from LOCAL_PUBLIC_RATE, else DEFAULT_PUBLIC_RATE; false: none */
  publicRateLimit?: RateLimit | false;
  /**
   * The clock that `deps.now` reads, for `POST /local/clock` to move (`npm start`; infra/local/clock.ts).
   * Without it the path is not served: a server on a fixed or test clock cannot be moved over HTTP.
   */
  clock?: LocalClock;
  /** sees each route's answer (the test suite checks the OpenAPI document declares what it sees) */
  observe?: (route: Route<any, any>, result: HttpResult) => void;
}): Promise<LocalServer> {
  const compiled = await compile(options.routes ?? ROUTES, options.deps);
  const rateLimit = options.publicRateLimit ?? rateLimitFromEnv(process.env.LOCAL_PUBLIC_RATE);
  const publicBuckets = rateLimit ? new TokenBuckets(rateLimit) : null;
  const corsOrigin = options.deps.corsOrigins.includes('*') ? '*' : undefined;

  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const method = (req.method ?? 'GET').toUpperCase();
      const rawPath = url.pathname;
      if (method === 'OPTIONS') {
        // CORS preflight, as API Gateway's corsPreflight answers it in AWS
        res.writeHead(204, {
          'access-control-allow-origin': corsOrigin ?? '',
          'access-control-allow-methods': 'GET,POST,PUT,PATCH,DELETE,OPTIONS',
          'access-control-allow-headers': CORS_ALLOW_HEADERS.join(','),
          'access-control-max-age': '600',
        });
        res.end();
        return;
      }
      if (options.clock && rawPath === CLOCK_PATH) {
        // the local server's own route, never in the route table (so never in AWS or OpenAPI)
        const body = await readBody(req);
        send(
          res,
          body === null ? problem(413, 'payload_too_large', 'The body is too large') : clockRequest(options.clock, method, body),
          corsOrigin,
        );
        return;
      }
      const candidates = compiled.filter((c) => c.pattern.test(rawPath));
      const match = candidates.find((c) => c.route.method === method);
      if (!match) {
        send(
          res,
          candidates.length
            ? problem(405, 'method_not_allowed', 'This path does not take this method')
            : problem(404, 'not_found', 'No such route'),
          corsOrigin,
        );
        return;
      }
      if (publicBuckets && isPublicWrite(match.route)) {
        const verdict = publicBuckets.take(req.socket.remoteAddress ?? '');
        if (!verdict.allowed) {
          const limited = problem(429, 'too_many_requests', 'Too many requests from this address; slow down and retry');
          limited.headers['retry-after'] = String(verdict.retryAfterSeconds);
          req.resume();
          send(res, limited, corsOrigin);
          return;
        }
      }
      const body = await readBody(req);
      if (body === null) {
        send(res, problem(413, 'payload_too_large', 'The body is too large'), corsOrigin);
        return;
      }
      const values = match.pattern.exec(rawPath)!.slice(1);
      const pathParameters: Record<string, string> = {};
      match.names.forEach((name, i) => {
        try {
          pathParameters[name] = decodeURIComponent(values[i]!);
        } catch {
          pathParameters[name] = values[i]!;
        }
      });

      let claims: Record<string, string> | null = null;
      if (match.route.auth === 'jwt') {
        const auth = req.headers.authorization ?? '';
        const token = /^Bearer\s+(\S+)$/i.exec(auth)?.[1];
        claims = token ? await verifyLocalToken(options.jwtSecret, token) : null;
        if (!claims) {
          send(res, problem(401, 'unauthenticated', 'Sign in: a valid bearer token is required'), corsOrigin);
          return;
        }
      }

      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(',') : v;
      const query: Record<string, string> = {};
      for (const [k, v] of url.searchParams) query[k] = k in query ? `${query[k]},${v}` : v;
      const now = options.deps.now(); // the server's clock (tests set it), as the handlers see it
      const requestId = randomUUID();
      const utf8 = isUtf8(body);
      const event = {
        version: '2.0',
        routeKey: `${match.route.method} ${match.route.path}`,
        rawPath,
        rawQueryString: url.search.slice(1),
        headers,
        queryStringParameters: Object.keys(query).length ? query : undefined,
        pathParameters: Object.keys(pathParameters).length ? pathParameters : undefined,
        // as API Gateway does: text as text, bytes that are not UTF-8 as base64 (a signature covers the bytes)
        body: body.length ? (utf8 ? body.toString('utf8') : body.toString('base64')) : undefined,
        isBase64Encoded: !utf8,
        requestContext: {
          accountId: 'local',
          apiId: 'local',
          domainName: req.headers.host ?? 'localhost',
          domainPrefix: 'local',
          http: {
            method,
            path: rawPath,
            protocol: 'HTTP/1.1',
            sourceIp: req.socket.remoteAddress ?? '',
            userAgent: req.headers['user-agent'] ?? '',
          },
          requestId,
          routeKey: `${match.route.method} ${match.route.path}`,
          stage: '$default',
          time: now.toISOString(),
          timeEpoch: now.getTime(),
          authorizer: claims ? { principalId: '', integrationLatency: 0, jwt: { claims, scopes: [] } } : undefined,
        },
      } as unknown as HttpEvent;
      const context = { awsRequestId: requestId, functionName: match.route.id } as Context;
      const result = await match.handler(event, context);
      options.observe?.(match.route, result);
      send(res, result, corsOrigin);
    } catch (error) {
      options.deps.log({ level: 'error', msg: 'local server error', error: (error as Error).name, message: (error as Error).message });
      if (!res.headersSent) send(res, problem(500, 'internal', 'Something went wrong on our side'), corsOrigin);
      else res.end();
    }
  });

  await new Promise<void>((r) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', r));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    server,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
