/**
 * Payout batches (DOMAIN.md "Periods, snapshots and payouts"), pure: which statements are paid, and
 * the bank-transfer file.
 *
 * A batch takes the approved statements of one month whose balance reaches the business's minimum
 * payout (and is positive) and whose CTV has bank details. Everything else stays where it is and
 * carries over at the next close: a balance below the minimum, a negative balance (a debt, set
 * against later earnings), a statement not yet approved, a CTV without a bank account.
 *
 * The export is CSV in UTF-8 with a byte order mark and CRLF line ends, which Excel opens with the
 * Vietnamese names intact. Account numbers and phones are written as ="…" so Excel keeps their
 * leading zeros; free text that a spreadsheet would run as a formula is prefixed with '. Fields are
 * separated by commas, or by semicolons for Excel with Vietnamese regional settings (its list
 * separator is ";"). Each line carries the VietQR payload of its transfer when the CTV's bank is
 * named by BIN, so the owner can pay it by scanning.
 */
import * as z from 'zod';
import type { BankAccount } from './banks';
import { sumVnd, type Vnd } from './money';
import { isoDateTime } from './text';
import type { StatementState } from './statements';
import { bankTransferText, VIETQR_NOTE_MAX, vietQrCanPay, vietQrPayload } from './vietqr';

/** A CTV's bank account as a payout freezes it (`bin` absent on accounts saved before banks were named by BIN). */
export type BankDetails = BankAccount;

export interface PayoutCandidate {
  collaboratorId: string;
  periodId: string;
  status: StatementState;
  balance: Vnd;
  bank: BankDetails | null;
}

export type SkipReason = 'not_approved' | 'below_minimum' | 'negative_balance' | 'no_bank_account' | 'not_payable';

export interface PayoutSelection<T extends PayoutCandidate> {
  include: T[];
  skipped: { statement: T; reason: SkipReason }[];
  total: Vnd;
}

/** The statements a batch pays, and why each other one is left for a later close. */
export function selectPayouts<T extends PayoutCandidate>(statements: readonly T[], minimumPayout: Vnd): PayoutSelection<T> {
  if (!Number.isSafeInteger(minimumPayout) || minimumPayout < 0) throw new RangeError('minimumPayout is a whole VND amount ≥ 0');
  const include: T[] = [];
  const skipped: { statement: T; reason: SkipReason }[] = [];
  for (const s of statements) {
    if (s.status === 'draft') skipped.push({ statement: s, reason: 'not_approved' });
    else if (s.status !== 'approved') skipped.push({ statement: s, reason: 'not_payable' });
    else if (s.balance < 0) skipped.push({ statement: s, reason: 'negative_balance' });
    else if (s.balance === 0 || s.balance < minimumPayout) skipped.push({ statement: s, reason: 'below_minimum' });
    else if (!s.bank) skipped.push({ statement: s, reason: 'no_bank_account' });
    else include.push(s);
  }
  include.sort((a, b) => (a.collaboratorId < b.collaboratorId ? -1 : a.collaboratorId > b.collaboratorId ? 1 : 0));
  return { include, skipped, total: sumVnd(include.map((s) => s.balance)) };
}

// ---------------------------------------------------------------------------------------------
// CSV

export interface PayoutRow {
  refId: string;
  name: string;
  /** +84… as stored */
  phone: string;
  bank: BankDetails;
  amount: Vnd;
  periodId: string;
}

export const BOM = '\uFEFF';
export const PAYOUT_CSV_HEADER = [
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
] as const;

/** A phone as Vietnamese people write it: +84912345678 → 0912345678. */
export function localPhone(phone: string): string {
  return phone.startsWith('+84') ? `0${phone.slice(3)}` : phone;
}

/** Vietnamese without diacritics, upper-case: what bank transfer descriptions accept everywhere. */
export function asciiUpper(s: string): string {
  return bankTransferText(s).toUpperCase();
}

/** The transfer description: "HOA HONG 2026-10 HOA7K2MX". */
export const transferNote = (periodId: string, refId: string) => asciiUpper(`Hoa hong ${periodId} ${refId}`);

/**
 * The note of a line's VietQR code: the transfer description above when it fits the 25 characters
 * a VietQR note has (it does for every REF ID made here: 8 characters), else "CTV 2026-10 <REF ID>",
 * which fits any REF ID (at most 12 characters).
 */
export function vietQrTransferNote(periodId: string, refId: string): string {
  const note = transferNote(periodId, refId);
  return note.length <= VIETQR_NOTE_MAX ? note : asciiUpper(`CTV ${periodId} ${refId}`);
}

/** One CSV field: quoted when needed (for either separator); text a spreadsheet would evaluate is neutralised with '. */
export function csvField(value: string | number): string {
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",;\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Digits that must stay text in Excel (leading zeros, no scientific notation). */
const excelText = (digits: string) => `"=""${digits.replace(/"/g, '')}"""`;

/** The VietQR payload of a line, or '' when its bank has no BIN (an account saved before BINs) or the account cannot be named in one. */
export function payoutVietQr(r: PayoutRow): string {
  const { bin, accountNumber } = r.bank;
  if (bin === undefined || !vietQrCanPay(bin, accountNumber)) return '';
  return vietQrPayload({ bin, accountNumber, amount: r.amount, note: vietQrTransferNote(r.periodId, r.refId) });
}

/** `,` (the default) or `;`, the list separator of Excel with Vietnamese regional settings. */
export type CsvSeparator = ',' | ';';

/** The bank-transfer file of a batch: UTF-8 with BOM, CRLF, one row per CTV, in the given order. */
export function payoutCsv(rows: readonly PayoutRow[], separator: CsvSeparator = ','): string {
  const out: string[] = [PAYOUT_CSV_HEADER.map(csvField).join(separator)];
  rows.forEach((r, i) => {
    if (!Number.isSafeInteger(r.amount) || r.amount <= 0) throw new RangeError(`row ${i + 1}: a payout is a positive whole VND amount`);
    out.push(
      [
        csvField(i + 1),
        csvField(r.refId),
        csvField(r.name),
        excelText(localPhone(r.phone)),
        csvField(r.bank.bankName),
        excelText(r.bank.accountNumber),
        csvField(r.bank.accountName),
        csvField(r.amount),
        csvField(transferNote(r.periodId, r.refId)),
        csvField(payoutVietQr(r)),
      ].join(separator),
    );
  });
  return `${BOM + out.join('\r\n')}\r\n`;
}

// ---------------------------------------------------------------------------------------------
// Schemas

export const PAYOUT_STATES = ['building', 'ready', 'paid'] as const;
export type PayoutState = (typeof PAYOUT_STATES)[number];

export const CreatePayoutInput = z
  .strictObject({
    periodId: z
      .string()
      .regex(/^\d{4}-\d{2}$/, 'a month, for example 2026-10')
      .meta({ example: '2026-10' }),
  })
  .meta({ id: 'CreatePayoutInput' });

export const MarkPaidInput = z
  .strictObject({
    paidAt: isoDateTime.optional().meta({ description: 'when the transfers were made (default: now)' }),
    reference: z.string().trim().max(200).optional().meta({ description: 'the bank batch reference' }),
  })
  .meta({ id: 'MarkPayoutPaidInput' });

export const PayoutItemView = z.object({
  collaboratorId: z.string(),
  refId: z.string(),
  name: z.string(),
  amount: z.int(),
  bank: z.object({
    bin: z.string().optional().meta({ description: 'the bank’s NAPAS BIN; absent on an account saved before banks were named by BIN' }),
    bankName: z.string(),
    accountNumber: z.string(),
    accountName: z.string(),
  }),
});

export const PayoutView = z
  .object({
    id: z.string(),
    tenantId: z.string(),
    periodId: z.string(),
    status: z.enum(PAYOUT_STATES),
    count: z.int(),
    total: z.int().meta({ description: 'Σ of its statements’ balances' }),
    minimumPayout: z.int(),
    createdAt: z.string(),
    createdBy: z.string(),
    paidAt: z.string().optional(),
    paidBy: z.string().optional(),
    reference: z.string().optional(),
    version: z.int(),
    items: z.array(PayoutItemView).optional(),
    skipped: z.array(z.object({ collaboratorId: z.string(), balance: z.int(), reason: z.string() })).optional(),
  })
  .meta({ id: 'PayoutBatch' });
