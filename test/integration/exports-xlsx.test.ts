/**
 * `?format=xlsx` over HTTP, and the CTV import from Vietnamese headers and .xlsx files. Each
 * workbook is unzipped here and its sheet's XML read directly: the numbers in it are worked by
 * hand from the data each test makes (amounts: support/periods.ts, reports.test.ts), the number
 * format is looked up through the cell's style, and the headers are the Vietnamese ones.
 */
import { readFileSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import writeXlsxFile from 'write-excel-file/node';
import { newBusiness, uniquePhone, type ApiResponse } from './support/api';
import { kpiNetwork, oneLine, smallPlan, vn } from './kpi-support';
import { ifMatch } from './support/network';
import { NAMES, octoberWorld, ok, runNightly, statementsByName, fileClockServer } from './support/periods';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const VND = '#,##0 "₫"';
const s = fileClockServer();

interface Cell {
  /** a number, or the text of a string cell */
  value: number | string;
  /** the number format of its style (null: General) */
  format: string | null;
}

const unescapeXml = (t: string) =>
  t
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
const attrs = (tag: string) => Object.fromEntries([...tag.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, unescapeXml(m[2]!)]));

/**
 * An answer checked as an .xlsx download, and its one sheet as rows of header → cell, read from
 * the XML parts (shared strings, styles, sheet1) without the code under test.
 */
function sheetOf(res: ApiResponse, fileName: RegExp) {
  expect(res.status, res.text.slice(0, 300)).toBe(200);
  expect(res.headers.get('content-type')).toBe(XLSX);
  expect(res.headers.get('content-disposition')).toMatch(new RegExp(`^attachment; filename="${fileName.source}"$`));
  expect([...res.bytes.slice(0, 2)]).toEqual([0x50, 0x4b]); // "PK": a ZIP, sent as bytes (not base64 text)
  const files = unzipSync(res.bytes);
  const part = (name: string) => strFromU8(files[name]!);
  expect(Object.keys(files).filter((n) => n.startsWith('xl/worksheets/sheet'))).toEqual(['xl/worksheets/sheet1.xml']);
  const strings = [...part('xl/sharedStrings.xml').matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) =>
    [...m[1]!.matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((t) => unescapeXml(t[1]!)).join(''),
  );
  const styles = part('xl/styles.xml');
  const formats = new Map([...styles.matchAll(/<numFmt [^>]*\/>/g)].map((m) => [attrs(m[0]).numFmtId!, attrs(m[0]).formatCode!]));
  const xfs = [.../<cellXfs[^>]*>([\s\S]*?)<\/cellXfs>/.exec(styles)![1]!.matchAll(/<xf\b[^>]*>/g)].map((m) => attrs(m[0]).numFmtId);
  const sheet = part('xl/worksheets/sheet1.xml');
  const frozen = /<pane [^>]*ySplit="1"[^>]*state="frozen"/.test(sheet);
  const grid = new Map<number, Map<string, Cell>>();
  for (const m of sheet.matchAll(/<c ([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
    const a = attrs(m[1]!);
    const [, column, row] = /^([A-Z]+)(\d+)$/.exec(a.r!)!;
    const v = /<v>([\s\S]*?)<\/v>/.exec(m[2] ?? '')?.[1];
    if (v === undefined) continue;
    const numFmtId = a.s !== undefined ? xfs[Number(a.s)] : undefined;
    const cell: Cell = { value: a.t === 's' ? strings[Number(v)]! : Number(v), format: numFmtId ? (formats.get(numFmtId) ?? null) : null };
    if (!grid.has(Number(row))) grid.set(Number(row), new Map());
    grid.get(Number(row))!.set(column!, cell);
  }
  const headerRow = grid.get(1)!;
  const headers = [...headerRow.values()].map((c) => c.value as string);
  const rows = [...grid.entries()]
    .filter(([r]) => r > 1)
    .sort(([a], [b]) => a - b)
    .map(([, cells]) => Object.fromEntries([...headerRow.entries()].map(([col, h]) => [h.value as string, cells.get(col) ?? null])));
  const sheetName = attrs(/<sheet [^>]*\/>/.exec(part('xl/workbook.xml'))![0]).name;
  return { headers, rows, frozen, sheetName };
}

const amount = (value: number) => ({ value, format: VND });
const text = (value: string) => ({ value, format: null });

describe('statements and the payout file as workbooks', () => {
  it('a month’s statements and its payout batch, amounts in đồng, times in Viet Nam', async () => {
    const w = await octoberWorld(s);
    s.setNow('2026-11-01T02:00:00+07:00');
    await runNightly(s, w, '2026-11-01');
    s.setNow('2026-11-02T09:00:00+07:00');
    const st = await statementsByName(w, '2026-10');
    for (const name of [NAMES.a, NAMES.b]) {
      await ok(w.owner.post(`${w.base}/statements/2026-10/${st[name].collaboratorId}/approve`, undefined, ifMatch(st[name].version)), 200);
    }

    const book = sheetOf(await w.owner.get(`${w.base}/statements?period=2026-10&format=xlsx`), /bang-ke-hoa-hong-2026-10\.xlsx/);
    expect(book.frozen).toBe(true);
    expect(book.sheetName).toBe('Bảng kê 2026-10');
    expect(book.headers.slice(0, 6)).toEqual(['Kỳ', 'Mã CTV', 'Họ và tên', 'ID CTV', 'Trạng thái', 'CK cơ bản']);
    expect(book.headers).toEqual(
      expect.arrayContaining(['Giới thiệu (REF)', 'Thưởng kỳ', 'Thu hồi', 'Tổng kỳ này', 'Số dư', 'Chờ đến hạn', 'Lập lúc', 'Duyệt lúc']),
    );
    const byName = Object.fromEntries(book.rows.map((r) => [r['Họ và tên']!.value, r]));
    expect(Object.keys(byName).sort()).toEqual([NAMES.a, NAMES.b, NAMES.c].sort());
    // A: O2's basic 70,000 + the referral on B's 15,000,000 at 3% = 450,000
    expect(byName[NAMES.a]).toMatchObject({
      'Mã CTV': text(w.a.refId),
      'Trạng thái': text('Đã duyệt'),
      'CK cơ bản': amount(70_000),
      'Giới thiệu (REF)': amount(450_000),
      'Thưởng kỳ': amount(0),
      'Tổng kỳ này': amount(520_000),
      'Số dư': amount(520_000),
    });
    // B: basic 10% of 15,000,000 + the award 2% of it; C: O4's 40,000, O3's 50,000 not yet payable
    expect(byName[NAMES.b]).toMatchObject({ 'CK cơ bản': amount(1_500_000), 'Thưởng kỳ': amount(300_000), 'Số dư': amount(1_800_000) });
    expect(byName[NAMES.c]).toMatchObject({
      'Trạng thái': text('Chờ duyệt'),
      'CK cơ bản': amount(40_000),
      'Chờ đến hạn': amount(50_000),
      'Duyệt lúc': null,
    });
    // approved at 09:00 on 2 Nov in Viet Nam (02:00 UTC): Excel's day 46328 (2 Nov 2026) + 9/24, not + 2/24
    const approvedAt = byName[NAMES.a]!['Duyệt lúc']!;
    expect(approvedAt.format).toBe('dd/mm/yyyy hh:mm');
    expect(approvedAt.value as number).toBeCloseTo(46_328 + 9 / 24, 6);
    // the JSON answer is the same page
    expect((await ok(w.owner.get(`${w.base}/statements?period=2026-10`), 200)).body.items).toHaveLength(3);

    await ok(
      w.owner.post(`${w.base}/statements/2026-10/${st[NAMES.c].collaboratorId}/approve`, undefined, ifMatch(st[NAMES.c].version)),
      200,
    );
    const batch = (await ok(w.owner.post(`${w.base}/payouts`, { periodId: '2026-10' }), 201)).body;
    const file = sheetOf(
      await w.owner.get(`${w.base}/payouts/${batch.id}/export?format=xlsx`),
      new RegExp(`chi-tra-hoa-hong-2026-10-${batch.id}\\.xlsx`),
    );
    expect(file.headers).toEqual([
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
    const lines = Object.fromEntries(file.rows.map((r) => [r['Họ và tên']!.value, r]));
    // C's 40,000 is below the 100,000 minimum payout: not in the batch
    expect(Object.keys(lines).sort()).toEqual([NAMES.a, NAMES.b].sort());
    expect(lines[NAMES.a]).toMatchObject({
      'Số điện thoại': text(`0${w.a.phone.slice(3)}`),
      'Số tài khoản': text('0011001234567'), // text: the leading zeros stay
      'Số tiền (VND)': amount(520_000),
      'Nội dung chuyển khoản': text(`HOA HONG 2026-10 ${w.a.refId}`),
    });
    expect(lines[NAMES.b]!['Số tiền (VND)']).toEqual(amount(1_800_000));
    // the CSV answer is unchanged by the option
    const csv = await ok(w.owner.get(`${w.base}/payouts/${batch.id}/export?format=csv&separator=semicolon`), 200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.text).toContain('STT;Mã CTV;');

    // a format the route does not have is a 400 naming the parameter, never a file
    const bad = await w.owner.get(`${w.base}/payouts/${batch.id}/export?format=pdf`);
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: any) => e.path)).toEqual(['format']);
    expect((await w.owner.get(`${w.base}/statements?period=2026-10&format=csv`)).body.errors.map((e: any) => e.path)).toEqual(['format']);
  });
});

describe('the reports as workbooks', () => {
  it('BC Quản lý and BC Nhân viên: the team’s totals, each care staff’s numbers and KPI, rates as percentages', async () => {
    const k = await kpiNetwork();
    await k.ok(k.owner.post(`${k.base}/commission-plans`, { effectiveFrom: '2026-01-01', basic: { default: { percentBp: 1000 } } }));
    const planId = await k.plan(smallPlan());
    await k.assign({ planId, userId: k.ids.careA });
    const a1 = await k.addCtv({ careStaffUserId: k.ids.careA });
    const a2 = await k.addCtv({ careStaffUserId: k.ids.careA2 });
    await k.send('X1', 1, 'approved', vn('2026-10-03T10:00:00'), a1.id, oneLine(1_000_000));
    await k.send('X2', 1, 'approved', vn('2026-10-06T10:00:00'), a2.id, oneLine(2_000_000));

    const manager = sheetOf(
      await k.owner.get(`${k.base}/reports/manager?period=2026-10&managerUserId=${k.ids.m1}&format=xlsx`),
      /bao-cao-quan-ly-2026-10\.xlsx/,
    );
    expect(manager.frozen).toBe(true);
    expect(manager.headers).toEqual(
      expect.arrayContaining(['Quản lý', 'Nhân viên chăm sóc', 'Doanh thu', 'Điểm KPI', 'Thưởng KPI', 'Hoa hồng phải trả', 'CSAT']),
    );
    const rows = Object.fromEntries(manager.rows.map((r) => [r['Nhân viên chăm sóc']!.value, r]));
    expect(Object.keys(rows)).toEqual(['Cả nhóm', 'Phạm Văn Đức', 'Đỗ Thị Hằng']);
    // the team: 1,000,000 + 2,000,000 approved in October; commission 10% of it
    expect(rows['Cả nhóm']).toMatchObject({
      'Quản lý': text('Lê Thị Mai'),
      'Doanh thu': amount(3_000_000),
      'Đơn đã duyệt': { value: 2 },
      'Hoa hồng phải trả': amount(300_000),
    });
    // care staff A: revenue 1.0 × 0.5 + confirmation capped 1.5 × 0.2 + orders 1 of 2 × 0.15 + no cancels capped 1.5 × 0.15 = 1.1 → 110%;
    // the required group's award 1% of the 1,000,000 distributed = 10,000
    expect(rows['Phạm Văn Đức']).toMatchObject({
      'Doanh thu': amount(1_000_000),
      'Điểm KPI': { value: 1.1, format: '0.00%' },
      'Thưởng KPI': amount(10_000),
    });
    expect(rows['Phạm Văn Đức']!['Tỷ lệ xác nhận']).toEqual({ value: 1, format: '0.00%' });
    expect(rows['Đỗ Thị Hằng']).toMatchObject({ 'Doanh thu': amount(2_000_000), 'Điểm KPI': null });

    const staff = sheetOf(await k.m1.get(`${k.base}/reports/staff?period=2026-10&format=xlsx`), /bao-cao-nhan-vien-2026-10\.xlsx/);
    expect(staff.headers[0]).toBe('Kỳ');
    const byStaff = Object.fromEntries(staff.rows.map((r) => [r['Nhân viên chăm sóc']!.value, r]));
    // a manager sees their team only
    expect(Object.keys(byStaff).sort()).toEqual(['Phạm Văn Đức', 'Đỗ Thị Hằng'].sort());
    expect(byStaff['Đỗ Thị Hằng']).toMatchObject({
      Kỳ: text('2026-10'),
      'Doanh thu': amount(2_000_000),
      'Đơn đã duyệt': { value: 1 },
      'Tỷ lệ huỷ': { value: 0, format: '0.00%' },
    });

    // one care staff a workbook: each links to the next page (the request's query with its cursor) until one links nowhere
    const path = `${k.base}/reports/staff`;
    const names: unknown[] = [];
    let query: string | null = 'period=2026-10&format=xlsx&limit=1';
    for (let pages = 0; query !== null; pages++) {
      expect(pages).toBeLessThan(4); // 2 care staff: 2 pages, and an empty third when the second's cursor could not tell
      const res = await k.m1.get(`${path}?${query}`);
      names.push(...sheetOf(res, /bao-cao-nhan-vien-2026-10\.xlsx/).rows.map((row) => row['Nhân viên chăm sóc']!.value));
      const link = res.headers.get('link');
      if (link === null) query = null;
      else {
        expect(link).toMatch(/^<\?[^>]*cursor=[^>]+>; rel="next"$/);
        const next = new URLSearchParams(link.slice(2, link.indexOf('>')));
        expect(Object.fromEntries([...next].filter(([name]) => name !== 'cursor'))).toEqual({
          period: '2026-10',
          format: 'xlsx',
          limit: '1',
        });
        query = next.toString();
      }
    }
    expect(names.sort()).toEqual(['Phạm Văn Đức', 'Đỗ Thị Hằng'].sort());
    // the whole list in one page: no link
    expect((await k.m1.get(`${path}?period=2026-10&format=xlsx`)).headers.get('link')).toBeNull();

    // the roles and answers of the JSON route hold for the workbook
    expect((await k.careA.get(`${k.base}/reports/manager?period=2026-10&format=xlsx`)).status).toBe(403);
    expect((await k.stranger.get(`${k.base}/reports/staff?period=2026-10&format=xlsx`)).status).toBe(404);
    const badFormat = await k.owner.get(`${k.base}/reports/staff?period=2026-10&format=XLSX`);
    expect(badFormat.status).toBe(400);
    expect(badFormat.body.errors.map((e: any) => e.path)).toEqual(['format']);
  });
});

describe('the CTV import from Vietnamese headers and workbooks', () => {
  const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
  const listed = async (owner: { get: (p: string) => Promise<ApiResponse> }, b: string) =>
    Object.fromEntries((await owner.get(`${b}/collaborators?limit=200`)).body.items.map((c: any) => [c.name, c]));

  it('a CSV with Vietnamese headers, semicolon-separated as Excel saves it in Viet Nam', async () => {
    const { owner, base } = await newBusiness();
    const [p1, p2] = [uniquePhone(), uniquePhone()];
    const csv = `\uFEFFHọ tên;SỐ ĐIỆN THOẠI;Email;Cấp\r\nNguyễn Thị Hoa;${p1};hoa@example.vn;2\r\n"Trần; Văn Bình";${p2};;\r\n`;
    const res = await owner.post(`${base}/collaborators/imports`, { csv, dryRun: false });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ valid: true, rows: 2, toCreate: 2, errors: [] });
    const ctvs = await listed(owner, base);
    expect(ctvs['Nguyễn Thị Hoa']).toMatchObject({ phone: `+84${p1.slice(1)}`, email: 'hoa@example.vn', level: 2, status: 'approved' });
    expect(ctvs['Trần; Văn Bình']).toMatchObject({ phone: `+84${p2.slice(1)}`, level: 1 });
  });

  it('an .xlsx workbook (base64): its first sheet, Vietnamese headers, a phone typed as a number; a retry creates nothing new', async () => {
    const { owner, base } = await newBusiness();
    const referrer = (await owner.post(`${base}/collaborators`, { name: 'Người Giới Thiệu', phone: uniquePhone() })).body;
    const [p1, p2] = [uniquePhone(), uniquePhone()];
    const bold = (value: string) => ({ value, fontWeight: 'bold' as const });
    const bytes = await writeXlsxFile(
      [
        [bold('Họ và tên'), bold('Số điện thoại'), bold('Email'), bold('Cấp'), bold('Mã giới thiệu')],
        // Excel keeps a phone typed as 0912… as the number 912…: its leading zero is gone
        ['Lê Thị Cúc', Number(p1), 'cuc@example.vn', 3, referrer.refId],
        ['Phạm Văn Dũng', p2, null, null, null],
      ],
      { sheet: 'Danh sách' },
    ).toBuffer();

    const dry = await owner.post(`${base}/collaborators/imports`, { xlsx: base64(bytes), dryRun: true });
    expect(dry.status, JSON.stringify(dry.body)).toBe(200);
    expect(dry.body).toMatchObject({ valid: true, rows: 2, toCreate: 2, created: [] });
    const done = await owner.post(`${base}/collaborators/imports`, { xlsx: base64(bytes), dryRun: false });
    expect(done.status, JSON.stringify(done.body)).toBe(201);
    expect(done.body.created.map((c: any) => c.line)).toEqual([2, 3]);
    const ctvs = await listed(owner, base);
    expect(ctvs['Lê Thị Cúc']).toMatchObject({ phone: `+84${p1.slice(1)}`, email: 'cuc@example.vn', level: 3, referrerId: referrer.id });
    expect(ctvs['Phạm Văn Dũng']).toMatchObject({ phone: `+84${p2.slice(1)}`, level: 1 });
    // the same sheet again: the same batch, its rows done
    const again = await owner.post(`${base}/collaborators/imports`, { xlsx: base64(bytes), dryRun: false });
    expect(again.body).toMatchObject({ batchId: done.body.batchId, toCreate: 0, alreadyImported: 2, created: [] });
    expect(Object.keys(await listed(owner, base))).toHaveLength(3);

    // a bad row is reported on its spreadsheet row, under xlsx
    const badRows = await writeXlsxFile([
      ['Họ tên', 'SĐT'],
      ['Không Số', 'abc'],
    ]).toBuffer();
    const failing = await owner.post(`${base}/collaborators/imports`, { xlsx: base64(badRows), dryRun: false });
    expect(failing.status).toBe(422);
    expect(failing.body.errors.map((e: any) => e.path)).toEqual(['xlsx.2.phone']);
  });

  it('a workbook saved by LibreOffice Calc 7.4 from a CSV (its phones became numbers)', async () => {
    // test/integration/fixtures/ctv-import-libreoffice.xlsx: `soffice --headless --convert-to xlsx` of the .csv beside it
    const { owner, base } = await newBusiness();
    const bytes = readFileSync(new URL('./fixtures/ctv-import-libreoffice.xlsx', import.meta.url));
    const res = await owner.post(`${base}/collaborators/imports`, { xlsx: base64(bytes), dryRun: false });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const ctvs = await listed(owner, base);
    expect(ctvs['Đặng Thị Thu']).toMatchObject({ phone: '+84912000111', email: 'thu@example.vn', level: 2 });
    expect(ctvs['Bùi Văn Nam, Jr']).toMatchObject({ phone: '+84386000222', level: 1 });
    expect(ctvs['Hồ Ngọc Ánh']).toMatchObject({ phone: '+84977000333', level: 1 });
  });

  it('a file that is no workbook, or not one file, is a 400 naming the field; nothing is imported', async () => {
    const { owner, base } = await newBusiness();
    const good = await writeXlsxFile([
      ['Họ tên', 'Số điện thoại'],
      ['A', uniquePhone()],
    ]).toBuffer();
    const cases: [unknown, string][] = [
      [{ xlsx: base64(new TextEncoder().encode('Họ tên,Số điện thoại\nA,0912345678\n')), dryRun: true }, 'xlsx'], // a CSV renamed
      [{ xlsx: base64(good.subarray(0, good.length - 40)), dryRun: false }, 'xlsx'], // cut short
      [{ xlsx: 'not base64!', dryRun: true }, 'xlsx'],
      [{ csv: 'name,phone\nA,0912345678', xlsx: base64(good), dryRun: true }, 'xlsx'],
      [{ dryRun: true }, 'csv'],
    ];
    for (const [body, field] of cases) {
      const res = await owner.post(`${base}/collaborators/imports`, body);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.errors.map((e: any) => e.path)).toEqual([field]);
    }
    expect((await owner.get(`${base}/collaborators`)).body.items).toEqual([]);
  });
});
