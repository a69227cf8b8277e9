import { randomBytes } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { newCollaborator } from '../../domain/entities/collaborator';
import { refIdFor, ulid } from '../../domain/ids';
import { importBatchId } from '../../functions/services/collaborators';
import { createStore } from '../../functions/store/client';
import { createImportedCollaborators, IMPORT_CHUNK } from '../../functions/store/collaborators';
import { uniquePhone } from './support/api';
import { idsOf, network } from './support/network';

const HEADER = 'name,phone,email,level,careStaffUserId,referrerRefId';

describe('bulk import of CTVs from CSV', () => {
  it('a dry run reports every bad row with its line; a failing import writes nothing; a good one imports; its retry creates nothing new', async () => {
    const n = await network();
    const existing = await n.addCtv({ name: 'Đã Có' });
    const referrer = await n.addCtv({ name: 'Người Giới Thiệu' });
    const [p1, p2, p3, p4] = [uniquePhone(), uniquePhone(), uniquePhone(), uniquePhone()];
    const bad = [
      HEADER,
      `Nguyễn Thị Hoa,${p1},hoa@example.vn,2,${n.ids.careA},${referrer.refId}`, // line 2: good
      `"Trần, Văn Bình",12345,,1,,`, // 3: bad phone
      `Lê Văn C,${p1},,1,,`, // 4: same phone as line 2
      `Phạm D,${existing.phone},,,,`, // 5: phone already in the business
      `Võ E,${p2},,4,,`, // 6: bad level
      `Đỗ F,${p3},,,nobody,`, // 7: unknown care staff
      `Hồ G,${p4},,,,ZZZZ9999`, // 8: unknown REF ID
      `Thiếu Cột,${uniquePhone()}`, // 9: too few fields
      `Email Sai,${uniquePhone()},not-an-email,,,`, // 10: bad email
    ].join('\r\n');

    const dry = await n.owner.post(`${n.base}/collaborators/imports`, { csv: bad, dryRun: true });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ dryRun: true, rows: 9, valid: false, toCreate: 1, alreadyImported: 0, created: [] });
    expect(dry.body.errors.map((e: any) => [e.line, e.field])).toEqual([
      [3, 'phone'],
      [4, 'phone'],
      [5, 'phone'],
      [6, 'level'],
      [7, 'careStaffUserId'],
      [8, 'referrerRefId'],
      [9, 'row'],
      [10, 'email'],
    ]);
    expect(dry.body.errors[1].reason).toMatch(/line 2/);
    expect(dry.body.errors[2].reason).toMatch(/already in the business/);
    expect(idsOf(await n.owner.get(`${n.base}/collaborators`))).toEqual([existing.id, referrer.id]);

    const failing = await n.owner.post(`${n.base}/collaborators/imports`, { csv: bad, dryRun: false });
    expect(failing.status).toBe(422);
    expect(failing.headers.get('content-type')).toContain('application/problem+json');
    expect(failing.body.errors.map((e: any) => e.path)).toEqual([
      'csv.3.phone',
      'csv.4.phone',
      'csv.5.phone',
      'csv.6.level',
      'csv.7.careStaffUserId',
      'csv.8.referrerRefId',
      'csv.9.row',
      'csv.10.email',
    ]);
    expect(idsOf(await n.owner.get(`${n.base}/collaborators`))).toEqual([existing.id, referrer.id]); // nothing, not even line 2

    const good = [
      `\uFEFF${HEADER}`,
      `Nguyễn Thị Hoa,${p1},hoa@example.vn,2,${n.ids.careA},${referrer.refId.toLowerCase()}`,
      `"Trần, Văn ""Bình""",${p2},,,${n.ids.careB},`,
      `"Lý Thu
Trang",${p3},,3,,`,
      `Hoàng Minh Tuấn,${p4},,1,,`,
      '',
    ].join('\n');
    const dryGood = await n.owner.post(`${n.base}/collaborators/imports`, { csv: good, dryRun: true });
    expect(dryGood.body).toMatchObject({ valid: true, rows: 4, toCreate: 4, errors: [] });
    expect(idsOf(await n.owner.get(`${n.base}/collaborators`))).toHaveLength(2);

    const imported = await n.owner.post(`${n.base}/collaborators/imports`, { csv: good, dryRun: false });
    expect(imported.status).toBe(201);
    expect(imported.body).toMatchObject({ dryRun: false, valid: true, rows: 4, toCreate: 4, alreadyImported: 0 });
    expect(imported.body.created.map((c: any) => c.line)).toEqual([2, 3, 4, 6]);
    const byId = async (id: string) => (await n.owner.get(`${n.base}/collaborators/${id}`)).body;
    const [hoa, binh, trang, tuan] = await Promise.all(imported.body.created.map((c: any) => byId(c.id)));
    expect(hoa).toMatchObject({
      name: 'Nguyễn Thị Hoa',
      phone: `+84${p1.slice(1)}`,
      email: 'hoa@example.vn',
      level: 2,
      status: 'approved',
      source: 'import',
      careStaffUserId: n.ids.careA,
      managerUserId: n.ids.m1,
      referrerId: referrer.id,
      referrerRefId: referrer.refId,
      importBatchId: imported.body.batchId,
    });
    expect(binh).toMatchObject({ name: 'Trần, Văn "Bình"', careStaffUserId: n.ids.careB, managerUserId: n.ids.m2, level: 1 });
    expect(trang).toMatchObject({ name: 'Lý Thu\nTrang', level: 3 });
    expect(tuan.name).toBe('Hoàng Minh Tuấn');
    expect(idsOf(await n.owner.get(`${n.base}/collaborators/${referrer.id}/referees`))).toEqual([hoa.id]);

    // the same file again (a retry): every row is already done, nothing new
    const retry = await n.owner.post(`${n.base}/collaborators/imports`, { csv: good, dryRun: false });
    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ batchId: imported.body.batchId, valid: true, toCreate: 0, alreadyImported: 4, created: [] });
    expect(idsOf(await n.owner.get(`${n.base}/collaborators`))).toHaveLength(6);
    // with CRLF line ends it is the same batch
    const crlf = await n.owner.post(`${n.base}/collaborators/imports`, { csv: good.replace(/\n/g, '\r\n'), dryRun: true });
    expect(crlf.body).toMatchObject({ batchId: imported.body.batchId, alreadyImported: 4 });
    // another file with one of those phones is a different batch: that row is a duplicate there
    const other = await n.owner.post(`${n.base}/collaborators/imports`, { csv: `${HEADER}\nKhác,${p2},,,,`, dryRun: true });
    expect(other.body.errors).toEqual([{ line: 2, field: 'phone', reason: 'a collaborator with this phone is already in the business' }]);
  });

  it('a retry after a crash midway completes the batch without duplicates', async () => {
    const n = await network();
    const phones = Array.from({ length: 40 }, () => uniquePhone());
    const csv = [HEADER, ...phones.map((p, i) => `CTV số ${i},+84${p.slice(1)},,,${i % 2 ? n.ids.careA : ''},`)].join('\n');
    // the crash: the first chunk of this batch was written, then the import died
    const batchId = importBatchId(n.tenantId, csv);
    const store = createStore({ tableName: inject('tableName'), endpoint: inject('ddbEndpoint') });
    const at = new Date().toISOString();
    const firstChunk = phones.slice(0, IMPORT_CHUNK).map((phone, i) =>
      newCollaborator({
        id: ulid(Date.now(), randomBytes(10)),
        tenantId: n.tenantId,
        refId: refIdFor(`CTV số ${i}`, randomBytes(5)),
        input: { name: `CTV số ${i}`, phone: `+84${phone.slice(1)}` },
        status: 'approved',
        source: 'import',
        importBatchId: batchId,
        at,
        by: n.owner.sub,
      }),
    );
    expect(await createImportedCollaborators(store, firstChunk, batchId)).toEqual({ ok: true });
    expect(idsOf(await n.owner.get(`${n.base}/collaborators?limit=200`))).toHaveLength(IMPORT_CHUNK);

    // the client sends the same file again: the rows done count as done, the rest is written
    const dry = await n.owner.post(`${n.base}/collaborators/imports`, { csv, dryRun: true });
    expect(dry.body).toMatchObject({ batchId, valid: true, toCreate: 40 - IMPORT_CHUNK, alreadyImported: IMPORT_CHUNK });
    const retry = await n.owner.post(`${n.base}/collaborators/imports`, { csv, dryRun: false });
    expect(retry.status).toBe(201);
    expect(retry.body.created.map((c: any) => c.line)).toEqual(Array.from({ length: 40 - IMPORT_CHUNK }, (_, i) => IMPORT_CHUNK + i + 2));
    const all = await n.owner.get(`${n.base}/collaborators?limit=200`);
    expect(all.body.items).toHaveLength(40);
    expect(new Set(all.body.items.map((c: any) => c.phone)).size).toBe(40);
    // and once more: nothing left to do
    const again = await n.owner.post(`${n.base}/collaborators/imports`, { csv, dryRun: false });
    expect(again.body).toMatchObject({ toCreate: 0, alreadyImported: 40 });
    expect(idsOf(await n.owner.get(`${n.base}/collaborators?limit=200`))).toHaveLength(40);
  });

  it('a file larger than one transaction is written in chunks, all rows once', async () => {
    const n = await network();
    const csv = [
      HEADER,
      ...Array.from({ length: 75 }, (_, i) => `Cộng tác viên ${i},${uniquePhone()},,${(i % 3) + 1},${n.ids.careB},`),
    ].join('\n');
    const res = await n.owner.post(`${n.base}/collaborators/imports`, { csv, dryRun: false });
    expect(res.status).toBe(201);
    expect(res.body.created).toHaveLength(75);
    expect(new Set(res.body.created.map((c: any) => c.refId)).size).toBe(75);
    expect(idsOf(await n.careB.get(`${n.base}/collaborators?limit=200`))).toHaveLength(75);
    expect(idsOf(await n.m2.get(`${n.base}/collaborators?level=3&limit=200`))).toHaveLength(25);
  });

  it('an Idempotency-Key replays the first answer', async () => {
    const n = await network();
    const csv = `${HEADER}\nHoa,${uniquePhone()},,,,`;
    const first = await n.owner.post(`${n.base}/collaborators/imports`, { csv, dryRun: false }, { 'idempotency-key': 'import-1' });
    const second = await n.owner.post(`${n.base}/collaborators/imports`, { csv, dryRun: false }, { 'idempotency-key': 'import-1' });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.body).toEqual(first.body);
    expect(idsOf(await n.owner.get(`${n.base}/collaborators`))).toHaveLength(1);
  });

  it('a manager imports only for care staff of their team; headers, size and row caps are checked', async () => {
    const n = await network();
    const csv = [HEADER, `A,${uniquePhone()},,,${n.ids.careA},`, `B,${uniquePhone()},,,${n.ids.careB},`, `C,${uniquePhone()},,,,`].join(
      '\n',
    );
    const byManager = await n.m1.post(`${n.base}/collaborators/imports`, { csv, dryRun: true });
    expect(byManager.status).toBe(200);
    expect(byManager.body.errors.map((e: any) => [e.line, e.field])).toEqual([
      [3, 'careStaffUserId'],
      [4, 'careStaffUserId'],
    ]);
    expect(byManager.body.errors[0].reason).toMatch(/team/);

    const header = await n.owner.post(`${n.base}/collaborators/imports`, { csv: `name,mobile\nA,${uniquePhone()}`, dryRun: true });
    expect(header.body.errors.map((e: any) => [e.line, e.field])).toEqual([
      [1, 'header'],
      [1, 'header'],
    ]);
    const onlyHeader = await n.owner.post(`${n.base}/collaborators/imports`, { csv: HEADER, dryRun: true });
    expect(onlyHeader.body.valid).toBe(false);
    const unclosed = await n.owner.post(`${n.base}/collaborators/imports`, { csv: `${HEADER}\n"A,${uniquePhone()},,,,`, dryRun: true });
    expect(unclosed.body.errors[0]).toMatchObject({ line: 2, field: 'csv' });

    const many = [HEADER, ...Array.from({ length: 1001 }, (_, i) => `CTV ${i},09${String(10_000_000 + i)},,,,`)].join('\n');
    const tooMany = await n.owner.post(`${n.base}/collaborators/imports`, { csv: many, dryRun: true });
    expect(tooMany.status).toBe(200);
    expect(tooMany.body.errors).toEqual([{ line: 1002, field: 'csv', reason: 'more than 1000 rows; split the file' }]);
    const huge = await n.owner.post(`${n.base}/collaborators/imports`, { csv: 'x'.repeat(1_100_000), dryRun: true });
    expect(huge.status).toBe(413);
    const missingDryRun = await n.owner.post(`${n.base}/collaborators/imports`, { csv });
    expect(missingDryRun.status).toBe(400);
    expect(idsOf(await n.owner.get(`${n.base}/collaborators`))).toEqual([]);
  });
});
