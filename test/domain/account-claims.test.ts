import { describe, expect, it } from 'vitest';
import { accountClaimsFrom } from '../../domain/account-claims';

describe('accountClaimsFrom', () => {
  it('reads the email and phone claims, booleans as API Gateway passes them (strings) or as booleans', () => {
    expect(
      accountClaimsFrom({
        sub: 'u1',
        email: 'lan@example.vn',
        email_verified: 'true',
        phone_number: '+84901234567',
        phone_number_verified: false,
      }),
    ).toEqual({
      email: 'lan@example.vn',
      emailVerified: 'true',
      phoneNumber: '+84901234567',
      phoneNumberVerified: 'false',
    });
  });

  it('ignores claims that are absent, empty or not text', () => {
    expect(accountClaimsFrom({})).toEqual({});
    expect(accountClaimsFrom({ email: '', phone_number: 84901234567, email_verified: ['true'] })).toEqual({});
  });
});
