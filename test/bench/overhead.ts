/**
 * Handler overhead: the p50 latency of a read route on the local server (GET a collaborator: JWT
 * verification, the membership and the CTV read together in one BatchGetItem, the view) against a
 * raw DynamoDB Local GetItem of the same item (lib-dynamodb, a client configured like the store's),
 * measured side by side in one run: the kinds of call are interleaved, one at a time, OVERHEAD_N
 * times each after a warm-up. The route is called over node:http with a kept-alive connection, the
 * HTTP stack the SDK's GetItem goes over (and, in a row of its own, with `fetch`, whose client
 * costs more). The same route refused without a token (401: routing + middy, no read) shows the
 * HTTP and middleware share; the route's Lambda handler called in this process with the event the
 * local server would build (no HTTP, no JWT) shows the function's own share, beside the same
 * handler without its read ahead (membership, then CTV: two round trips, as before issue 17) in
 * the same run. A raw BatchGetItem of the same two items, and the refused call, give the least any
 * route over this local HTTP could cost: its hop plus its one read.
 */
import { BatchGetCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { makeDeps } from '../../functions/deps';
import { operation as getCollaborator } from '../../functions/handlers/collaborators/get';
import { toLambda, type HttpEvent } from '../../functions/http/operation';
import { createStore } from '../../functions/store/client';
import { keys } from '../../functions/store/keys';
import { envNumber, interleavedSamples, keepAliveGetter, percentile, round, startApi, startDdb, type BenchResult } from './support';

export async function benchOverhead(): Promise<BenchResult[]> {
  const N = envNumber('OVERHEAD_N', 300);
  const WARMUP = 50;
  const ddb = await startDdb();
  const app = await startApi(ddb.endpoint);
  const raw = createStore({ tableName: app.tableName, endpoint: ddb.endpoint });
  const store = createStore({ tableName: app.tableName, endpoint: ddb.endpoint });
  const http = keepAliveGetter();
  try {
    const owner = await app.api.as('overhead-owner');
    const tenant = (await owner.post('/v1/tenants', { name: 'Đo độ trễ', pageId: `overhead-${Date.now()}` })).body;
    const base = `/v1/tenants/${tenant.id}`;
    const ctv = await owner.post(`${base}/collaborators`, { name: 'Nguyễn Thị Hoa', phone: '0912345678' });
    if (ctv.status !== 201) throw new Error(`overhead: could not add a CTV: ${ctv.status} ${ctv.text}`);
    const path = `${base}/collaborators/${ctv.body.id}`;
    const url = `${app.server.url}${path}`;
    const auth = { authorization: `Bearer ${owner.token}` };
    // the function alone: its handler, on a store of its own (as a Lambda container has), with the verified claims
    const deps = makeDeps({ store, log: () => undefined });
    const handler = toLambda(getCollaborator, deps);
    const twoReads = toLambda({ ...getCollaborator, serves: undefined }, deps);
    const event = (): HttpEvent =>
      ({
        version: '2.0',
        routeKey: `GET ${getCollaborator.path}`,
        rawPath: path,
        rawQueryString: '',
        headers: {},
        pathParameters: { tenantId: tenant.id, collaboratorId: ctv.body.id },
        isBase64Encoded: false,
        requestContext: { http: { method: 'GET', path }, authorizer: { jwt: { claims: { sub: owner.sub }, scopes: [] } } },
      }) as unknown as HttpEvent;

    const calls = {
      route: async () => {
        const status = await http.get(url, auth);
        if (status !== 200) throw new Error(`GET collaborator answered ${status}`);
      },
      routeFetch: async () => {
        const res = await fetch(url, { headers: auth });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`GET collaborator with fetch answered ${res.status}`);
      },
      handler: async () => {
        const res = await handler(event(), { awsRequestId: 'bench' } as Context);
        if (res.statusCode !== 200) throw new Error(`the handler answered ${res.statusCode}`);
      },
      twoReads: async () => {
        const res = await twoReads(event(), { awsRequestId: 'bench' } as Context);
        if (res.statusCode !== 200) throw new Error(`the handler without its read ahead answered ${res.statusCode}`);
      },
      refused: async () => {
        const status = await http.get(url);
        if (status !== 401) throw new Error(`GET collaborator without a token answered ${status}`);
      },
      batchGet: async () => {
        const out = await raw.db.send(
          new BatchGetCommand({
            RequestItems: {
              [raw.tableName]: {
                Keys: [keys.membership(tenant.id, owner.sub), keys.collaborator(tenant.id, ctv.body.id)],
                ConsistentRead: true,
              },
            },
          }),
        );
        if (out.Responses?.[raw.tableName]?.length !== 2) throw new Error('BatchGetItem did not find both items');
      },
      getItem: async () => {
        const out = await raw.db.send(
          new GetCommand({ TableName: raw.tableName, Key: keys.collaborator(tenant.id, ctv.body.id), ConsistentRead: true }),
        );
        if (!out.Item) throw new Error('GetItem found nothing');
      },
    };
    const samples = await interleavedSamples(calls, WARMUP, N);
    const p50 = (k: keyof typeof calls) => round(percentile(samples[k], 50), 2);
    const p99 = (k: keyof typeof calls) => round(percentile(samples[k], 99), 2);
    return [
      {
        name: 'overhead.getitem_p50',
        value: p50('getItem'),
        unit: 'ms',
        note: `raw lib-dynamodb GetItem (consistent) of the CTV; p99 ${p99('getItem')} ms; n=${N}`,
      },
      {
        name: 'overhead.route_p50',
        value: p50('route'),
        unit: 'ms',
        note: `GET collaborators/{id} over node:http, kept alive (the token verified once, then known; membership and CTV in one BatchGetItem); p99 ${p99('route')} ms`,
      },
      {
        name: 'overhead.route_fetch_p50',
        value: p50('routeFetch'),
        unit: 'ms',
        note: `the same route called with fetch (undici): what a heavier client adds; p99 ${p99('routeFetch')} ms`,
      },
      {
        name: 'overhead.refused_401_p50',
        value: p50('refused'),
        unit: 'ms',
        note: `the same route without a token: HTTP + routing + middy, no read; p99 ${p99('refused')} ms`,
      },
      {
        name: 'overhead.handler_p50',
        value: p50('handler'),
        unit: 'ms',
        note: `the route's Lambda handler called in-process (no HTTP, no JWT): middy, the batch, the view; p99 ${p99('handler')} ms`,
      },
      {
        name: 'overhead.route_vs_getitem',
        value: round(p50('route') / p50('getItem'), 2),
        unit: 'x',
        note: 'route p50 ÷ GetItem p50 (the route reads 2 items in one round trip)',
      },
      {
        name: 'overhead.batchget_two_p50',
        value: p50('batchGet'),
        unit: 'ms',
        note: `raw BatchGetItem (consistent) of the membership and the CTV, the route's one read; p99 ${p99('batchGet')} ms`,
      },
      {
        name: 'overhead.route_floor_vs_getitem',
        value: round((p50('refused') + p50('batchGet')) / p50('getItem'), 2),
        unit: 'x',
        note: '(refused p50 + BatchGetItem p50) ÷ GetItem p50: the least a route over this local HTTP can be, with a free handler and JWT check',
      },
      {
        name: 'overhead.handler_vs_getitem',
        value: round(p50('handler') / p50('getItem'), 2),
        unit: 'x',
        note: "handler p50 ÷ GetItem p50: the function's share, without the local server's HTTP and JWT",
      },
      {
        name: 'overhead.handler_two_reads_vs_getitem',
        value: round(p50('twoReads') / p50('getItem'), 2),
        unit: 'x',
        note: `the same handler without its read ahead (membership, then CTV), p50 ${p50('twoReads')} ms ÷ GetItem p50`,
      },
      {
        name: 'overhead.route_minus_getitem',
        value: round(p50('route') - p50('getItem'), 2),
        unit: 'ms',
        note: 'what the route adds beyond one GetItem: the second item of the batch, HTTP, JWT, the handler',
      },
    ];
  } finally {
    http.close();
    store.db.destroy();
    raw.db.destroy();
    await app.close();
    await ddb.stop();
  }
}
