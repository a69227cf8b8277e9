import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkImportRows, MAX_IMPORT_ROWS, parseImportCsv, type ImportFacts, type ImportRow } from '../../domain/collaborator-import';
import { parseCsv } from '../../domain/csv';

const HEADER = 'name,phone,email,level,careStaffUserId,referrerRefId';
const fields = (csv: string) => {
  const r = parseCsv(csv);
  if (!r.ok) throw new Error(r.message);
  return r.records.map((rec) => [rec.line, ...rec.fields]);
};

describe('CSV', () => {
  it('quoted fields, doubled quotes, commas and line breaks inside quotes; CRLF or LF; a BOM; blank lines', () => {
    expect(fields('\uFEFFa,b\r\n"x, y","say ""hi"""\r\n\r\n"line\nbreak",z\n')).toEqual([
      [1, 'a', 'b'],
      [2, 'x, y', 'say "hi"'],
      [4, 'line\nbreak', 'z'],
    ]);
    // the record after a multi-line field starts on the right line
    expect(fields('h\n"a\nb\nc"\nd').map((r) => r[0])).toEqual([1, 2, 5]);
    expect(fields('a,,c\n,\n')).toEqual([
      [1, 'a', '', 'c'],
      [2, '', ''],
    ]);
    expect(fields('"a" ,b')).toEqual([[1, 'a', 'b']]);
    expect(fields('Nguyễn Thị Hoa,Đặng')).toEqual([[1, 'Nguyễn Thị Hoa', 'Đặng']]);
    expect(fields('')).toEqual([]);
  });

  it('an unclosed quote, a quote inside a bare field and text after a closing quote are errors with their line', () => {
    expect(parseCsv('a\n"b,c\nd')).toEqual({ ok: false, line: 2, message: 'a quoted field is not closed' });
    expect(parseCsv('a\nb"c')).toMatchObject({ ok: false, line: 2 });
    expect(parseCsv('a\n"b"c')).toMatchObject({ ok: false, line: 2 });
  });

  it('property: what a spreadsheet writes is read back field for field', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', 'ễ', ' ', ',', '"', '\n', '\r\n', 'Đ', '1'), maxLength: 8 });
    const table = fc
      .array(fc.array(cell, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 6 })
      .filter((rows) => rows.every((r) => r.length === rows[0]!.length));
    const quote = (v: string) => `"${v.replace(/"/g, '""')}"`;
    fc.assert(
      fc.property(table, fc.constantFrom('\n', '\r\n'), (rows, eol) => {
        const text = rows.map((r) => r.map(quote).join(',')).join(eol);
        const parsed = parseCsv(text);
        expect(parsed.ok).toBe(true);
        if (parsed.ok) expect(parsed.records.map((r) => r.fields)).toEqual(rows);
      }),
    );
  });
});

describe('import rows', () => {
  it('checks each row and reports every problem with its line and field', () => {
    const csv = [
      HEADER,
      'Nguyễn Thị Hoa,0912345678,hoa@example.vn,2,care-a,hoa 23456',
      ',0912345679,,,,',
      'B,12345,not-mail,7,bad id!,x',
      'C,+84 912 345 678,,,,',
      'D,0987654321',
    ].join('\n');
    const { records, rows, problems } = parseImportCsv(csv);
    expect(records).toBe(5);
    expect(rows).toEqual([
      {
        line: 2,
        name: 'Nguyễn Thị Hoa',
        phone: '+84912345678',
        email: 'hoa@example.vn',
        level: 2,
        careStaffUserId: 'care-a',
        referrerRefId: 'HOA23456',
      },
    ]);
    expect(problems.map((p) => [p.line, p.field])).toEqual([
      [3, 'name'],
      [4, 'phone'],
      [4, 'email'],
      [4, 'level'],
      [4, 'careStaffUserId'],
      [4, 'referrerRefId'],
      [5, 'phone'],
      [6, 'row'],
    ]);
    expect(problems.find((p) => p.line === 5)!.reason).toBe('the same phone as line 2');
  });

  it('columns in any order and case; only name and phone are required; level defaults to 1', () => {
    const { rows, problems } = parseImportCsv('Phone,NAME\n0912345678,Hoa\n');
    expect(problems).toEqual([]);
    expect(rows).toEqual([{ line: 2, name: 'Hoa', phone: '+84912345678', level: 1 }]);
  });

  it('header problems: unknown, repeated and missing columns; an empty file; no rows', () => {
    expect(parseImportCsv('name,mobile,name\n').problems.map((p) => p.reason)).toEqual([
      expect.stringMatching(/unknown column "mobile"/),
      expect.stringMatching(/"name" appears twice/),
      expect.stringMatching(/"phone" is required/),
    ]);
    expect(parseImportCsv('\uFEFF').problems[0]).toMatchObject({ line: 1, field: 'header' });
    expect(parseImportCsv(HEADER).problems).toEqual([{ line: 1, field: 'csv', reason: 'no rows under the header' }]);
  });

  it(`at most ${MAX_IMPORT_ROWS} rows`, () => {
    const rows = Array.from({ length: MAX_IMPORT_ROWS + 1 }, (_, i) => `A,09${String(10_000_000 + i)}`);
    expect(parseImportCsv(['name,phone', ...rows].join('\n')).problems).toEqual([
      { line: MAX_IMPORT_ROWS + 2, field: 'csv', reason: `more than ${MAX_IMPORT_ROWS} rows; split the file` },
    ]);
    expect(parseImportCsv(['name,phone', ...rows.slice(1)].join('\n')).rows).toHaveLength(MAX_IMPORT_ROWS);
  });
});

describe('import rows against the business', () => {
  const row = (line: number, extra: Partial<ImportRow> = {}): ImportRow => ({
    line,
    name: 'A',
    phone: `+8491234567${line}`,
    level: 1,
    ...extra,
  });
  const facts = (extra: Partial<ImportFacts> = {}): ImportFacts => ({
    phones: new Map(),
    referrers: new Map([
      ['HOA23456', { id: 'R1', status: 'approved' }],
      ['BAD23456', { id: 'R2', status: 'blocked' }],
    ]),
    careStaff: new Map([
      ['care-a', { managerUserId: 'mgr-1' }],
      ['care-b', { managerUserId: 'mgr-2' }],
      ['care-x', {}],
    ]),
    ...extra,
  });

  it('phones taken by this batch are done, by anything else a problem', () => {
    const result = checkImportRows(
      [row(2), row(3), row(4)],
      facts({
        phones: new Map([
          [row(2).phone, { batchId: 'B1' }],
          [row(3).phone, {}],
          [row(4).phone, { batchId: 'B0' }],
        ]),
      }),
      'B1',
    );
    expect(result.alreadyImported.map((r) => r.line)).toEqual([2]);
    expect(result.toCreate).toEqual([]);
    expect(result.problems.map((p) => [p.line, p.field])).toEqual([
      [3, 'phone'],
      [4, 'phone'],
    ]);
  });

  it('unknown care staff, unknown or blocked REF IDs', () => {
    const result = checkImportRows(
      [
        row(2, { careStaffUserId: 'nobody' }),
        row(3, { referrerRefId: 'ZZZZ9999' }),
        row(4, { referrerRefId: 'BAD23456' }),
        row(5, { careStaffUserId: 'care-b', referrerRefId: 'HOA23456' }),
      ],
      facts(),
      'B1',
    );
    expect(result.problems.map((p) => [p.line, p.field, p.reason])).toEqual([
      [2, 'careStaffUserId', 'not on the care staff roster'],
      [3, 'referrerRefId', 'no collaborator of this business has this REF ID'],
      [4, 'referrerRefId', 'this REF ID belongs to a blocked collaborator'],
    ]);
    expect(result.toCreate.map((r) => r.line)).toEqual([5]);
  });

  it('a manager imports only for care staff of their team, and must name one', () => {
    const result = checkImportRows(
      [row(2, { careStaffUserId: 'care-a' }), row(3, { careStaffUserId: 'care-b' }), row(4), row(5, { careStaffUserId: 'care-x' })],
      facts({ managerUserId: 'mgr-1' }),
      'B1',
    );
    expect(result.toCreate.map((r) => r.line)).toEqual([2]);
    expect(result.problems.map((p) => p.line)).toEqual([3, 4, 5]);
  });
});
