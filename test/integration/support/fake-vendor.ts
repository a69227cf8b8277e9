import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small local stand-in for an order system's REST API: fixed JSON answers by method and path,
 * over real HTTP on 127.0.0.1, recording each request so a test can check how it was called.
 * The answers are the vendor's documented examples (each test names its source).
 */
export interface FakeVendor {
  baseUrl: string;
  requests: { method: string; path: string; headers: IncomingHttpHeaders }[];
  /** set or replace the answer of `METHOD /path` (the path without its query string) */
  answer(route: string, status: number, body: unknown): void;
  close(): Promise<void>;
}

export async function startFakeVendor(): Promise<FakeVendor> {
  const answers = new Map<string, { status: number; body: unknown }>();
  const requests: FakeVendor['requests'] = [];
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    requests.push({ method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers });
    const found = answers.get(`${req.method} ${path}`) ?? { status: 404, body: { code: 'not_found' } };
    req.resume();
    res.writeHead(found.status, { 'content-type': 'application/json' }).end(JSON.stringify(found.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    answer: (route, status, body) => void answers.set(route, { status, body }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
