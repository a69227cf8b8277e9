import { describe, expect, it } from 'vitest';
import type { Membership, Role } from '../../domain/entities/roster';
import { DomainError } from '../../domain/errors';
import { assertRateable, isOrderStaff } from '../../domain/feedback';

const member = (userId: string, ...roles: Role[]): Membership => ({ tenantId: 'T', userId, roles });
const credit = { managerUserId: 'm1', careStaffUserId: 'cs1' };

describe('who rates an order, and which orders', () => {
  it('only a confirmed order can be rated', () => {
    for (const state of ['approved', 'completed', 'returned'] as const) expect(() => assertRateable({ state })).not.toThrow();
    for (const state of ['processing', 'void'] as const) {
      expect(() => assertRateable({ state })).toThrow(DomainError);
      try {
        assertRateable({ state });
      } catch (error) {
        expect((error as DomainError).kind).toBe('rule_violation');
        expect((error as DomainError).errors[0]?.path).toBe('orderId');
      }
    }
  });

  it('the owner, and the manager or care staff the order was credited under, record it as its staff', () => {
    expect(isOrderStaff(member('o', 'owner'), null)).toBe(true);
    expect(isOrderStaff(member('m1', 'manager'), credit)).toBe(true);
    expect(isOrderStaff(member('cs1', 'care_staff'), credit)).toBe(true);
    expect(isOrderStaff(member('m2', 'manager'), credit)).toBe(false);
    expect(isOrderStaff(member('cs2', 'care_staff'), credit)).toBe(false);
    // the role must match the credit: a care staff named as the order's manager is not its manager
    expect(isOrderStaff(member('m1', 'care_staff'), credit)).toBe(false);
    expect(isOrderStaff(member('m1', 'manager'), null)).toBe(false);
    expect(isOrderStaff(member('s1', 'seller'), credit)).toBe(false);
  });
});
