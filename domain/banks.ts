/**
 * Vietnam's banks that take NAPAS 247 transfers (and so VietQR), named by their NAPAS BIN: the
 * 6-digit code a VietQR payload names the beneficiary's bank by (domain/vietqr.ts).
 *
 * Source: VietQR.io's bank list, "API danh sách ngân hàng" (https://www.vietqr.io/api-bank,
 * GET https://api.vietqr.io/v2/banks: bin, code, shortName, name), as public copies keep its answer
 * after the 2025 renames (Oceanbank → MBV, DongABank → Vikki); the short names and legal names are
 * the list's. Cross-checked against the vietqr_gen Bank enum
 * (pub.dev/documentation/vietqr_gen, 33 banks) and the neopay-library bank table (GitHub
 * neopayvn/neopay-library, defined/bank.js), which agree on every BIN they share but CIMB's
 * (970459 there; kept: 422589, the one VietQR names the bank by). Left out: the list's e-wallets
 * and finance company (Viettel Money 971005, VNPT Money 971011, MAFC 977777), not banks.
 * `formerly` keeps short names the same BIN had in the list or in those tables before a rename,
 * so an account saved under the old name still resolves.
 */
import * as z from 'zod';
import { ruleViolation } from './errors';
import { foldToAscii } from './ids';
import { text } from './text';

export interface VnBank {
  /** NAPAS BIN: names the bank in a VietQR payload */
  bin: string;
  /** the bank code of the list (VCB, ICB, TCB, …) */
  code: string;
  /** the name people use: Vietcombank, VietinBank, … */
  shortName: string;
  /** the legal name, in Vietnamese */
  name: string;
  formerly?: readonly string[];
}

export const VN_BANKS: readonly VnBank[] = [
  { bin: '970415', code: 'ICB', shortName: 'VietinBank', name: 'Ngân hàng TMCP Công thương Việt Nam' },
  { bin: '970436', code: 'VCB', shortName: 'Vietcombank', name: 'Ngân hàng TMCP Ngoại Thương Việt Nam' },
  { bin: '970418', code: 'BIDV', shortName: 'BIDV', name: 'Ngân hàng TMCP Đầu tư và Phát triển Việt Nam' },
  { bin: '970405', code: 'VBA', shortName: 'Agribank', name: 'Ngân hàng Nông nghiệp và Phát triển Nông thôn Việt Nam' },
  { bin: '970448', code: 'OCB', shortName: 'OCB', name: 'Ngân hàng TMCP Phương Đông' },
  { bin: '970422', code: 'MB', shortName: 'MBBank', name: 'Ngân hàng TMCP Quân đội' },
  { bin: '970407', code: 'TCB', shortName: 'Techcombank', name: 'Ngân hàng TMCP Kỹ thương Việt Nam' },
  { bin: '970416', code: 'ACB', shortName: 'ACB', name: 'Ngân hàng TMCP Á Châu' },
  { bin: '970432', code: 'VPB', shortName: 'VPBank', name: 'Ngân hàng TMCP Việt Nam Thịnh Vượng' },
  { bin: '970423', code: 'TPB', shortName: 'TPBank', name: 'Ngân hàng TMCP Tiên Phong' },
  { bin: '970403', code: 'STB', shortName: 'Sacombank', name: 'Ngân hàng TMCP Sài Gòn Thương Tín' },
  { bin: '970437', code: 'HDB', shortName: 'HDBank', name: 'Ngân hàng TMCP Phát triển Thành phố Hồ Chí Minh' },
  { bin: '970454', code: 'VCCB', shortName: 'VietCapitalBank', name: 'Ngân hàng TMCP Bản Việt', formerly: ['BVBank'] },
  { bin: '970429', code: 'SCB', shortName: 'SCB', name: 'Ngân hàng TMCP Sài Gòn' },
  { bin: '970441', code: 'VIB', shortName: 'VIB', name: 'Ngân hàng TMCP Quốc tế Việt Nam' },
  { bin: '970443', code: 'SHB', shortName: 'SHB', name: 'Ngân hàng TMCP Sài Gòn - Hà Nội' },
  { bin: '970431', code: 'EIB', shortName: 'Eximbank', name: 'Ngân hàng TMCP Xuất Nhập khẩu Việt Nam' },
  { bin: '970426', code: 'MSB', shortName: 'MSB', name: 'Ngân hàng TMCP Hàng Hải Việt Nam' },
  { bin: '546034', code: 'CAKE', shortName: 'CAKE', name: 'TMCP Việt Nam Thịnh Vượng - Ngân hàng số CAKE by VPBank' },
  { bin: '546035', code: 'Ubank', shortName: 'Ubank', name: 'TMCP Việt Nam Thịnh Vượng - Ngân hàng số Ubank by VPBank' },
  { bin: '963388', code: 'TIMO', shortName: 'Timo', name: 'Ngân hàng số Timo by Ban Viet Bank (Timo by Ban Viet Bank)' },
  { bin: '970400', code: 'SGICB', shortName: 'SaigonBank', name: 'Ngân hàng TMCP Sài Gòn Công Thương' },
  { bin: '970409', code: 'BAB', shortName: 'BacABank', name: 'Ngân hàng TMCP Bắc Á' },
  { bin: '971133', code: 'PVDB', shortName: 'PVcomBank Pay', name: 'Ngân hàng TMCP Đại Chúng Việt Nam Ngân hàng số' },
  { bin: '970412', code: 'PVCB', shortName: 'PVcomBank', name: 'Ngân hàng TMCP Đại Chúng Việt Nam' },
  { bin: '970414', code: 'MBV', shortName: 'MBV', name: 'Ngân hàng TNHH MTV Việt Nam Hiện Đại', formerly: ['Oceanbank'] },
  { bin: '970419', code: 'NCB', shortName: 'NCB', name: 'Ngân hàng TMCP Quốc Dân' },
  { bin: '970424', code: 'SHBVN', shortName: 'ShinhanBank', name: 'Ngân hàng TNHH MTV Shinhan Việt Nam' },
  { bin: '970425', code: 'ABB', shortName: 'ABBANK', name: 'Ngân hàng TMCP An Bình' },
  { bin: '970427', code: 'VAB', shortName: 'VietABank', name: 'Ngân hàng TMCP Việt Á' },
  { bin: '970428', code: 'NAB', shortName: 'NamABank', name: 'Ngân hàng TMCP Nam Á' },
  { bin: '970430', code: 'PGB', shortName: 'PGBank', name: 'Ngân hàng TMCP Thịnh vượng và Phát triển' },
  { bin: '970433', code: 'VIETBANK', shortName: 'VietBank', name: 'Ngân hàng TMCP Việt Nam Thương Tín' },
  { bin: '970438', code: 'BVB', shortName: 'BaoVietBank', name: 'Ngân hàng TMCP Bảo Việt' },
  { bin: '970440', code: 'SEAB', shortName: 'SeABank', name: 'Ngân hàng TMCP Đông Nam Á' },
  { bin: '970446', code: 'COOPBANK', shortName: 'COOPBANK', name: 'Ngân hàng Hợp tác xã Việt Nam' },
  { bin: '970449', code: 'LPB', shortName: 'LPBank', name: 'Ngân hàng TMCP Lộc Phát Việt Nam', formerly: ['LienVietPostBank'] },
  { bin: '970452', code: 'KLB', shortName: 'KienLongBank', name: 'Ngân hàng TMCP Kiên Long' },
  { bin: '668888', code: 'KBank', shortName: 'KBank', name: 'Ngân hàng Đại chúng TNHH Kasikornbank' },
  { bin: '970467', code: 'KEBHANAHN', shortName: 'KEBHANAHN', name: 'Ngân hàng KEB Hana – Chi nhánh Hà Nội' },
  { bin: '970466', code: 'KEBHANAHCM', shortName: 'KEBHanaHCM', name: 'Ngân hàng KEB Hana – Chi nhánh Thành phố Hồ Chí Minh' },
  { bin: '533948', code: 'CITIBANK', shortName: 'Citibank', name: 'Ngân hàng Citibank, N.A. - Chi nhánh Hà Nội' },
  { bin: '999888', code: 'VBSP', shortName: 'VBSP', name: 'Ngân hàng Chính sách Xã hội' },
  { bin: '970444', code: 'CBB', shortName: 'CBBank', name: 'Ngân hàng Thương mại TNHH MTV Xây dựng Việt Nam' },
  { bin: '422589', code: 'CIMB', shortName: 'CIMB', name: 'Ngân hàng TNHH MTV CIMB Việt Nam' },
  { bin: '796500', code: 'DBS', shortName: 'DBSBank', name: 'DBS Bank Ltd - Chi nhánh Thành phố Hồ Chí Minh' },
  { bin: '970406', code: 'Vikki', shortName: 'Vikki', name: 'Ngân hàng TNHH MTV Số Vikki', formerly: ['DongABank'] },
  { bin: '970439', code: 'PBVN', shortName: 'PublicBank', name: 'Ngân hàng TNHH MTV Public Việt Nam' },
  { bin: '970463', code: 'KBHCM', shortName: 'KookminHCM', name: 'Ngân hàng Kookmin - Chi nhánh Thành phố Hồ Chí Minh' },
  { bin: '970462', code: 'KBHN', shortName: 'KookminHN', name: 'Ngân hàng Kookmin - Chi nhánh Hà Nội' },
  { bin: '970457', code: 'WVN', shortName: 'Woori', name: 'Ngân hàng TNHH MTV Woori Việt Nam' },
  { bin: '970421', code: 'VRB', shortName: 'VRB', name: 'Ngân hàng Liên doanh Việt - Nga' },
  { bin: '970408', code: 'GPB', shortName: 'GPBank', name: 'Ngân hàng Thương mại TNHH MTV Dầu Khí Toàn Cầu' },
  { bin: '970442', code: 'HLBVN', shortName: 'HongLeong', name: 'Ngân hàng TNHH MTV Hong Leong Việt Nam' },
  { bin: '458761', code: 'HSBC', shortName: 'HSBC', name: 'Ngân hàng TNHH MTV HSBC (Việt Nam)' },
  { bin: '970455', code: 'IBK - HN', shortName: 'IBKHN', name: 'Ngân hàng Công nghiệp Hàn Quốc - Chi nhánh Hà Nội' },
  { bin: '970456', code: 'IBK - HCM', shortName: 'IBKHCM', name: 'Ngân hàng Công nghiệp Hàn Quốc - Chi nhánh TP. Hồ Chí Minh' },
  { bin: '801011', code: 'NHB HN', shortName: 'Nonghyup', name: 'Ngân hàng Nonghyup - Chi nhánh Hà Nội' },
  { bin: '970458', code: 'UOB', shortName: 'UnitedOverseas', name: 'Ngân hàng United Overseas - Chi nhánh TP. Hồ Chí Minh' },
  { bin: '970434', code: 'IVB', shortName: 'IndovinaBank', name: 'Ngân hàng TNHH Indovina' },
  { bin: '970410', code: 'SCVN', shortName: 'StandardChartered', name: 'Ngân hàng TNHH MTV Standard Chartered Bank Việt Nam' },
];

const BY_BIN = new Map(VN_BANKS.map((b) => [b.bin, b]));

/** The listed bank with this BIN. */
export const bankByBin = (bin: string): VnBank | undefined => BY_BIN.get(bin);

/** A bank name as compared: no marks, no case, no spaces or punctuation ("MB Bank" = "mbbank"). */
export const bankNameKey = (name: string) => foldToAscii(name).replace(/[^A-Z0-9]/g, '');

// every way a bank is named, to the BINs it names (more than one: ambiguous, resolves to none)
const BY_NAME = new Map<string, Set<string>>();
for (const bank of VN_BANKS) {
  for (const name of [bank.shortName, bank.code, bank.name, ...(bank.formerly ?? [])]) {
    const key = bankNameKey(name);
    BY_NAME.set(key, (BY_NAME.get(key) ?? new Set()).add(bank.bin));
  }
}

/**
 * The listed bank a free-text name names: its short name, code, legal name or a former short
 * name, ignoring case, marks, spaces and punctuation ("vietcombank", "VCB", "MB Bank"). None when
 * the name matches no bank, or more than one.
 */
export function bankByName(name: string): VnBank | undefined {
  const bins = BY_NAME.get(bankNameKey(name));
  return bins?.size === 1 ? bankByBin([...bins][0]!) : undefined;
}

// ---------------------------------------------------------------------------------------------
// A CTV's bank account

/** A bank account as stored and answered. `bin` is absent on accounts saved before banks were named by BIN. */
export interface BankAccount {
  bin?: string;
  /** the listed short name; on an old account, the free text it was saved with */
  bankName: string;
  accountNumber: string;
  accountName: string;
}

export const BankAccountInput = z
  .strictObject({
    bin: z
      .string()
      .regex(/^[0-9]{6}$/, 'a bank BIN is 6 digits')
      .optional()
      .meta({
        description: 'the bank’s NAPAS BIN, as VietQR names it (Vietcombank 970436, VietinBank 970415, …); an unlisted one is a 422',
        example: '970436',
      }),
    bankName: text(100).optional().meta({
      description: 'instead of bin (older clients): a listed bank’s short name, code or legal name, for example Vietcombank or VCB',
    }),
    accountNumber: z.string().regex(/^[0-9]{6,20}$/, 'an account number is 6–20 digits'),
    accountName: text(200),
  })
  .refine((b) => b.bin !== undefined || b.bankName !== undefined, { message: 'name the bank by its bin', path: ['bin'] })
  .meta({ id: 'BankAccountInput' });
export type BankAccountInput = z.infer<typeof BankAccountInput>;

/**
 * The account to store: the bank by BIN with its listed name. A BIN not listed is a 422 on
 * `<field>.bin`. A name alone must name one listed bank (bankByName), else a 422 on
 * `<field>.bankName`. Beside a BIN, a name that names another listed bank is a 422 too; any other
 * name (the free text of an account saved before BINs, sent back with the BIN just chosen) gives
 * way to the listed one.
 */
export function bankAccountFrom(input: BankAccountInput, field = 'bank'): BankAccount {
  const byName = input.bankName === undefined ? undefined : bankByName(input.bankName);
  let bank: VnBank | undefined;
  if (input.bin !== undefined) {
    bank = bankByBin(input.bin);
    if (!bank) throw ruleViolation(`${input.bin} is not the BIN of a bank that takes NAPAS 247 transfers`, `${field}.bin`);
    if (byName !== undefined && byName.bin !== bank.bin) {
      throw ruleViolation(`bankName does not name the bank of BIN ${bank.bin} (${bank.shortName})`, `${field}.bankName`);
    }
  } else {
    bank = byName;
    if (!bank) throw ruleViolation('This name does not name one listed bank; send the bank’s bin instead', `${field}.bankName`);
  }
  return { bin: bank.bin, bankName: bank.shortName, accountNumber: input.accountNumber, accountName: input.accountName };
}
