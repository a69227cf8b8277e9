import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_BUSINESSES_PER_ACCOUNT, parseMaxBusinessesPerAccount, tooManyBusinesses } from '../../domain/tenant-limits';

describe('businesses per account', () => {
  it('reads the setting: unset is 3; whole numbers 1…1000 only', () => {
    expect(DEFAULT_MAX_BUSINESSES_PER_ACCOUNT).toBe(3);
    for (const unset of [undefined, null, '']) expect(parseMaxBusinessesPerAccount(unset)).toBe(3);
    expect(parseMaxBusinessesPerAccount('5')).toBe(5);
    expect(parseMaxBusinessesPerAccount(' 12 ')).toBe(12);
    expect(parseMaxBusinessesPerAccount(1)).toBe(1);
    expect(parseMaxBusinessesPerAccount('1000')).toBe(1000);
    for (const bad of ['0', '-1', '2.5', 'three', '1e3', '1001', 0, 2.5, true])
      expect(() => parseMaxBusinessesPerAccount(bad), String(bad)).toThrow(/maxBusinessesPerAccount/);
  });

  it('refuses beyond it with a 422 that names the limit', () => {
    const e = tooManyBusinesses(3);
    expect(e.kind).toBe('rule_violation');
    expect(e.message).toMatch(/at most 3 businesses/);
    expect(tooManyBusinesses(1).message).toMatch(/at most 1 business,/);
  });
});
