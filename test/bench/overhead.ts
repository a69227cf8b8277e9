/**
 * Handler overhead: the p50 latency of a read route on the local server (GET a collaborator: JWT
 * verification, the membership read, the CTV read, the view) against a raw DynamoDB Local GetItem
 * of the same item (lib-dynamodb, a client configured like the store's), measured side by side in
 * one run: the three kinds of call are interleaved, one at a time, OVERHEAD_N times each after a
 * warm-up. The same route refused without a token (401: routing + middy, no read) shows the HTTP
 * and middleware share.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { createStore } from '../../functions/store/client';
import { keys } from '../../functions/store/keys';
import { envNumber, interleavedSamples, percentile, round, startApi, startDdb, type BenchResult } from './support';

export async function benchOverhead(): Promise<BenchResult[]> {
  const N = envNumber('OVERHEAD_N', 300);
  const WARMUP = 50;
  const ddb = await startDdb();
  const app = await startApi(ddb.endpoint);
  const raw = createStore({ tableName: app.tableName, endpoint: ddb.endpoint });
  try {
    const owner = await app.api.as('overhead-owner');
    const tenant = (await owner.post('/v1/tenants', { name: 'Đo độ trễ', pageId: `overhead-${Date.now()}` })).body;
    const base = `/v1/tenants/${tenant.id}`;
    const ctv = await owner.post(`${base}/collaborators`, { name: 'Nguyễn Thị Hoa', phone: '0912345678' });
    if (ctv.status !== 201) throw new Error(`overhead: could not add a CTV: ${ctv.status} ${ctv.text}`);
    const url = `${app.server.url}${base}/collaborators/${ctv.body.id}`;
    const auth = { authorization: `Bearer ${owner.token}` };

    const calls = {
      route: async () => {
        const res = await fetch(url, { headers: auth });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`GET collaborator answered ${res.status}`);
      },
      refused: async () => {
        const res = await fetch(url);
        await res.arrayBuffer();
        if (res.status !== 401) throw new Error(`GET collaborator without a token answered ${res.status}`);
      },
      getItem: async () => {
        const out = await raw.db.send(new GetCommand({ TableName: raw.tableName, Key: keys.collaborator(tenant.id, ctv.body.id), ConsistentRead: true }));
        if (!out.Item) throw new Error('GetItem found nothing');
      },
    };
    const samples = await interleavedSamples(calls, WARMUP, N);
    const p50 = (k: keyof typeof calls) => round(percentile(samples[k], 50), 2);
    const p99 = (k: keyof typeof calls) => round(percentile(samples[k], 99), 2);
    return [
      { name: 'overhead.getitem_p50', value: p50('getItem'), unit: 'ms', note: `raw lib-dynamodb GetItem (consistent) of the CTV; p99 ${p99('getItem')} ms; n=${N}` },
      { name: 'overhead.route_p50', value: p50('route'), unit: 'ms', note: `GET collaborators/{id} over HTTP (JWT, membership read, CTV read); p99 ${p99('route')} ms` },
      { name: 'overhead.refused_401_p50', value: p50('refused'), unit: 'ms', note: `the same route without a token: HTTP + routing + middy, no read; p99 ${p99('refused')} ms` },
      { name: 'overhead.route_vs_getitem', value: round(p50('route') / p50('getItem'), 2), unit: 'x', note: 'route p50 ÷ GetItem p50 (the route does 2 reads)' },
      { name: 'overhead.route_minus_2_getitems', value: round(p50('route') - 2 * p50('getItem'), 2), unit: 'ms', note: 'what the handler adds beyond its two reads' },
    ];
  } finally {
    raw.db.destroy();
    await app.close();
    await ddb.stop();
  }
}
