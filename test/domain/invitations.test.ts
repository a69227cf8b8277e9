import { describe, expect, it } from 'vitest';
import {
  acceptDecision,
  canRevoke,
  CreateInvitationInput,
  INVITATION_VALID_DAYS,
  invitationInputErrors,
  invitationStatus,
  invitationToken,
  invitationValidUntil,
  invitationView,
  parseInvitationToken,
  type Invitation,
} from '../../domain/invitations';

const TENANT = '01KT0000000000000000000000';
const INVITE = '01KV0000000000000000000001';
const SECRET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ'; // 43 characters: 32 bytes as base64url

const at = (iso: string) => new Date(iso).toISOString();

describe('invitation input', () => {
  it('takes an email, a phone or both, not neither; a phone is stored as +84…', () => {
    const byPhone = CreateInvitationInput.safeParse({ role: 'seller', name: ' Đặng Quốc Huy ', phone: '0912 345 678' });
    expect(byPhone.success && byPhone.data).toEqual({ role: 'seller', name: 'Đặng Quốc Huy', phone: '+84912345678' });
    expect(CreateInvitationInput.safeParse({ role: 'manager', name: 'Lê Thị Mai', email: 'mai@example.vn' }).success).toBe(true);
    expect(invitationInputErrors({ role: 'manager' })).toEqual([
      { path: 'email', message: 'give the email or the phone the invitation is sent to' },
    ]);
    expect(invitationInputErrors({ role: 'manager', email: 'mai@example.vn', phone: '+84912345678' })).toEqual([]);
  });

  it('names a manager on care staff invitations only', () => {
    expect(invitationInputErrors({ role: 'care_staff', phone: '+84912345678', managerUserId: 'mgr-1' })).toEqual([]);
    for (const role of ['manager', 'seller'] as const) {
      expect(
        invitationInputErrors({ role, phone: '+84912345678', managerUserId: 'mgr-1' }).map((e) => e.path),
        role,
      ).toEqual(['managerUserId']);
    }
  });

  it('refuses the roles that are not invited (owner, collaborator), a bad phone, and unknown fields, naming the field', () => {
    const issues = (value: unknown) => {
      const parsed = CreateInvitationInput.safeParse(value);
      return parsed.success ? [] : parsed.error.issues.map((i) => i.path.join('.') || String((i as { keys?: string[] }).keys));
    };
    expect(issues({ role: 'owner', name: 'A', phone: '0912345678' })).toEqual(['role']);
    expect(issues({ role: 'collaborator', name: 'A', phone: '0912345678' })).toEqual(['role']);
    expect(issues({ role: 'seller', name: 'A', phone: '12345' })).toEqual(['phone']);
    expect(issues({ role: 'seller', name: 'A', email: 'not an email' })).toEqual(['email']);
    expect(issues({ role: 'seller', name: 'A', phone: '0912345678', userId: 'x' })).toEqual(['userId']);
    expect(issues({ role: 'seller', name: 'A' })).toEqual(['email']);
  });
});

describe('invitation lifetime and use', () => {
  const made = at('2026-12-09T03:00:00Z');
  const validUntil = invitationValidUntil(new Date(made));

  it(`works ${INVITATION_VALID_DAYS} days (7), to the millisecond`, () => {
    expect(INVITATION_VALID_DAYS).toBe(7);
    expect(validUntil).toBe('2026-12-16T03:00:00.000Z');
    expect(invitationValidUntil(new Date(made), 1)).toBe('2026-12-10T03:00:00.000Z');
  });

  it('is pending until it expires; at its end it is expired', () => {
    expect(invitationStatus({ validUntil }, at('2026-12-16T02:59:59.999Z'))).toBe('pending');
    expect(invitationStatus({ validUntil }, validUntil)).toBe('expired');
    expect(acceptDecision({ validUntil }, at('2026-12-09T03:00:00Z'))).toBe('ok');
    expect(acceptDecision({ validUntil }, at('2026-12-20T00:00:00Z'))).toBe('expired');
  });

  it('once used it stays used (409), even after it expires; revoked is 410 whatever the time', () => {
    const used = { validUntil, usedAt: at('2026-12-10T00:00:00Z'), usedBy: 'u1' };
    expect(acceptDecision(used, at('2026-12-11T00:00:00Z'))).toBe('used');
    expect(acceptDecision(used, at('2027-01-01T00:00:00Z'))).toBe('used');
    const revoked = { validUntil, revokedAt: at('2026-12-10T00:00:00Z') };
    expect(acceptDecision(revoked, at('2026-12-11T00:00:00Z'))).toBe('revoked');
    expect(acceptDecision(revoked, at('2027-01-01T00:00:00Z'))).toBe('revoked');
    expect(canRevoke({})).toBe(true);
    expect(canRevoke({ usedAt: at('2026-12-10T00:00:00Z') })).toBe(false);
  });
});

describe('invitation tokens', () => {
  it('name the business and the invitation, and carry the secret', () => {
    const token = invitationToken(TENANT, INVITE, SECRET);
    expect(token).toBe(`${TENANT}.${INVITE}.${SECRET}`);
    expect(parseInvitationToken(token)).toEqual({ tenantId: TENANT, invitationId: INVITE, secret: SECRET });
  });

  it('anything else is not a token', () => {
    for (const bad of [
      '',
      SECRET,
      `${TENANT}.${INVITE}`,
      `${TENANT}.${INVITE}.short`,
      `${TENANT}.${INVITE}.${SECRET}.x`,
      `t.${INVITE}.${SECRET}`,
      `${TENANT}.${INVITE}.${SECRET.slice(0, 21)}`,
      `${TENANT}.${INVITE}.${SECRET}=`,
    ]) {
      expect(parseInvitationToken(bad), bad).toBeNull();
    }
    expect(() => invitationToken(TENANT, INVITE, 'short')).toThrow(RangeError);
  });
});

describe('the owner’s view', () => {
  it('shows the status and when it ends, never the token hash', () => {
    const inv: Invitation = {
      tenantId: TENANT,
      id: INVITE,
      role: 'care_staff',
      name: 'Phạm Văn Đức',
      phone: '+84912345678',
      managerUserId: 'mgr-1',
      tokenHash: 'f'.repeat(64),
      createdAt: '2026-12-09T03:00:00.000Z',
      createdBy: 'owner-1',
      validUntil: '2026-12-16T03:00:00.000Z',
      usedAt: '2026-12-10T03:00:00.000Z',
      usedBy: 'care-1',
    };
    expect(invitationView(inv, '2026-12-11T00:00:00.000Z')).toEqual({
      id: INVITE,
      tenantId: TENANT,
      role: 'care_staff',
      name: 'Phạm Văn Đức',
      phone: '+84912345678',
      managerUserId: 'mgr-1',
      status: 'accepted',
      expiresAt: '2026-12-16T03:00:00.000Z',
      createdAt: '2026-12-09T03:00:00.000Z',
      createdBy: 'owner-1',
      acceptedAt: '2026-12-10T03:00:00.000Z',
      acceptedBy: 'care-1',
    });
  });
});
