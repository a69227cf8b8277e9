import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for KiotViet's token endpoint and the two Public API reads the adapter makes
 * (docs/authentication.md §2.2, docs/customers.md §2.6.2, docs/returns.md §2.19.1 of the mirror
 * anhntservices-1808/kiotviet-public-api-docs), answering as documented. It records every request
 * so a test can check the form, the Bearer token and the Retailer header.
 */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | undefined>;
  body: string;
}

export interface FakeKiotViet {
  /** http://127.0.0.1:<port> */
  url: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  retailer: string;
  /** the access token it issues (one per token request: `<base>-1`, `<base>-2`, …) */
  tokensIssued: string[];
  requests: RecordedRequest[];
  /** `GET /customers/{id}` answers, by id (404 for others) */
  customers: Map<string, unknown>;
  /** every return document; `GET /returns` pages them by `currentItem` and `pageSize` */
  returns: unknown[];
  /** a status to answer the next API calls with instead (token requests excluded), while set */
  failWith: number | null;
  close(): Promise<void>;
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
};

async function bodyOf(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startFakeKiotViet(options: { clientId: string; clientSecret: string; retailer: string }): Promise<FakeKiotViet> {
  const fake = {
    url: '',
    tokenUrl: '',
    ...options,
    tokensIssued: [] as string[],
    requests: [] as RecordedRequest[],
    customers: new Map<string, unknown>(),
    returns: [] as unknown[],
    failWith: null as number | null,
  };
  const tokenBase = `kv-token-${options.clientId}`;

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const body = await bodyOf(req);
      const headers = {
        authorization: req.headers.authorization,
        retailer: req.headers.retailer as string | undefined,
        'content-type': req.headers['content-type'],
      };
      fake.requests.push({ method: req.method ?? '', path: url.pathname, query: Object.fromEntries(url.searchParams), headers, body });

      if (req.method === 'POST' && url.pathname === '/connect/token') {
        const form = new URLSearchParams(body);
        const good =
          form.get('grant_type') === 'client_credentials' &&
          form.get('scopes') === 'PublicApi.Access' &&
          form.get('client_id') === fake.clientId &&
          form.get('client_secret') === fake.clientSecret;
        if (!good) return json(res, 400, { error: 'invalid_client' });
        const token = `${tokenBase}-${fake.tokensIssued.length + 1}`;
        fake.tokensIssued.push(token);
        return json(res, 200, { access_token: token, expires_in: 86400, token_type: 'Bearer' });
      }

      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!bearer || !fake.tokensIssued.includes(bearer) || req.headers.retailer !== fake.retailer) {
        return json(res, 401, { responseStatus: { errorCode: 'Unauthorized', message: 'Unauthorized' } });
      }
      if (fake.failWith !== null) return json(res, fake.failWith, { responseStatus: { message: 'unavailable' } });

      const customer = /^\/customers\/([^/]+)$/.exec(url.pathname);
      if (req.method === 'GET' && customer) {
        const doc = fake.customers.get(decodeURIComponent(customer[1]!));
        return doc ? json(res, 200, doc) : json(res, 404, { responseStatus: { message: 'Không tìm thấy khách hàng' } });
      }
      if (req.method === 'GET' && url.pathname === '/returns') {
        const pageSize = Math.min(Number(url.searchParams.get('pageSize') ?? 20), 100);
        const currentItem = Number(url.searchParams.get('currentItem') ?? 0);
        return json(res, 200, { total: fake.returns.length, pageSize, data: fake.returns.slice(currentItem, currentItem + pageSize) });
      }
      return json(res, 404, { responseStatus: { message: 'not found' } });
    })().catch((error: unknown) => json(res, 500, { message: String(error) }));
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  fake.url = `http://127.0.0.1:${port}`;
  fake.tokenUrl = `${fake.url}/connect/token`;
  return Object.assign(fake, {
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  });
}
