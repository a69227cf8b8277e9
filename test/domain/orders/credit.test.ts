/**
 * The credit of an order change once its facts are read (domain/orders/credit.ts): the attribution
 * it stores and the customer binding it writes, on plain inputs worked by hand.
 */
import { describe, expect, it } from 'vitest';
import type { AttributionDecision } from '../../../domain/orders/attribution';
import type { CustomerBinding } from '../../../domain/orders/binding';
import { attributionOf, bindingAfter } from '../../../domain/orders/credit';
import type { OrderAttribution } from '../../../domain/orders/pricing';

const PHONE = '+84901234567';
const credited: AttributionDecision = { collaboratorId: 'C1', rule: 'ref_id', reason: 'credited', selfOrder: false };
const staff = { level: 2 as const, careStaffUserId: 'U-care', managerUserId: 'U-mgr' };
/** C1's binding of the customer, from order O1 completed on 1 Sep 2026, for a year, at most 2 repurchases. */
const binding: CustomerBinding = {
  customerPhone: PHONE,
  collaboratorId: 'C1',
  orderId: 'O1',
  startsAt: '2026-09-01T03:00:00.000Z',
  endsAt: '2027-09-01T03:00:00.000Z',
  maxRepurchases: 2,
  repurchaseOrderIds: [],
};

describe('the attribution of a decision', () => {
  it('is frozen once the order accrues, with the credited CTV’s level and staff as they are now', () => {
    const a = attributionOf(
      credited,
      { orderId: 'O2', record: { state: 'approved', approvedAt: '2026-10-10T03:00:00.000Z' } },
      staff,
      null,
    );
    expect(a).toEqual({
      ...credited,
      frozen: true,
      collaboratorLevel: 2,
      isRepurchase: false,
      careStaffUserId: 'U-care',
      managerUserId: 'U-mgr',
    });
  });

  it('is a repurchase when approved inside the binding of the CTV it credits, not before it accrues', () => {
    const approved = { state: 'approved' as const, approvedAt: '2026-10-10T03:00:00.000Z' };
    expect(attributionOf(credited, { orderId: 'O2', record: approved }, staff, binding).isRepurchase).toBe(true);
    // another CTV's binding: not a repurchase
    expect(attributionOf(credited, { orderId: 'O2', record: approved }, staff, { ...binding, collaboratorId: 'C9' }).isRepurchase).toBe(
      false,
    );
    const open = attributionOf(credited, { orderId: 'O2', record: { state: 'processing', approvedAt: null } }, staff, binding);
    expect([open.frozen, open.isRepurchase]).toEqual([false, false]);
  });

  it('credits level 1 and no staff when nobody is credited', () => {
    const none: AttributionDecision = { collaboratorId: null, rule: null, reason: 'no_hint', selfOrder: false };
    const a = attributionOf(none, { orderId: 'O2', record: { state: 'approved', approvedAt: '2026-10-10T03:00:00.000Z' } }, null, null);
    expect([a.collaboratorLevel, a.careStaffUserId, a.managerUserId]).toEqual([1, null, null]);
  });
});

describe('the binding an order change writes', () => {
  const attribution = (over: Partial<OrderAttribution> = {}): OrderAttribution => ({
    ...credited,
    frozen: true,
    collaboratorLevel: 1,
    isRepurchase: false,
    careStaffUserId: null,
    managerUserId: null,
    ...over,
  });
  const completed = { state: 'completed' as const, completedAt: '2026-10-05T03:00:00.000Z' };
  const terms = { bindingDays: 365, maxRepurchases: 2 };

  it('binds the customer at the first completed, credited order, for the plan’s days', () => {
    const out = bindingAfter({
      orderId: 'O2',
      record: completed,
      attribution: attribution(),
      decidedNow: false,
      customerPhone: PHONE,
      stored: null,
      terms,
    });
    // 5 Oct 2026 03:00 UTC + 365 days = 5 Oct 2027 03:00 UTC (2027 is not a leap year; no DST in Vietnam)
    expect(out).toEqual({
      customerPhone: PHONE,
      collaboratorId: 'C1',
      orderId: 'O2',
      startsAt: '2026-10-05T03:00:00.000Z',
      endsAt: '2027-10-05T03:00:00.000Z',
      maxRepurchases: 2,
      repurchaseOrderIds: [],
    });
  });

  it('binds nobody for a self-order, without a Vietnamese phone, before completion, or when it bound already', () => {
    const base = {
      orderId: 'O2',
      record: completed,
      attribution: attribution(),
      decidedNow: false,
      customerPhone: PHONE,
      stored: null,
      terms,
    };
    expect(bindingAfter({ ...base, attribution: attribution({ selfOrder: true }) })).toBeNull();
    expect(bindingAfter({ ...base, customerPhone: null })).toBeNull();
    expect(bindingAfter({ ...base, record: { state: 'approved', completedAt: null } })).toBeNull();
    expect(bindingAfter({ ...base, stored: { ...binding, orderId: 'O2' } })).toBeNull();
    // the customer is bound to someone at the completion: no second binding
    expect(bindingAfter({ ...base, stored: binding })).toBeNull();
  });

  it('counts a repurchase credited now under the cap, once', () => {
    const repurchase = { orderId: 'O3', record: completed, attribution: attribution({ isRepurchase: true }), customerPhone: PHONE, terms };
    expect(bindingAfter({ ...repurchase, decidedNow: true, stored: binding })).toEqual({ ...binding, repurchaseOrderIds: ['O3'] });
    // counted already, or credited by an earlier change (frozen): nothing to write
    expect(bindingAfter({ ...repurchase, decidedNow: true, stored: { ...binding, repurchaseOrderIds: ['O3'] } })).toBeNull();
    expect(bindingAfter({ ...repurchase, decidedNow: false, stored: binding })).toBeNull();
    // without a cap nothing is counted
    expect(bindingAfter({ ...repurchase, decidedNow: true, stored: { ...binding, maxRepurchases: null } })).toBeNull();
  });
});
