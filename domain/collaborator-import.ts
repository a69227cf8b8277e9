import * as z from 'zod';
import { parseCsv, separatorOf, type CsvRecord } from './csv';
import { type CollaboratorStatus, type Level, RefIdInput, VnPhone } from './entities/collaborator';
import { UserId } from './entities/roster';
import { text } from './text';

/**
 * Bulk import of CTVs from CSV or an .xlsx workbook. Two pure steps: `parseImportRecords` checks
 * each row on its own (and phones repeated within the file); `checkImportRows` checks the rows
 * against what the business already holds (phones, REF IDs, care staff roster), read by the caller.
 * A batch with any bad row imports nothing; the report names every bad row by its line number
 * (1 = the header; in a workbook, the row number the spreadsheet shows).
 */
export const IMPORT_COLUMNS = ['name', 'phone', 'email', 'level', 'careStaffUserId', 'referrerRefId'] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];
export const MAX_IMPORT_ROWS = 1000;
/** the CSV text itself, characters (1,000 rows of a few hundred characters each) */
export const MAX_IMPORT_CHARS = 300_000;
/** the workbook in base64, characters: about 540 KB of .xlsx (1,000 rows of six columns take 36 KB) */
export const MAX_IMPORT_XLSX_BASE64 = 720_000;

/**
 * Each column's headers: its API name, then the Vietnamese ones a spreadsheet is likely to have.
 * A header matches whatever its case, diacritics, spaces and punctuation (`headerKey`).
 */
export const IMPORT_HEADERS: Readonly<Record<ImportColumn, readonly string[]>> = {
  name: ['name', 'Họ tên', 'Họ và tên', 'Tên', 'Tên CTV', 'Họ tên CTV'],
  phone: ['phone', 'Số điện thoại', 'Điện thoại', 'SĐT', 'Di động'],
  email: ['email', 'E-mail', 'Thư điện tử'],
  level: ['level', 'Cấp', 'Cấp độ', 'Cấp bậc', 'Hạng'],
  careStaffUserId: ['careStaffUserId', 'Nhân viên chăm sóc', 'NV chăm sóc', 'Mã nhân viên chăm sóc', 'Mã NV chăm sóc'],
  referrerRefId: ['referrerRefId', 'Mã giới thiệu', 'Mã người giới thiệu', 'REF', 'REF ID', 'Mã REF'],
};

/** A header as compared: without diacritics (đ → d), case, spaces or punctuation: "Số điện thoại" → "sodienthoai". */
export const headerKey = (header: string) =>
  header
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');

const headerList = IMPORT_COLUMNS.map((c) => `${c} (${IMPORT_HEADERS[c][1]})`).join(', ');

export const ImportInput = z
  .strictObject({
    csv: z
      .string()
      .min(1)
      .max(MAX_IMPORT_CHARS)
      .optional()
      .meta({
        description: `UTF-8 CSV text (a BOM is fine), comma- or semicolon-separated; header ${IMPORT_COLUMNS.join(',')} or the Vietnamese headers (Họ tên, Số điện thoại, …); name and phone required; at most ${MAX_IMPORT_ROWS} rows`,
      }),
    xlsx: z.base64().min(1).max(MAX_IMPORT_XLSX_BASE64).optional().meta({
      description: 'instead of csv: an .xlsx workbook, base64; its first sheet is read, the first row naming the columns as in csv',
    }),
    dryRun: z.boolean().meta({ description: 'true: check and report only, write nothing' }),
  })
  .superRefine((input, ctx) => {
    if ((input.csv === undefined) === (input.xlsx === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [input.csv === undefined ? 'csv' : 'xlsx'],
        message: 'send the file as csv (text) or as xlsx (base64): one of them',
      });
    }
  })
  .meta({
    id: 'CollaboratorImportInput',
    description: 'the file, one of: csv (its text) or xlsx (an .xlsx workbook in base64)',
    examples: [{ csv: 'Họ tên,Số điện thoại,Email\nNguyễn Thị Lan,0912345678,lan@example.vn', dryRun: true }],
  });
export type ImportInput = z.infer<typeof ImportInput>;

export interface ImportProblem {
  line: number;
  /** a column name, or `row` / `header` / `csv` / `xlsx` (the file as a whole) */
  field: string;
  reason: string;
}

export interface ImportRow {
  line: number;
  name: string;
  phone: string;
  email?: string;
  level: Level;
  careStaffUserId?: string;
  referrerRefId?: string;
}

export const ImportProblemView = z.object({ line: z.int(), field: z.string(), reason: z.string() }).meta({ id: 'ImportProblem' });
export const ImportReportView = z
  .object({
    batchId: z.string(),
    dryRun: z.boolean(),
    rows: z.int(),
    valid: z.boolean(),
    toCreate: z.int().meta({ description: 'rows that would be (or were) new CTVs' }),
    alreadyImported: z.int().meta({ description: 'rows this same batch imported before (a retry)' }),
    errors: z.array(ImportProblemView),
    created: z
      .array(z.object({ line: z.int(), id: z.string(), refId: z.string() }))
      .meta({ description: 'the CTVs this request created (empty on a dry run)' }),
  })
  .meta({ id: 'CollaboratorImportReport' });

const header = new Map(IMPORT_COLUMNS.flatMap((c) => IMPORT_HEADERS[c].map((h) => [headerKey(h), c] as const)));

const optionalCell =
  <T extends z.ZodType>(schema: T) =>
  (cell: string) =>
    cell.trim() === '' ? { success: true as const, data: undefined } : schema.safeParse(cell.trim());

const CELL: Record<ImportColumn, (cell: string) => { success: boolean; data?: unknown; error?: z.ZodError }> = {
  name: (cell) => text(200).safeParse(cell),
  phone: (cell) => VnPhone.safeParse(cell),
  email: optionalCell(z.email().max(254)),
  level: (cell) =>
    cell.trim() === ''
      ? { success: true, data: 1 }
      : /^[123]$/.test(cell.trim())
        ? { success: true, data: Number(cell.trim()) }
        : { success: false, error: new z.ZodError([{ code: 'custom', message: 'a level is 1, 2 or 3', path: [], input: cell }]) },
  careStaffUserId: optionalCell(UserId),
  referrerRefId: optionalCell(RefIdInput),
};

const byLine = (a: ImportProblem, b: ImportProblem) => a.line - b.line || columnOrder(a.field) - columnOrder(b.field);
const columnOrder = (field: string) => {
  const i = (IMPORT_COLUMNS as readonly string[]).indexOf(field);
  return i < 0 ? -1 : i;
};

export type ImportResult = { records: number; rows: ImportRow[]; problems: ImportProblem[] };

/** Parse and check every row of a CSV file (comma- or semicolon-separated) on its own. */
export function parseImportCsv(csv: string): ImportResult {
  const parsed = parseCsv(csv, separatorOf(csv));
  if (!parsed.ok)
    return { records: 0, rows: [], problems: [{ line: parsed.line, field: 'csv', reason: `not valid CSV: ${parsed.message}` }] };
  return parseImportRecords(parsed.records);
}

/**
 * A phone typed into a spreadsheet as a number has lost its leading 0 (912345678): in a workbook's
 * cell, nine digits are read as the number with it. (A CSV file is taken as written.)
 */
export const spreadsheetPhone = (cell: string) => (/^[1-9]\d{8}$/.test(cell.trim()) ? `0${cell.trim()}` : cell);

/**
 * Check every row on its own: the first record names the columns (API or Vietnamese headers), each
 * other is a CTV. A phone repeated within the file is a problem on the later lines. `spreadsheet`:
 * the records are a workbook's cells (see spreadsheetPhone).
 */
export function parseImportRecords(all: readonly CsvRecord[], options: { spreadsheet?: boolean } = {}): ImportResult {
  const [head, ...records] = all;
  if (!head)
    return {
      records: 0,
      rows: [],
      problems: [{ line: 1, field: 'header', reason: `the file is empty; the first line names the columns (${IMPORT_COLUMNS.join(',')})` }],
    };

  const problems: ImportProblem[] = [];
  const columns: (ImportColumn | null)[] = [];
  for (const cell of head.fields) {
    const name = header.get(headerKey(cell)) ?? null;
    if (!name)
      problems.push({ line: head.line, field: 'header', reason: `unknown column "${cell.trim()}"; the columns are ${headerList}` });
    else if (columns.includes(name)) problems.push({ line: head.line, field: 'header', reason: `column "${name}" appears twice` });
    columns.push(name);
  }
  for (const required of ['name', 'phone'] as const) {
    if (!columns.includes(required)) problems.push({ line: head.line, field: 'header', reason: `the column "${required}" is required` });
  }
  if (problems.length) return { records: records.length, rows: [], problems };
  const file = options.spreadsheet ? 'xlsx' : 'csv';
  if (records.length === 0)
    return { records: 0, rows: [], problems: [{ line: head.line, field: file, reason: 'no rows under the header' }] };
  if (records.length > MAX_IMPORT_ROWS) {
    return {
      records: records.length,
      rows: [],
      problems: [{ line: records[MAX_IMPORT_ROWS]!.line, field: file, reason: `more than ${MAX_IMPORT_ROWS} rows; split the file` }],
    };
  }

  const rows: ImportRow[] = [];
  const firstLineOfPhone = new Map<string, number>();
  for (const record of records) {
    if (record.fields.length !== columns.length) {
      problems.push({ line: record.line, field: 'row', reason: `has ${record.fields.length} fields; the header has ${columns.length}` });
      continue;
    }
    const values: Partial<Record<ImportColumn, unknown>> = {};
    let ok = true;
    columns.forEach((column, i) => {
      const cell = column === 'phone' && options.spreadsheet ? spreadsheetPhone(record.fields[i]!) : record.fields[i]!;
      const result = CELL[column!](cell);
      if (result.success) values[column!] = result.data;
      else {
        ok = false;
        problems.push({ line: record.line, field: column!, reason: result.error?.issues[0]?.message ?? 'not valid' });
      }
    });
    if (!columns.includes('level')) values.level = 1;
    if (typeof values.phone === 'string') {
      const first = firstLineOfPhone.get(values.phone);
      if (first !== undefined) {
        ok = false;
        problems.push({ line: record.line, field: 'phone', reason: `the same phone as line ${first}` });
      } else {
        firstLineOfPhone.set(values.phone, record.line);
      }
    }
    if (!ok) continue;
    rows.push({
      line: record.line,
      name: values.name as string,
      phone: values.phone as string,
      ...(values.email ? { email: values.email as string } : {}),
      level: values.level as Level,
      ...(values.careStaffUserId ? { careStaffUserId: values.careStaffUserId as string } : {}),
      ...(values.referrerRefId ? { referrerRefId: values.referrerRefId as string } : {}),
    });
  }
  return { records: records.length, rows, problems: problems.sort(byLine) };
}

/** What the business holds, read for the rows of one batch. */
export interface ImportFacts {
  /** phones of the rows already taken in the business, and the import batch that took them, if any */
  phones: ReadonlyMap<string, { batchId?: string }>;
  /** the rows' referrer REF IDs that exist */
  referrers: ReadonlyMap<string, { id: string; status: CollaboratorStatus }>;
  /** the rows' care staff that are on the roster */
  careStaff: ReadonlyMap<string, { managerUserId?: string }>;
  /** set when a manager imports: every row must name care staff of their team */
  managerUserId?: string;
}

/**
 * Check rows against the business. A row whose phone this same batch already took is `done` (a
 * retry after a crash completes the batch without duplicates); a phone taken otherwise is a problem.
 */
export function checkImportRows(
  rows: readonly ImportRow[],
  facts: ImportFacts,
  batchId: string,
): { problems: ImportProblem[]; toCreate: ImportRow[]; alreadyImported: ImportRow[] } {
  const problems: ImportProblem[] = [];
  const toCreate: ImportRow[] = [];
  const alreadyImported: ImportRow[] = [];
  for (const row of rows) {
    let ok = true;
    const bad = (field: ImportColumn, reason: string) => {
      ok = false;
      problems.push({ line: row.line, field, reason });
    };
    const claim = facts.phones.get(row.phone);
    const done = claim !== undefined && claim.batchId === batchId;
    if (claim && !done) bad('phone', 'a collaborator with this phone is already in the business');
    if (row.careStaffUserId) {
      const staff = facts.careStaff.get(row.careStaffUserId);
      if (!staff) bad('careStaffUserId', 'not on the care staff roster');
      else if (facts.managerUserId && staff.managerUserId !== facts.managerUserId) bad('careStaffUserId', 'not on your team');
    } else if (facts.managerUserId) {
      bad('careStaffUserId', 'a manager imports collaborators for the care staff of their team: name one');
    }
    if (row.referrerRefId) {
      const referrer = facts.referrers.get(row.referrerRefId);
      if (!referrer) bad('referrerRefId', 'no collaborator of this business has this REF ID');
      else if (referrer.status === 'blocked') bad('referrerRefId', 'this REF ID belongs to a blocked collaborator');
    }
    if (!ok) continue;
    (done ? alreadyImported : toCreate).push(row);
  }
  return { problems: problems.sort(byLine), toCreate, alreadyImported };
}
