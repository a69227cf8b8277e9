import { describe, expect, it } from 'vitest';
import {
  createBinding,
  isBindingActive,
  isRepurchase,
  recordRepurchase,
  releaseRepurchase,
  shouldBind,
  type BindingOrderFacts,
} from '../../../domain/orders/binding';
import { domainErrorOf } from './helpers';

const first: BindingOrderFacts = {
  orderId: 'ORD-1',
  customerPhone: '+84912345678',
  collaboratorId: 'CTV-HOA',
  completedAt: '2026-01-10T10:00:00+07:00',
};

describe('creating a binding', () => {
  it('lasts 365 days from the completion of the first order by default', () => {
    const b = createBinding(first);
    expect(b).toEqual({
      customerPhone: '+84912345678',
      collaboratorId: 'CTV-HOA',
      orderId: 'ORD-1',
      startsAt: '2026-01-10T10:00:00+07:00',
      endsAt: '2027-01-10T03:00:00.000Z', // 2026 has 365 days; 10:00 +07:00 is 03:00 UTC
      maxRepurchases: null,
      repurchaseOrderIds: [],
    });
  });

  it('takes the plan’s binding days, 0 meaning lifetime', () => {
    expect(createBinding(first, { bindingDays: 30 }).endsAt).toBe('2026-02-09T03:00:00.000Z');
    const lifetime = createBinding(first, { bindingDays: 0 });
    expect(lifetime.endsAt).toBeNull();
    expect(isBindingActive(lifetime, '2090-01-01T00:00:00Z')).toBe(true);
  });

  it('refuses an order that is not credited or not completed, and bad terms', () => {
    expect(domainErrorOf(() => createBinding({ ...first, collaboratorId: null })).errors[0]!.path).toBe('collaboratorId');
    expect(domainErrorOf(() => createBinding({ ...first, completedAt: null })).errors[0]!.path).toBe('completedAt');
    expect(domainErrorOf(() => createBinding(first, { bindingDays: -1 })).errors[0]!.path).toBe('bindingDays');
    expect(domainErrorOf(() => createBinding(first, { maxRepurchases: 0 })).errors[0]!.path).toBe('maxRepurchases');
  });
});

describe('whether a binding is active', () => {
  const b = createBinding(first, { bindingDays: 30 });
  it('from its start, up to but not including its end', () => {
    expect(isBindingActive(b, '2026-01-10T09:59:59+07:00')).toBe(false);
    expect(isBindingActive(b, '2026-01-10T10:00:00+07:00')).toBe(true);
    expect(isBindingActive(b, Date.UTC(2026, 1, 9, 2, 59, 59, 999))).toBe(true);
    expect(isBindingActive(b, '2026-02-09T03:00:00Z')).toBe(false);
  });
});

describe('shouldBind: the first completed order credited to a CTV binds its customer', () => {
  it('binds when there is no active binding', () => {
    expect(shouldBind(null, first)).toBe(true);
    expect(shouldBind(null, { ...first, collaboratorId: null })).toBe(false);
    expect(shouldBind(null, { ...first, completedAt: null })).toBe(false);
  });

  it('does not bind again while a binding holds; binds again after it ended', () => {
    const b = createBinding(first, { bindingDays: 30 });
    expect(shouldBind(b, { ...first, orderId: 'ORD-2', collaboratorId: 'CTV-LAN', completedAt: '2026-01-20T10:00:00+07:00' })).toBe(false);
    expect(shouldBind(b, { ...first, orderId: 'ORD-3', collaboratorId: 'CTV-LAN', completedAt: '2026-03-01T10:00:00+07:00' })).toBe(true);
  });
});

describe('repurchases', () => {
  const b = createBinding(first);
  const order = (orderId: string, approvedAt = '2026-05-01T09:00:00+07:00', collaboratorId: string | null = 'CTV-HOA') => ({
    orderId,
    approvedAt,
    collaboratorId,
  });

  it('a later order of the bound customer credited to the bound CTV is a repurchase', () => {
    expect(isRepurchase(b, order('ORD-2'))).toBe(true);
  });

  it('not the binding order itself, not another CTV, not outside the binding, not without one', () => {
    expect(isRepurchase(b, order('ORD-1'))).toBe(false);
    expect(isRepurchase(b, order('ORD-2', undefined, 'CTV-LAN'))).toBe(false);
    expect(isRepurchase(b, order('ORD-2', undefined, null))).toBe(false);
    expect(isRepurchase(b, order('ORD-2', '2026-01-09T09:00:00+07:00'))).toBe(false);
    expect(isRepurchase(b, order('ORD-2', '2027-01-10T03:00:00Z'))).toBe(false);
    expect(isRepurchase(null, order('ORD-2'))).toBe(false);
  });

  it('with a cap, the binding ends after N repurchases; counted ones stay repurchases', () => {
    let capped = createBinding(first, { maxRepurchases: 2 });
    capped = recordRepurchase(capped, 'ORD-2');
    capped = recordRepurchase(capped, 'ORD-2'); // counted once
    expect(capped.repurchaseOrderIds).toEqual(['ORD-2']);
    expect(isBindingActive(capped, '2026-05-01T00:00:00Z')).toBe(true);
    capped = recordRepurchase(capped, 'ORD-3');
    expect(isBindingActive(capped, '2026-05-01T00:00:00Z')).toBe(false);
    expect(isRepurchase(capped, order('ORD-3'))).toBe(true);
    expect(isRepurchase(capped, order('ORD-4'))).toBe(false);
    // ORD-3 was voided: its place is free again
    capped = releaseRepurchase(capped, 'ORD-3');
    expect(isRepurchase(capped, order('ORD-4'))).toBe(true);
  });

  it('without a cap nothing needs counting', () => {
    expect(recordRepurchase(b, 'ORD-2')).toBe(b);
  });
});
