import writeXlsxFile, { type Cell, type Row } from 'write-excel-file/node';
import { NUMBER_FORMATS, XLSX_MEDIA_TYPE, type ExportCell, type ExportColumn, type ExportTable } from '../../domain/exports';

/**
 * An export table (domain/exports.ts) as an Excel workbook: one sheet, the header row bold and
 * frozen, each column's cells stored by its kind. write-excel-file (its one dependency is fflate)
 * builds the file in memory.
 */
export async function xlsxOf(table: ExportTable): Promise<Uint8Array> {
  const header: Row = table.columns.map((c) => ({ value: c.header, fontWeight: 'bold' }));
  const rows: Row[] = table.rows.map((row) => table.columns.map((c, i) => cellOf(c, row[i] ?? null)));
  return writeXlsxFile([header, ...rows], {
    sheet: table.sheet,
    stickyRowsCount: 1,
    columns: table.columns.map((c) => ({ width: c.width })),
  }).toBuffer();
}

function cellOf(column: ExportColumn, value: ExportCell): Cell {
  if (value === null) return null;
  if (column.kind === 'text') return { value: String(value), type: String };
  if (column.kind === 'localTime') {
    // the library counts a Date's UTC fields; the wall-clock time as UTC is stored as Excel keeps times, zoneless
    const [y, mo, d, h, mi, s] = String(value).split(/[-T:]/).map(Number) as [number, number, number, number, number, number];
    return { value: new Date(Date.UTC(y, mo - 1, d, h, mi, s)), type: Date, format: NUMBER_FORMATS.localTime };
  }
  const n = Number(value);
  // basis points as the fraction Excel's percent format multiplies by 100 (display only: the money path stays integer)
  return { value: column.kind === 'rateBp' ? n / 10_000 : n, type: Number, format: NUMBER_FORMATS[column.kind] };
}

/** A file to download: its bytes, media type and name. */
export interface ExportFile {
  bytes: Uint8Array;
  mediaType: string;
  fileName: string;
}

export async function workbookOf(table: ExportTable): Promise<ExportFile> {
  return { bytes: await xlsxOf(table), mediaType: XLSX_MEDIA_TYPE, fileName: `${table.fileName}.xlsx` };
}
