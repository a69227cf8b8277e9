import { describe, expect, it } from 'vitest';
import { normalizeCustomerPhone, vnPhoneOf } from '../../../domain/phone';
import { OrderEvent, parseOrderEvent, type OrderEventInput } from '../../../domain/orders/event';
import { CreateManualOrderInput } from '../../../domain/orders/manual';
import { applyRevision, manualRevision, orderToEvent } from '../../../domain/orders/order';
import { createBinding, shouldBind, type BindingOrderFacts } from '../../../domain/orders/binding';
import { apiExample, domainErrorOf } from './helpers';

const RECEIVED = '2026-11-03T12:00:00+07:00';

const withCustomer = (customer: Record<string, unknown>): OrderEventInput => ({ ...apiExample(), customer }) as OrderEventInput;

describe('normalizeCustomerPhone', () => {
  it('normalises a Vietnamese number to +84…, however it is written', () => {
    for (const input of ['0912345678', '+84 912 345 678', '84-912-345-678', '0084 912 345 678', '(024) 3825 1234', '+84 24 3825 1234']) {
      expect(normalizeCustomerPhone(input), input).toMatch(/^\+84(912345678|2438251234)$/);
    }
  });

  it('keeps a foreign number with its country code in E.164', () => {
    expect(normalizeCustomerPhone('+65 9123 4567')).toBe('+6591234567');
    expect(normalizeCustomerPhone('+1 (415) 555-2671')).toBe('+14155552671');
    expect(normalizeCustomerPhone('0065 9123 4567')).toBe('+6591234567'); // 00: the international prefix from Vietnam
    expect(normalizeCustomerPhone('+82-10-1234-5678')).toBe('+821012345678');
    expect(normalizeCustomerPhone('+683 7290')).toBe('+6837290'); // Niue: 7 digits in all
  });

  it('drops what is not a phone (null)', () => {
    for (const input of [
      '',
      '   ',
      'không có',
      '12345', // no country code, not Vietnamese
      '9123 4567', // a foreign local number: whose country?
      '+65 123', // too short
      '+1234567890123456', // 16 digits: longer than E.164 allows
      '+0 912 345 678', // no country code starts with 0
      '+84 123', // +84, but not in Vietnam's plan
      '+84 1 2345 6789',
      '+65 9123 4567 ext 2',
      '0912345678'.repeat(10),
    ]) {
      expect(normalizeCustomerPhone(input), JSON.stringify(input)).toBeNull();
    }
  });

  it('is idempotent, so an order read again keeps its phone', () => {
    for (const input of ['0912345678', '+65 9123 4567', '0065 9123 4567']) {
      const once = normalizeCustomerPhone(input)!;
      expect(normalizeCustomerPhone(once)).toBe(once);
    }
  });

  it('vnPhoneOf: only a Vietnamese phone names a customer who can be bound', () => {
    expect(vnPhoneOf('+84912345678')).toBe('+84912345678');
    expect(vnPhoneOf('0912345678')).toBe('+84912345678');
    expect(vnPhoneOf('+6591234567')).toBeNull();
    expect(vnPhoneOf(null)).toBeNull();
    expect(vnPhoneOf(undefined)).toBeNull();
  });
});

describe('the order event takes any customer phone', () => {
  it('missing, null, empty, foreign or not a phone: the event is valid', () => {
    const cases: [Record<string, unknown>, string | null][] = [
      [{ name: 'Khách lẻ' }, null],
      [{}, null],
      [{ phone: null }, null],
      [{ phone: '' }, null],
      [{ phone: '12345' }, null],
      [{ phone: 'hỏi chị Lan' }, null],
      [{ phone: '+65 9123 4567' }, '+6591234567'],
      [{ phone: '0912 345 678' }, '+84912345678'],
    ];
    for (const [customer, phone] of cases) {
      const e = parseOrderEvent(withCustomer(customer));
      expect(e.customer.phone, JSON.stringify(customer)).toBe(phone);
    }
    expect(parseOrderEvent(withCustomer({ name: 'Khách lẻ' })).customer).toEqual({ phone: null, name: 'Khách lẻ' });
  });

  it('still refuses a phone of the wrong JSON type, naming the field', () => {
    const r = OrderEvent.safeParse(withCustomer({ phone: 912345678 }));
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join('.'))).toEqual(['customer.phone']);
  });

  it('the stored order keeps the phone or null, and gives it back as an event', () => {
    for (const [input, phone] of [
      [undefined, null],
      ['+65 9123 4567', '+6591234567'],
      ['0912345678', '+84912345678'],
    ] as const) {
      const event = parseOrderEvent(withCustomer(input === undefined ? { name: 'Bình' } : { phone: input, name: 'Bình' }));
      const { order } = applyRevision(null, event, 'src-1', RECEIVED);
      expect(order.customer).toEqual({ phone, name: 'Bình' });
      // a manual change starts from the order as an event; it parses again to the same order
      const next = manualRevision(order, { action: 'complete' }, '2026-11-05T09:00:00+07:00');
      expect(next.customer.phone).toBe(phone);
      expect(parseOrderEvent(orderToEvent(order)).customer).toEqual({ phone, name: 'Bình' });
      expect(applyRevision(order, next, 'manual', RECEIVED).order.customer.phone).toBe(phone);
    }
  });

  it('a newer revision that drops the phone drops it from the order', () => {
    const first = applyRevision(null, parseOrderEvent(withCustomer({ phone: '0912345678' })), 'src-1', RECEIVED).order;
    const second = parseOrderEvent({ ...withCustomer({ phone: null }), revision: 4 });
    expect(applyRevision(first, second, 'src-1', RECEIVED).order.customer.phone).toBeNull();
  });
});

describe('a manual order: the phone is optional, but what care staff type must be a phone', () => {
  const manual = (customer: Record<string, unknown>) => {
    const { revision: _r, occurredAt: _o, ...rest } = apiExample();
    return CreateManualOrderInput.safeParse({ ...rest, customer });
  };

  it('takes no phone, a Vietnamese or a foreign one', () => {
    expect(manual({ name: 'Khách lẻ' }).data?.customer).toEqual({ phone: null, name: 'Khách lẻ' });
    expect(manual({ phone: null }).data?.customer.phone).toBeNull();
    expect(manual({ phone: '' }).data?.customer.phone).toBeNull();
    expect(manual({ phone: '0912 345 678' }).data?.customer.phone).toBe('+84912345678');
    expect(manual({ phone: '+65 9123 4567' }).data?.customer.phone).toBe('+6591234567');
  });

  it('refuses a typo, naming customer.phone', () => {
    for (const phone of ['0912 345 67', 'abc', '9123 4567']) {
      const r = manual({ phone });
      expect(r.success, phone).toBe(false);
      expect(r.error!.issues.map((i) => i.path.join('.'))).toEqual(['customer.phone']);
    }
  });

  it('what it gives parses again as an order event to the same phone (the handler does so)', () => {
    const input = manual({ phone: '+65 9123 4567' }).data!;
    const event = parseOrderEvent({ ...input, externalId: 'M-1', revision: 1, occurredAt: RECEIVED });
    expect(event.customer.phone).toBe('+6591234567');
  });
});

describe('only a Vietnamese phone binds', () => {
  const completed = (customerPhone: string | null): BindingOrderFacts => ({
    orderId: 'ORD-1',
    customerPhone,
    collaboratorId: 'CTV-HOA',
    completedAt: '2026-01-10T10:00:00+07:00',
  });

  it('a completed, credited order with no phone or a foreign one binds nobody', () => {
    expect(shouldBind(null, completed('+84912345678'))).toBe(true);
    expect(shouldBind(null, completed(null))).toBe(false);
    expect(shouldBind(null, completed('+6591234567'))).toBe(false);
  });

  it('createBinding refuses a customer with no Vietnamese phone, and keys the binding by +84…', () => {
    expect(domainErrorOf(() => createBinding(completed(null))).errors[0]!.path).toBe('customerPhone');
    expect(domainErrorOf(() => createBinding(completed('+6591234567'))).errors[0]!.path).toBe('customerPhone');
    expect(createBinding(completed('0912345678')).customerPhone).toBe('+84912345678');
  });
});
