import { describe, expect, it } from 'vitest';
import { BOM, payoutCsv, payoutVietQr, vietQrTransferNote, type PayoutRow } from '../../domain/payouts';
import { crc16CcittFalse } from '../../domain/vietqr';

const hoa: PayoutRow = {
  refId: 'HOA7K2MX',
  name: 'Nguyễn Thị Hoa',
  phone: '+84912345678',
  bank: { bin: '970436', bankName: 'Vietcombank', accountNumber: '0011001234567', accountName: 'NGUYEN THI HOA' },
  amount: 520_000,
  periodId: '2026-10',
};
const lines = (csv: string) => csv.slice(BOM.length).split('\r\n');

describe('the payout file’s VietQR column', () => {
  it('carries, per line whose bank has a BIN, the transfer of that line: bank, account, amount and note', () => {
    const qr = payoutVietQr(hoa);
    expect(qr.startsWith('000201010212')).toBe(true); // dynamic: made for this one payment
    expect(qr).toContain('0006970436' + '0113' + '0011001234567'); // the BIN, then the 13-digit account
    expect(qr).toContain('5406520000'); // 54: 6 digits, 520,000 đ
    expect(qr).toContain('62290825HOA HONG 2026-10 HOA7K2MX'); // the CSV's transfer note, 25 characters
    expect(crc16CcittFalse(qr.slice(0, -4)).toString(16).toUpperCase().padStart(4, '0')).toBe(qr.slice(-4));
    expect(lines(payoutCsv([hoa]))[1]!.endsWith(`,HOA HONG 2026-10 HOA7K2MX,${qr}`)).toBe(true);
  });

  it('is empty when the bank has no BIN or the account is longer than a VietQR code takes', () => {
    const savedBeforeBins = { bankName: 'Vietcombank', accountNumber: '0011001234567', accountName: 'NGUYEN THI HOA' };
    expect(payoutVietQr({ ...hoa, bank: savedBeforeBins })).toBe('');
    expect(payoutVietQr({ ...hoa, bank: { ...hoa.bank, accountNumber: '1'.repeat(20) } })).toBe('');
  });

  it('notes a long REF ID’s transfer "CTV <month> <REF ID>", which fits the 25 characters of a VietQR note', () => {
    expect(vietQrTransferNote('2026-10', 'HOA7K2MX')).toBe('HOA HONG 2026-10 HOA7K2MX');
    expect(vietQrTransferNote('2026-10', 'NGUYENTHIHOA')).toBe('CTV 2026-10 NGUYENTHIHOA');
    expect(payoutVietQr({ ...hoa, refId: 'NGUYENTHIHOA' })).toContain('0824CTV 2026-10 NGUYENTHIHOA');
  });
});

describe('the payout file’s separator', () => {
  it('is a comma by default, a semicolon on request; a field holding either is quoted', () => {
    const rows = [{ ...hoa, bank: { ...hoa.bank, accountName: 'TRAN; VAN, BINH' } }];
    const comma = lines(payoutCsv(rows));
    const semi = lines(payoutCsv(rows, ';'));
    expect(comma[0]).toBe(
      'STT,Mã CTV,Họ và tên,Số điện thoại,Ngân hàng,Số tài khoản,Chủ tài khoản,Số tiền (VND),Nội dung chuyển khoản,Mã VietQR',
    );
    expect(semi[0]).toBe(
      'STT;Mã CTV;Họ và tên;Số điện thoại;Ngân hàng;Số tài khoản;Chủ tài khoản;Số tiền (VND);Nội dung chuyển khoản;Mã VietQR',
    );
    expect(
      semi[1]!.startsWith(
        '1;HOA7K2MX;Nguyễn Thị Hoa;"=""0912345678""";Vietcombank;"=""0011001234567""";"TRAN; VAN, BINH";520000;HOA HONG 2026-10 HOA7K2MX;000201',
      ),
    ).toBe(true);
    expect(comma[1]).toBe(semi[1]!.replaceAll(';', ',').replace('"TRAN, VAN, BINH"', '"TRAN; VAN, BINH"'));
  });
});
