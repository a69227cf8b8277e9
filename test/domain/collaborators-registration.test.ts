import { describe, expect, it } from 'vitest';
import {
  accountOwnsRecord,
  RegistrationInput,
  RegistrationReceipt,
  registrationReceipt,
  registrationStatus,
} from '../../domain/registration';

describe('registration', () => {
  it('starts registered, or approved when the business auto-approves', () => {
    expect(registrationStatus({ autoApproveRegistrations: false })).toBe('registered');
    expect(registrationStatus({ autoApproveRegistrations: true })).toBe('approved');
  });

  it('answers one fixed receipt, which names no CTV (the schema admits no other)', () => {
    expect(registrationReceipt()).toEqual(registrationReceipt());
    expect(Object.keys(registrationReceipt()).sort()).toEqual(['message', 'received']);
    expect(RegistrationReceipt.safeParse({ ...registrationReceipt(), message: 'Welcome back, Hoa' }).success).toBe(false);
  });

  it('input: Vietnamese phone normalised, REF ID normalised, unknown fields refused', () => {
    expect(RegistrationInput.parse({ name: ' Hoa ', phone: '84-912-345-678', refId: 'hoa 23456' })).toEqual({
      name: 'Hoa',
      phone: '+84912345678',
      refId: 'HOA23456',
    });
    expect(RegistrationInput.safeParse({ name: 'Hoa', phone: '12345' }).error?.issues[0]?.path).toEqual(['phone']);
    expect(RegistrationInput.safeParse({ name: 'Hoa', phone: '0912345678', status: 'approved' }).success).toBe(false);
  });
});

describe('linking an account to an existing CTV record', () => {
  const record = { phone: '+84912345678', email: 'Hoa@Example.vn' };
  it('a verified phone_number equal to the record’s phone', () => {
    expect(accountOwnsRecord(record, { phoneNumber: '+84912345678', phoneNumberVerified: 'true' })).toBe(true);
    expect(accountOwnsRecord(record, { phoneNumber: '0912345678', phoneNumberVerified: true })).toBe(true);
    expect(accountOwnsRecord(record, { phoneNumber: '+84912345678' })).toBe(false);
    expect(accountOwnsRecord(record, { phoneNumber: '+84912345678', phoneNumberVerified: 'false' })).toBe(false);
    expect(accountOwnsRecord(record, { phoneNumber: '+84987654321', phoneNumberVerified: 'true' })).toBe(false);
  });

  it('or an email (not marked unverified) equal to the record’s, ignoring case', () => {
    expect(accountOwnsRecord(record, { email: 'hoa@example.VN' })).toBe(true);
    expect(accountOwnsRecord(record, { email: 'hoa@example.vn', emailVerified: 'true' })).toBe(true);
    expect(accountOwnsRecord(record, { email: 'hoa@example.vn', emailVerified: 'false' })).toBe(false);
    expect(accountOwnsRecord(record, { email: 'other@example.vn' })).toBe(false);
    expect(accountOwnsRecord({ phone: record.phone }, { email: 'hoa@example.vn' })).toBe(false);
    expect(accountOwnsRecord(record, {})).toBe(false);
  });
});
