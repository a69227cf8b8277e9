/**
 * Payouts over HTTP: a batch from October's approved statements (at or above the 100,000 đ
 * minimum, with bank details), the CSV read as bytes (UTF-8 with BOM, the Vietnamese names intact),
 * marking it paid, and what carries over: C's small balance into November, B's clawback as a debt
 * into December. Amounts by hand: see support/periods.ts.
 */
import { describe, expect, it } from 'vitest';
import { ifMatch } from './support/network';
import { NAMES, octoberWorld, ok, runNightly, statementsByName, fileClockServer } from './support/periods';
import { vietQrPayload } from '../../domain/vietqr';

const s = fileClockServer();

/** Parse the CSV as Excel would (RFC 4180, ="…" cells as their text). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  for (const line of text.split('\r\n').filter((l) => l !== '')) {
    const fields: string[] = [];
    let i = 0;
    while (i <= line.length) {
      if (line[i] === '"') {
        let value = '';
        i += 1;
        for (;;) {
          if (line[i] === '"' && line[i + 1] === '"') {
            value += '"';
            i += 2;
          } else if (line[i] === '"') {
            i += 1;
            break;
          } else value += line[i++];
        }
        fields.push(value);
        i += 1; // the comma
      } else {
        const end = line.indexOf(',', i);
        fields.push(line.slice(i, end < 0 ? line.length : end));
        i = end < 0 ? line.length + 1 : end + 1;
      }
    }
    rows.push(fields.map((f) => (/^="(.*)"$/.test(f) ? f.slice(2, -1) : f)));
  }
  return rows;
}

describe('payouts', () => {
  it('batches approved statements at or above the minimum, exports Excel-ready CSV, pays; the rest carries over', async () => {
    const w = await octoberWorld(s);
    s.setNow('2026-11-01T02:00:00+07:00');
    expect((await runNightly(s, w, '2026-11-01')).state).toBe('succeeded');

    // nothing approved yet: no batch
    s.setNow('2026-11-02T09:00:00+07:00');
    const early = await w.owner.post(`${w.base}/payouts`, { periodId: '2026-10' });
    expect(early.status).toBe(422);
    // November is not closed
    expect((await w.owner.post(`${w.base}/payouts`, { periodId: '2026-11' })).status).toBe(422);

    const st = await statementsByName(w, '2026-10');
    for (const name of [NAMES.a, NAMES.b, NAMES.c]) {
      const d = st[name];
      expect((await w.owner.post(`${w.base}/statements/2026-10/${d.collaboratorId}/approve`)).status).toBe(428);
      const approved = await ok(
        w.owner.post(`${w.base}/statements/2026-10/${d.collaboratorId}/approve`, undefined, ifMatch(d.version)),
        200,
      );
      expect(approved.body.status).toBe('approved');
      expect((await w.owner.post(`${w.base}/statements/2026-10/${d.collaboratorId}/approve`, undefined, ifMatch(d.version))).status).toBe(
        412,
      );
    }

    const created = await ok(w.owner.post(`${w.base}/payouts`, { periodId: '2026-10' }), 201);
    const batch = created.body;
    // A 520,000 and B 1,800,000; C's 40,000 is below the minimum payout (100,000 đ)
    expect(batch).toMatchObject({ periodId: '2026-10', status: 'ready', count: 2, total: 2_320_000, minimumPayout: 100_000 });
    expect(batch.items.map((i: any) => [i.name, i.amount]).sort()).toEqual(
      [
        [NAMES.a, 520_000],
        [NAMES.b, 1_800_000],
      ].sort(),
    );
    expect(batch.skipped).toEqual([{ collaboratorId: w.c.id, balance: 40_000, reason: 'below_minimum' }]);
    // the batch's total is the sum of its statements' balances
    const after = await statementsByName(w, '2026-10');
    const batched = Object.values(after).filter((d: any) => d.status === 'batched');
    expect(batched.map((d: any) => d.batchId)).toEqual([batch.id, batch.id]);
    expect(batched.reduce((sum: number, d: any) => sum + d.balance, 0)).toBe(batch.total);
    expect(batch.items.reduce((sum: number, i: any) => sum + i.amount, 0)).toBe(batch.total);
    // a second batch finds nothing left to pay
    expect((await w.owner.post(`${w.base}/payouts`, { periodId: '2026-10' })).status).toBe(422);

    // the bank file: bytes EF BB BF, then UTF-8; CRLF; the Vietnamese names exactly as stored
    const csv = await ok(w.owner.get(`${w.base}/payouts/${batch.id}/export`), 200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toContain('.csv');
    expect([...csv.bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(csv.bytes);
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const hoaBytes = new TextEncoder().encode('Nguyễn Thị Hoa'.normalize('NFC'));
    const hay = Buffer.from(csv.bytes);
    expect(hay.indexOf(Buffer.from(hoaBytes))).toBeGreaterThan(0);
    const rows = parseCsv(text.slice(1));
    expect(rows[0]).toEqual([
      'STT',
      'Mã CTV',
      'Họ và tên',
      'Số điện thoại',
      'Ngân hàng',
      'Số tài khoản',
      'Chủ tài khoản',
      'Số tiền (VND)',
      'Nội dung chuyển khoản',
      'Mã VietQR',
    ]);
    const byName = Object.fromEntries(rows.slice(1).map((r) => [r[2], r]));
    expect(Object.keys(byName).sort()).toEqual([NAMES.a, NAMES.b].sort());
    expect(byName[NAMES.a]).toEqual([
      byName[NAMES.a]![0],
      w.a.refId,
      'Nguyễn Thị Hoa',
      `0${w.a.phone.slice(3)}`,
      'Vietcombank',
      '0011001234567', // the leading zeros survive
      'NGUYEN THI HOA',
      '520000',
      `HOA HONG 2026-10 ${w.a.refId}`,
      // A's bank was given as "Vietcombank", resolved to BIN 970436: the line's VietQR code (domain/vietqr.ts, tested on published examples)
      vietQrPayload({ bin: '970436', accountNumber: '0011001234567', amount: 520_000, note: `HOA HONG 2026-10 ${w.a.refId}` }),
    ]);
    expect(byName[NAMES.b]![7]).toBe('1800000');
    expect(rows.slice(1).reduce((sum, r) => sum + Number(r[7]), 0)).toBe(batch.total);
    // ?separator=semicolon: the same file for Excel with Vietnamese regional settings
    const semi = await ok(w.owner.get(`${w.base}/payouts/${batch.id}/export?separator=semicolon`), 200);
    const semiText = new TextDecoder('utf-8', { ignoreBOM: true }).decode(semi.bytes);
    expect(semiText.split('\r\n')[0]).toBe(`\uFEFF${rows[0]!.join(';')}`);
    expect(semiText.replaceAll(';', ',')).toBe(text);
    expect((await w.owner.get(`${w.base}/payouts/${batch.id}/export?separator=tab`)).status).toBe(400);

    // paid: with If-Match; the statements are paid and stay so
    expect((await w.owner.post(`${w.base}/payouts/${batch.id}/paid`, {})).status).toBe(428);
    const paid = await ok(
      w.owner.post(`${w.base}/payouts/${batch.id}/paid`, { reference: 'VCB-20261105-01' }, ifMatch(batch.version)),
      200,
    );
    expect(paid.body).toMatchObject({ status: 'paid', reference: 'VCB-20261105-01', total: 2_320_000 });
    expect((await w.owner.post(`${w.base}/payouts/${batch.id}/paid`, {}, ifMatch(paid.body.version))).status).toBe(412);
    const paidStatements = await statementsByName(w, '2026-10');
    expect(paidStatements[NAMES.a].status).toBe('paid');
    expect(paidStatements[NAMES.b].status).toBe('paid');
    expect(paidStatements[NAMES.c].status).toBe('approved');
    const list = await ok(w.owner.get(`${w.base}/payouts`), 200);
    expect(list.body.items.map((b: any) => b.id)).toEqual([batch.id]);

    // November: B returns all of O1 (a clawback of −1,500,000: October is settled and paid);
    // C's O3 (50,000) became payable on 6 Nov
    await w.returnO1('2026-11-15T10:00:00+07:00');
    s.setNow('2026-12-01T02:00:00+07:00');
    expect((await runNightly(s, w, '2026-12-01')).state).toBe('succeeded');
    const nov = await statementsByName(w, '2026-11');
    // C: 50,000 settled now + 40,000 brought forward from October (below the minimum) = 90,000
    expect(nov[NAMES.c]).toMatchObject({
      total: 50_000,
      broughtForward: 40_000,
      broughtForwardFrom: '2026-10',
      balance: 90_000,
      pendingTotal: 0,
    });
    expect((await statementsByName(w, '2026-10'))[NAMES.c]).toMatchObject({ status: 'carried', carriedTo: '2026-11' });
    // B: the clawback; October was paid, so nothing is brought forward: a debt of 1,500,000
    expect(nov[NAMES.b]).toMatchObject({ total: -1_500_000, broughtForward: 0, balance: -1_500_000 });
    expect(nov[NAMES.b].lines.map((l: any) => [l.kind, l.amount])).toEqual([['clawback', -1_500_000]]);
    // A: November's award on O5 (2% × 2,500,000 = 50,000) is settled; O5's basic 250,000 waits for delivery
    expect(nov[NAMES.a]).toMatchObject({ total: 50_000, pendingTotal: 250_000, balance: 50_000, broughtForward: 0 });

    // nobody reaches the minimum in November: 90,000 and 50,000 are below it, −1,500,000 is a debt
    for (const d of Object.values(nov) as any[]) {
      await ok(w.owner.post(`${w.base}/statements/2026-11/${d.collaboratorId}/approve`, undefined, ifMatch(d.version)), 200);
    }
    const none = await w.owner.post(`${w.base}/payouts`, { periodId: '2026-11' });
    expect(none.status).toBe(422);

    // December: the debt and the small balances carry on
    s.setNow('2027-01-01T02:00:00+07:00');
    expect((await runNightly(s, w, '2027-01-01')).state).toBe('succeeded');
    const dec = await statementsByName(w, '2026-12');
    expect(dec[NAMES.b]).toMatchObject({ total: 0, broughtForward: -1_500_000, balance: -1_500_000 });
    expect(dec[NAMES.c]).toMatchObject({ total: 0, broughtForward: 90_000, balance: 90_000 });
    expect(dec[NAMES.a]).toMatchObject({ total: 0, broughtForward: 50_000, balance: 50_000, pendingTotal: 250_000 });
    expect(s.errors).toEqual([]);
  });

  it('only the owner handles payouts; a batch of another business is not found', async () => {
    const w = await octoberWorld(s);
    const other = await octoberWorld(s);
    s.setNow('2026-11-01T02:00:00+07:00');
    expect((await runNightly(s, w, '2026-11-01')).state).toBe('succeeded');
    const st = await statementsByName(w, '2026-10');
    await ok(
      w.owner.post(`${w.base}/statements/2026-10/${st[NAMES.b].collaboratorId}/approve`, undefined, ifMatch(st[NAMES.b].version)),
      200,
    );
    const batch = (await ok(w.owner.post(`${w.base}/payouts`, { periodId: '2026-10' }), 201)).body;
    expect(batch).toMatchObject({ count: 1, total: 1_800_000 });
    // A and C were not approved: they are reported, not paid
    expect(batch.skipped.map((x: any) => x.reason).sort()).toEqual(['not_approved', 'not_approved']);

    const a = await w.signInA();
    expect((await a.get(`${w.base}/payouts`)).status).toBe(403);
    expect((await a.get(`${w.base}/payouts/${batch.id}/export`)).status).toBe(403);
    expect((await other.owner.get(`${w.base}/payouts/${batch.id}`)).status).toBe(404);
    expect((await other.owner.get(`${other.base}/payouts/${batch.id}`)).status).toBe(404);
  });
});
