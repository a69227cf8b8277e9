import { describe, expect, it } from 'vitest';
import type { Membership, Role } from '../../../domain/entities/roster';
import { canSeeObjectivesOf, objectiveListScope } from '../../../domain/okr/access';

const member = (userId: string, ...roles: Role[]): Membership => ({ tenantId: 'T', userId, roles });

describe('whose objectives a member sees', () => {
  it('the owner every manager’s; a manager their own', () => {
    expect(canSeeObjectivesOf(member('o', 'owner'), 'm1')).toBe(true);
    expect(canSeeObjectivesOf(member('m1', 'manager'), 'm1')).toBe(true);
    expect(canSeeObjectivesOf(member('m1', 'manager'), 'm2')).toBe(false);
    expect(canSeeObjectivesOf(member('m1', 'care_staff'), 'm1')).toBe(false);
  });

  it('a list: the owner’s choice (all when none), a manager’s own, nothing when a manager asks for another', () => {
    expect(objectiveListScope(member('o', 'owner'), undefined)).toEqual({ managerUserId: undefined });
    expect(objectiveListScope(member('o', 'owner'), 'm2')).toEqual({ managerUserId: 'm2' });
    expect(objectiveListScope(member('m1', 'manager'), undefined)).toEqual({ managerUserId: 'm1' });
    expect(objectiveListScope(member('m1', 'manager'), 'm1')).toEqual({ managerUserId: 'm1' });
    expect(objectiveListScope(member('m1', 'manager'), 'm2')).toBeNull();
  });
});
