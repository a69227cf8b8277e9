import { describe, expect, it } from 'vitest';
import {
  assignCareStaff,
  careStaffAssignmentRefusal,
  changeStatus,
  collaboratorChangeRefusal,
  COLLABORATOR_STATUSES,
  newCollaborator,
  STATUS_ACTIONS,
  UpdateCollaboratorInput,
  updateProfile,
  type Collaborator,
  type CollaboratorChange,
  type CollaboratorStatus,
  type StatusAction,
} from '../../domain/entities/collaborator';
import type { Membership, Role } from '../../domain/entities/roster';
import { DomainError } from '../../domain/errors';

const T0 = '2026-11-01T08:00:00.000Z';
const T1 = '2026-11-02T08:00:00.000Z';

function ctv(status: CollaboratorStatus = 'approved', extra: Partial<Collaborator> = {}): Collaborator {
  return {
    ...newCollaborator({
      id: 'C1',
      tenantId: 'T1',
      refId: 'HOA23456',
      input: { name: 'Nguyễn Thị Hoa', phone: '+84912345678' },
      status,
      source: 'manual',
      careStaffUserId: 'care-a',
      managerUserId: 'mgr-1',
      at: T0,
      by: 'owner',
    }),
    ...extra,
  };
}

const member = (userId: string, ...roles: Role[]): Membership => ({ tenantId: 'T1', userId, roles });

describe('status actions', () => {
  // every (state, action) pair: the states each action may start from, and nothing else
  const LEGAL: Record<StatusAction, CollaboratorStatus[]> = {
    approve: ['registered', 'paused'],
    pause: ['approved'],
    resume: ['paused'],
    block: ['registered', 'approved', 'paused'],
  };
  const TARGET: Record<StatusAction, CollaboratorStatus> = { approve: 'approved', pause: 'paused', resume: 'approved', block: 'blocked' };

  for (const action of Object.keys(STATUS_ACTIONS) as StatusAction[]) {
    for (const from of COLLABORATOR_STATUSES) {
      const legal = LEGAL[action].includes(from);
      it(`${action} from ${from}: ${legal ? `→ ${TARGET[action]}` : '422'}`, () => {
        const before = ctv(from);
        if (!legal) {
          expect(() => changeStatus(before, action, T1, 'mgr-1')).toThrow(DomainError);
          try {
            changeStatus(before, action, T1, 'mgr-1');
          } catch (e) {
            expect((e as DomainError).kind).toBe('rule_violation');
            expect((e as DomainError).errors[0]!.path).toBe('status');
          }
          return;
        }
        const after = changeStatus(before, action, T1, 'mgr-1', 'lý do');
        expect(after.status).toBe(TARGET[action]);
        expect(after.version).toBe(before.version + 1);
        expect(after.statusHistory.at(-1)).toEqual({ status: TARGET[action], at: T1, by: 'mgr-1', reason: 'lý do' });
        expect(after.statusHistory.slice(0, -1)).toEqual(before.statusHistory);
        expect(after).toMatchObject({ updatedAt: T1, updatedBy: 'mgr-1' });
      });
    }
  }

  it('the first approval time stays through pause and re-approval', () => {
    const registered = ctv('registered');
    expect(registered.approvedAt).toBeUndefined();
    const approved = changeStatus(registered, 'approve', T1, 'o');
    expect(approved.approvedAt).toBe(T1);
    const again = changeStatus(changeStatus(approved, 'pause', '2026-11-03T00:00:00Z', 'o'), 'approve', '2026-11-04T00:00:00Z', 'o');
    expect(again.approvedAt).toBe(T1);
    expect(again.statusHistory.map((h) => h.status)).toEqual(['registered', 'approved', 'paused', 'approved']);
  });
});

describe('profile updates', () => {
  it('set name, level, email, bank, note; null clears the optional ones; the rest is kept', () => {
    const before = ctv('approved', {
      email: 'hoa@example.vn',
      note: 'cũ',
      bank: { bankName: 'VCB', accountNumber: '0123456', accountName: 'HOA' },
    });
    const after = updateProfile(before, { name: 'Nguyễn Thị Hoà', level: 3, email: null, note: 'mới' }, T1, 'care-a');
    expect(after).toMatchObject({ name: 'Nguyễn Thị Hoà', level: 3, note: 'mới', bank: before.bank, phone: before.phone, version: 2 });
    expect(after).not.toHaveProperty('email');
    expect(updateProfile(before, { bank: null }, T1, 'o')).not.toHaveProperty('bank');
    expect(before.email).toBe('hoa@example.vn'); // not mutated
  });

  it('the input needs something to change and refuses unknown fields (the phone is the identity)', () => {
    expect(UpdateCollaboratorInput.safeParse({ version: 2 }).success).toBe(false);
    expect(UpdateCollaboratorInput.safeParse({ phone: '0912345678' }).success).toBe(false);
    expect(UpdateCollaboratorInput.safeParse({ level: 4 }).success).toBe(false);
    expect(UpdateCollaboratorInput.parse({ referrerRefId: ' hoa 23456 ' })).toEqual({ referrerRefId: 'HOA23456' });
    expect(UpdateCollaboratorInput.parse({ email: null })).toEqual({ email: null });
  });
});

describe('care staff assignment', () => {
  it('keeps every assignment with who/when, takes the manager given, and drops a stale one', () => {
    const before = ctv('approved', { careStaffHistory: [{ careStaffUserId: 'care-a', managerUserId: 'mgr-1', at: T0, by: 'owner' }] });
    const moved = assignCareStaff(before, { careStaffUserId: 'care-b', managerUserId: 'mgr-2' }, T1, 'owner', 'chia lại');
    expect(moved).toMatchObject({ careStaffUserId: 'care-b', managerUserId: 'mgr-2', version: 2 });
    expect(moved.careStaffHistory).toEqual([
      { careStaffUserId: 'care-a', managerUserId: 'mgr-1', at: T0, by: 'owner' },
      { careStaffUserId: 'care-b', managerUserId: 'mgr-2', at: T1, by: 'owner', reason: 'chia lại' },
    ]);
    const noTeam = assignCareStaff(moved, { careStaffUserId: 'care-c' }, T1, 'owner');
    expect(noTeam).not.toHaveProperty('managerUserId');
    expect(() => assignCareStaff(noTeam, { careStaffUserId: 'care-c' }, T1, 'owner')).toThrow(/already/);
  });

  it('a new CTV with care staff starts its history; without, it has none', () => {
    expect(ctv().careStaffHistory).toEqual([{ careStaffUserId: 'care-a', managerUserId: 'mgr-1', at: T0, by: 'owner' }]);
    const unassigned = newCollaborator({
      id: 'X',
      tenantId: 'T',
      refId: 'ABCD2345',
      input: { name: 'A', phone: '+84912345678' },
      status: 'registered',
      source: 'registration',
      at: T0,
      by: 'self',
    });
    expect(unassigned).not.toHaveProperty('careStaffHistory');
  });

  it('a manager assigns only care staff of their own team; the owner anyone', () => {
    expect(careStaffAssignmentRefusal(member('o', 'owner'), {})).toBeNull();
    expect(careStaffAssignmentRefusal(member('mgr-1', 'manager'), { managerUserId: 'mgr-1' })).toBeNull();
    expect(careStaffAssignmentRefusal(member('mgr-1', 'manager'), { managerUserId: 'mgr-2' })).toMatch(/own team/);
    expect(careStaffAssignmentRefusal(member('mgr-1', 'manager'), {})).toMatch(/own team/);
  });
});

describe('who may change a CTV', () => {
  const target = { careStaffUserId: 'care-a', managerUserId: 'mgr-1', userId: 'ctv-self' };
  const CHANGES: CollaboratorChange[] = ['approve', 'pause', 'resume', 'block', 'update', 'level', 'assignCareStaff', 'referrer'];
  const allowed = (m: Membership) => CHANGES.filter((c) => collaboratorChangeRefusal(m, target, c) === null);

  it('owner: everything; manager of the team: all but the referrer; care staff: status (not block) and contact details', () => {
    expect(allowed(member('o', 'owner'))).toEqual(CHANGES);
    expect(allowed(member('mgr-1', 'manager'))).toEqual(CHANGES.filter((c) => c !== 'referrer'));
    expect(allowed(member('care-a', 'care_staff'))).toEqual(['approve', 'pause', 'resume', 'update']);
  });

  it('a manager of another team, other care staff, sellers and CTVs: nothing', () => {
    for (const m of [
      member('mgr-2', 'manager'),
      member('care-b', 'care_staff'),
      member('s', 'seller'),
      member('ctv-other', 'collaborator'),
    ]) {
      expect(allowed(m), m.userId).toEqual([]);
    }
  });

  it('nobody changes their own record, whatever other roles they hold', () => {
    expect(allowed(member('ctv-self', 'collaborator'))).toEqual([]);
    expect(allowed(member('ctv-self', 'owner', 'collaborator'))).toEqual([]);
    expect(allowed({ tenantId: 'T1', userId: 'care-a', roles: ['care_staff', 'collaborator'] })).toEqual([
      'approve',
      'pause',
      'resume',
      'update',
    ]);
    expect(collaboratorChangeRefusal(member('care-a', 'care_staff'), { ...target, userId: 'care-a' }, 'pause')).toMatch(/your own/);
  });
});
