import * as z from 'zod';
import { Earnings } from '../commission/ledger';
import { ORDER_STATES } from '../orders/event';

/** The answers of the order routes, for the OpenAPI document (the handlers build them). */
const AppliedOrder = z
  .object({
    orderId: z.string(),
    revision: z.int().meta({ description: 'the newest revision the order now holds' }),
    applied: z.boolean().meta({ description: 'false for a repeated or older revision' }),
  })
  .meta({ id: 'AppliedOrder' });

export const WebhookAnswer = z
  .object({
    orderId: z.string().optional().meta({ description: 'the first order the delivery carried' }),
    revision: z.int().optional(),
    applied: z.boolean().optional(),
    orders: z.array(AppliedOrder).meta({
      description:
        'every order the delivery changed, in its order (KiotViet and Nhanh.vn deliveries may carry several; a deletion of an order never received, or a topic without orders, carries none)',
    }),
  })
  .meta({ id: 'WebhookAnswer' });

const Line = z.object({
  lineId: z.string(),
  productId: z.string(),
  unit: z.string(),
  category: z.string(),
  quantity: z.int(),
  unitPrice: z.int(),
  discount: z.int(),
  addOn: z.boolean(),
  returnedQuantity: z.int(),
  grossValue: z.int().meta({ description: 'unitPrice × quantity − discount' }),
  orderDiscountShare: z.int(),
  netRevenue: z.int().meta({ description: 'R after returns: what the line is worth now' }),
  netRevenueBeforeReturns: z.int(),
});

export const CommissionLineView = z
  .object({
    entryId: z.string(),
    kind: z.string(),
    lineKind: z.string(),
    beneficiary: z.object({ type: z.enum(['collaborator', 'seller']), id: z.string() }),
    amount: z.int(),
    state: z.enum(['pending', 'payable', 'settled']),
    payableFrom: z.string().nullable(),
    periodId: z.string(),
    reason: z.string(),
    recordedAt: z.string(),
    trace: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'CommissionLine' });

export const OrderView = z
  .object({
    id: z.string(),
    externalId: z.string(),
    sourceId: z.string(),
    revision: z.int(),
    state: z.enum(ORDER_STATES),
    occurredAt: z.string(),
    createdAt: z.string(),
    approvedAt: z.string().nullable(),
    completedAt: z.string().nullable(),
    returnedAt: z.string().nullable(),
    voidedAt: z.string().nullable(),
    customer: z.object({
      phone: z.string().nullable().meta({
        description:
          'E.164: +84… for a Vietnamese phone, the country code for a foreign one; null when the order named none (such an order binds nobody)',
      }),
      name: z.string().nullable(),
    }),
    lines: z.array(Line),
    orderDiscount: z.int(),
    shippingFee: z.int(),
    netRevenue: z.int().meta({ description: 'Σ R after returns (VAT and shipping excluded)' }),
    sellerId: z.string().nullable(),
    attribution: z.object({
      collaboratorId: z.string().nullable(),
      rule: z.string().nullable(),
      reason: z.string(),
      selfOrder: z.boolean(),
      isRepurchase: z.boolean(),
      careStaffUserId: z.string().nullable(),
    }),
    plan: z.object({ planId: z.string(), version: z.int() }).nullable(),
    commissionLines: z.array(CommissionLineView),
    commissionTotal: z.int(),
  })
  .meta({ id: 'Order' });

export { Earnings };
