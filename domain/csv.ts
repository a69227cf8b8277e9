/**
 * CSV as spreadsheets write it (RFC 4180): comma-separated (or semicolon-separated, as Excel saves
 * it under Vietnamese regional settings, whose list separator is `;`), fields optionally in double quotes,
 * `""` for a quote inside quotes, line breaks inside quoted fields, CRLF or LF, an optional UTF-8
 * byte order mark. Each record carries the line number it starts on (1 = the header), so a report
 * can point at the line the user sees in their editor.
 */
export interface CsvRecord {
  line: number;
  fields: string[];
}

export type CsvResult = { ok: true; records: CsvRecord[] } | { ok: false; line: number; message: string };

export const stripBom = (text: string) => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

export function parseCsv(input: string, separator: ',' | ';' = ','): CsvResult {
  const text = stripBom(input);
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let inQuotes = false;
  let quotedField = false;
  let quoteLine = 1;

  const endRecord = () => {
    fields.push(field);
    // a blank line is not a record
    if (!(fields.length === 1 && fields[0] === '' && !quotedField)) records.push({ line: recordLine, fields });
    fields = [];
    field = '';
    quotedField = false;
  };

  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          inQuotes = false;
        }
      } else {
        if (c === '\n') line++;
        field += c;
      }
      continue;
    }
    if (c === '"') {
      if (field.trim() !== '') return { ok: false, line, message: 'a quote in the middle of an unquoted field' };
      field = '';
      inQuotes = true;
      quotedField = true;
      quoteLine = line;
    } else if (c === separator) {
      fields.push(field);
      field = '';
      quotedField = false;
    } else if (c === '\r' || c === '\n') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else if (quotedField) {
      if (c !== ' ' && c !== '\t') return { ok: false, line, message: 'text after a closing quote' };
    } else {
      field += c;
    }
  }
  if (inQuotes) return { ok: false, line: quoteLine, message: 'a quoted field is not closed' };
  if (field !== '' || fields.length > 0 || quotedField) endRecord();
  return { ok: true, records };
}

/**
 * The separator a file's first line uses: `;` when it has more semicolons than commas (Excel under
 * Vietnamese regional settings), else `,`. A header naming known columns has no other reason to
 * hold either.
 */
export function separatorOf(input: string): ',' | ';' {
  const first = stripBom(input).split(/\r?\n/, 1)[0] ?? '';
  const count = (c: string) => first.split(c).length - 1;
  return count(';') > count(',') ? ';' : ',';
}
