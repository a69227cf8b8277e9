import * as z from 'zod';
import { LEDGER_KINDS, type LedgerKind } from './commission/lines';
import type { Indicator } from './kpi/indicators';
import { localPhone, PAYOUT_CSV_HEADER, payoutVietQr, transferNote, type PayoutRow } from './payouts';
import { zoneOffsetMs, type Zone } from './period';
import type { StatementState, StatementView } from './statements';

/**
 * Spreadsheet exports (`?format=xlsx`): the same content as the JSON or CSV answer, as one table a
 * writer turns into a workbook (functions/services/xlsx.ts). Here only what the table holds:
 * Vietnamese headers, one row per item, each column of a kind that decides how its cells are
 * stored and shown. Amounts stay integer VND (numbers, formatted `#,##0 "₫"`), rates stay basis
 * points (the writer shows them as percentages), instants become the business's wall-clock time.
 */

export type ColumnKind =
  /** shown as written (names, ids, phones and account numbers keep their leading zeros) */
  | 'text'
  /** integer VND */
  | 'vnd'
  /** a whole number of things */
  | 'count'
  /** basis points, shown as a percentage */
  | 'rateBp'
  /** a decimal factor (CSAT coefficient) */
  | 'decimal'
  /** the business's wall-clock time, `YYYY-MM-DDTHH:mm:ss` (from `localDateTime`) */
  | 'localTime';

export interface ExportColumn {
  header: string;
  kind: ColumnKind;
  /** characters */
  width: number;
}

/** A cell: text for `text` and `localTime` columns, a number for the others; null is empty. */
export type ExportCell = string | number | null;

export interface ExportTable {
  /** the sheet's name: at most 31 characters, none of []:*?/\ */
  sheet: string;
  /** the download's name without its extension: ASCII letters, digits and dashes */
  fileName: string;
  columns: readonly ExportColumn[];
  rows: readonly (readonly ExportCell[])[];
}

export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const XLSX_DESCRIPTION =
  'an Excel workbook (.xlsx) of the same content: one sheet, Vietnamese headers, amounts as numbers formatted #,##0 ₫, times in the business’s time zone';
/** `?format=` of a JSON answer that can also be a workbook */
export const JsonOrXlsx = z
  .enum(['json', 'xlsx'])
  .default('json')
  .meta({ description: `json, or xlsx: ${XLSX_DESCRIPTION}` });
/** `?format=` of a CSV answer that can also be a workbook */
export const CsvOrXlsx = z
  .enum(['csv', 'xlsx'])
  .default('csv')
  .meta({ description: `csv, or xlsx: ${XLSX_DESCRIPTION}` });

/**
 * Excel number formats by column kind. The đồng sign is quoted: a literal character in a format
 * code (ECMA-376 §18.8.31), displayed `1,250,000 ₫` (or `1.250.000 ₫` under Vietnamese settings).
 */
export const NUMBER_FORMATS: Readonly<Record<Exclude<ColumnKind, 'text'>, string>> = {
  vnd: '#,##0 "₫"',
  count: '#,##0',
  rateBp: '0.00%',
  decimal: '0.00',
  localTime: 'dd/mm/yyyy hh:mm',
};

/** An ISO instant as the wall-clock time of the zone, `YYYY-MM-DDTHH:mm:ss`; null when absent or not an instant. */
export function localDateTime(iso: string | null | undefined, zone: Zone): string | null {
  if (!iso) return null;
  const instant = Date.parse(iso);
  if (Number.isNaN(instant)) return null;
  return new Date(instant + zoneOffsetMs(instant, zone)).toISOString().slice(0, 19);
}

const column = (header: string, kind: ColumnKind, width = kind === 'text' ? 18 : 14): ExportColumn => ({ header, kind, width });

/** A sheet name Excel accepts: the forbidden characters dropped, at most 31 characters. */
const sheetName = (name: string) => name.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31);
/** A file name safe in a Content-Disposition header: ASCII letters, digits, dots and dashes. */
const fileName = (...parts: string[]) => parts.join('-').replace(/[^A-Za-z0-9.-]+/g, '-');

// ---------------------------------------------------------------------------------------------
// BC Nhân viên, BC Quản lý

export interface StaffReportRowInput {
  userId: string;
  name: string;
  managerUserId: string | null;
  revenue: number;
  orders: number;
  createdOrders: number;
  completedOrders: number;
  voidOrders: number;
  confirmationRateBp: number;
  completionRateBp: number;
  cancelRateBp: number;
  totalCollaborators: number;
  newCollaborators: number;
  activeCollaborators: number;
}

/** The 11 indicator columns of a care staff row, in both reports; `indicatorCells` fills them. */
const INDICATOR_COLUMNS = [
  column('Doanh thu', 'vnd', 16),
  column('Đơn đã duyệt', 'count'),
  column('Đơn tạo trong kỳ', 'count'),
  column('Đơn hoàn thành', 'count'),
  column('Đơn huỷ', 'count'),
  column('Tỷ lệ xác nhận', 'rateBp'),
  column('Tỷ lệ hoàn thành', 'rateBp'),
  column('Tỷ lệ huỷ', 'rateBp'),
  column('Tổng CTV', 'count'),
  column('CTV mới', 'count'),
  column('CTV hoạt động', 'count'),
];

/** A care staff's cells under INDICATOR_COLUMNS, in their order. */
const indicatorCells = (r: StaffReportRowInput): ExportCell[] => [
  r.revenue,
  r.orders,
  r.createdOrders,
  r.completedOrders,
  r.voidOrders,
  r.confirmationRateBp,
  r.completionRateBp,
  r.cancelRateBp,
  r.totalCollaborators,
  r.newCollaborators,
  r.activeCollaborators,
];

const STAFF_COLUMNS = [
  column('Kỳ', 'text', 10),
  column('Nhân viên chăm sóc', 'text', 24),
  column('Mã nhân viên', 'text'),
  column('Mã quản lý', 'text'),
  ...INDICATOR_COLUMNS,
];

/** BC Nhân viên: one row per care staff of the page. */
export function staffReportTable(report: { period: string; items: readonly StaffReportRowInput[] }): ExportTable {
  return {
    sheet: sheetName(`BC Nhân viên ${report.period}`),
    fileName: fileName('bao-cao-nhan-vien', report.period),
    columns: STAFF_COLUMNS,
    rows: report.items.map((r) => [report.period, r.name, r.userId, r.managerUserId, ...indicatorCells(r)]),
  };
}

export const INDICATOR_LABELS: Readonly<Record<Indicator, string>> = {
  revenue: 'Doanh thu',
  revenue_above_target: 'Doanh thu vượt chỉ tiêu',
  orders: 'Số đơn',
  confirmation_rate: 'Tỷ lệ xác nhận',
  completion_rate: 'Tỷ lệ hoàn thành',
  cancel_rate: 'Tỷ lệ huỷ',
  total_collaborators: 'Tổng CTV',
  new_collaborators: 'CTV mới',
  active_collaborators: 'CTV hoạt động',
};

export interface ManagerReportRowInput {
  managerUserId: string;
  name: string;
  period: string;
  careStaff: readonly (StaffReportRowInput & {
    kpi: {
      planId: string;
      planVersion: number;
      scoreBp: number;
      award: number;
      conditions: readonly { indicator: string; actual: number; target: number; achievementBp: number; holds: boolean }[];
    } | null;
  })[];
  network: { totalCollaborators: number; newCollaborators: number; activeCollaborators: number };
  revenue: number;
  orders: number;
  commissionOwed: number | null;
  csat: { ratings: number; positive: number; percentBp: number; coefficient: number; flagged: boolean };
}

const MANAGER_COLUMNS = [
  column('Kỳ', 'text', 10),
  column('Quản lý', 'text', 24),
  column('Mã quản lý', 'text'),
  column('Nhân viên chăm sóc', 'text', 24),
  column('Mã nhân viên', 'text'),
  ...INDICATOR_COLUMNS,
  column('Kế hoạch KPI', 'text'),
  column('Điểm KPI', 'rateBp'),
  column('Thưởng KPI', 'vnd', 16),
  column('Chỉ tiêu KPI', 'text', 48),
  column('Hoa hồng phải trả', 'vnd', 16),
  column('Lượt đánh giá', 'count'),
  column('Đánh giá 4–5★', 'count'),
  column('CSAT', 'rateBp'),
  column('Hệ số CSAT', 'decimal'),
  column('Dưới số lượt tối thiểu', 'text', 12),
];

/** The team row's label in the care staff column: the manager's totals. */
export const TEAM_TOTAL = 'Cả nhóm';

const grouped = (n: number) => n.toLocaleString('vi-VN');
/** A KPI condition as one readable phrase: "Doanh thu 1.200.000 / 1.000.000 (120%) ✓". */
function conditionText(c: { indicator: string; actual: number; target: number; achievementBp: number; holds: boolean }): string {
  const label = INDICATOR_LABELS[c.indicator as Indicator] ?? c.indicator;
  const rate = c.indicator.endsWith('_rate');
  const value = (n: number) => (rate ? `${grouped(n / 100)}%` : grouped(n));
  return `${label} ${value(c.actual)} / ${value(c.target)} (${grouped(c.achievementBp / 100)}%) ${c.holds ? '✓' : '✗'}`;
}

/**
 * BC Quản lý: per manager of the page, the team's row (`Cả nhóm`: revenue, orders, the network,
 * commission owed, CSAT) followed by one row per care staff (their numbers and KPI progress).
 */
export function managerReportTable(report: { period: string; items: readonly ManagerReportRowInput[] }): ExportTable {
  const rows: ExportCell[][] = [];
  for (const m of report.items) {
    const head = [m.period, m.name, m.managerUserId];
    rows.push([
      ...head,
      TEAM_TOTAL,
      null,
      m.revenue,
      m.orders,
      null,
      null,
      null,
      null,
      null,
      null,
      m.network.totalCollaborators,
      m.network.newCollaborators,
      m.network.activeCollaborators,
      null,
      null,
      null,
      null,
      m.commissionOwed,
      m.csat.ratings,
      m.csat.positive,
      m.csat.percentBp,
      m.csat.coefficient,
      m.csat.flagged ? 'Có' : 'Không',
    ]);
    for (const s of m.careStaff) {
      rows.push([
        ...head,
        s.name,
        s.userId,
        ...indicatorCells(s),
        s.kpi ? `${s.kpi.planId} (v${s.kpi.planVersion})` : null,
        s.kpi?.scoreBp ?? null,
        s.kpi?.award ?? null,
        s.kpi ? s.kpi.conditions.map(conditionText).join('; ') : null,
        null,
        null,
        null,
        null,
        null,
        null,
      ]);
    }
  }
  return {
    sheet: sheetName(`BC Quản lý ${report.period}`),
    fileName: fileName('bao-cao-quan-ly', report.period),
    columns: MANAGER_COLUMNS,
    rows,
  };
}

// ---------------------------------------------------------------------------------------------
// Statements

export const STATEMENT_STATE_LABELS: Readonly<Record<StatementState, string>> = {
  draft: 'Chờ duyệt',
  approved: 'Đã duyệt',
  batched: 'Đang chi trả',
  paid: 'Đã chi trả',
  carried: 'Chuyển kỳ sau',
};

/** The ledger kinds as the statement columns name them (DOMAIN.md "Commission rules"). */
export const LEDGER_KIND_LABELS: Readonly<Record<LedgerKind, string>> = {
  basic: 'CK cơ bản',
  advanced: 'CK nâng cao',
  addOn: 'CK bán kèm',
  repurchase: 'CK tái mua',
  incurred: 'Phát sinh',
  referral: 'Giới thiệu (REF)',
  award: 'Thưởng kỳ',
  boost: 'CK tăng cường',
  platformFee: 'Phí nền tảng',
  adjustment: 'Điều chỉnh',
  clawback: 'Thu hồi',
};

/** A statement as the list answers it (StatementView), without its lines: one row. */
export type StatementRowInput = Omit<z.infer<typeof StatementView>, 'tenantId' | 'version' | 'lines' | 'pending'>;

const STATEMENT_COLUMNS = [
  column('Kỳ', 'text', 10),
  column('Mã CTV', 'text', 12),
  column('Họ và tên', 'text', 24),
  column('ID CTV', 'text', 28),
  column('Trạng thái', 'text', 14),
  ...LEDGER_KINDS.map((k) => column(LEDGER_KIND_LABELS[k], 'vnd')),
  column('Tổng kỳ này', 'vnd', 16),
  column('Số dòng', 'count', 10),
  column('Chuyển từ kỳ trước', 'vnd', 16),
  column('Từ kỳ', 'text', 10),
  column('Số dư', 'vnd', 16),
  column('Chờ đến hạn', 'vnd', 16),
  column('Số dòng chờ', 'count', 10),
  column('Khiếu nại đang mở', 'count', 10),
  column('Lập lúc', 'localTime', 17),
  column('Duyệt lúc', 'localTime', 17),
  column('Người duyệt', 'text'),
  column('Lô chi trả', 'text', 28),
  column('Chi trả lúc', 'localTime', 17),
  column('Chuyển sang kỳ', 'text', 10),
];

/** A month's statements (the page asked for): one row per CTV, instants in the business's zone. */
export function statementsTable(period: string, items: readonly StatementRowInput[], zone: Zone): ExportTable {
  return {
    sheet: sheetName(`Bảng kê ${period}`),
    fileName: fileName('bang-ke-hoa-hong', period),
    columns: STATEMENT_COLUMNS,
    rows: items.map((s) => [
      s.periodId,
      s.collaborator.refId,
      s.collaborator.name,
      s.collaboratorId,
      STATEMENT_STATE_LABELS[s.status],
      ...LEDGER_KINDS.map((k) => s.byKind[k] ?? 0),
      s.total,
      s.lineCount,
      s.broughtForward,
      s.broughtForwardFrom,
      s.balance,
      s.pendingTotal,
      s.pendingCount,
      s.openDisputes,
      localDateTime(s.createdAt, zone),
      localDateTime(s.approvedAt, zone),
      s.approvedBy ?? null,
      s.batchId ?? null,
      localDateTime(s.paidAt, zone),
      s.carriedTo ?? null,
    ]),
  };
}

// ---------------------------------------------------------------------------------------------
// The payout transfer file

const PAYOUT_KINDS: readonly ColumnKind[] = ['count', 'text', 'text', 'text', 'text', 'text', 'text', 'vnd', 'text', 'text'];
const PAYOUT_WIDTHS = [6, 12, 24, 13, 16, 18, 22, 16, 26, 40];

/** The bank-transfer file as a sheet: the CSV's columns and rows (domain/payouts.ts), amounts as numbers. */
export function payoutTable(batch: { id: string; periodId: string }, rows: readonly PayoutRow[]): ExportTable {
  return {
    sheet: sheetName(`Chi trả ${batch.periodId}`),
    fileName: fileName('chi-tra-hoa-hong', batch.periodId, batch.id),
    columns: PAYOUT_CSV_HEADER.map((header, i) => column(header, PAYOUT_KINDS[i]!, PAYOUT_WIDTHS[i])),
    rows: rows.map((r, i) => {
      if (!Number.isSafeInteger(r.amount) || r.amount <= 0) throw new RangeError(`row ${i + 1}: a payout is a positive whole VND amount`);
      return [
        i + 1,
        r.refId,
        r.name,
        localPhone(r.phone),
        r.bank.bankName,
        r.bank.accountNumber,
        r.bank.accountName,
        r.amount,
        transferNote(r.periodId, r.refId),
        payoutVietQr(r),
      ];
    }),
  };
}
