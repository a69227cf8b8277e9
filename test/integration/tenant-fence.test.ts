import {
  BatchGetCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ulid } from '../../domain/ids';
import { makeDeps } from '../../functions/deps';
import { implement, json, toLambda, type HttpEvent } from '../../functions/http/operation';
import { ROUTES } from '../../functions/routes';
import { isTenantRoute } from '../../functions/routes/route';
import {
  cachedCredentials,
  createStore,
  tenantClients,
  TENANT_CREDENTIALS_REFRESH_MS,
  type Store,
  type TemporaryCredentials,
} from '../../functions/store/client';
import { checkFence, CROSS_TENANT_FAMILIES, fenceStore, TenantFenceError, type CrossTenantAccess } from '../../functions/store/guard';
import { keys } from '../../functions/store/keys';
import { getTenant } from '../../functions/store/tenants';

/**
 * The store guard of tenant routes (functions/store/guard.ts), on DynamoDB Local with the real
 * store: a request outside the caller's business is refused before it is sent, whatever its shape
 * (key, key condition, start key, batch or transaction item); the business's own keys and the
 * cross-tenant families the route declares go through, each with the right credentials.
 */

const rand = (n: number) => new Uint8Array(Array.from({ length: n }, () => Math.floor(Math.random() * 256)));
const newTenantId = () => ulid(Date.now(), rand(10));

let raw: Store;
/** what reached DynamoDB through `raw` (commands by name and the partition key they name) */
const sent: string[] = [];
let A: string;
let B: string;
const token = `fence${Date.now()}${Math.floor(Math.random() * 1e9)}`;

function fenced(tenantId: string, crossTenant?: CrossTenantAccess) {
  return fenceStore(raw, { tenantId, crossTenant });
}

async function refused(p: Promise<unknown>, pattern: RegExp) {
  const error = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TenantFenceError);
  expect((error as Error).message).toMatch(pattern);
}

beforeAll(async () => {
  raw = createStore({ tableName: inject('tableName'), endpoint: inject('ddbEndpoint') });
  raw.db.middlewareStack.add(
    (next, context) => async (args) => {
      sent.push(context.commandName as string);
      return next(args);
    },
    { step: 'initialize', name: 'fenceTestCounter' },
  );
  A = newTenantId();
  B = newTenantId();
  for (const t of [A, B]) {
    await raw.db.send(
      new PutCommand({ TableName: raw.tableName, Item: { ...keys.tenant(t), entity: 'tenant', id: t, name: `Business ${t}` } }),
    );
    await raw.db.send(
      new PutCommand({
        TableName: raw.tableName,
        Item: {
          ...keys.collaborator(t, 'C1'),
          ...keys.collaboratorIndexes(t, 'C1', 'approved'),
          entity: 'collaborator',
          id: 'C1',
          name: `CTV of ${t}`,
        },
      }),
    );
  }
  await raw.db.send(
    new PutCommand({ TableName: raw.tableName, Item: { ...keys.feedbackLink(token), entity: 'feedbackLink', tenantId: B } }),
  );
});

afterAll(() => raw.db.destroy());

describe('the store guard of a tenant route', () => {
  it("reads and writes the caller's business: its partition, its entity partitions, its GSI partitions", async () => {
    const store = fenced(A);
    const tenant = await store.db.send(new GetCommand({ TableName: raw.tableName, Key: keys.tenant(A) }));
    expect(tenant.Item?.name).toBe(`Business ${A}`);
    const ctv = await store.db.send(new GetCommand({ TableName: raw.tableName, Key: keys.collaborator(A, 'C1') }));
    expect(ctv.Item?.name).toBe(`CTV of ${A}`);
    // a GSI partition of the business, with the key condition written with names
    const all = keys.collaboratorsAll(A);
    const listed = await store.db.send(
      new QueryCommand({
        TableName: raw.tableName,
        IndexName: all.index,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': 'gsi1pk' },
        ExpressionAttributeValues: { ':pk': all.pk },
      }),
    );
    expect(listed.Items?.map((i) => i.name)).toEqual([`CTV of ${A}`]);
    // with a start key of the same partition (a cursor of this list)
    const page = await store.db.send(
      new QueryCommand({
        TableName: raw.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.tenant(A).pk },
        ExclusiveStartKey: { pk: keys.tenant(A).pk, sk: 'S' },
      }),
    );
    expect(page.Items?.map((i) => i.sk)).toEqual(['TENANT']);
    await store.db.send(
      new UpdateCommand({
        TableName: raw.tableName,
        Key: keys.collaborator(A, 'C1'),
        UpdateExpression: 'SET note = :n',
        ExpressionAttributeValues: { ':n': 'ok' },
      }),
    );
    await store.db.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: raw.tableName, Item: { ...keys.voucher(A, 'V1'), entity: 'voucher' } } },
          { ConditionCheck: { TableName: raw.tableName, Key: keys.tenant(A), ConditionExpression: 'attribute_exists(pk)' } },
        ],
      }),
    );
    const batch = await store.db.send(
      new BatchGetCommand({ RequestItems: { [raw.tableName]: { Keys: [keys.tenant(A), keys.voucher(A, 'V1')] } } }),
    );
    expect(batch.Responses?.[raw.tableName]).toHaveLength(2);
    await store.db.send(new DeleteCommand({ TableName: raw.tableName, Key: keys.voucher(A, 'V1') }));
  });

  it("refuses another business's key in a Get, Put, Update, Delete, Query, start key, batch or transaction, and sends nothing", async () => {
    const store = fenced(A);
    const before = sent.length;
    const other = (what: string) => new RegExp(`${what} T#${B}.*outside T#${A}`);
    await refused(store.db.send(new GetCommand({ TableName: raw.tableName, Key: keys.tenant(B) })), other('reads'));
    await refused(store.db.send(new GetCommand({ TableName: raw.tableName, Key: keys.collaborator(B, 'C1') })), other('reads'));
    await refused(
      store.db.send(new PutCommand({ TableName: raw.tableName, Item: { ...keys.collaborator(B, 'C1'), name: 'overwritten' } })),
      other('writes'),
    );
    await refused(
      store.db.send(
        new UpdateCommand({
          TableName: raw.tableName,
          Key: keys.tenant(B),
          UpdateExpression: 'SET #n = :n',
          ExpressionAttributeNames: { '#n': 'name' },
          ExpressionAttributeValues: { ':n': 'x' },
        }),
      ),
      other('writes'),
    );
    await refused(store.db.send(new DeleteCommand({ TableName: raw.tableName, Key: keys.collaborator(B, 'C1') })), other('writes'));
    // a key condition on another business's GSI partition
    const theirs = keys.collaboratorsAll(B);
    await refused(
      store.db.send(
        new QueryCommand({
          TableName: raw.tableName,
          IndexName: theirs.index,
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': theirs.pk },
        }),
      ),
      new RegExp(`reads T#${B}#CTVS on gsi1`),
    );
    // the caller's partition, but a start key (a forged cursor) in another business's
    await refused(
      store.db.send(
        new QueryCommand({
          TableName: raw.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': keys.tenant(A).pk },
          ExclusiveStartKey: { pk: keys.tenant(B).pk, sk: 'A' },
        }),
      ),
      other('reads'),
    );
    // one foreign item is enough to refuse a batch or a transaction whole
    await refused(
      store.db.send(new BatchGetCommand({ RequestItems: { [raw.tableName]: { Keys: [keys.tenant(A), keys.tenant(B)] } } })),
      other('reads'),
    );
    await refused(
      store.db.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: raw.tableName, Item: { ...keys.voucher(A, 'V2'), entity: 'voucher' } } },
            { ConditionCheck: { TableName: raw.tableName, Key: keys.tenant(B), ConditionExpression: 'attribute_exists(pk)' } },
          ],
        }),
      ),
      other('reads'),
    );
    await refused(
      store.db.send(
        new TransactWriteCommand({ TransactItems: [{ Delete: { TableName: raw.tableName, Key: keys.collaborator(B, 'C1') } }] }),
      ),
      other('writes'),
    );
    // a key that only looks like the business's: T#<A> must be followed by # or nothing
    await refused(store.db.send(new GetCommand({ TableName: raw.tableName, Key: { pk: `T#${A}X`, sk: 'TENANT' } })), /outside/);
    // a Scan, a Query with no partition condition, another table
    await refused(store.db.send(new ScanCommand({ TableName: raw.tableName })), /not a request the fence can check/);
    await refused(
      store.db.send(
        new QueryCommand({ TableName: raw.tableName, KeyConditionExpression: 'sk = :sk', ExpressionAttributeValues: { ':sk': 'TENANT' } }),
      ),
      /a key that is not a string/,
    );
    await refused(store.db.send(new GetCommand({ TableName: 'another-table', Key: keys.tenant(A) })), /another table/);
    // nothing of it reached DynamoDB, and the other business is as it was
    expect(sent.length).toBe(before);
    const theirsAfter = await raw.db.send(
      new GetCommand({ TableName: raw.tableName, Key: keys.collaborator(B, 'C1'), ConsistentRead: true }),
    );
    expect(theirsAfter.Item?.name).toBe(`CTV of ${B}`);
    const v2 = await raw.db.send(new GetCommand({ TableName: raw.tableName, Key: keys.voucher(A, 'V2'), ConsistentRead: true }));
    expect(v2.Item).toBeUndefined();
  });

  it('allows a cross-tenant family only as the route declares it: read, or write too', async () => {
    const link = keys.feedbackLink(token);
    // not declared
    await refused(fenced(A).db.send(new GetCommand({ TableName: raw.tableName, Key: link })), /reads FBLINK#…, outside .*declared: none/);
    await refused(fenced(A).db.send(new GetCommand({ TableName: raw.tableName, Key: keys.pageClaim('some-page') })), /reads PAGE#…/);
    // declared read: reads, never writes
    const reader = fenced(A, { feedbackLinks: 'read' });
    expect((await reader.db.send(new GetCommand({ TableName: raw.tableName, Key: link }))).Item?.tenantId).toBe(B);
    await refused(
      reader.db.send(new PutCommand({ TableName: raw.tableName, Item: { ...keys.feedbackLink(`${token}-2`), entity: 'feedbackLink' } })),
      /writes FBLINK#…/,
    );
    // declared write
    const writer = fenced(A, { feedbackLinks: 'write' });
    await writer.db.send(
      new PutCommand({ TableName: raw.tableName, Item: { ...keys.feedbackLink(`${token}-3`), entity: 'feedbackLink', tenantId: A } }),
    );
    expect((await raw.db.send(new GetCommand({ TableName: raw.tableName, Key: keys.feedbackLink(`${token}-3`) }))).Item?.tenantId).toBe(A);
    // a declared family is not a licence for other families, nor for another business
    await refused(writer.db.send(new GetCommand({ TableName: raw.tableName, Key: keys.pageClaim('some-page') })), /PAGE#…/);
    await refused(writer.db.send(new GetCommand({ TableName: raw.tableName, Key: keys.tenant(B) })), /outside/);
    // one request cannot mix the business's keys with a family (each goes out with its own credentials)
    await refused(
      writer.db.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: raw.tableName, Item: { ...keys.feedbackLink(`${token}-4`), entity: 'feedbackLink' } } },
            { Put: { TableName: raw.tableName, Item: { ...keys.voucher(A, 'V3'), entity: 'voucher' } } },
          ],
        }),
      ),
      /mixes/,
    );
  });

  it('allows an index family on its own index only', async () => {
    const userIndex = keys.membershipsOfUser('someone');
    const query = (index: string | undefined) =>
      new QueryCommand({
        TableName: raw.tableName,
        IndexName: index,
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': userIndex.gsi1pk },
      });
    const reader = fenced(A, { userMemberships: 'read' });
    expect((await reader.db.send(query('gsi1'))).Items).toEqual([]);
    // the same value as the key condition of another index is not the family
    await refused(
      reader.db.send(
        new QueryCommand({
          TableName: raw.tableName,
          IndexName: 'gsi2',
          KeyConditionExpression: 'gsi2pk = :pk',
          ExpressionAttributeValues: { ':pk': userIndex.gsi1pk },
        }),
      ),
      /USER#… on gsi2/,
    );
    expect(CROSS_TENANT_FAMILIES.userMemberships.index).toBe('gsi1');
  });

  it('says which credentials a request needs: the business’s, or the function’s own for a family', () => {
    const fence = { tenantId: A, crossTenant: { feedbackLinks: 'write' as const } };
    expect(checkFence(new GetCommand({ TableName: raw.tableName, Key: keys.tenant(A) }), fence, raw.tableName)).toBe('tenant');
    expect(checkFence(new PutCommand({ TableName: raw.tableName, Item: keys.feedbackLink('x') }), fence, raw.tableName)).toBe('cross');
  });
});

describe('in AWS: the business’s keys go out as the tenant data role', () => {
  it('assumes the role once per container and business, with the session tag, and signs with those credentials', async () => {
    const assumed: string[] = [];
    const tenantDb = tenantClients({
      roleArn: 'arn:aws:iam::123456789012:role/TenantDataWrite',
      endpoint: inject('ddbEndpoint'),
      assumeRole: async (roleArn, tenantId) => {
        assumed.push(`${roleArn} ${tenantId}`);
        return {
          accessKeyId: `ASIA${tenantId}`,
          secretAccessKey: 'secret',
          sessionToken: 'session',
          expiration: new Date(Date.now() + 3600_000),
        };
      },
    });
    /** the access key each request was signed with (DynamoDB Local, shared db, accepts any), by client */
    const signedWith: string[] = [];
    const watch = (db: Store['db'], label: string) =>
      db.middlewareStack.add(
        (next) => async (args) => {
          const auth = String((args.request as { headers?: Record<string, string> }).headers?.authorization ?? '');
          signedWith.push(`${label}:${/Credential=([^/]+)\//.exec(auth)?.[1] ?? 'unsigned'}`);
          return next(args);
        },
        // the innermost step: the request is signed by then
        { step: 'deserialize', name: `fenceTestSignature${label}` },
      );
    const dbA = tenantDb(A);
    expect(tenantDb(A)).toBe(dbA);
    watch(dbA, 'tenant');
    watch(raw.db, 'own');
    const deps = makeDeps({ store: raw, tenantDb });
    const store = fenceStore(deps.store, { tenantId: A, crossTenant: { feedbackLinks: 'read' }, tenantDb: deps.tenantDb!(A) });
    expect((await store.db.send(new GetCommand({ TableName: raw.tableName, Key: keys.tenant(A) }))).Item?.id).toBe(A);
    expect((await store.db.send(new GetCommand({ TableName: raw.tableName, Key: keys.collaborator(A, 'C1') }))).Item?.id).toBe('C1');
    expect((await store.db.send(new GetCommand({ TableName: raw.tableName, Key: keys.feedbackLink(token) }))).Item?.tenantId).toBe(B);
    // two requests of the business with its session, the family with the function's own credentials ('local' here)
    expect(signedWith).toEqual([`tenant:ASIA${A}`, `tenant:ASIA${A}`, 'own:local']);
    expect(assumed).toEqual([`arn:aws:iam::123456789012:role/TenantDataWrite ${A}`]);
    // another business: its own session
    await fenceStore(raw, { tenantId: B, tenantDb: tenantDb(B) }).db.send(
      new GetCommand({ TableName: raw.tableName, Key: keys.tenant(B) }),
    );
    expect(assumed).toEqual([`arn:aws:iam::123456789012:role/TenantDataWrite ${A}`, `arn:aws:iam::123456789012:role/TenantDataWrite ${B}`]);
    raw.db.middlewareStack.remove('fenceTestSignatureown');
  });

  it('keeps the credentials until shortly before they expire, shares one fetch, and retries a failed one', async () => {
    let now = 1_000_000;
    let fetches = 0;
    let fail = false;
    const provider = cachedCredentials(
      async (): Promise<TemporaryCredentials> => {
        fetches++;
        if (fail) throw new Error('sts down');
        // a one-hour session from the fake clock's now
        return { accessKeyId: `K${fetches}`, secretAccessKey: 's', expiration: new Date(now + 3600_000) };
      },
      () => now,
    );
    const [a, b] = await Promise.all([provider(), provider()]);
    expect([a.accessKeyId, b.accessKeyId, fetches]).toEqual(['K1', 'K1', 1]);
    // 49 minutes later: 11 minutes left, more than the margin (10): the same credentials
    now += 49 * 60_000;
    expect((await provider()).accessKeyId).toBe('K1');
    // 51 minutes after the fetch: 9 minutes left, inside the margin: new ones
    now += 2 * 60_000;
    expect(3600_000 - 51 * 60_000).toBeLessThan(TENANT_CREDENTIALS_REFRESH_MS);
    expect((await provider()).accessKeyId).toBe('K2');
    // a failed fetch fails that call, and the next one fetches again
    now += 3600_000;
    fail = true;
    await expect(provider()).rejects.toThrow('sts down');
    fail = false;
    expect((await provider()).accessKeyId).toBe('K4');
    expect(fetches).toBe(4);
  });
});

describe('a tenant route over the operation wrapper', () => {
  const probeRoute = {
    id: 'fenceProbe',
    method: 'GET' as const,
    path: '/v1/tenants/{tenantId}/fence-probe',
    handler: 'test-only',
    auth: 'jwt' as const,
    roles: ['owner' as const],
    table: 'read' as const,
    query: z.strictObject({ of: z.string() }),
    summary: 'test only',
    tag: 'test',
    responses: {},
  };
  // a handler with a bug: it reads the business named in the query, not the one of the path
  const probe = implement(probeRoute, async ({ deps, query }) => json(200, await getTenant(deps.store, query.of)));

  it('answers a read of another business with a logged 500, and the own business as usual', async () => {
    const sub = `owner-${token}`;
    await raw.db.send(
      new PutCommand({
        TableName: raw.tableName,
        Item: { ...keys.membership(A, sub), entity: 'membership', tenantId: A, userId: sub, roles: new Set(['owner']) },
      }),
    );
    const logs: Record<string, unknown>[] = [];
    const handler = toLambda(probe, makeDeps({ store: raw, log: (e) => logs.push(e) }));
    const call = (of: string) =>
      handler(
        {
          rawPath: `/v1/tenants/${A}/fence-probe`,
          headers: {},
          queryStringParameters: { of },
          pathParameters: { tenantId: A },
          isBase64Encoded: false,
          requestContext: {
            http: { method: 'GET', path: `/v1/tenants/${A}/fence-probe` },
            authorizer: { jwt: { claims: { sub }, scopes: [] } },
          },
        } as unknown as HttpEvent,
        { awsRequestId: 'fence-test' } as Context,
      );
    const own = await call(A);
    expect(own.statusCode).toBe(200);
    expect(JSON.parse(own.body).name).toBe(`Business ${A}`);
    const other = await call(B);
    expect(other.statusCode).toBe(500);
    expect(other.body).not.toContain(B);
    expect(logs.find((l) => l.level === 'error')).toMatchObject({
      operation: 'fenceProbe',
      error: 'TenantFenceError',
      message: expect.stringContaining(`reads T#${B}`),
    });
  });

  it('fences every tenant route of the table, and declares families only on tenant routes', () => {
    const tenantRoutes = ROUTES.filter(isTenantRoute);
    expect(tenantRoutes.length).toBeGreaterThan(50);
    // the membership check is what makes a route a tenant route's caller a member: each has roles
    for (const r of tenantRoutes) expect(r.roles?.length, r.id).toBeGreaterThan(0);
    for (const r of ROUTES.filter((r) => !isTenantRoute(r))) expect(r.crossTenant, r.id).toBeUndefined();
    expect(ROUTES.filter((r) => r.crossTenant).map((r) => [r.id, r.crossTenant])).toEqual([
      ['createFeedbackLink', { feedbackLinks: 'write' }],
    ]);
  });
});
