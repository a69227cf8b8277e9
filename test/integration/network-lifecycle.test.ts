import { describe, expect, it } from 'vitest';
import { as, uniquePhone } from './support/api';
import { idsOf, ifMatch, network } from './support/network';

describe('collaborator lifecycle', () => {
  it('registered → approved ⇄ paused, blocked from any state; who/when on every change; the status index follows', async () => {
    const n = await network();
    const { owner, base, m1, careA } = n;
    const reg = await n.stranger.post(`${n.page}/registrations`, { name: 'Lý Thu Trang', phone: uniquePhone() });
    expect(reg.status).toBe(202);
    // the answer names nobody: the owner finds the new CTV among the registered ones
    const registered = idsOf(await owner.get(`${base}/collaborators?status=registered`));
    expect(registered).toHaveLength(1);
    const id = registered[0]!;
    const path = `${base}/collaborators/${id}`;
    const inStatus = async (status: string) => idsOf(await owner.get(`${base}/collaborators?status=${status}`)).includes(id);
    expect(await inStatus('registered')).toBe(true);

    // registered: pause and resume are illegal
    expect((await owner.post(`${path}/pause`, {}, ifMatch(1))).status).toBe(422);
    const resume = await owner.post(`${path}/resume`, {}, ifMatch(1));
    expect(resume.status).toBe(422);
    expect(resume.body.errors[0].path).toBe('status');

    const approved = await owner.post(`${path}/approve`, { reason: 'Đủ hồ sơ' }, ifMatch(1));
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', version: 2, updatedBy: owner.sub });
    expect(approved.headers.get('etag')).toBe('"2"');
    expect(approved.body.approvedAt).toBe(approved.body.statusHistory[1].at);
    expect(approved.body.statusHistory[1]).toMatchObject({ status: 'approved', by: owner.sub, reason: 'Đủ hồ sơ' });
    expect(await inStatus('registered')).toBe(false);
    expect(await inStatus('approved')).toBe(true);

    // approved: approve and resume are illegal
    expect((await owner.post(`${path}/approve`, {}, ifMatch(2))).status).toBe(422);
    expect((await owner.post(`${path}/resume`, {}, ifMatch(2))).status).toBe(422);

    // care staff (after assignment) pause and resume; the manager of the team approves
    const assigned = await owner.post(`${path}/care-staff`, { careStaffUserId: n.ids.careA }, ifMatch(2));
    expect(assigned.status).toBe(200);
    const paused = await careA.post(`${path}/pause`, { version: 3 });
    expect(paused.status).toBe(200);
    expect(paused.body.status).toBe('paused');
    expect(await inStatus('paused')).toBe(true);
    expect(await inStatus('approved')).toBe(false);
    expect((await owner.post(`${path}/pause`, {}, ifMatch(4))).status).toBe(422);
    const resumed = await careA.post(`${path}/resume`, {}, ifMatch(4));
    expect(resumed.body.status).toBe('approved');
    const paused2 = await m1.post(`${path}/pause`, {}, ifMatch(5));
    expect(paused2.body.status).toBe('paused');
    const reapproved = await m1.post(`${path}/approve`, {}, ifMatch(6));
    expect(reapproved.body.status).toBe('approved');
    expect(reapproved.body.approvedAt).toBe(approved.body.approvedAt); // the first approval stays

    const blocked = await m1.post(`${path}/block`, { reason: 'Gian lận đơn' }, ifMatch(7));
    expect(blocked.status).toBe(200);
    expect(blocked.body.status).toBe('blocked');
    expect(await inStatus('blocked')).toBe(true);
    expect(await inStatus('approved')).toBe(false);
    for (const action of ['approve', 'pause', 'resume', 'block']) {
      expect((await owner.post(`${path}/${action}`, {}, ifMatch(8))).status, action).toBe(422);
    }
    const history = (await owner.get(path)).body.statusHistory.map((h: any) => [h.status, h.by]);
    expect(history).toEqual([
      ['registered', 'self-registration'],
      ['approved', owner.sub],
      ['paused', n.ids.careA],
      ['approved', n.ids.careA],
      ['paused', n.ids.m1],
      ['approved', n.ids.m1],
      ['blocked', n.ids.m1],
    ]);
  });

  it('block works from registered and from paused too', async () => {
    const n = await network();
    expect((await n.stranger.post(`${n.page}/registrations`, { name: 'A', phone: uniquePhone() })).status).toBe(202);
    const [registered] = idsOf(await n.owner.get(`${n.base}/collaborators?status=registered`));
    expect((await n.owner.post(`${n.base}/collaborators/${registered}/block`, {}, ifMatch(1))).body.status).toBe('blocked');
    const ctv = await n.addCtv();
    const path = `${n.base}/collaborators/${ctv.id}`;
    expect((await n.owner.post(`${path}/pause`, {}, ifMatch(1))).body.status).toBe('paused');
    expect((await n.owner.post(`${path}/block`, {}, ifMatch(2))).body.status).toBe('blocked');
  });

  it('a change needs the version read: 428 without it, 412 when stale, and a lost update stores nothing', async () => {
    const n = await network();
    const ctv = await n.addCtv();
    const path = `${n.base}/collaborators/${ctv.id}`;
    const missing = await n.owner.post(`${path}/pause`, {});
    expect(missing.status).toBe(428);
    expect((await n.owner.patch(path, { note: 'x' })).status).toBe(428);
    expect((await n.owner.post(`${path}/pause`, {}, ifMatch(7))).status).toBe(412);
    const badHeader = await n.owner.post(`${path}/pause`, {}, { 'if-match': 'abc' });
    expect(badHeader.status).toBe(400);
    expect((await n.owner.post(`${path}/pause`, { version: 2 }, ifMatch(1))).status).toBe(400); // they disagree

    // two writers read version 1: the first wins, the second is told
    const [a, b] = await Promise.all([n.owner.post(`${path}/pause`, {}, ifMatch(1)), n.m1.post(`${path}/block`, {}, ifMatch(1))]);
    expect([a.status, b.status].sort()).toEqual([200, 412]);
    const now = (await n.owner.get(path)).body;
    expect(now.version).toBe(2);
    expect(now.statusHistory).toHaveLength(2);
  });

  it('PATCH changes name, email, level, bank and note (null clears), with If-Match', async () => {
    const n = await network();
    const ctv = await n.addCtv({ email: 'hoa@example.vn', note: 'Khách quen' });
    const path = `${n.base}/collaborators/${ctv.id}`;
    const res = await n.m1.patch(
      path,
      {
        name: ' Nguyễn Thị Hoà '.normalize('NFD'),
        level: 3,
        bank: { bankName: 'Vietcombank', accountNumber: '0123456789', accountName: 'NGUYEN THI HOA' },
        note: null,
      },
      ifMatch(1),
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      name: 'Nguyễn Thị Hoà'.normalize('NFC'),
      level: 3,
      email: 'hoa@example.vn',
      version: 2,
      updatedBy: n.ids.m1,
    });
    // the manager who set it sees the account number masked to its last 4 digits; the owner whole
    expect(res.body.bank).toEqual({ bin: '970436', bankName: 'Vietcombank', accountNumber: '••••••6789', accountName: 'NGUYEN THI HOA' }); // the old bankName, resolved to its BIN
    expect(res.body).not.toHaveProperty('note');
    const again = (await n.owner.get(path)).body;
    expect(again).toEqual({ ...res.body, bank: { ...res.body.bank, accountNumber: '0123456789' } });
    // nor do care staff see it whole, in the record or in a list
    expect((await n.careA.get(path)).body.bank.accountNumber).toBe('••••••6789');
    expect(JSON.stringify((await n.m1.get(`${n.base}/collaborators`)).body)).not.toContain('0123456789');
    // the audit log keeps what changed with the number masked, even for the owner
    const audit = await n.owner.get(`${n.base}/audit?limit=50`);
    expect(audit.status).toBe(200);
    expect(JSON.stringify(audit.body)).not.toContain('0123456789');
    const entry = audit.body.items.find((e: { action: string }) => e.action === 'updateCollaborator');
    expect(entry.after.bank.accountNumber).toBe('••••••6789');
    expect(entry.after.phone).toMatch(/^•+\d{3}$/);
    expect(idsOf(await n.owner.get(`${n.base}/collaborators?level=3`))).toEqual([ctv.id]);

    expect((await n.owner.patch(path, { version: 2 })).status).toBe(400); // nothing to change
    expect((await n.owner.patch(path, { phone: '0912345678' }, ifMatch(2))).status).toBe(400); // the phone is the identity
    expect((await n.owner.patch(path, { level: 4 }, ifMatch(2))).status).toBe(400);
    expect((await n.owner.patch(path, { email: null }, ifMatch(1))).status).toBe(412);
    const cleared = await n.careA.patch(path, { email: null }, ifMatch(2));
    expect(cleared.status).toBe(200);
    expect(cleared.body).not.toHaveProperty('email');
  });

  it('care staff: approve/pause/resume and contact details of their own CTVs; not block, level or care staff', async () => {
    const n = await network();
    const ctv = await n.addCtv();
    const path = `${n.base}/collaborators/${ctv.id}`;
    expect((await n.careA.post(`${path}/block`, {}, ifMatch(1))).status).toBe(403);
    expect((await n.careA.patch(path, { level: 2 }, ifMatch(1))).status).toBe(403);
    expect((await n.careA.patch(path, { note: 'ok', level: 2 }, ifMatch(1))).status).toBe(403);
    expect((await n.careA.post(`${path}/care-staff`, { careStaffUserId: n.ids.careA2 }, ifMatch(1))).status).toBe(403);
    expect((await n.careA.patch(path, { note: 'Gọi lại thứ 2' }, ifMatch(1))).status).toBe(200);
    expect((await n.careA.post(`${path}/pause`, {}, ifMatch(2))).status).toBe(200);
    // nothing the refused calls tried was stored
    const now = (await n.owner.get(path)).body;
    expect(now).toMatchObject({ level: 1, careStaffUserId: n.ids.careA, status: 'paused', note: 'Gọi lại thứ 2', version: 3 });
  });

  it('nobody changes their own CTV record, even a staff member who is also a CTV', async () => {
    const n = await network();
    // care staff A is also a CTV of the business, in their own care
    const phone = uniquePhone();
    const email = `${n.ids.careA}@example.vn`;
    await n.ok(n.owner.post(`${n.base}/collaborators`, { name: 'Phạm Văn Đức', phone, email, careStaffUserId: n.ids.careA }));
    const careAsCtv = await as(n.ids.careA, email);
    const joined = await careAsCtv.post(`${n.page}/join`, { name: 'Phạm Văn Đức', phone });
    expect(joined.body.outcome).toBe('linked');
    const path = `${n.base}/collaborators/${joined.body.id}`;
    const own = await careAsCtv.post(`${path}/pause`, {}, ifMatch(2));
    expect(own.status).toBe(403);
    expect((await careAsCtv.patch(path, { note: 'tự sửa' }, ifMatch(2))).status).toBe(403);
    expect((await n.owner.get(path)).body.status).toBe('approved');
  });

  it('care staff assignment: roster checked, manager from the roster, history kept, the indexes follow', async () => {
    const n = await network();
    const ctv = await n.addCtv();
    const path = `${n.base}/collaborators/${ctv.id}`;
    expect(ctv.careStaffHistory).toEqual([{ careStaffUserId: n.ids.careA, managerUserId: n.ids.m1, at: ctv.createdAt, by: n.owner.sub }]);

    const unknown = await n.owner.post(`${path}/care-staff`, { careStaffUserId: 'nobody' }, ifMatch(1));
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors[0].path).toBe('careStaffUserId');
    const same = await n.owner.post(`${path}/care-staff`, { careStaffUserId: n.ids.careA }, ifMatch(1));
    expect(same.status).toBe(422);
    // a manager moves CTVs only to care staff of their own team
    expect((await n.m1.post(`${path}/care-staff`, { careStaffUserId: n.ids.careB }, ifMatch(1))).status).toBe(403);
    const withinTeam = await n.m1.post(`${path}/care-staff`, { careStaffUserId: n.ids.careA2, reason: 'Chia lại' }, ifMatch(1));
    expect(withinTeam.status).toBe(200);
    expect(withinTeam.body).toMatchObject({ careStaffUserId: n.ids.careA2, managerUserId: n.ids.m1, version: 2 });

    const moved = await n.owner.post(`${path}/care-staff`, { careStaffUserId: n.ids.careB }, ifMatch(2));
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ careStaffUserId: n.ids.careB, managerUserId: n.ids.m2 });
    expect(moved.body.careStaffHistory.map((h: any) => [h.careStaffUserId, h.managerUserId, h.by, h.reason])).toEqual([
      [n.ids.careA, n.ids.m1, n.owner.sub, undefined],
      [n.ids.careA2, n.ids.m1, n.ids.m1, 'Chia lại'],
      [n.ids.careB, n.ids.m2, n.owner.sub, undefined],
    ]);
    // care staff and manager lists follow the move
    expect(idsOf(await n.careA.get(`${n.base}/collaborators`))).toEqual([]);
    expect(idsOf(await n.careB.get(`${n.base}/collaborators`))).toEqual([ctv.id]);
    expect(idsOf(await n.m1.get(`${n.base}/collaborators`))).toEqual([]);
    expect(idsOf(await n.m2.get(`${n.base}/collaborators`))).toEqual([ctv.id]);
    expect((await n.m1.get(path)).status).toBe(404);
    expect((await n.m2.get(path)).status).toBe(200);
  });
});
