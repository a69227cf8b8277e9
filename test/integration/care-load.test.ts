/**
 * The count of CTVs each care staff looks after (functions/store/care-load.ts): every write that
 * gives a CTV to a care staff or takes one away keeps it in its own transaction, and a care staff
 * leaves the roster only while theirs is 0. Over real HTTP on DynamoDB Local; the counts are read
 * from the table.
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { DomainError } from '../../domain/errors';
import { createStore } from '../../functions/store/client';
import { createCollaborator, getCollaborator, saveCollaborator } from '../../functions/store/collaborators';
import { keys } from '../../functions/store/keys';
import { uniquePhone } from './support/api';
import { network, type Network } from './support/network';

const store = createStore({ tableName: inject('tableName'), endpoint: inject('ddbEndpoint') });
afterAll(() => store.db.destroy());

async function countOf(n: Network, staffUserId: string): Promise<number | undefined> {
  const out = await store.db.send(
    new GetCommand({ TableName: store.tableName, Key: keys.careStaffLoad(n.tenantId, staffUserId), ConsistentRead: true }),
  );
  return out.Item?.ctvs as number | undefined;
}
const counts = async (n: Network) => ({
  careA: await countOf(n, n.ids.careA),
  careA2: await countOf(n, n.ids.careA2),
  careB: await countOf(n, n.ids.careB),
});

const move = async (n: Network, ctvId: string, careStaffUserId: string) => {
  const ctv = (await n.owner.get(`${n.base}/collaborators/${ctvId}`)).body;
  return n.owner.post(`${n.base}/collaborators/${ctvId}/care-staff`, { careStaffUserId, version: ctv.version });
};

describe("a care staff's count of CTVs", () => {
  it('follows every CTV added, imported and moved; the care staff leaves only at 0, and their count with them', async () => {
    const n = await network();
    expect(await counts(n)).toEqual({ careA: undefined, careA2: undefined, careB: undefined });

    const c1 = await n.addCtv({ name: 'Nguyễn Thị Hoa' });
    const c2 = await n.addCtv({ name: 'Trần Văn Bình' });
    await n.addCtv({ name: 'Không Ai Chăm', careStaffUserId: undefined });
    const csv = [
      'name,phone,email,level,careStaffUserId,referrerRefId',
      `Lê Thị Cúc,${uniquePhone()},,,${n.ids.careB},`,
      `Phạm Văn Dũng,${uniquePhone()},,,${n.ids.careB},`,
      `Võ Thị Én,${uniquePhone()},,,,`,
    ].join('\n');
    await n.ok(n.owner.post(`${n.base}/collaborators/imports`, { csv, dryRun: false }));
    expect(await counts(n)).toEqual({ careA: 2, careA2: undefined, careB: 2 });

    await n.ok(move(n, c1.id, n.ids.careA2));
    expect(await counts(n)).toEqual({ careA: 1, careA2: 1, careB: 2 });
    const refused = await n.owner.delete(`${n.base}/care-staff/${n.ids.careA}`);
    expect(refused.status).toBe(409);
    expect(refused.body.errors).toEqual([expect.objectContaining({ path: 'userId' })]);

    await n.ok(move(n, c2.id, n.ids.careB));
    expect(await counts(n)).toEqual({ careA: 0, careA2: 1, careB: 3 });
    expect((await n.owner.delete(`${n.base}/care-staff/${n.ids.careA}`)).status).toBe(204);
    expect(await counts(n)).toEqual({ careA: undefined, careA2: 1, careB: 3 });

    // changes that keep the care staff leave the counts alone
    const c1Now = (await n.owner.get(`${n.base}/collaborators/${c1.id}`)).body;
    await n.ok(n.owner.patch(`${n.base}/collaborators/${c1.id}`, { name: 'Nguyễn Thị Hoa (Huế)', version: c1Now.version }));
    await n.ok(n.owner.post(`${n.base}/collaborators/${c1.id}/pause`, { version: c1Now.version + 1 }));
    expect(await counts(n)).toEqual({ careA: undefined, careA2: 1, careB: 3 });
  });

  it('refuses the removal of a care staff given a CTV the index does not show yet', async () => {
    const n = await network();
    // what a CTV given to careA a moment ago leaves, before the care staff index has it
    await store.db.send(
      new UpdateCommand({
        TableName: store.tableName,
        Key: keys.careStaffLoad(n.tenantId, n.ids.careA),
        UpdateExpression: 'ADD ctvs :one',
        ExpressionAttributeValues: { ':one': 1 },
      }),
    );
    const res = await n.owner.delete(`${n.base}/care-staff/${n.ids.careA}`);
    expect(res.status).toBe(409);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'userId' })]);
    // still on the roster, with the role
    const careStaff = (await n.owner.get(`${n.base}/care-staff`)).body.items.map((e: { userId: string }) => e.userId);
    expect(careStaff).toContain(n.ids.careA);
    expect((await n.careA.get('/v1/me')).body.memberships).toEqual([{ tenantId: n.tenantId, role: 'care_staff' }]);
  });

  it('refuses a CTV given to a care staff whose removal landed after the roster was read: 422, nothing written', async () => {
    const n = await network();
    const c1 = await n.addCtv({ name: 'Nguyễn Thị Hoa' });
    expect((await n.owner.delete(`${n.base}/care-staff/${n.ids.careA2}`)).status).toBe(204);
    const notOnRoster = { kind: 'rule_violation', errors: [expect.objectContaining({ path: 'careStaffUserId' })] };

    // the service read careA2 on the roster; the removal came between that read and the write
    const before = (await getCollaborator(store, n.tenantId, c1.id))!;
    const history = [
      ...(before.careStaffHistory ?? []),
      { careStaffUserId: n.ids.careA2, at: '2026-12-01T02:00:00.000Z', by: n.owner.sub },
    ];
    const next = { ...before, careStaffUserId: n.ids.careA2, careStaffHistory: history, version: before.version + 1 };
    const moved = await saveCollaborator(store, before, next).catch((e: unknown) => e);
    expect(moved).toBeInstanceOf(DomainError);
    expect(moved).toMatchObject(notOnRoster);
    expect((await getCollaborator(store, n.tenantId, c1.id))!).toMatchObject({ careStaffUserId: n.ids.careA, version: before.version });

    const fresh = { ...before, id: '01JF0000000000000000000001', refId: 'CARE0001', phone: `+84${uniquePhone().slice(1)}` };
    const created = await createCollaborator(store, { ...fresh, careStaffUserId: n.ids.careA2, version: 1 }).catch((e: unknown) => e);
    expect(created).toMatchObject(notOnRoster);
    expect(await getCollaborator(store, n.tenantId, fresh.id)).toBeNull();
    expect(await counts(n)).toEqual({ careA: 1, careA2: undefined, careB: undefined });
  });
});
