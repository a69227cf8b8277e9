import { describe, expect, it } from 'vitest';
import { normalizeCustomerPhone, normalizeVnPhone } from '../../domain/phone';

// The operators' prefixes as the sources give them (domain/phone.ts cites them): written out here
// again, not read from the code under test.
const ASSIGNED = {
  Viettel: '032 033 034 035 036 037 038 039 086 096 097 098',
  VinaPhone: '081 082 083 084 085 088 091 094',
  MobiFone: '070 076 077 078 079 089 090 093',
  Vietnamobile: '052 056 058 092',
  Gmobile: '059 099',
  Itelecom: '087',
  Wintel: '055',
};
const UNASSIGNED = '030 031 050 051 053 054 057 071 072 073 074 075 080 095';

// The 2018 conversion (tienphong.vn, "Hàng triệu thuê bao 11 số chuyển về 10 số như thế nào?")
const CONVERSION = [
  ['0120', '070'],
  ['0121', '079'],
  ['0122', '077'],
  ['0126', '076'],
  ['0128', '078'], // MobiFone
  ['0123', '083'],
  ['0124', '084'],
  ['0125', '085'],
  ['0127', '081'],
  ['0129', '082'], // VinaPhone
  ['0162', '032'],
  ['0163', '033'],
  ['0164', '034'],
  ['0165', '035'],
  ['0166', '036'],
  ['0167', '037'],
  ['0168', '038'],
  ['0169', '039'], // Viettel
  ['0186', '056'],
  ['0188', '058'], // Vietnamobile
  ['0199', '059'], // Gmobile
] as const;

describe('Vietnamese mobile numbers', () => {
  it('take every prefix an operator holds', () => {
    for (const [operator, prefixes] of Object.entries(ASSIGNED)) {
      for (const prefix of prefixes.split(' '))
        expect(normalizeVnPhone(`${prefix}1234567`), `${operator} ${prefix}`).toBe(`+84${prefix.slice(1)}1234567`);
    }
  });

  it('refuse a prefix nobody holds, however the number is written', () => {
    for (const prefix of UNASSIGNED.split(' ')) {
      expect(normalizeVnPhone(`${prefix}1234567`), prefix).toBeNull();
      expect(normalizeVnPhone(`+84${prefix.slice(1)}1234567`), prefix).toBeNull();
      expect(normalizeCustomerPhone(`0084 ${prefix.slice(1)} 123 4567`), prefix).toBeNull();
    }
  });

  it('convert an old 11-digit number to the 10-digit one it became in 2018: new prefix, same last 7 digits', () => {
    for (const [before, after] of CONVERSION) {
      expect(normalizeVnPhone(`${before}8123456`), before).toBe(`+84${after.slice(1)}8123456`);
    }
    const written = ['0162 812 3456', '+84 162 812 3456', '841628123456', '(0162) 812-3456'];
    for (const input of written) expect(normalizeVnPhone(input), input).toBe('+84328123456');
    expect(normalizeCustomerPhone('0084 1628 123 456')).toBe('+84328123456');
    expect(normalizeCustomerPhone('+841998765432')).toBe('+84598765432');
  });

  it('refuse an 11-digit number the conversion did not cover, or of the wrong length', () => {
    for (const input of ['01308123456', '01618123456', '01878123456', '01988123456', '0162812345', '016281234567']) {
      expect(normalizeVnPhone(input), input).toBeNull();
    }
  });

  it('keep landlines as they were', () => {
    expect(normalizeVnPhone('(024) 3825 1234')).toBe('+842438251234');
    expect(normalizeVnPhone('028 3829 5555')).toBe('+842838295555');
  });
});
