/**
 * Round trips (issue 17), counted on DynamoDB Local: what a request sends, command by command.
 * A read route reads the caller's membership and the item it serves in one BatchGetItem
 * (functions/store/read-ahead.ts), and a caller the membership refuses gets the answer they got
 * before, never the item. A webhook order reads what it needs in as few calls as the data allows:
 * at most 4 for a new order, 2 for the same delivery again (a failed conditional write counts).
 */
import { PutItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { getMembership } from '../../functions/store/members';
import { getCollaborator } from '../../functions/store/collaborators';
import { fenceStore, TenantFenceError } from '../../functions/store/guard';
import { keys } from '../../functions/store/keys';
import { readAhead, ReadAheadRefused } from '../../functions/store/read-ahead';
import type { Store } from '../../functions/store/client';
import type { Operation } from '../../functions/http/operation';
import { ROUTES } from '../../functions/routes';
import { signCtv } from '../../functions/webhooks/adapters/signatures';
import { buildWorld, FAKE_ID, fillPath } from './support/world';
import { suiteNowSeconds } from './support/clock';
import { unique, type ApiClient, type Caller } from './support/http';
import { orderLine } from './support/orders';
import { testServer } from './support/servers';

/** A DynamoDB call as it left the store: the command and the partition/sort keys it names. */
interface Sent {
  command: string;
  keys: string[];
}
let sent: Sent[] = [];

let api: ApiClient;
let server: Awaited<ReturnType<typeof testServer>>;

type Item = Record<string, unknown>;
type Action = { Item?: Item; Key?: Item };

/** The keys a command names: its key, its batch's keys, its transaction's items. */
function keysOf(input: {
  Key?: Item;
  RequestItems?: Record<string, { Keys?: Item[] }>;
  TransactItems?: Record<string, Action>[];
}): string[] {
  const key = (k: Item | undefined) => (k ? `${k.pk}|${k.sk}` : '?');
  if (input.Key) return [key(input.Key)];
  if (input.RequestItems) return Object.values(input.RequestItems).flatMap((r) => (r.Keys ?? []).map(key));
  if (input.TransactItems) return input.TransactItems.map((t) => Object.values(t).map((a) => key(a.Item ?? a.Key))[0] ?? '?');
  return [];
}

beforeAll(async () => {
  server = await testServer({
    instrument: (store) =>
      store.db.middlewareStack.add(
        (next, context) => async (args) => {
          sent.push({
            command: String(context.commandName)
              .replace(/Command$/, '')
              .replace(/Items?$/, ''),
            keys: keysOf(args.input as Parameters<typeof keysOf>[0]),
          });
          return next(args);
        },
        { step: 'initialize', name: 'countCalls' },
      ),
  });
  api = server.api;
});

afterAll(async () => server?.close());

/** What one request sends (requests here go one at a time). */
async function callsOf<T>(request: () => Promise<T>): Promise<{ result: T; calls: Sent[] }> {
  sent = [];
  const result = await request();
  return { result, calls: sent };
}

async function business() {
  const owner = await api.as(unique('owner-'));
  const tenant = (await owner.post('/v1/tenants', { name: 'Mỹ phẩm Hoa Sen', pageId: unique('hoasen-') })).body;
  const base = `/v1/tenants/${tenant.id}`;
  const phone = () => `091${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
  const ctv = (await owner.post(`${base}/collaborators`, { name: 'Phạm Thu Trang', phone: phone() })).body;
  expect(ctv.id, JSON.stringify(ctv)).toEqual(expect.any(String));
  return { owner, tenantId: tenant.id as string, base, ctv, phone };
}

/** A problem as a caller sees it, without the parts that name the request. */
const problemOf = (body: Record<string, unknown>) => ({ ...body, instance: undefined, detail: undefined });

describe('a read route reads the membership and its item in one round trip', () => {
  it('GET a CTV: one BatchGetItem holding the membership and the CTV, and the answer of before', async () => {
    const b = await business();
    const { result, calls } = await callsOf(() => b.owner.get(`${b.base}/collaborators/${b.ctv.id}`));
    expect(result.status, result.text).toBe(200);
    expect(result.body).toMatchObject({ id: b.ctv.id, name: 'Phạm Thu Trang' });
    expect(result.headers.get('etag')).toBe(`"${b.ctv.version}"`);
    expect(calls).toEqual([
      {
        command: 'BatchGet',
        keys: expect.arrayContaining([
          `${keys.membership(b.tenantId, b.owner.sub).pk}|${keys.membership(b.tenantId, b.owner.sub).sk}`,
          `${keys.collaborator(b.tenantId, b.ctv.id).pk}|${keys.collaborator(b.tenantId, b.ctv.id).sk}`,
        ]),
      },
    ]);
    expect(calls[0]?.keys).toHaveLength(2);
  });

  it('a caller who is not a member gets the 404 of a business they cannot see, never the item; care staff asking for a CTV not theirs the 404 of a missing one', async () => {
    const b = await business();
    const stranger = await api.as(unique('stranger-'));
    const real = await stranger.get(`${b.base}/collaborators/${b.ctv.id}`);
    const missing = await stranger.get(`${b.base}/collaborators/01KZZZZZZZZZZZZZZZZZZZZZZZ`);
    expect([real.status, missing.status]).toEqual([404, 404]);
    expect(problemOf(real.body)).toEqual(problemOf(missing.body));
    expect(real.text).not.toContain('Phạm Thu Trang');
    expect(real.text).not.toContain(b.ctv.phone);
    // another business's owner, naming this business's CTV under their own business: nothing found there
    const other = await business();
    const crossed = await other.owner.get(`${other.base}/collaborators/${b.ctv.id}`);
    expect(crossed.status).toBe(404);
    expect(crossed.text).not.toContain('Phạm Thu Trang');

    // care staff of the business see the CTVs they look after: another CTV is as missing as one that does not exist
    const careSub = unique('care-');
    expect((await b.owner.post(`${b.base}/care-staff`, { userId: careSub, name: 'Lê Minh Khoa' })).status).toBe(201);
    const care: Caller = await api.as(careSub);
    const notTheirs = await care.get(`${b.base}/collaborators/${b.ctv.id}`);
    const none = await care.get(`${b.base}/collaborators/01KZZZZZZZZZZZZZZZZZZZZZZZ`);
    expect([notTheirs.status, none.status]).toEqual([404, 404]);
    expect(problemOf(notTheirs.body)).toEqual(problemOf(none.body));
    expect(notTheirs.text).not.toContain('Phạm Thu Trang');
  });

  it('a member without the route’s role gets 403 and nothing of the item', async () => {
    const b = await business();
    const sellerSub = unique('seller-');
    expect((await b.owner.post(`${b.base}/sellers`, { userId: sellerSub, name: 'Đỗ Văn Nam' })).status).toBe(201);
    const seller = await api.as(sellerSub);
    // a plan version: owner, managers and care staff only
    expect(
      (await b.owner.post(`${b.base}/commission-plans`, { effectiveFrom: '2026-01-01', basic: { default: { percentBp: 1234 } } })).status,
    ).toBe(201);
    const { result, calls } = await callsOf(() => seller.get(`${b.base}/commission-plans/1`));
    expect(result.status).toBe(403);
    expect(result.text).not.toContain('1234');
    expect(calls.map((c) => c.command)).toEqual(['BatchGet']);
    const owner = await callsOf(() => b.owner.get(`${b.base}/commission-plans/1`));
    expect(owner.result.status).toBe(200);
    expect(owner.result.body.basic.default.percentBp).toBe(1234);
    expect(owner.calls.map((c) => c.command)).toEqual(['BatchGet']);
  });

  it('a stored number past 2^53 in the item: the member gets the 500 of its type, a non-member still the 404', async () => {
    const b = await business();
    const client = new DynamoDBClient({
      endpoint: inject('ddbEndpoint'),
      region: 'ap-southeast-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const key = keys.collaborator(b.tenantId, b.ctv.id);
    try {
      await client.send(
        new PutItemCommand({
          TableName: inject('tableName'),
          Item: {
            pk: { S: key.pk },
            sk: { S: key.sk },
            entity: { S: 'collaborator' },
            id: { S: b.ctv.id },
            level: { N: String(2n ** 60n) },
          },
        }),
      );
    } finally {
      client.destroy();
    }
    const member = await b.owner.get(`${b.base}/collaborators/${b.ctv.id}`);
    expect({ status: member.status, type: member.body.type }).toEqual({ status: 500, type: 'urn:ctv-cloud:problem:amount_out_of_range' });
    const stranger = await (await api.as(unique('stranger-'))).get(`${b.base}/collaborators/${b.ctv.id}`);
    expect(stranger.status).toBe(404);
  });
});

describe('every read route that declares the item it serves', () => {
  it('reads the membership in the same BatchGetItem as the item, answers the owner, and a non-member what a missing id answers', async () => {
    const w = await buildWorld(api, 'round-trips');
    const stranger = await api.as(unique('stranger-'));
    const membershipKey = `${keys.membership(w.tenantId, w.owner.sub).pk}|${keys.membership(w.tenantId, w.owner.sub).sk}`;
    const serving: string[] = [];
    for (const route of ROUTES.filter((r) => r.method === 'GET' && r.roles)) {
      const { operation } = (await import(new URL(`../../${route.handler}`, import.meta.url).href)) as { operation: Operation };
      if (!operation.serves) continue;
      serving.push(route.id);
      const path = fillPath(route.path, w);
      const { result, calls } = await callsOf(() => w.owner.get(path));
      expect(result.status, `${route.id}: ${result.text}`).toBe(200);
      // the membership is read once, in the first call, with the item
      expect(calls[0], route.id).toMatchObject({ command: 'BatchGet', keys: expect.arrayContaining([membershipKey]) });
      expect(calls[0]?.keys.length, route.id).toBeGreaterThan(1);
      expect(
        calls.slice(1).filter((c) => c.keys.includes(membershipKey)),
        route.id,
      ).toEqual([]);
      // not a member: the answer of a business they cannot see, the same whether the item exists or not
      const real = await stranger.get(path);
      const missing = await stranger.get(fillPath(route.path, w, (name) => (name === 'tenantId' ? undefined : FAKE_ID)));
      expect([real.status, missing.status], route.id).toEqual([404, 404]);
      expect(problemOf(real.body), route.id).toEqual(problemOf(missing.body));
    }
    // the routes the overhead bench and the issue name, at least
    expect(serving).toEqual(expect.arrayContaining(['getCollaborator', 'getOrder', 'getStatement']));
  });
});

describe('readAhead (functions/store/read-ahead.ts)', () => {
  it('answers the item once from the batch: a second read of it goes to DynamoDB', async () => {
    const b = await business();
    const store: Store = fenceStore(server.store, { tenantId: b.tenantId });
    const { result, calls } = await callsOf(async () => {
      const read = await readAhead(store, (s) => getMembership(s, b.tenantId, b.owner.sub), [
        (s) => getCollaborator(s, b.tenantId, b.ctv.id),
      ]);
      const first = await getCollaborator(read.store, b.tenantId, b.ctv.id);
      const again = await getCollaborator(read.store, b.tenantId, b.ctv.id);
      return { membership: read.value, first, again };
    });
    expect(result.membership?.roles).toEqual(['owner']);
    expect(result.first?.id).toBe(b.ctv.id);
    expect(result.again).toEqual(result.first);
    expect(calls.map((c) => c.command)).toEqual(['BatchGet', 'Get']);
  });

  it('a batch DynamoDB refuses (a key past its size limit) is sent key by key: the membership is read, only the bad read fails', async () => {
    const b = await business();
    const store = fenceStore(server.store, { tenantId: b.tenantId });
    const tooLong = (s: Store) =>
      s.db.send(
        new GetCommand({ TableName: s.tableName, Key: { pk: keys.tenant(b.tenantId).pk, sk: 'X'.repeat(1100) }, ConsistentRead: true }),
      );
    const { result, calls } = await callsOf(async () => {
      const read = await readAhead(store, (s) => getMembership(s, b.tenantId, b.owner.sub), [tooLong]);
      const item = await tooLong(read.store).then(
        () => 'read',
        (e: unknown) => (e as Error).name,
      );
      return { roles: read.value?.roles, item };
    });
    expect(result).toEqual({ roles: ['owner'], item: 'ValidationException' });
    expect(calls.map((c) => c.command)).toEqual(['BatchGet', 'Get', 'Get']);
  });

  it('a read ahead that sends anything but its GetItems is refused (a bug in its declaration)', async () => {
    const b = await business();
    const store = fenceStore(server.store, { tenantId: b.tenantId });
    const query = (s: Store) =>
      s.db.send(
        new QueryCommand({
          TableName: s.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': keys.tenant(b.tenantId).pk },
        }),
      );
    await expect(readAhead(store, (s) => getMembership(s, b.tenantId, b.owner.sub), [query])).rejects.toBeInstanceOf(ReadAheadRefused);
    // a second read after the batch, from the read ahead itself
    const twoSteps = async (s: Store) => {
      await getCollaborator(s, b.tenantId, b.ctv.id);
      return s.db.send(new GetCommand({ TableName: s.tableName, Key: keys.settings(b.tenantId), ConsistentRead: true }));
    };
    await expect(readAhead(store, (s) => getMembership(s, b.tenantId, b.owner.sub), [twoSteps])).rejects.toBeInstanceOf(ReadAheadRefused);
  });

  it('the tenant fence still checks every key of the batch: another business’s item is refused and nothing is sent', async () => {
    const b = await business();
    const other = await business();
    const store = fenceStore(server.store, { tenantId: b.tenantId });
    const { result, calls } = await callsOf(() =>
      readAhead(store, (s) => getMembership(s, b.tenantId, b.owner.sub), [(s) => getCollaborator(s, other.tenantId, other.ctv.id)]).then(
        () => null,
        (e: unknown) => e,
      ),
    );
    expect(result).toBeInstanceOf(TenantFenceError);
    expect(calls).toEqual([]);
  });
});

describe('a webhook order reads and writes in as few calls as the data allows', () => {
  async function shop() {
    const b = await business();
    expect(
      (await b.owner.post(`${b.base}/commission-plans`, { effectiveFrom: '2026-01-01', basic: { default: { percentBp: 1000 } } })).status,
    ).toBe(201);
    const source = (await b.owner.post(`${b.base}/webhook-sources`, { name: 'Website' })).body as { id: string; secret: string };
    const path = `/v1/webhooks/${b.tenantId}/${source.id}/orders`;
    const send = (event: unknown) => {
      const raw = JSON.stringify(event);
      return api.request('POST', path, { body: raw, headers: { 'x-ctv-signature': signCtv(raw, source.secret, suiteNowSeconds()) } });
    };
    const event = (externalId: string, revision: number, overrides: Record<string, unknown> = {}) => ({
      externalId,
      revision,
      state: 'approved',
      occurredAt: '2026-11-03T10:15:00+07:00',
      customer: { phone: b.phone(), name: 'Khách' },
      lines: [orderLine('1', 2, 350_000)],
      orderDiscount: 0,
      shippingFee: 0,
      attribution: { collaboratorId: b.ctv.id, refId: null, couponCode: null, opportunityId: null },
      sellerId: null,
      ...overrides,
    });
    const commissionOf = async (orderId: string) =>
      ((await b.owner.get(`${b.base}/orders/${orderId}`)).body.commissionLines as { amount: number }[]).reduce(
        (sum, l) => sum + l.amount,
        0,
      );
    // the container's first order of this business reads the plan versions (a Query); later ones check them in the batch
    expect((await send(event(unique('WARM-'), 1))).status).toBe(200);
    return { ...b, send, event, commissionOf };
  }

  it('a new order: at most 4 DynamoDB calls; the same delivery again: at most 2, nothing written', async () => {
    const s = await shop();
    const e = s.event(unique('HD-'), 1);
    const created = await callsOf(() => s.send(e));
    expect(created.result.status, created.result.text).toBe(200);
    expect(created.result.body).toMatchObject({ revision: 1, applied: true });
    expect(created.calls.length, JSON.stringify(created.calls)).toBeLessThanOrEqual(4);
    expect(await s.commissionOf(created.result.body.orderId)).toBe(70_000);

    const again = await callsOf(() => s.send(e));
    expect(again.result.status).toBe(200);
    expect(again.result.body).toEqual({
      orderId: created.result.body.orderId,
      revision: 1,
      applied: false,
      orders: [{ orderId: created.result.body.orderId, revision: 1, applied: false }],
    });
    expect(again.calls.length, JSON.stringify(again.calls)).toBeLessThanOrEqual(2);
    // nothing written: the delivery is as the first processing left it
    const listed: { orderIds: string[] }[] = (await s.owner.get(`${s.base}/webhook-deliveries?status=processed`)).body.items;
    const delivery = listed.find((d) => d.orderIds.includes(created.result.body.orderId));
    expect(delivery).toMatchObject({ attempts: 1, status: 'processed' });
    expect(await s.commissionOf(created.result.body.orderId)).toBe(70_000);
  });

  it('plan versions kept between orders are never stale: a version created since is read and prices the next order', async () => {
    const s = await shop();
    expect(
      (await s.owner.post(`${s.base}/commission-plans`, { effectiveFrom: '2026-01-01', basic: { default: { percentBp: 2000 } } })).status,
    ).toBe(201);
    const res = await s.send(s.event(unique('HD-'), 1));
    expect(res.status, res.text).toBe(200);
    // 20% of 700,000: the new version, not the 10% kept from the warm-up order
    expect(await s.commissionOf(res.body.orderId)).toBe(140_000);
  });
});

describe('accepting an invitation', () => {
  it('reads the invitation, then joins and uses it in one TransactWriteItems: roster entry, membership, invitation', async () => {
    const b = await business();
    const inv = await b.owner.post(`${b.base}/invitations`, { role: 'seller', name: 'Đỗ Văn Nam', phone: b.phone() });
    expect(inv.status, inv.text).toBe(201);
    const invitee = await api.as(unique('invitee-'));
    const { result, calls } = await callsOf(() => invitee.post(`/v1/invitations/${inv.body.token}/accept`));
    expect(result.status, result.text).toBe(201);
    const key = (k: { pk: string; sk: string }) => `${k.pk}|${k.sk}`;
    const writes = calls.filter((c) => c.command !== 'Get' && c.command !== 'Query');
    expect(writes.map((c) => c.command)).toEqual(['TransactWrite', 'Put']); // the join, then the audit entry
    expect(writes[0]?.keys).toEqual([
      key(keys.rosterEntry(b.tenantId, 'seller', invitee.sub)),
      key(keys.membership(b.tenantId, invitee.sub)),
      key(keys.invitation(b.tenantId, inv.body.id)),
    ]);
  });
});
