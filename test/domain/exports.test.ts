import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../domain/csv';
import { headerKey, parseImportCsv, parseImportRecords } from '../../domain/collaborator-import';
import {
  localDateTime,
  managerReportTable,
  NUMBER_FORMATS,
  payoutTable,
  staffReportTable,
  statementsTable,
  type ManagerReportRowInput,
  type StaffReportRowInput,
  type StatementRowInput,
} from '../../domain/exports';
import type { PayoutRow } from '../../domain/payouts';

const headers = (t: { columns: readonly { header: string }[] }) => t.columns.map((c) => c.header);
/** a row as header → cell */
const named = (t: { columns: readonly { header: string }[]; rows: readonly (readonly unknown[])[] }, i: number) =>
  Object.fromEntries(t.columns.map((c, j) => [c.header, t.rows[i]![j]]));

describe('instants in the business’s time zone', () => {
  it('shows an instant as the wall-clock time of the zone', () => {
    // 01:30 UTC is 08:30 in Viet Nam (UTC+7, no daylight saving)
    expect(localDateTime('2026-11-01T01:30:00.000Z', 'Asia/Ho_Chi_Minh')).toBe('2026-11-01T08:30:00');
    // 17:10 UTC on 31 Oct is already 1 November in Viet Nam
    expect(localDateTime('2026-10-31T17:10:05Z', { timeZone: 'Asia/Ho_Chi_Minh', monthEnds: [{ from: '2000-01', day: 25 }] })).toBe(
      '2026-11-01T00:10:05',
    );
    // a zone with summer time: Berlin is UTC+2 in July, UTC+1 in January
    expect(localDateTime('2026-07-01T10:00:00Z', 'Europe/Berlin')).toBe('2026-07-01T12:00:00');
    expect(localDateTime('2026-01-15T10:00:00Z', 'Europe/Berlin')).toBe('2026-01-15T11:00:00');
    expect(localDateTime(undefined, 'Asia/Ho_Chi_Minh')).toBeNull();
    expect(localDateTime('not a time', 'Asia/Ho_Chi_Minh')).toBeNull();
  });
});

describe('number formats', () => {
  it('amounts in đồng with thousands separators, rates as percentages, times day first', () => {
    expect(NUMBER_FORMATS.vnd).toBe('#,##0 "₫"');
    expect(NUMBER_FORMATS.rateBp).toBe('0.00%');
    expect(NUMBER_FORMATS.localTime).toBe('dd/mm/yyyy hh:mm');
  });
});

const lan: StaffReportRowInput = {
  userId: 'care-lan',
  name: 'Trần Thị Lan',
  managerUserId: 'mgr-mai',
  revenue: 3_500_000,
  orders: 3,
  createdOrders: 4,
  completedOrders: 2,
  voidOrders: 1,
  confirmationRateBp: 7_500,
  completionRateBp: 6_667,
  cancelRateBp: 2_500,
  totalCollaborators: 12,
  newCollaborators: 2,
  activeCollaborators: 5,
};

describe('BC Nhân viên as a sheet', () => {
  it('one row per care staff, Vietnamese headers, amounts and counts as numbers, rates in basis points', () => {
    const t = staffReportTable({ period: '2026-10', items: [lan] });
    expect(t.fileName).toBe('bao-cao-nhan-vien-2026-10');
    expect(t.sheet).toBe('BC Nhân viên 2026-10');
    expect(headers(t)).toEqual([
      'Kỳ',
      'Nhân viên chăm sóc',
      'Mã nhân viên',
      'Mã quản lý',
      'Doanh thu',
      'Đơn đã duyệt',
      'Đơn tạo trong kỳ',
      'Đơn hoàn thành',
      'Đơn huỷ',
      'Tỷ lệ xác nhận',
      'Tỷ lệ hoàn thành',
      'Tỷ lệ huỷ',
      'Tổng CTV',
      'CTV mới',
      'CTV hoạt động',
    ]);
    expect(t.rows).toEqual([['2026-10', 'Trần Thị Lan', 'care-lan', 'mgr-mai', 3_500_000, 3, 4, 2, 1, 7_500, 6_667, 2_500, 12, 2, 5]]);
    expect(t.columns.find((c) => c.header === 'Doanh thu')!.kind).toBe('vnd');
    expect(t.columns.find((c) => c.header === 'Tỷ lệ huỷ')!.kind).toBe('rateBp');
  });

  it('a week or a quarter names the file and sheet too', () => {
    expect(staffReportTable({ period: '2026-W40', items: [] })).toMatchObject({ fileName: 'bao-cao-nhan-vien-2026-W40', rows: [] });
  });
});

describe('BC Quản lý as a sheet', () => {
  const report: { period: string; items: ManagerReportRowInput[] } = {
    period: '2026-10',
    items: [
      {
        managerUserId: 'mgr-mai',
        name: 'Lê Thị Mai',
        period: '2026-10',
        careStaff: [
          {
            ...lan,
            kpi: {
              planId: 'PLAN1',
              planVersion: 2,
              scoreBp: 11_000,
              award: 10_000,
              conditions: [
                { indicator: 'revenue', actual: 1_200_000, target: 1_000_000, achievementBp: 12_000, holds: true },
                { indicator: 'cancel_rate', actual: 2_500, target: 1_000, achievementBp: 4_000, holds: false },
              ],
            },
          },
          { ...lan, userId: 'care-duc', name: 'Phạm Văn Đức', revenue: 0, kpi: null },
        ],
        network: { totalCollaborators: 24, newCollaborators: 4, activeCollaborators: 10 },
        revenue: 3_500_000,
        orders: 6,
        commissionOwed: 350_000,
        csat: { ratings: 8, positive: 6, percentBp: 7_500, coefficient: 0.9, flagged: false },
      },
    ],
  };

  it('the team’s row first (its totals, commission owed, CSAT), then each care staff with KPI progress', () => {
    const t = managerReportTable(report);
    expect(t.fileName).toBe('bao-cao-quan-ly-2026-10');
    expect(t.rows).toHaveLength(3);
    expect(named(t, 0)).toMatchObject({
      'Quản lý': 'Lê Thị Mai',
      'Nhân viên chăm sóc': 'Cả nhóm',
      'Doanh thu': 3_500_000,
      'Đơn đã duyệt': 6,
      'Tổng CTV': 24,
      'CTV mới': 4,
      'CTV hoạt động': 10,
      'Hoa hồng phải trả': 350_000,
      'Lượt đánh giá': 8,
      'Đánh giá 4–5★': 6,
      CSAT: 7_500,
      'Hệ số CSAT': 0.9,
      'Dưới số lượt tối thiểu': 'Không',
      'Điểm KPI': null,
    });
    expect(named(t, 1)).toMatchObject({
      'Quản lý': 'Lê Thị Mai',
      'Nhân viên chăm sóc': 'Trần Thị Lan',
      'Mã nhân viên': 'care-lan',
      'Doanh thu': 3_500_000,
      'Kế hoạch KPI': 'PLAN1 (v2)',
      'Điểm KPI': 11_000,
      'Thưởng KPI': 10_000,
      'Chỉ tiêu KPI': 'Doanh thu 1.200.000 / 1.000.000 (120%) ✓; Tỷ lệ huỷ 25% / 10% (40%) ✗',
      'Hoa hồng phải trả': null,
    });
    expect(named(t, 2)).toMatchObject({
      'Nhân viên chăm sóc': 'Phạm Văn Đức',
      'Doanh thu': 0,
      'Kế hoạch KPI': null,
      'Điểm KPI': null,
      'Chỉ tiêu KPI': null,
    });
    // every row as wide as the header
    for (const row of t.rows) expect(row).toHaveLength(t.columns.length);
  });

  it('a week has no commission figure: the cell is empty, not 0', () => {
    const week = managerReportTable({ period: '2026-W40', items: [{ ...report.items[0]!, period: '2026-W40', commissionOwed: null }] });
    expect(named(week, 0)['Hoa hồng phải trả']).toBeNull();
  });
});

describe('statements as a sheet', () => {
  const hoa: StatementRowInput = {
    collaboratorId: '01JCTVHOA',
    collaborator: { name: 'Nguyễn Thị Hoa', refId: 'HOA7K2MX' },
    periodId: '2026-10',
    status: 'approved',
    byKind: {
      basic: 70_000,
      advanced: 0,
      addOn: 0,
      repurchase: 0,
      incurred: 0,
      referral: 450_000,
      award: 0,
      boost: 0,
      platformFee: 0,
      adjustment: 0,
      clawback: 0,
    },
    total: 520_000,
    lineCount: 2,
    pendingCount: 1,
    pendingTotal: 250_000,
    broughtForward: 0,
    broughtForwardFrom: null,
    balance: 520_000,
    openDisputes: 0,
    createdAt: '2026-10-31T19:00:00.000Z',
    approvedAt: '2026-11-02T02:15:00.000Z',
    approvedBy: 'owner-1',
  };

  it('one row per CTV: the status in Vietnamese, each kind’s amount, times in the business’s zone', () => {
    const t = statementsTable('2026-10', [hoa], 'Asia/Ho_Chi_Minh');
    expect(t.fileName).toBe('bang-ke-hoa-hong-2026-10');
    expect(named(t, 0)).toMatchObject({
      Kỳ: '2026-10',
      'Mã CTV': 'HOA7K2MX',
      'Họ và tên': 'Nguyễn Thị Hoa',
      'Trạng thái': 'Đã duyệt',
      'CK cơ bản': 70_000,
      'Giới thiệu (REF)': 450_000,
      'Thu hồi': 0,
      'Tổng kỳ này': 520_000,
      'Số dư': 520_000,
      'Chờ đến hạn': 250_000,
      'Từ kỳ': null,
      // 19:00 UTC on 31 October is 02:00 on 1 November in Viet Nam
      'Lập lúc': '2026-11-01T02:00:00',
      'Duyệt lúc': '2026-11-02T09:15:00',
      'Người duyệt': 'owner-1',
      'Chi trả lúc': null,
    });
    expect(t.columns.find((c) => c.header === 'Lập lúc')!.kind).toBe('localTime');
    // the eleven ledger kinds, in the order of API.md's byKind, between the status and the total
    const h = headers(t);
    expect(h.slice(h.indexOf('Trạng thái') + 1, h.indexOf('Tổng kỳ này'))).toHaveLength(11);
  });
});

describe('the payout file as a sheet', () => {
  const hoa: PayoutRow = {
    refId: 'HOA7K2MX',
    name: 'Nguyễn Thị Hoa',
    phone: '+84912345678',
    bank: { bin: '970436', bankName: 'Vietcombank', accountNumber: '0011001234567', accountName: 'NGUYEN THI HOA' },
    amount: 520_000,
    periodId: '2026-10',
  };

  it('the CSV’s columns; the phone and account as text (leading zeros), the amount as a number', () => {
    const t = payoutTable({ id: '01JBATCH', periodId: '2026-10' }, [
      hoa,
      { ...hoa, refId: 'BINH2345', name: 'Trần Văn Bình', amount: 1_800_000 },
    ]);
    expect(t.fileName).toBe('chi-tra-hoa-hong-2026-10-01JBATCH');
    expect(headers(t)).toEqual([
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
    expect(t.rows[0]!.slice(0, 9)).toEqual([
      1,
      'HOA7K2MX',
      'Nguyễn Thị Hoa',
      '0912345678',
      'Vietcombank',
      '0011001234567',
      'NGUYEN THI HOA',
      520_000,
      'HOA HONG 2026-10 HOA7K2MX',
    ]);
    expect(t.rows[1]![0]).toBe(2);
    expect(t.rows[1]![7]).toBe(1_800_000);
    expect(String(t.rows[0]![9]).startsWith('000201')).toBe(true);
    expect(t.columns.map((c) => c.kind)).toEqual(['count', 'text', 'text', 'text', 'text', 'text', 'text', 'vnd', 'text', 'text']);
  });

  it('refuses an amount that is not a positive whole number of đồng', () => {
    expect(() => payoutTable({ id: 'B', periodId: '2026-10' }, [{ ...hoa, amount: 0 }])).toThrow(RangeError);
    expect(() => payoutTable({ id: 'B', periodId: '2026-10' }, [{ ...hoa, amount: 1.5 }])).toThrow(RangeError);
  });
});

describe('the CTV import’s Vietnamese headers', () => {
  it('compares headers without case, diacritics, spaces or punctuation', () => {
    expect(headerKey('Số điện thoại')).toBe('sodienthoai');
    expect(headerKey('SO DIEN THOAI')).toBe('sodienthoai');
    expect(headerKey(' Họ  tên ')).toBe('hoten');
    expect(headerKey('Mã giới thiệu')).toBe('magioithieu');
    expect(headerKey('REF_ID')).toBe('refid');
  });

  it('takes every column by its Vietnamese header', () => {
    const csv = [
      'Họ tên,Số điện thoại,Email,Cấp,Nhân viên chăm sóc,Mã giới thiệu',
      'Nguyễn Thị Hoa,0912345678,hoa@example.vn,2,care-a,hoa23456',
    ].join('\n');
    const { rows, problems } = parseImportCsv(csv);
    expect(problems).toEqual([]);
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
  });

  it('whatever their case and diacritics, and the other usual names (Họ và tên, SĐT, REF)', () => {
    const { rows, problems } = parseImportCsv('HO VA TEN,sđt,REF\nLê Thị Cúc,0987654321,HOA23456\n');
    expect(problems).toEqual([]);
    expect(rows).toEqual([{ line: 2, name: 'Lê Thị Cúc', phone: '+84987654321', level: 1, referrerRefId: 'HOA23456' }]);
  });

  it('a column named twice, once in each language, is a problem; an unknown one lists the Vietnamese names', () => {
    const { problems } = parseImportCsv('name,Họ tên,Số điện thoại,Ghi chú\nA,B,0912345678,x\n');
    expect(problems.map((p) => p.reason)).toEqual([
      expect.stringMatching(/"name" appears twice/),
      expect.stringMatching(/unknown column "Ghi chú".*phone \(Số điện thoại\)/),
    ]);
  });

  it('reads a CSV saved by Excel under Vietnamese regional settings (semicolons)', () => {
    const { rows, problems } = parseImportCsv('\uFEFFHọ tên;Số điện thoại;Email\r\n"Trần, Văn Bình";0912345678;\r\n');
    expect(problems).toEqual([]);
    expect(rows).toEqual([{ line: 2, name: 'Trần, Văn Bình', phone: '+84912345678', level: 1 }]);
  });

  it('in a workbook, a phone typed as a number (its leading 0 lost) is read with it; in a CSV it is taken as written', () => {
    const records = [
      { line: 1, fields: ['Họ tên', 'Số điện thoại'] },
      { line: 3, fields: ['Hoa', '912345678'] },
    ];
    expect(parseImportRecords(records, { spreadsheet: true }).rows).toEqual([{ line: 3, name: 'Hoa', phone: '+84912345678', level: 1 }]);
    expect(parseImportCsv('Họ tên,Số điện thoại\nHoa,912345678\n').problems.map((p) => p.field)).toEqual(['phone']);
    // a problem of the file as a whole names the workbook
    expect(parseImportRecords([records[0]!], { spreadsheet: true }).problems).toEqual([
      { line: 1, field: 'xlsx', reason: 'no rows under the header' },
    ]);
    const parsed = parseCsv('a;b\n1;2', ';');
    expect(parsed.ok && parsed.records.map((r) => r.fields)).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });
});
