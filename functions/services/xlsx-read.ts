import { strFromU8, unzipSync } from 'fflate';

/**
 * The first sheet of an .xlsx workbook as rows of text, for imports. An .xlsx file is a ZIP of XML
 * parts (ECMA-376): the workbook names its sheets in order and, through its relationships, where
 * each sheet's part is; cells hold numbers, or indexes into the shared strings part. We read only
 * those four parts, and only within limits:
 *  - a part larger than MAX_PART_BYTES once unzipped is refused before it is inflated (fflate
 *    inflates into a buffer of the size the ZIP declares, so a part that lies is cut there);
 *  - a part with a document type declaration is refused: no entity is ever defined or expanded,
 *    only the five predefined XML entities and character references are decoded;
 *  - at most `maxRows` non-empty rows and `maxColumns` columns are read.
 * Rows are numbered as the spreadsheet shows them (1 = the first row); an empty row is skipped.
 */

export const MAX_PART_BYTES = 16 * 1024 * 1024;

export interface SheetRow {
  /** the row's number in the spreadsheet */
  line: number;
  /** the cells' text, one per column from A, as wide as the first row (the header) or wider */
  fields: string[];
}

export type SheetResult = { ok: true; rows: SheetRow[] } | { ok: false; message: string };

class Unreadable extends Error {}

export function readFirstSheet(bytes: Uint8Array, limits: { maxRows: number; maxColumns: number }): SheetResult {
  try {
    return { ok: true, rows: readRows(bytes, limits) };
  } catch (error) {
    if (error instanceof Unreadable) return { ok: false, message: error.message };
    // fflate's errors: not a ZIP, a truncated or corrupt entry
    return { ok: false, message: `not an .xlsx workbook (${(error as Error).message ?? 'unreadable'})` };
  }
}

function readRows(bytes: Uint8Array, limits: { maxRows: number; maxColumns: number }): SheetRow[] {
  const workbookPath = relationTargets(part(bytes, '_rels/.rels', true)!, '', '/officeDocument')[0] ?? 'xl/workbook.xml';
  const workbook = part(bytes, workbookPath, true)!;
  const firstSheet = elements(workbook, 'sheet')[0];
  if (!firstSheet) throw new Unreadable('the workbook has no sheet');
  const relations = part(bytes, relationsPathOf(workbookPath), true)!;
  const sheetId = attributesOf(firstSheet.tag).id;
  const sheetPath = relationsOf(relations, dirOf(workbookPath)).find((r) => r.id === sheetId)?.target;
  if (!sheetPath) throw new Unreadable('the first sheet has no part');
  const stringsPath = relationTargets(relations, dirOf(workbookPath), '/sharedStrings')[0];
  const shared = stringsPath ? elements(part(bytes, stringsPath, true)!, 'si').map((si) => textOf(si.body)) : [];
  const sheet = part(bytes, sheetPath, true)!;

  const rows: SheetRow[] = [];
  let line = 0;
  for (const row of elements(sheet, 'row')) {
    const r = attributesOf(row.tag).r;
    line = r !== undefined ? positive(r, 'row number') : line + 1;
    const fields: string[] = [];
    let column = -1;
    for (const cell of elements(row.body, 'c')) {
      const attributes = attributesOf(cell.tag);
      column = attributes.r !== undefined ? columnOf(attributes.r) : column + 1;
      const value = cellText(cell.body, attributes.t, shared);
      if (value === '') continue;
      if (column >= limits.maxColumns) throw new Unreadable(`row ${line} has a value beyond column ${limits.maxColumns}`);
      while (fields.length < column) fields.push('');
      fields[column] = value;
    }
    if (fields.length === 0) continue;
    rows.push({ line, fields });
    if (rows.length >= limits.maxRows) break;
  }
  // cells left empty at the end of a row are not written: every row is as wide as the header
  const width = rows[0]?.fields.length ?? 0;
  for (const row of rows) while (row.fields.length < width) row.fields.push('');
  return rows;
}

/** One part of the ZIP as text; null when absent and not required. */
function part(bytes: Uint8Array, path: string, required: boolean): string | null {
  let tooLarge = false;
  const files = unzipSync(bytes, {
    filter: (file) => {
      if (file.name !== path) return false;
      if (file.originalSize > MAX_PART_BYTES) tooLarge = true;
      return !tooLarge;
    },
  });
  if (tooLarge) throw new Unreadable(`${path} is larger than ${MAX_PART_BYTES} bytes unzipped`);
  const data = files[path];
  if (!data) {
    if (required) throw new Unreadable(`not an .xlsx workbook: ${path} is missing`);
    return null;
  }
  const xml = strFromU8(data);
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw new Unreadable(`${path} declares a document type; it is not read`);
  return xml;
}

interface Element {
  /** the opening tag, attributes included */
  tag: string;
  /** what is between the opening and the closing tag ('' for an empty element) */
  body: string;
}

/**
 * The elements of a (local) name in a piece of XML, in order, whatever their namespace prefix.
 * Enough for the SpreadsheetML parts read here, where these elements do not nest in themselves.
 */
function elements(xml: string, name: string): Element[] {
  const pattern = new RegExp(`<(?:[\\w.-]+:)?${name}(?=[\\s/>])([^>]*?)(/?)>`, 'g');
  const out: Element[] = [];
  for (let m = pattern.exec(xml); m; m = pattern.exec(xml)) {
    if (m[2] === '/') {
      out.push({ tag: m[0], body: '' });
      continue;
    }
    const close = new RegExp(`</(?:[\\w.-]+:)?${name}\\s*>`, 'g');
    close.lastIndex = pattern.lastIndex;
    const end = close.exec(xml);
    if (!end) throw new Unreadable(`an unclosed <${name}> element`);
    out.push({ tag: m[0], body: xml.slice(pattern.lastIndex, end.index) });
    pattern.lastIndex = close.lastIndex;
  }
  return out;
}

/** An element's attributes by local name (`r:id` → `id`), values decoded. */
function attributesOf(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([\w.:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    out[m[1]!.split(':').pop()!] = decode(m[2] ?? m[3] ?? '');
  }
  return out;
}

/** Text of a shared or inline string: its runs' <t> joined, phonetic guides (<rPh>) left out. */
function textOf(body: string): string {
  const withoutPhonetics = body.replace(/<(?:[\w.-]+:)?rPh[\s>][\s\S]*?<\/(?:[\w.-]+:)?rPh\s*>/g, '');
  return elements(withoutPhonetics, 't')
    .map((t) => decode(t.body))
    .join('');
}

function cellText(body: string, type: string | undefined, shared: readonly string[]): string {
  if (type === 'inlineStr') {
    const inline = elements(body, 'is')[0];
    return inline ? textOf(inline.body).trim() : '';
  }
  const v = elements(body, 'v')[0];
  if (!v) return '';
  const raw = decode(v.body);
  if (type === 's') {
    const index = Number(raw);
    const text = Number.isInteger(index) ? shared[index] : undefined;
    if (text === undefined) throw new Unreadable(`a cell names shared string ${raw}, which does not exist`);
    return text.trim();
  }
  if (type === 'b') return raw === '1' ? 'TRUE' : 'FALSE';
  if (type === undefined || type === 'n') {
    // a number as the spreadsheet shows it in General format: 1.5E3 → 1500
    const n = Number(raw);
    return raw.trim() !== '' && Number.isFinite(n) ? String(n) : raw.trim();
  }
  return raw.trim(); // str (a formula's text), e (an error such as #N/A), d (an ISO date)
}

/** `_x000D_` escapes (ECMA-376 ST_Xstring) and the XML entities; anything else stays as written. */
function decode(text: string): string {
  return text
    .replace(/&(lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);|&amp;/g, (whole, name: string | undefined) => {
      if (name === undefined) return '&';
      if (name[0] === '#') {
        const code = name[1] === 'x' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
        return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
      }
      return { lt: '<', gt: '>', quot: '"', apos: "'" }[name as 'lt' | 'gt' | 'quot' | 'apos'];
    })
    .replace(/_x([0-9A-Fa-f]{4})_/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

/** Column A → 0, Z → 25, AA → 26, from a cell reference such as `AB12`. */
function columnOf(reference: string): number {
  const letters = /^([A-Za-z]{1,3})\d*$/.exec(reference)?.[1];
  if (!letters) throw new Unreadable(`a cell reference "${reference.slice(0, 12)}" is not valid`);
  let n = 0;
  for (const c of letters.toUpperCase()) n = n * 26 + (c.charCodeAt(0) - 64);
  return n - 1;
}

function positive(text: string, what: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1) throw new Unreadable(`a ${what} "${text.slice(0, 12)}" is not valid`);
  return n;
}

// ---------------------------------------------------------------------------------------------
// Relationships (Open Packaging Conventions): which part another part points to

const dirOf = (path: string) => (path.includes('/') ? path.slice(0, path.lastIndexOf('/') + 1) : '');
const relationsPathOf = (path: string) => `${dirOf(path)}_rels/${path.slice(dirOf(path).length)}.rels`;

function relationsOf(xml: string, baseDir: string): { id: string; type: string; target: string }[] {
  return elements(xml, 'Relationship').map(({ tag }) => {
    const a = attributesOf(tag);
    return { id: a.Id ?? '', type: a.Type ?? '', target: resolvePath(baseDir, a.Target ?? '') };
  });
}

const relationTargets = (xml: string, baseDir: string, typeSuffix: string) =>
  relationsOf(xml, baseDir)
    .filter((r) => r.type.endsWith(typeSuffix))
    .map((r) => r.target);

/** A relationship's target as a path inside the ZIP: absolute (`/xl/…`) or relative to the source's folder. */
function resolvePath(baseDir: string, target: string): string {
  const parts: string[] = [];
  for (const segment of (target.startsWith('/') ? target.slice(1) : baseDir + target).split('/')) {
    if (segment === '..') parts.pop();
    else if (segment !== '.' && segment !== '') parts.push(segment);
  }
  return parts.join('/');
}
