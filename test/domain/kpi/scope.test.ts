import { describe, expect, it } from 'vitest';
import type { Membership, Role } from '../../../domain/entities/roster';
import { managerQueryOf, staffScopeOf } from '../../../domain/kpi/scope';

const member = (userId: string, ...roles: Role[]): Membership => ({ tenantId: 'T', userId, roles });

describe('whose results a member sees', () => {
  it('care staff: the owner all, a manager their team, anyone else themselves (the widest role wins)', () => {
    expect(staffScopeOf(member('o', 'owner', 'manager'))).toEqual({ kind: 'all' });
    expect(staffScopeOf(member('m1', 'manager', 'care_staff'))).toEqual({ kind: 'team', managerUserId: 'm1' });
    expect(staffScopeOf(member('cs1', 'care_staff'))).toEqual({ kind: 'self', userId: 'cs1' });
  });

  it('managers: the owner any (or all), a manager only themself', () => {
    expect(managerQueryOf(member('o', 'owner'), undefined)).toEqual({ one: undefined, visible: true });
    expect(managerQueryOf(member('o', 'owner'), 'm2')).toEqual({ one: 'm2', visible: true });
    expect(managerQueryOf(member('m1', 'manager'), undefined)).toEqual({ one: 'm1', visible: true });
    expect(managerQueryOf(member('m1', 'manager'), 'm1')).toEqual({ one: 'm1', visible: true });
    expect(managerQueryOf(member('m1', 'manager'), 'm2')).toEqual({ one: 'm1', visible: false });
  });
});
