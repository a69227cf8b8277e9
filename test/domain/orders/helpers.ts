import { expect } from 'vitest';
import { DomainError } from '../../../domain/errors';
import type { OrderEventInput } from '../../../domain/orders/event';

/** The order event of API.md, "Fixed points", as an order system sends it. */
export const apiExample = (): OrderEventInput => ({
  externalId: 'HD-10293',
  revision: 3,
  state: 'approved',
  occurredAt: '2026-11-03T10:15:00+07:00',
  customer: { phone: '0912345678', name: 'Trần Văn Bình' },
  lines: [
    {
      lineId: '1',
      productId: 'SERUM-30',
      unit: 'chai',
      category: 'serum',
      quantity: 2,
      unitPrice: 350000,
      discount: 0,
      addOn: false,
      returnedQuantity: 0,
    },
  ],
  orderDiscount: 50000,
  shippingFee: 30000,
  attribution: { collaboratorId: null, refId: 'HOA123', couponCode: null, opportunityId: null },
  sellerId: null,
});

/** Run `fn` and return the DomainError it throws (fails the test when it throws nothing else). */
export function domainErrorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    return e as DomainError;
  }
  throw new Error('expected a DomainError, nothing was thrown');
}
