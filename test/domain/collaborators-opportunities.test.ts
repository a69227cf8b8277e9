import { describe, expect, it } from 'vitest';
import {
  canMoveOpportunity,
  canSeeOpportunity,
  CreateOpportunityInput,
  MoveOpportunityInput,
  moveOpportunity,
  newOpportunity,
  OPPORTUNITY_STATES,
  opportunityScope,
  type Opportunity,
  type OpportunityState,
} from '../../domain/entities/opportunity';
import type { Membership, Role } from '../../domain/entities/roster';
import { DomainError } from '../../domain/errors';

const T0 = '2026-11-01T08:00:00.000Z';
const T1 = '2026-11-01T09:00:00.000Z';
const base = newOpportunity({
  id: 'O1',
  tenantId: 'T',
  collaborator: { id: 'C1', userId: 'ctv-1', careStaffUserId: 'care-a', managerUserId: 'mgr-1' },
  input: CreateOpportunityInput.parse({ customerName: ' Trần Văn Bình ', customerPhone: '0912 345 678', productInterest: 'Serum' }),
  at: T0,
});
const inState = (state: OpportunityState): Opportunity => ({ ...base, state });
const member = (userId: string, ...roles: Role[]): Membership => ({ tenantId: 'T', userId, roles });

describe('opportunities', () => {
  it('start new, assigned to the CTV’s care staff and their manager, with the customer phone normalised', () => {
    expect(base).toMatchObject({
      state: 'new',
      collaboratorId: 'C1',
      collaboratorUserId: 'ctv-1',
      careStaffUserId: 'care-a',
      managerUserId: 'mgr-1',
      customerName: 'Trần Văn Bình',
      customerPhone: '+84912345678',
      version: 1,
      history: [{ state: 'new', at: T0, by: 'ctv-1' }],
    });
  });

  const LEGAL: Record<OpportunityState, OpportunityState[]> = { new: ['contacted', 'lost'], contacted: ['won', 'lost'], won: [], lost: [] };
  for (const from of OPPORTUNITY_STATES) {
    for (const to of OPPORTUNITY_STATES) {
      const legal = LEGAL[from].includes(to);
      it(`${from} → ${to}: ${legal ? 'allowed' : '422'}`, () => {
        const move = { state: to, ...(to === 'won' ? { orderId: 'HD-1' } : {}) };
        if (!legal) {
          expect(() => moveOpportunity(inState(from), move, T1, 'care-a')).toThrow(DomainError);
          return;
        }
        const next = moveOpportunity(inState(from), { ...move, reason: 'gọi rồi' }, T1, 'care-a');
        expect(next).toMatchObject({ state: to, version: 2, updatedAt: T1 });
        expect(next.history.at(-1)).toEqual({ state: to, at: T1, by: 'care-a', reason: 'gọi rồi' });
        if (to === 'won') expect(next.orderId).toBe('HD-1');
        else expect(next).not.toHaveProperty('orderId');
      });
    }
  }

  it('the move input: won needs an order id, and only won takes one; new is not a move', () => {
    expect(MoveOpportunityInput.safeParse({ state: 'won' }).error?.issues[0]?.path).toEqual(['orderId']);
    expect(MoveOpportunityInput.safeParse({ state: 'lost', orderId: 'HD-1' }).success).toBe(false);
    expect(MoveOpportunityInput.safeParse({ state: 'new' }).success).toBe(false);
    expect(MoveOpportunityInput.parse({ state: 'won', orderId: ' HD-1 ', version: 2 })).toEqual({
      state: 'won',
      orderId: 'HD-1',
      version: 2,
    });
  });

  it('who sees and who moves one', () => {
    const cases: [Membership, boolean, boolean][] = [
      [member('o', 'owner'), true, true],
      [member('mgr-1', 'manager'), true, true],
      [member('mgr-2', 'manager'), false, false],
      [member('care-a', 'care_staff'), true, true],
      [member('care-b', 'care_staff'), false, false],
      [member('ctv-1', 'collaborator'), true, false],
      [member('ctv-2', 'collaborator'), false, false],
      [member('s', 'seller'), false, false],
      [member('ctv-1', 'owner', 'collaborator'), true, false],
    ];
    for (const [m, sees, moves] of cases) {
      expect(canSeeOpportunity(m, base), `${m.userId} sees`).toBe(sees);
      expect(canMoveOpportunity(m, base), `${m.userId} moves`).toBe(moves);
    }
  });

  it('list scopes: owner all, manager their team, care staff their own, a CTV theirs', () => {
    expect(opportunityScope(member('o', 'owner', 'manager'))).toEqual({ kind: 'all' });
    expect(opportunityScope(member('m', 'manager', 'care_staff'))).toEqual({ kind: 'manager', managerUserId: 'm' });
    expect(opportunityScope(member('c', 'care_staff', 'collaborator'))).toEqual({ kind: 'care_staff', careStaffUserId: 'c' });
    expect(opportunityScope(member('x', 'collaborator'))).toEqual({ kind: 'collaborator' });
  });
});
