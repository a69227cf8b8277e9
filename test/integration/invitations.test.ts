/**
 * Invitations to the rosters (issue 18, API.md): the owner invites by email or phone; the invitee
 * signs in and accepts, once, before the invitation expires (7 days, on the clock the test sets),
 * and joins the roster as if the owner had added them by `sub`. Over real HTTP with real JWTs.
 */
import { createHash } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, inject, it } from 'vitest';
import { createStore } from '../../functions/store/client';
import { invitationUseWrite } from '../../functions/store/invitations';
import { keys } from '../../functions/store/keys';
import { addRosterEntry } from '../../functions/store/members';
import { conflictOnce } from './support/conflicts';
import { fileClockServer, ok, uid, type User } from './support/periods';

const s = fileClockServer('2026-12-01T09:00:00+07:00');

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const TOKEN = /^[0-9A-HJKMNP-TV-Z]{26}\.[0-9A-HJKMNP-TV-Z]{26}\.[A-Za-z0-9_-]{43}$/;
const DAY = 86_400_000;

async function business() {
  const owner = await s.as(uid('owner-'));
  const tenant = (await ok(owner.post('/v1/tenants', { name: 'Mỹ phẩm Hoa Sen', pageId: uid('page-') }), 201)).body;
  const base = `/v1/tenants/${tenant.id}`;
  const managerId = uid('mgr-');
  await ok(owner.post(`${base}/managers`, { userId: managerId, name: 'Lê Thị Mai' }), 201);
  return { owner, tenantId: tenant.id as string, base, manager: await s.as(managerId) };
}

const invite = (owner: User, base: string, body: Record<string, unknown>, headers?: Record<string, string>) =>
  owner.post(`${base}/invitations`, body, headers);
const accept = (user: User, token: string, headers?: Record<string, string>) =>
  user.post(`/v1/invitations/${token}/accept`, undefined, headers);

async function item(key: { pk: string; sk: string }) {
  return (await s.store.db.send(new GetCommand({ TableName: inject('tableName'), Key: key, ConsistentRead: true }))).Item;
}

describe('invitations', () => {
  it('the owner invites a care staff by phone; they sign in, accept, and act as care staff on their manager’s team', async () => {
    const b = await business();
    s.setNow('2026-12-01T09:00:00+07:00');
    const created = await ok(
      invite(b.owner, b.base, { role: 'care_staff', name: ' Phạm Văn Đức ', phone: '0912 345 678', managerUserId: b.manager.sub }),
      201,
    );
    const inv = created.body;
    expect(inv.token).toMatch(TOKEN);
    expect(inv.token.startsWith(`${b.tenantId}.${inv.id}.`)).toBe(true);
    expect(inv).toMatchObject({
      url: `/v1/invitations/${inv.token}/accept`,
      tenantId: b.tenantId,
      role: 'care_staff',
      name: 'Phạm Văn Đức',
      phone: '+84912345678',
      managerUserId: b.manager.sub,
      status: 'pending',
      createdBy: b.owner.sub,
      // 1 Dec 09:00 in Viet Nam (02:00 UTC) + 7 days
      createdAt: '2026-12-01T02:00:00.000Z',
      expiresAt: '2026-12-08T02:00:00.000Z',
    });

    // the table keeps the token's hash, never the token nor its secret part
    const stored = await item(keys.invitation(b.tenantId, inv.id));
    expect(stored?.tokenHash).toBe(sha256(inv.token));
    const secret = inv.token.split('.')[2];
    expect(JSON.stringify(stored)).not.toContain(secret);

    const invitee = await s.as(uid('care-'), 'duc@example.vn');
    expect((await invitee.get(`${b.base}/collaborators`)).status).toBe(404); // not a member yet
    s.setNow('2026-12-03T10:00:00+07:00');
    const joined = await ok(accept(invitee, inv.token), 201);
    expect(joined.body).toEqual({
      tenantId: b.tenantId,
      role: 'care_staff',
      userId: invitee.sub,
      name: 'Phạm Văn Đức',
      email: 'duc@example.vn',
      managerUserId: b.manager.sub,
      addedAt: '2026-12-03T03:00:00.000Z',
      addedBy: b.owner.sub,
    });

    // on the roster, a member with the role, on the manager's team, and able to act
    const roster = (await ok(b.owner.get(`${b.base}/care-staff`), 200)).body.items;
    expect(roster).toEqual([joined.body]);
    expect((await ok(invitee.get('/v1/me'), 200)).body.memberships).toEqual([{ tenantId: b.tenantId, role: 'care_staff' }]);
    const ctv = await ok(
      invitee.post(`${b.base}/collaborators`, { name: 'Nguyễn Thị Hoa', phone: '0987654321', careStaffUserId: invitee.sub }),
      201,
    );
    // the manager sees the CTV of their new team member
    expect((await ok(b.manager.get(`${b.base}/collaborators/${ctv.body.id}`), 200)).body.careStaffUserId).toBe(invitee.sub);

    const listed = (await ok(b.owner.get(`${b.base}/invitations`), 200)).body.items;
    expect(listed).toEqual([
      expect.objectContaining({ id: inv.id, status: 'accepted', acceptedBy: invitee.sub, acceptedAt: '2026-12-03T03:00:00.000Z' }),
    ]);
    expect(JSON.stringify(listed)).not.toContain(secret);
    expect(JSON.stringify(listed)).not.toContain('tokenHash');
  });

  it('works once: a second accept is 409, by anyone; of two racing accepts exactly one joins', async () => {
    const b = await business();
    const inv = (await ok(invite(b.owner, b.base, { role: 'seller', name: 'Đặng Quốc Huy', email: 'huy@example.vn' }), 201)).body;
    const first = await s.as(uid('seller-'));
    await ok(accept(first, inv.token), 201);
    const again = await accept(first, inv.token);
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toContain('application/problem+json');
    const other = await s.as(uid('other-'));
    expect((await accept(other, inv.token)).status).toBe(409);
    expect((await other.get('/v1/me')).body.memberships).toEqual([]);

    const raced = (await ok(invite(b.owner, b.base, { role: 'manager', name: 'Võ Thị Lan', phone: '0912000111' }), 201)).body;
    const racers = await Promise.all([1, 2, 3, 4].map(() => s.as(uid('racer-'))));
    const answers = await Promise.all(racers.map((r) => accept(r, raced.token)));
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409]);
    const winner = racers[answers.findIndex((a) => a.status === 201)]!;
    const managers = (await ok(b.owner.get(`${b.base}/managers`), 200)).body.items.map((m: any) => m.userId);
    expect(managers.sort()).toEqual([b.manager.sub, winner.sub].sort());
  });

  it('a join DynamoDB cancels for a conflict (another transaction on its items that moment) is sent again, and the account joins', async () => {
    const b = await business();
    s.setNow('2026-12-02T09:00:00+07:00');
    const inv = (await ok(invite(b.owner, b.base, { role: 'seller', name: 'Đặng Quốc Huy', phone: '0912000777' }), 201)).body;
    const now = '2026-12-02T02:05:00.000Z'; // 5 minutes later, on the suite's clock
    const store = createStore({ tableName: inject('tableName'), endpoint: inject('ddbEndpoint') });
    // what DynamoDB answers when two transactions meet on the invitation: nothing written
    const cancelled = conflictOnce(store, ['None', 'None', 'TransactionConflict']);
    const sub = uid('seller-');
    const entry = {
      tenantId: b.tenantId,
      role: 'seller' as const,
      userId: sub,
      name: 'Đặng Quốc Huy',
      addedAt: now,
      addedBy: b.owner.sub,
    };
    const refused = () => new Error('the invitation was taken');
    await addRosterEntry(store, entry, { write: invitationUseWrite(store, b.tenantId, inv.id, sub, now), refused });
    expect(cancelled()).toBe(1);
    expect(await item(keys.invitation(b.tenantId, inv.id))).toMatchObject({ usedBy: sub });
    expect(await item(keys.rosterEntry(b.tenantId, 'seller', sub))).toMatchObject({ userId: sub });
    store.db.destroy();
  });

  it('expires 7 days after it is made: 410 with a problem body, and nobody joins', async () => {
    const b = await business();
    s.setNow('2026-12-01T09:00:00+07:00');
    const late = (await ok(invite(b.owner, b.base, { role: 'seller', name: 'Trễ Hẹn', phone: '0912000222' }), 201)).body;
    const justInTime = (await ok(invite(b.owner, b.base, { role: 'seller', name: 'Đúng Hẹn', phone: '0912000333' }), 201)).body;
    expect(Date.parse(late.expiresAt) - Date.parse('2026-12-01T09:00:00+07:00')).toBe(7 * DAY);

    s.setNow('2026-12-08T08:59:59+07:00'); // one second before the end
    const intime = await s.as(uid('seller-'));
    await ok(accept(intime, justInTime.token), 201);

    s.setNow('2026-12-08T09:00:00+07:00'); // the end itself: no longer works
    const invitee = await s.as(uid('seller-'));
    const res = await accept(invitee, late.token);
    expect(res.status).toBe(410);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status: 410, title: 'Gone' });
    expect(res.body.detail).toMatch(/expired/);
    expect((await invitee.get('/v1/me')).body.memberships).toEqual([]);
    const sellers = (await ok(b.owner.get(`${b.base}/sellers`), 200)).body.items.map((m: any) => m.userId);
    expect(sellers).toEqual([intime.sub]);

    const expired = (await ok(b.owner.get(`${b.base}/invitations?status=expired`), 200)).body.items.map((i: any) => i.id);
    expect(expired).toEqual([late.id]);
    expect((await ok(b.owner.get(`${b.base}/invitations?status=pending`), 200)).body.items).toEqual([]);
    s.setNow('2026-12-01T09:00:00+07:00');
  });

  it('the owner lists and revokes pending invitations; a revoked one answers 410, an accepted one cannot be revoked', async () => {
    const b = await business();
    s.setNow('2026-12-02T09:00:00+07:00');
    const a = (await ok(invite(b.owner, b.base, { role: 'seller', name: 'Một', phone: '0912000444' }), 201)).body;
    s.setNow('2026-12-02T09:01:00+07:00');
    const c = (await ok(invite(b.owner, b.base, { role: 'manager', name: 'Hai', email: 'hai@example.vn' }), 201)).body;
    const pending = (await ok(b.owner.get(`${b.base}/invitations?status=pending`), 200)).body;
    expect(pending.items.map((i: any) => i.id)).toEqual([c.id, a.id]); // newest first
    const paged = (await ok(b.owner.get(`${b.base}/invitations?limit=1`), 200)).body;
    expect(paged.items.map((i: any) => i.id)).toEqual([c.id]);
    expect(
      (await ok(b.owner.get(`${b.base}/invitations?limit=1&cursor=${paged.nextCursor}`), 200)).body.items.map((i: any) => i.id),
    ).toEqual([a.id]);

    expect((await b.owner.delete(`${b.base}/invitations/${a.id}`)).status).toBe(204);
    const invitee = await s.as(uid('seller-'));
    const res = await accept(invitee, a.token);
    expect([res.status, res.body.title]).toEqual([410, 'Gone']);
    expect(res.body.detail).toMatch(/revoked/);
    expect((await ok(b.owner.get(`${b.base}/invitations?status=revoked`), 200)).body.items.map((i: any) => i.id)).toEqual([a.id]);

    await ok(accept(invitee, c.token), 201);
    const refused = await b.owner.delete(`${b.base}/invitations/${c.id}`);
    expect(refused.status).toBe(409);
    expect((await b.owner.delete(`${b.base}/invitations/01KZZZZZZZZZZZZZZZZZZZZZZZ`)).status).toBe(404);
  });

  it('only the owner invites, lists and revokes; another business and a forged token see nothing', async () => {
    const b = await business();
    const inv = (await ok(invite(b.owner, b.base, { role: 'seller', name: 'Bí Mật', phone: '0912000555' }), 201)).body;
    const body = { role: 'manager', name: 'Kẻ Lạ', phone: '0912000666' };

    // a manager of the business: 403; an outsider, even the owner of another business: 404
    expect((await invite(b.manager, b.base, body)).status).toBe(403);
    expect((await b.manager.get(`${b.base}/invitations`)).status).toBe(403);
    expect((await b.manager.delete(`${b.base}/invitations/${inv.id}`)).status).toBe(403);
    const other = await business();
    expect((await invite(other.owner, b.base, body)).status).toBe(404);
    expect((await other.owner.get(`${b.base}/invitations`)).status).toBe(404);
    expect((await other.owner.delete(`${b.base}/invitations/${inv.id}`)).status).toBe(404);
    // the victim's invitation id under their own business names nothing
    expect((await other.owner.delete(`${other.base}/invitations/${inv.id}`)).status).toBe(404);
    expect((await ok(other.owner.get(`${other.base}/invitations`), 200)).body.items).toEqual([]);

    // a token must be the one made: right ids with another secret, or the ids of another business
    const [tenantId, invitationId, secret] = inv.token.split('.');
    const forged = [
      `${tenantId}.${invitationId}.${'A'.repeat(43)}`,
      `${other.tenantId}.${invitationId}.${secret}`,
      `${tenantId}.${invitationId}`,
      'not-a-token',
    ];
    const stranger = await s.as(uid('stranger-'));
    for (const token of forged) {
      const res = await accept(stranger, token);
      expect(res.status, token).toBe(404);
      expect(res.text, token).not.toContain('Bí Mật');
    }
    // signing in is required
    expect((await s.request('POST', `/v1/invitations/${inv.token}/accept`)).status).toBe(401);
    // none of it used the invitation
    await ok(accept(stranger, inv.token), 201);
  });

  it('bad input is refused, naming the field: 400 for its shape, 422 for a manager not on the roster', async () => {
    const b = await business();
    const cases: [Record<string, unknown>, number, string][] = [
      [{ role: 'seller', name: 'Không Liên Lạc' }, 400, 'email'],
      [{ role: 'seller', name: 'Sai Số', phone: '12345' }, 400, 'phone'],
      [{ role: 'seller', name: 'Sai Thư', email: 'not-an-email' }, 400, 'email'],
      [{ role: 'owner', name: 'Chủ Mới', phone: '0912000777' }, 400, 'role'],
      [{ role: 'seller', name: '', phone: '0912000777' }, 400, 'name'],
      [{ role: 'seller', name: 'Có Quản Lý', phone: '0912000777', managerUserId: b.manager.sub }, 400, 'managerUserId'],
      [{ role: 'seller', name: 'Lạ', phone: '0912000777', userId: 'x' }, 400, 'userId'],
      [{ role: 'care_staff', name: 'Không Có Quản Lý', phone: '0912000777', managerUserId: uid('nobody-') }, 422, 'managerUserId'],
    ];
    for (const [body, status, field] of cases) {
      const res = await invite(b.owner, b.base, body);
      expect([res.status, res.body.errors?.map((e: any) => e.path)], JSON.stringify(body)).toEqual([status, [field]]);
    }
    expect((await ok(b.owner.get(`${b.base}/invitations`), 200)).body.items).toEqual([]);
  });

  it('an account already on that roster gets 409 and the invitation still works for someone else; so does a care staff whose manager left (422)', async () => {
    const b = await business();
    const inv = (await ok(invite(b.owner, b.base, { role: 'manager', name: 'Lê Thị Mai', phone: '0912000888' }), 201)).body;
    const already = await accept(b.manager, inv.token);
    expect([already.status, already.body.errors?.[0]?.path]).toEqual([409, 'userId']);
    const fresh = await s.as(uid('mgr-'));
    await ok(accept(fresh, inv.token), 201);

    const care = (
      await ok(invite(b.owner, b.base, { role: 'care_staff', name: 'Phạm Văn Đức', phone: '0912000999', managerUserId: fresh.sub }), 201)
    ).body;
    await ok(b.owner.delete(`${b.base}/managers/${fresh.sub}`), 204);
    const invitee = await s.as(uid('care-'));
    const refused = await accept(invitee, care.token);
    expect([refused.status, refused.body.errors?.[0]?.path]).toEqual([422, 'managerUserId']);
    expect((await invitee.get('/v1/me')).body.memberships).toEqual([]);
    expect((await ok(b.owner.get(`${b.base}/invitations?status=pending`), 200)).body.items.map((i: any) => i.id)).toEqual([care.id]);
  });

  it('an idempotent retry of the create answers the same token, kept sealed in the table; an accept retried with its key answers its first result', async () => {
    const b = await business();
    const key = uid('k-');
    const body = { role: 'seller', name: 'Lặp Lại', phone: '0912001000' };
    const first = await ok(invite(b.owner, b.base, body, { 'idempotency-key': key }), 201);
    const replay = await ok(invite(b.owner, b.base, body, { 'idempotency-key': key }), 201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body).toEqual(first.body);
    expect((await ok(b.owner.get(`${b.base}/invitations`), 200)).body.items).toHaveLength(1);
    const record = await item(keys.idempotency(b.tenantId, b.owner.sub, key));
    expect(record?.state).toBe('done');
    const recorded = JSON.stringify(record);
    expect(recorded).not.toContain(first.body.token.split('.')[2]);
    expect(recorded).not.toContain('Lặp Lại');

    const invitee = await s.as(uid('seller-'));
    const acceptKey = uid('a-');
    const joined = await ok(accept(invitee, first.body.token, { 'idempotency-key': acceptKey }), 201);
    const again = await ok(accept(invitee, first.body.token, { 'idempotency-key': acceptKey }), 201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(joined.body);
  });

  it('leaves audit entries: the invitation (without its token), its acceptance by the invitee, its revocation', async () => {
    const b = await business();
    const inv = (await ok(invite(b.owner, b.base, { role: 'seller', name: 'Ghi Sổ', phone: '0912001111' }), 201)).body;
    const gone = (await ok(invite(b.owner, b.base, { role: 'seller', name: 'Hủy Bỏ', email: 'huy.bo@example.vn' }), 201)).body;
    const invitee = await s.as(uid('seller-'));
    await ok(accept(invitee, inv.token), 201);
    await ok(b.owner.delete(`${b.base}/invitations/${gone.id}`), 204);

    const log = (await ok(b.owner.get(`${b.base}/audit?limit=50`), 200)).body.items;
    const of = (action: string) => log.filter((e: any) => e.action === action);
    const created = of('createInvitation');
    expect(created.map((e: any) => e.after.id).sort()).toEqual([inv.id, gone.id].sort());
    for (const e of created) expect(e.actor).toBe(b.owner.sub);
    expect(created.find((e: any) => e.after.id === inv.id).after).toMatchObject({
      role: 'seller',
      name: 'Ghi Sổ',
      phone: '•••••••••111',
      status: 'pending',
    });
    const accepted = of('acceptInvitation');
    expect(accepted).toHaveLength(1);
    expect(accepted[0]).toMatchObject({
      actor: invitee.sub,
      target: { invitationId: inv.id },
      status: 201,
      after: { userId: invitee.sub, role: 'seller', addedBy: b.owner.sub },
    });
    const revoked = of('revokeInvitation');
    expect(revoked).toHaveLength(1);
    expect(revoked[0]).toMatchObject({
      actor: b.owner.sub,
      target: { invitationId: gone.id },
      before: { status: 'pending' },
      after: { status: 'revoked' },
    });
    // no token, nor the path that carries it, in the log
    const text = JSON.stringify(log);
    for (const token of [inv.token, gone.token]) expect(text).not.toContain(token.split('.')[2]);
  });
});
