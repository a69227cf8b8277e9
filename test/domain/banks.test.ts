import { describe, expect, it } from 'vitest';
import { collaboratorSeenBy } from '../../domain/access';
import { bankAccountFrom, BankAccountInput, bankByBin, bankByName, bankNameKey, VN_BANKS } from '../../domain/banks';
import { CollaboratorView, newCollaborator, updateProfile, type Collaborator } from '../../domain/entities/collaborator';
import { DomainError } from '../../domain/errors';

const T0 = '2026-11-01T08:00:00.000Z';

/** The 422 a call throws, as the API answers it: kind and field paths. */
function refusal(fn: () => unknown): { kind: string; paths: string[] } {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return { kind: e.kind, paths: e.errors.map((x) => x.path) };
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('the bank list', () => {
  it('names banks by the BINs VietQR.io documents (vietqr.io/api-bank: ABBANK, ACB, BIDV) and the ones of the VietQR examples', () => {
    expect(bankByBin('970425')).toMatchObject({ code: 'ABB', shortName: 'ABBANK', name: 'Ngân hàng TMCP An Bình' });
    expect(bankByBin('970416')).toMatchObject({ code: 'ACB', name: 'Ngân hàng TMCP Á Châu' });
    expect(bankByBin('970418')?.shortName).toBe('BIDV');
    // vietqr_gen's tests: Techcombank 970407, Vietcombank 970436, MBBank 970422
    expect(bankByBin('970407')?.shortName).toBe('Techcombank');
    expect(bankByBin('970436')?.shortName).toBe('Vietcombank');
    expect(bankByBin('970422')?.shortName).toBe('MBBank');
    expect(bankByBin('970499')).toBeUndefined();
  });

  it('has one entry per BIN, 6 digits each, and every name of a bank names that bank only', () => {
    const bins = VN_BANKS.map((b) => b.bin);
    expect(new Set(bins).size).toBe(bins.length);
    for (const b of VN_BANKS) {
      expect(b.bin).toMatch(/^[0-9]{6}$/);
      for (const name of [b.shortName, b.code, b.name, ...(b.formerly ?? [])]) expect(bankByName(name)?.bin, name).toBe(b.bin);
    }
  });

  it('finds a bank by a free-text name, ignoring case, marks, spaces and punctuation', () => {
    expect(bankByName('vietcombank')?.bin).toBe('970436');
    expect(bankByName(' VCB ')?.bin).toBe('970436');
    expect(bankByName('NGÂN HÀNG TMCP NGOẠI THƯƠNG VIỆT NAM')?.bin).toBe('970436');
    expect(bankByName('MB Bank')?.bin).toBe('970422');
    expect(bankByName('Vietinbank')?.bin).toBe('970415');
    expect(bankByName('Nam A Bank')?.bin).toBe('970428');
    expect(bankByName('LienVietPostBank')?.bin).toBe('970449'); // a former name
    expect(bankByName('Đông Á')).toBeUndefined(); // part of a name is not a name
    expect(bankByName('Ngân hàng của tôi')).toBeUndefined();
    expect(bankByName('')).toBeUndefined();
    expect(bankNameKey('Sài Gòn - Hà Nội')).toBe('SAIGONHANOI');
  });
});

describe('a CTV’s bank account', () => {
  const account = { accountNumber: '0011001234567', accountName: 'NGUYEN THI HOA' };

  it('is stored with its BIN and the listed name, whether the client sent the BIN or an old bankName', () => {
    const byBin = { bin: '970436', bankName: 'Vietcombank', ...account };
    expect(bankAccountFrom({ bin: '970436', ...account })).toEqual(byBin);
    expect(bankAccountFrom({ bankName: 'vcb', ...account })).toEqual(byBin);
    expect(bankAccountFrom({ bin: '970436', bankName: 'Vietcombank', ...account })).toEqual(byBin); // the answer sent back as it came
    // an old account's free text sent back beside the BIN just chosen: the listed name replaces it
    expect(bankAccountFrom({ bin: '970436', bankName: 'NH Ngoại thương CN Hà Nội', ...account })).toEqual(byBin);
  });

  it('refuses an unlisted BIN (422 on bank.bin), a name alone that names no one bank, and a BIN beside another bank’s name', () => {
    expect(refusal(() => bankAccountFrom({ bin: '970499', ...account }))).toEqual({ kind: 'rule_violation', paths: ['bank.bin'] });
    expect(refusal(() => bankAccountFrom({ bankName: 'Ngân hàng của tôi', ...account }))).toEqual({
      kind: 'rule_violation',
      paths: ['bank.bankName'],
    });
    expect(refusal(() => bankAccountFrom({ bin: '970436', bankName: 'Techcombank', ...account }))).toEqual({
      kind: 'rule_violation',
      paths: ['bank.bankName'],
    });
  });

  it('takes a 6-digit BIN or a name; neither is bad input on bank.bin', () => {
    expect(BankAccountInput.safeParse({ bin: '970436', ...account }).success).toBe(true);
    expect(BankAccountInput.safeParse({ bin: '97043', ...account }).success).toBe(false);
    const neither = BankAccountInput.safeParse(account);
    expect(neither.success).toBe(false);
    expect(neither.error?.issues.map((i) => i.path)).toEqual([['bin']]);
  });

  it('is resolved when a CTV is added or updated; a bad one changes nothing', () => {
    const ctv = newCollaborator({
      id: 'C1',
      tenantId: 'T1',
      refId: 'HOA23456',
      status: 'approved',
      source: 'manual',
      at: T0,
      by: 'owner',
      input: {
        name: 'Nguyễn Thị Hoa',
        phone: '+84912345678',
        bank: { bankName: 'Techcombank', accountNumber: '19034567890123', accountName: 'NGUYEN THI HOA' },
      },
    });
    expect(ctv.bank).toEqual({ bin: '970407', bankName: 'Techcombank', accountNumber: '19034567890123', accountName: 'NGUYEN THI HOA' });
    expect(updateProfile(ctv, { bank: { bin: '970418', ...account } }, T0, 'owner').bank).toEqual({
      bin: '970418',
      bankName: 'BIDV',
      ...account,
    });
    expect(refusal(() => updateProfile(ctv, { bank: { bin: '123456', ...account } }, T0, 'owner')).paths).toEqual(['bank.bin']);
  });

  it('saved before BINs (free text, no bin): still reads, shown as it was, masked like any other', () => {
    const old: Collaborator = {
      ...newCollaborator({
        id: 'C2',
        tenantId: 'T1',
        refId: 'BIN23456',
        status: 'approved',
        source: 'manual',
        at: T0,
        by: 'owner',
        input: { name: 'Trần Văn Bình', phone: '+84987654321' },
      }),
      bank: { bankName: 'NH Ngoại thương CN Hà Nội', accountNumber: '0123456789', accountName: 'TRAN VAN BINH' },
    };
    const view = CollaboratorView.parse(old);
    expect(view.bank).toEqual({ bankName: 'NH Ngoại thương CN Hà Nội', accountNumber: '0123456789', accountName: 'TRAN VAN BINH' });
    const care = { tenantId: 'T1', userId: 'care-a', roles: ['care_staff' as const] };
    expect(collaboratorSeenBy(care, old).bank).toEqual({
      bankName: 'NH Ngoại thương CN Hà Nội',
      accountNumber: '••••••6789',
      accountName: 'TRAN VAN BINH',
    });
    const current = { ...old, bank: bankAccountFrom({ bin: '970436', ...account }) };
    expect(collaboratorSeenBy(care, current).bank).toEqual({
      bin: '970436',
      bankName: 'Vietcombank',
      accountNumber: '•••••••••4567',
      accountName: 'NGUYEN THI HOA',
    });
    expect(collaboratorSeenBy({ ...care, roles: ['owner'] }, current).bank?.accountNumber).toBe('0011001234567');
  });
});
