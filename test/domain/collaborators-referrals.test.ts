import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { changeReferrer, newCollaborator, referralRefusal, toReferee } from '../../domain/entities/collaborator';
import type { DomainError } from '../../domain/errors';

const T0 = '2026-11-01T08:00:00.000Z';
const ctv = (id: string, referrerId?: string) =>
  newCollaborator({
    id,
    tenantId: 'T',
    refId: `REF${id}`,
    input: { name: 'Hoa', phone: '+84912345678', ...(referrerId ? { referrerRefId: `REF${referrerId}` } : {}) },
    status: 'approved',
    source: 'manual',
    referrerId,
    at: T0,
    by: 'o',
  });

describe('referral cycles', () => {
  it('self-referral is refused', () => {
    expect(referralRefusal('A', 'A', [])).toMatch(/themselves/);
  });

  it('a referrer in the CTV’s own downline (its upline contains the CTV) is refused', () => {
    // tree: A ← B ← C ← D (D referred by C …); making A referred by D closes a cycle
    expect(referralRefusal('A', 'D', ['C', 'B', 'A'])).toMatch(/cycle/);
    expect(referralRefusal('B', 'D', ['C', 'B', 'A'])).toMatch(/cycle/);
    expect(referralRefusal('A', 'B', ['A'])).toMatch(/cycle/);
  });

  it('a referrer elsewhere is fine, including one above the CTV', () => {
    expect(referralRefusal('C', 'A', [])).toBeNull();
    expect(referralRefusal('C', 'X', ['Y', 'Z'])).toBeNull();
  });

  it('changeReferrer sets or removes the referrer, bumping the version; a cycle is a 422 naming referrerRefId', () => {
    const b = ctv('B', 'A');
    const moved = changeReferrer(b, { id: 'X', refId: 'REFX', chain: [] }, T0, 'owner');
    expect(moved).toMatchObject({ referrerId: 'X', referrerRefId: 'REFX', version: 2, updatedBy: 'owner' });
    const removed = changeReferrer(b, null, T0, 'owner');
    expect(removed).not.toHaveProperty('referrerId');
    expect(removed).not.toHaveProperty('referrerRefId');
    try {
      changeReferrer(b, { id: 'D', refId: 'REFD', chain: ['C', 'B'] }, T0, 'owner');
      expect.unreachable();
    } catch (e) {
      expect((e as DomainError).kind).toBe('rule_violation');
      expect((e as DomainError).errors).toEqual([{ path: 'referrerRefId', message: expect.stringMatching(/cycle/) }]);
    }
  });

  it('property: on any forest, the refusal matches exactly "the referrer is the CTV or below it"', () => {
    // a random forest: node i's parent is a smaller index or none, so it has no cycle
    const forest = fc.integer({ min: 1, max: 30 }).chain((size) =>
      fc.tuple(
        fc
          .array(fc.option(fc.nat(), { nil: undefined }), { minLength: size, maxLength: size })
          .map((raw) => raw.map((p, i) => (p === undefined || i === 0 ? undefined : p % i))),
        fc.nat({ max: size - 1 }),
        fc.nat({ max: size - 1 }),
      ),
    );
    fc.assert(
      fc.property(forest, ([parents, child, referrer]) => {
        const upline = (i: number) => {
          const chain: number[] = [];
          for (let p = parents[i]; p !== undefined; p = parents[p]) chain.push(p);
          return chain;
        };
        const isBelowOrSelf = referrer === child || upline(referrer).includes(child);
        const refusal = referralRefusal(String(child), String(referrer), upline(referrer).map(String));
        expect(refusal !== null).toBe(isBelowOrSelf);
      }),
    );
  });
});

describe('referees as others see them', () => {
  it('carry no phone, email, bank or note', () => {
    const c = { ...ctv('B', 'A'), email: 'b@example.vn', note: 'x', bank: { bankName: 'VCB', accountNumber: '0123456', accountName: 'B' } };
    const view = toReferee(c, 2);
    expect(view).toEqual({
      id: 'B',
      refId: 'REFB',
      name: 'Hoa',
      status: 'approved',
      level: 1,
      referrerId: 'A',
      depth: 2,
      createdAt: T0,
      approvedAt: T0,
    });
  });
});
