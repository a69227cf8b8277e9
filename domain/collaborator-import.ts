import * as z from 'zod';
import { parseCsv } from './csv';
import { type CollaboratorStatus, type Level, RefIdInput, VnPhone } from './entities/collaborator';
import { UserId } from './entities/roster';
import { text } from './text';

/**
 * Bulk import of CTVs from CSV. Two pure steps: `parseImportCsv` checks each row on its own (and
 * phones repeated within the file); `checkImportRows` checks the rows against what the business
 * already holds (phones, REF IDs, care staff roster), read by the caller. A batch with any bad row
 * imports nothing; the report names every bad row by its line number (1 = the header).
 */
export const IMPORT_COLUMNS = ['name', 'phone', 'email', 'level', 'careStaffUserId', 'referrerRefId'] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];
export const MAX_IMPORT_ROWS = 1000;
/** the CSV text itself, characters (1,000 rows of a few hundred characters each) */
export const MAX_IMPORT_CHARS = 300_000;

export const ImportInput = z
  .strictObject({
    csv: z
      .string()
      .min(1)
      .max(MAX_IMPORT_CHARS)
      .meta({ description: `UTF-8 CSV text (a BOM is fine); header ${IMPORT_COLUMNS.join(',')} (name and phone required); at most ${MAX_IMPORT_ROWS} rows` }),
    dryRun: z.boolean().meta({ description: 'true: check and report only, write nothing' }),
  })
  .meta({ id: 'CollaboratorImportInput' });
export type ImportInput = z.infer<typeof ImportInput>;

export interface ImportProblem {
  line: number;
  /** a column name, or `row` / `header` / `csv` */
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

const header = new Map(IMPORT_COLUMNS.map((c) => [c.toLowerCase(), c]));

const optionalCell = <T extends z.ZodType>(schema: T) => (cell: string) => (cell.trim() === '' ? { success: true as const, data: undefined } : schema.safeParse(cell.trim()));

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

const byLine = (a: ImportProblem, b: ImportProblem) =>
  a.line - b.line || columnOrder(a.field) - columnOrder(b.field);
const columnOrder = (field: string) => {
  const i = (IMPORT_COLUMNS as readonly string[]).indexOf(field);
  return i < 0 ? -1 : i;
};

/** Parse and check every row on its own; a phone repeated within the file is a problem on the later lines. */
export function parseImportCsv(csv: string): { records: number; rows: ImportRow[]; problems: ImportProblem[] } {
  const parsed = parseCsv(csv);
  if (!parsed.ok) return { records: 0, rows: [], problems: [{ line: parsed.line, field: 'csv', reason: `not valid CSV: ${parsed.message}` }] };
  const [head, ...records] = parsed.records;
  if (!head) return { records: 0, rows: [], problems: [{ line: 1, field: 'header', reason: `the file is empty; the first line names the columns (${IMPORT_COLUMNS.join(',')})` }] };

  const problems: ImportProblem[] = [];
  const columns: (ImportColumn | null)[] = [];
  for (const cell of head.fields) {
    const name = header.get(cell.trim().toLowerCase()) ?? null;
    if (!name) problems.push({ line: head.line, field: 'header', reason: `unknown column "${cell.trim()}"; the columns are ${IMPORT_COLUMNS.join(', ')}` });
    else if (columns.includes(name)) problems.push({ line: head.line, field: 'header', reason: `column "${name}" appears twice` });
    columns.push(name);
  }
  for (const required of ['name', 'phone'] as const) {
    if (!columns.includes(required)) problems.push({ line: head.line, field: 'header', reason: `the column "${required}" is required` });
  }
  if (problems.length) return { records: records.length, rows: [], problems };
  if (records.length === 0) return { records: 0, rows: [], problems: [{ line: head.line, field: 'csv', reason: 'no rows under the header' }] };
  if (records.length > MAX_IMPORT_ROWS) {
    return { records: records.length, rows: [], problems: [{ line: records[MAX_IMPORT_ROWS]!.line, field: 'csv', reason: `more than ${MAX_IMPORT_ROWS} rows; split the file` }] };
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
      const result = CELL[column!](record.fields[i]!);
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
