import { describe, expect, it } from 'vitest';
import { crc16CcittFalse, vietQrNote, vietQrPayload } from '../../domain/vietqr';

/** The fields of an EMVCo payload (ID, 2-digit length, value) in order, read back to check what was built. */
function fieldList(payload: string): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i < payload.length; ) {
    const length = Number(payload.slice(i + 2, i + 4));
    out.push([payload.slice(i, i + 2), payload.slice(i + 4, i + 4 + length)]);
    i += 4 + length;
  }
  return out;
}
const fields = (payload: string): Record<string, string> => Object.fromEntries(fieldList(payload));

const crcOf = (payload: string) => crc16CcittFalse(payload.slice(0, -4)).toString(16).toUpperCase().padStart(4, '0');

describe('CRC-16/CCITT-FALSE', () => {
  it('gives the check value of the CRC catalogue for "123456789": 0x29B1', () => {
    expect(crc16CcittFalse('123456789')).toBe(0x29b1);
    expect(crc16CcittFalse('')).toBe(0xffff); // the initial value, nothing shifted in
  });

  it('matches the CRC of VietQR payloads published by other implementations', () => {
    const published = [
      // vietnam-qr-pay 1.5.0 README (npmjs.com/package/vietnam-qr-pay), static and dynamic ACB examples
      '00020101021138530010A0000007270123000697041601092576788590208QRIBFTTA53037045802VN6304AE9F',
      '00020101021238530010A0000007270123000697041601092576788590208QRIBFTTA53037045405100005802VN62150811Chuyen tien630453E6',
      // vietqr_generator on pub.dev (pub.dev/documentation/vietqr_generator/latest), Techcombank example
      '00020101021138540010A00000072701240006970407011003865776720208QRIBFTTA5303704540710000005802VN62160812henry an cut6304A322',
      // vietqr_gen README on pub.dev, static Techcombank example
      '00020101021138540010A00000072701240006970407011096020919960208QRIBFTTA53037045802VN630434A0',
      // napas-qr README (github.com/duyquoc1508/napas-qr), dynamic with a bill number and a purpose
      '00020101021238530010A0000007270123000697041601092245284790208QRIBFTTA53037045405100005802VN62340107NPS68690819TRANSFER TO SOMEONE6304AC13',
    ];
    for (const payload of published) expect(crcOf(payload), payload).toBe(payload.slice(-4));
  });
});

describe('VietQR payloads', () => {
  // vietnam-qr-pay 1.5.0 README, "VietQR Động": ACB (BIN 970416), account 257678859, 10,000 đ, "Chuyen tien"
  const PUBLISHED_DYNAMIC =
    '00020101021238530010A0000007270123000697041601092576788590208QRIBFTTA53037045405100005802VN62150811Chuyen tien630453E6';

  it('reproduces the published dynamic example byte for byte', () => {
    expect(vietQrPayload({ bin: '970416', accountNumber: '257678859', amount: 10_000, note: 'Chuyen tien' })).toBe(PUBLISHED_DYNAMIC);
  });

  it('writes the note without Vietnamese marks', () => {
    expect(vietQrPayload({ bin: '970416', accountNumber: '257678859', amount: 10_000, note: 'Chuyển tiền' })).toBe(PUBLISHED_DYNAMIC);
    expect(vietQrNote('Hoa hồng tháng 10 – Đức')).toBe('Hoa hong thang 10 Duc');
    expect(vietQrNote('  Trả   lương, "CTV"  ')).toBe('Tra luong CTV');
  });

  it('has the NAPAS 247 fields: dynamic, GUID, BIN and account, transfer to an account, VND, the amount, VN', () => {
    const payload = vietQrPayload({ bin: '970436', accountNumber: '0011001234567', amount: 1_800_000, note: 'HOA HONG 2026-10 BIN3QW9Z' });
    expect(fieldList(payload).map(([id]) => id)).toEqual(['00', '01', '38', '53', '54', '58', '62', '63']);
    const f = fields(payload);
    expect(f).toMatchObject({ '00': '01', '01': '12', '53': '704', '54': '1800000', '58': 'VN' });
    expect(fields(f['38']!)).toEqual({ '00': 'A000000727', '01': '00069704360113' + '0011001234567', '02': 'QRIBFTTA' });
    expect(fields(fields(f['38']!)['01']!)).toEqual({ '00': '970436', '01': '0011001234567' });
    expect(fields(f['62']!)).toEqual({ '08': 'HOA HONG 2026-10 BIN3QW9Z' });
  });

  it('cuts the note to the 25 characters EMVCo allows a purpose, and leaves field 62 out when there is none', () => {
    const long = vietQrPayload({
      bin: '970436',
      accountNumber: '0011001234567',
      amount: 1,
      note: 'Thanh toan hoa hong thang muoi cho CTV',
    });
    expect(fields(long)['62']).toBe('0825Thanh toan hoa hong thang');
    const cutAtSpace = vietQrNote('ABCDEFGHIJKLMNOPQRSTUVWX YZ'); // the 25th character is a space: not kept at the end
    expect(cutAtSpace).toBe('ABCDEFGHIJKLMNOPQRSTUVWX');
    for (const note of [undefined, '', '  ', '“”']) {
      const p = vietQrPayload({ bin: '970436', accountNumber: '0011001234567', amount: 1, ...(note === undefined ? {} : { note }) });
      expect(fields(p)).not.toHaveProperty('62');
      expect(crcOf(p)).toBe(p.slice(-4));
    }
  });

  it('refuses what a bank app could not pay: a malformed BIN or account, an amount that is not a positive whole đồng', () => {
    const ok = { bin: '970436', accountNumber: '0011001234567', amount: 100_000 };
    expect(() => vietQrPayload({ ...ok, bin: '97043' })).toThrow(RangeError);
    expect(() => vietQrPayload({ ...ok, accountNumber: '1'.repeat(20) })).toThrow(RangeError);
    expect(() => vietQrPayload({ ...ok, accountNumber: '0011-00' })).toThrow(RangeError);
    expect(() => vietQrPayload({ ...ok, amount: 0 })).toThrow(RangeError);
    expect(() => vietQrPayload({ ...ok, amount: 1.5 })).toThrow(RangeError);
    expect(() => vietQrPayload({ ...ok, amount: 10_000_000_000_000 })).toThrow(RangeError); // 14 digits
    expect(vietQrPayload({ ...ok, accountNumber: '1'.repeat(19) })).toContain('1'.repeat(19));
  });
});
