/**
 * The workbook writer and reader on their own (no HTTP): what the writer puts in the sheet's XML,
 * and what the reader takes from workbooks written by it, shaped by hand as spreadsheet programs
 * write them, or broken on purpose.
 */
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { ExportTable } from '../../domain/exports';
import { MAX_PART_BYTES, readFirstSheet } from '../../functions/services/xlsx-read';
import { xlsxOf } from '../../functions/services/xlsx';

const LIMITS = { maxRows: 100, maxColumns: 16 };
const parts = (bytes: Uint8Array) => Object.fromEntries(Object.entries(unzipSync(bytes)).map(([name, data]) => [name, strFromU8(data)]));
const cells = (bytes: Uint8Array) => {
  const read = readFirstSheet(bytes, LIMITS);
  if (!read.ok) throw new Error(read.message);
  return read.rows;
};

const table: ExportTable = {
  sheet: 'Chi trả 2026-10',
  fileName: 'x',
  columns: [
    { header: 'Họ và tên', kind: 'text', width: 20 },
    { header: 'Số tài khoản', kind: 'text', width: 16 },
    { header: 'Số tiền (VND)', kind: 'vnd', width: 14 },
    { header: 'Tỷ lệ', kind: 'rateBp', width: 10 },
    { header: 'Lập lúc', kind: 'localTime', width: 16 },
  ],
  rows: [
    ['Nguyễn Thị Hoa', '0011001234567', 1_250_000, 7_500, '2026-11-01T08:30:00'],
    ['=HYPERLINK("x")', null, 0, 0, null],
  ],
};

describe('the workbook writer', () => {
  it('one sheet; the header row bold and frozen; amounts as numbers in the đồng format; text as text', async () => {
    const p = parts(await xlsxOf(table));
    expect(Object.keys(p).filter((n) => n.startsWith('xl/worksheets/sheet'))).toEqual(['xl/worksheets/sheet1.xml']);
    expect(p['xl/workbook.xml']).toContain('name="Chi trả 2026-10"');
    const sheet = p['xl/worksheets/sheet1.xml']!;
    expect(sheet).toMatch(/<pane [^>]*ySplit="1"[^>]*state="frozen"/);
    // 1,250,000 đ is the number itself, in a cell whose style is the amount format
    const amount = /<c r="C2" s="(\d+)"><v>1250000<\/v><\/c>/.exec(sheet);
    expect(amount).not.toBeNull();
    const styles = p['xl/styles.xml']!;
    const formatId = /<numFmt numFmtId="(\d+)" formatCode="#,##0 &quot;₫&quot;"\/>/.exec(styles)![1];
    const xfs = [.../<cellXfs[^>]*>([\s\S]*?)<\/cellXfs>/.exec(styles)![1]!.matchAll(/<xf\b[^>]*>/g)].map((m) => m[0]);
    expect(xfs[Number(amount![1])]).toContain(`numFmtId="${formatId}"`);
    // 75.00%: 7,500 bp as the fraction 0.75; 08:30 on 1 Nov 2026 as Excel's serial day 46327 + 8.5/24
    expect(sheet).toMatch(/<c r="D2" s="\d+"><v>0.75<\/v><\/c>/);
    const serial = Number(/<c r="E2" s="\d+"><v>([\d.]+)<\/v><\/c>/.exec(sheet)![1]);
    expect(serial).toBeCloseTo(46_327 + 8.5 / 24, 9);
    // the account number keeps its zeros (a string), and a formula-looking name stays text: no <f>
    expect(sheet).toMatch(/<c r="B2" (?:s="\d+" )?t="s">/);
    expect(sheet).not.toContain('<f>');
    // an empty cell is left out
    expect(sheet).not.toMatch(/r="B3"/);
    expect(p['xl/sharedStrings.xml']).toContain('<t>Số tiền (VND)</t>');
  });

  it('is read back by the reader, cell for cell (numbers as their text)', async () => {
    expect(cells(await xlsxOf(table))).toEqual([
      { line: 1, fields: ['Họ và tên', 'Số tài khoản', 'Số tiền (VND)', 'Tỷ lệ', 'Lập lúc'] },
      { line: 2, fields: ['Nguyễn Thị Hoa', '0011001234567', '1250000', '0.75', expect.stringMatching(/^46327\.354166/)] },
      { line: 3, fields: ['=HYPERLINK("x")', '', '0', '0', ''] },
    ]);
  });
});

/** A workbook from its parts, as a ZIP. */
function workbook(files: Record<string, string>): Uint8Array {
  return zipSync(Object.fromEntries(Object.entries(files).map(([name, xml]) => [name, strToU8(xml)])));
}
const ROOT_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`;
const rels = (sheets: Record<string, string>, strings = true) => `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${Object.entries(sheets)
  .map(
    ([id, target]) =>
      `<Relationship Id="${id}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="${target}"/>`,
  )
  .join(
    '',
  )}${strings ? '<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>' : ''}</Relationships>`;

/**
 * Shaped as the cell table of the ECMA-376 Part 3 primer ("Sheet Data": rows with `spans`, styled
 * cells, a formula with its cached value, an empty styled cell, whitespace between elements), with
 * an Excel workbook's namespaces and `x14ac` row attributes; our own values. The first sheet is
 * the second part (sheets are ordered by the workbook, not by file name).
 */
const EXCEL_SHAPED = workbook({
  '_rels/.rels': ROOT_RELS,
  'xl/workbook.xml': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="x15">
  <sheets>
    <sheet name="Danh sách CTV" sheetId="2" r:id="rId7"/>
    <sheet name="Ghi chú" sheetId="1" r:id="rId1"/>
  </sheets>
</workbook>`,
  'xl/_rels/workbook.xml.rels': rels({ rId1: 'worksheets/sheet1.xml', rId7: '/xl/worksheets/sheet2.xml' }),
  'xl/sharedStrings.xml': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="9" uniqueCount="7">
  <si><t>Họ tên</t></si>
  <si><t>Số điện thoại</t></si>
  <si><r><rPr><b/></rPr><t>Mã giới</t></r><r><t xml:space="preserve"> thiệu</t></r></si>
  <si><t>Nguyễn Thị Hoa</t><rPh sb="0" eb="1"><t>ふりがな</t></rPh></si>
  <si><t>Trần_x000D_ &amp; Lê</t></si>
  <si><t>0912345678</t></si>
  <si><t/></si>
</sst>`,
  'xl/worksheets/sheet1.xml': `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>not this sheet</t></is></c></row></sheetData></worksheet>`,
  'xl/worksheets/sheet2.xml': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac">
  <sheetData>
    <row r="1" spans="1:3" x14ac:dyDescent="0.25">
      <c r="A1" s="1" t="s">
        <v>0</v>
      </c>
      <c r="B1" s="1" t="s"><v>1</v></c>
      <c r="C1" s="1" t="s"><v>2</v></c>
      <c r="H1" s="1"/>
    </row>
    <row r="2" spans="1:3" x14ac:dyDescent="0.25">
      <c r="A2" t="s"><v>3</v></c>
      <c r="B2" t="s"><v>5</v></c>
      <c r="C2" t="str"><f>UPPER("hoa23456")</f><v>HOA23456</v></c>
    </row>
    <row r="3" spans="1:3"><c r="H3" s="1"/></row>
    <row r="5" spans="1:3">
      <c r="A5" t="s"><v>4</v></c>
      <c r="B5"><v>987654321</v></c>
    </row>
    <row r="6"><c t="inlineStr"><is><t>Lê &#7853;n</t></is></c><c><v>9.12345678E8</v></c><c t="b"><v>1</v></c></row>
  </sheetData>
</worksheet>`,
});

describe('the workbook reader', () => {
  it('reads the workbook’s first sheet: shared, rich, inline and formula strings, numbers, the rows as numbered', () => {
    expect(cells(EXCEL_SHAPED)).toEqual([
      { line: 1, fields: ['Họ tên', 'Số điện thoại', 'Mã giới thiệu'] },
      { line: 2, fields: ['Nguyễn Thị Hoa', '0912345678', 'HOA23456'] },
      // an empty row (3, only a styled empty cell) is skipped; a row is as wide as the header
      { line: 5, fields: ['Trần\r & Lê', '987654321', ''] },
      // cells without a reference follow each other; &#7853; is ậ; 9.12345678E8 is the number 912345678
      { line: 6, fields: ['Lê ận', '912345678', 'TRUE'] },
    ]);
  });

  it('stops at maxRows rows; refuses a value beyond maxColumns', () => {
    expect(readFirstSheet(EXCEL_SHAPED, { maxRows: 2, maxColumns: 16 })).toMatchObject({ ok: true, rows: [{ line: 1 }, { line: 2 }] });
    const wide = workbook({
      '_rels/.rels': ROOT_RELS,
      'xl/workbook.xml': '<workbook><sheets><sheet name="A" sheetId="1" r:id="rId1"/></sheets></workbook>',
      'xl/_rels/workbook.xml.rels': rels({ rId1: 'worksheets/sheet1.xml' }, false),
      'xl/worksheets/sheet1.xml': '<worksheet><sheetData><row r="1"><c r="XFD1"><v>1</v></c></row></sheetData></worksheet>',
    });
    expect(readFirstSheet(wide, LIMITS)).toEqual({ ok: false, message: 'row 1 has a value beyond column 16' });
  });

  it('refuses what is not a workbook: not a ZIP, a ZIP without a workbook, a sheet naming a missing string', () => {
    expect(readFirstSheet(strToU8('name,phone\nHoa,0912345678\n'), LIMITS)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/not an \.xlsx workbook/),
    });
    expect(readFirstSheet(zipSync({ 'hello.txt': strToU8('hi') }), LIMITS)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/not an \.xlsx workbook/),
    });
    const dangling = workbook({
      '_rels/.rels': ROOT_RELS,
      'xl/workbook.xml': '<workbook><sheets><sheet name="A" sheetId="1" r:id="rId1"/></sheets></workbook>',
      'xl/_rels/workbook.xml.rels': rels({ rId1: 'worksheets/sheet1.xml' }, false),
      'xl/worksheets/sheet1.xml': '<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>3</v></c></row></sheetData></worksheet>',
    });
    expect(readFirstSheet(dangling, LIMITS)).toEqual({ ok: false, message: 'a cell names shared string 3, which does not exist' });
    // a truncated file
    expect(readFirstSheet(EXCEL_SHAPED.slice(0, EXCEL_SHAPED.length - 30), LIMITS).ok).toBe(false);
  });

  it('never expands an entity: a part with a document type declaration is refused', () => {
    const bomb = workbook({
      '_rels/.rels': ROOT_RELS,
      'xl/workbook.xml':
        '<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><workbook><sheets><sheet name="&b;" sheetId="1" r:id="rId1"/></sheets></workbook>',
      'xl/_rels/workbook.xml.rels': rels({ rId1: 'worksheets/sheet1.xml' }, false),
      'xl/worksheets/sheet1.xml': '<worksheet><sheetData/></worksheet>',
    });
    expect(readFirstSheet(bomb, LIMITS)).toEqual({ ok: false, message: 'xl/workbook.xml declares a document type; it is not read' });
  });

  it('refuses a part larger than the limit once unzipped, before inflating it (a ZIP bomb)', () => {
    // 17 MiB of one letter deflates to a few kilobytes
    const huge = new Uint8Array(MAX_PART_BYTES + 1024 * 1024).fill(0x61);
    const zip = zipSync({
      '_rels/.rels': strToU8(ROOT_RELS),
      'xl/workbook.xml': strToU8('<workbook><sheets><sheet name="A" sheetId="1" r:id="rId1"/></sheets></workbook>'),
      'xl/_rels/workbook.xml.rels': strToU8(rels({ rId1: 'worksheets/sheet1.xml' }, false)),
      'xl/worksheets/sheet1.xml': huge,
    });
    expect(zip.length).toBeLessThan(100_000);
    expect(readFirstSheet(zip, LIMITS)).toEqual({
      ok: false,
      message: `xl/worksheets/sheet1.xml is larger than ${MAX_PART_BYTES} bytes unzipped`,
    });
  });
});
