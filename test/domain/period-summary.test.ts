import { describe, expect, it } from 'vitest';
import type { Membership, Role } from '../../domain/entities/roster';
import { periodSeenBy } from '../../domain/period-summary';

const member = (...roles: Role[]): Membership => ({ tenantId: 'T', userId: 'u', roles });
const record = {
  id: '2026-10',
  state: 'closed',
  closedAt: '2026-11-01T00:10:00Z',
  statements: 12,
  total: 3_400_000,
  byKind: { commission: 3_400_000 },
};

describe('periodSeenBy', () => {
  it('the owner sees the close’s business-wide summary', () => {
    expect(periodSeenBy(member('owner'), record)).toEqual(record);
    expect(periodSeenBy(member('manager', 'owner'), record)).toEqual(record);
  });

  it('managers and care staff see the month, its state and dates only', () => {
    const seen = { id: '2026-10', state: 'closed', closedAt: '2026-11-01T00:10:00Z' };
    expect(periodSeenBy(member('manager'), record)).toEqual(seen);
    expect(periodSeenBy(member('care_staff'), record)).toEqual(seen);
  });
});
