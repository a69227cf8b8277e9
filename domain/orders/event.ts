import * as z from 'zod';
import { text, isoDateTime } from '../text';
import { normalizeCustomerPhone } from '../phone';
import { normalizeRefId } from '../ids';
import { invalid, type FieldError } from '../errors';

/**
 * The order event: the contract with order systems (API.md, "Fixed points"). Each revision carries
 * the whole order; the newest revision is the truth; a return is a newer revision with
 * `returnedQuantity` on its lines.
 */
export const ORDER_STATES = ['processing', 'approved', 'completed', 'returned', 'void'] as const;
export type OrderState = (typeof ORDER_STATES)[number];
export const OrderState = z.enum(ORDER_STATES);

/**
 * Money limits (docs/api.md, "Money limits"). Every amount an order carries is at most 10^12 đ (1,000 tỷ
 * đồng, far above any real order, an apartment sold through CTVs included): a unit price, a line's
 * value (unitPrice × quantity), a line discount, the order value (Σ line values after their
 * discounts), the order discount and the shipping fee. Bad input is a 400 naming the field. So one
 * running total (a beneficiary's month, a staff member's KPI counters) would need more than 9,000
 * orders of 1,000 tỷ đồng each to pass 2^53; a sum or a stored number past it is AmountOutOfRange
 * (`domain/money.ts`, `functions/store/client.ts`): a 500 problem of its own type, logged, never a
 * rounded amount or a BigInt.
 */
export const MAX_LINES = 500;
export const MAX_QUANTITY = 1_000_000;
/** The most any one order amount may be: 10^12 đồng. */
export const MAX_ORDER_AMOUNT = 1_000_000_000_000;
export const MAX_UNIT_PRICE = MAX_ORDER_AMOUNT;
/** No line value (unitPrice × quantity) and no order value (Σ lines after their discounts) may pass this. */
export const MAX_ORDER_VALUE = MAX_ORDER_AMOUNT;
const MAX_TEXT = '1,000,000,000,000 đ';

const vnd = (max = MAX_ORDER_VALUE) => z.int().min(0).max(max);

/**
 * An attribution hint as order systems send it: absent, null or blank all mean "no hint". A hint
 * never makes the event invalid for its content (a mistyped REF ID must not lose the order); it
 * simply resolves to nobody.
 */
const hint = (max: number) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? null : v), text(max).nullable()).default(null);

const refIdHint = z
  .preprocess((v) => (typeof v === 'string' && v.trim() === '' ? null : v), text(64).transform(normalizeRefId).nullable())
  .default(null);

export const OrderEventLine = z
  .strictObject({
    lineId: text(64),
    productId: text(128),
    unit: text(32),
    category: text(100),
    quantity: z.int().min(1).max(MAX_QUANTITY),
    unitPrice: vnd(MAX_UNIT_PRICE),
    /** the line discount, in đồng, for the whole line (not per unit) */
    discount: vnd(),
    /** added on the confirmation call by a seller or care staff */
    addOn: z.boolean().default(false),
    returnedQuantity: z.int().min(0).max(MAX_QUANTITY).default(0),
  })
  .superRefine((line, ctx) => {
    const value = BigInt(line.unitPrice) * BigInt(line.quantity);
    if (value > BigInt(MAX_ORDER_VALUE)) {
      ctx.addIssue({ code: 'custom', path: ['unitPrice'], message: `unitPrice × quantity must be at most ${MAX_TEXT}` });
    } else if (line.discount > Number(value)) {
      ctx.addIssue({ code: 'custom', path: ['discount'], message: 'the line discount cannot exceed unitPrice × quantity' });
    }
    if (line.returnedQuantity > line.quantity) {
      ctx.addIssue({ code: 'custom', path: ['returnedQuantity'], message: 'returnedQuantity cannot exceed quantity' });
    }
  })
  .meta({ id: 'OrderEventLine' });
export type OrderEventLine = z.output<typeof OrderEventLine>;

export const AttributionHints = z
  .strictObject({
    collaboratorId: hint(64),
    refId: refIdHint,
    couponCode: hint(64),
    opportunityId: hint(64),
  })
  .meta({ id: 'OrderAttributionHints' });
export type AttributionHints = z.output<typeof AttributionHints>;

export const NO_HINTS: AttributionHints = { collaboratorId: null, refId: null, couponCode: null, opportunityId: null };

/** v = unitPrice × quantity − discount, the value an order-level discount is shared by (DOMAIN.md). */
export const lineValue = (line: Pick<OrderEventLine, 'unitPrice' | 'quantity' | 'discount'>) =>
  line.unitPrice * line.quantity - line.discount;

/** V = Σ line values after their discounts (exact: each line is at most 10^12, there are at most 500). */
export const orderValue = (lines: readonly Pick<OrderEventLine, 'unitPrice' | 'quantity' | 'discount'>[]) =>
  lines.reduce((sum, line) => sum + lineValue(line), 0);

export const ORDER_VALUE_TOO_LARGE = `the order value (Σ unitPrice × quantity − discount) must be at most ${MAX_TEXT}`;

/**
 * The customer's phone (API.md): missing, null or not Vietnamese, the order is still taken. A
 * Vietnamese number is stored as +84…, a foreign one with its country code in E.164 (+65 9123 4567 →
 * +6591234567); a string that is not a phone is dropped, as if none had been sent (the choice is
 * explained at `normalizeCustomerPhone`). Only a Vietnamese phone binds the customer to a CTV.
 */
export const CustomerPhone = z
  .string()
  .nullable()
  .optional()
  .transform((value) => (typeof value === 'string' ? normalizeCustomerPhone(value) : null))
  .meta({
    description:
      'the customer’s phone; optional. A Vietnamese number is stored as +84…, a foreign one (with its country code) in E.164; anything that is not a phone is dropped. Only a Vietnamese phone binds the customer to a CTV',
    example: '0912345678',
  });

export const OrderCustomer = z.strictObject({
  phone: CustomerPhone,
  name: text(200).optional(),
});
export type OrderCustomer = z.output<typeof OrderCustomer>;

export const OrderEvent = z
  .strictObject({
    externalId: text(128),
    revision: z.int().positive(),
    state: OrderState,
    occurredAt: isoDateTime,
    customer: OrderCustomer,
    lines: z
      .array(OrderEventLine)
      .min(1)
      .max(MAX_LINES)
      .superRefine((lines, ctx) => {
        const seen = new Set<string>();
        lines.forEach((line, i) => {
          if (seen.has(line.lineId)) {
            ctx.addIssue({ code: 'custom', path: [i, 'lineId'], message: `lineId "${line.lineId}" appears more than once` });
          }
          seen.add(line.lineId);
        });
      }),
    orderDiscount: vnd().default(0),
    shippingFee: vnd().default(0),
    attribution: AttributionHints.default(NO_HINTS),
    sellerId: hint(128),
  })
  .superRefine((event, ctx) => {
    const total = orderValue(event.lines);
    // an order discount above the lines' value is taken: it counts as that value (DOMAIN.md, net revenue)
    if (total > MAX_ORDER_VALUE) ctx.addIssue({ code: 'custom', path: ['lines'], message: ORDER_VALUE_TOO_LARGE });
  })
  .meta({ id: 'OrderEvent' });
export type OrderEvent = z.output<typeof OrderEvent>;
export type OrderEventInput = z.input<typeof OrderEvent>;

/** zod issues as the API's `errors: [{ path, message }]` (path joined with dots: `lines.1.returnedQuantity`). */
export function issuesToFieldErrors(issues: readonly z.core.$ZodIssue[]): FieldError[] {
  return issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}

/** Parse an order event or throw a validation DomainError that names each wrong field. */
export function parseOrderEvent(input: unknown): OrderEvent {
  const result = OrderEvent.safeParse(input);
  if (!result.success) throw invalid(issuesToFieldErrors(result.error.issues), 'The order event is not valid');
  return result.data;
}
