/**
 * VietQR: the payment code Vietnamese banking apps scan to prefill a NAPAS 247 transfer to an
 * account. Its text is an EMVCo merchant-presented QR payload: fields written ID (2 digits) +
 * length (2 digits) + value, some holding fields of their own, closed by a CRC.
 *
 *   00 Payload Format Indicator   "01"
 *   01 Point of Initiation        "12": dynamic, made for one payment (it carries the amount)
 *   38 Merchant Account Info      00 GUID "A000000727" (NAPAS)
 *                                 01 beneficiary: 00 the bank's BIN, 01 the account number
 *                                 02 service "QRIBFTTA" (transfer to an account)
 *   53 Currency                   "704" (VND)
 *   54 Amount                     whole đồng, digits only
 *   58 Country                    "VN"
 *   62 Additional Data            08 purpose of transaction: the transfer note (at most 25 characters)
 *   63 CRC                        CRC-16/CCITT-FALSE of everything before it, "6304" included, 4 hex digits
 *
 * The layout is the one of the published examples the tests reproduce (test/domain/vietqr.test.ts).
 */
import type { Vnd } from './money';

/** EMVCo's limit for a field of the Additional Data template (62): the note is cut to it. */
export const VIETQR_NOTE_MAX = 25;
/** The longest account number a VietQR beneficiary field takes (VietQR.io: accountNo 6–19 characters). */
export const VIETQR_ACCOUNT_MAX = 19;
/** EMVCo's limit for the amount field (54). */
const AMOUNT_MAX_DIGITS = 13;

/** CRC-16/CCITT-FALSE (polynomial 0x1021, initial 0xFFFF, no reflection, no final XOR) of the UTF-8 bytes. */
export function crc16CcittFalse(input: string): number {
  let crc = 0xffff;
  for (const byte of new TextEncoder().encode(input)) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

/** One field: ID, length in 2 digits, value. */
function field(id: string, value: string): string {
  if (value.length > 99) throw new RangeError(`field ${id} is longer than 99 characters`);
  return `${id}${String(value.length).padStart(2, '0')}${value}`;
}

/**
 * Text as every bank's transfer description takes it: Vietnamese marks removed (đ → d), only
 * letters, digits, spaces, "." and "-" kept, spaces collapsed. Case is kept.
 */
export function bankTransferText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^A-Za-z0-9 .-]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A transfer note for the QR: bank transfer text cut to 25 characters. */
export function vietQrNote(note: string): string {
  return bankTransferText(note).slice(0, VIETQR_NOTE_MAX).trimEnd();
}

export interface VietQrTransfer {
  /** the beneficiary's bank, by NAPAS BIN (domain/banks.ts) */
  bin: string;
  accountNumber: string;
  amount: Vnd;
  /** the transfer note; made fit by vietQrNote. Empty or absent: no Additional Data field */
  note?: string;
}

/** Whether an account can be named in a VietQR payload (a BIN and an account number of 1–19 digits). */
export const vietQrCanPay = (bin: string, accountNumber: string) =>
  /^[0-9]{6}$/.test(bin) && /^[0-9]+$/.test(accountNumber) && accountNumber.length <= VIETQR_ACCOUNT_MAX;

/** The VietQR payload of one transfer; a malformed BIN, account or amount is a RangeError. */
export function vietQrPayload(t: VietQrTransfer): string {
  if (!vietQrCanPay(t.bin, t.accountNumber))
    throw new RangeError('a VietQR transfer needs a 6-digit BIN and an account number of at most 19 digits');
  if (!Number.isSafeInteger(t.amount) || t.amount <= 0 || String(t.amount).length > AMOUNT_MAX_DIGITS) {
    throw new RangeError('a VietQR amount is a positive whole VND amount of at most 13 digits');
  }
  const beneficiary = field('00', t.bin) + field('01', t.accountNumber);
  const note = vietQrNote(t.note ?? '');
  const body =
    field('00', '01') +
    field('01', '12') +
    field('38', field('00', 'A000000727') + field('01', beneficiary) + field('02', 'QRIBFTTA')) +
    field('53', '704') +
    field('54', String(t.amount)) +
    field('58', 'VN') +
    (note ? field('62', field('08', note)) : '') +
    '6304';
  return body + crc16CcittFalse(body).toString(16).toUpperCase().padStart(4, '0');
}
