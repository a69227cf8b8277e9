import * as z from 'zod';
import { text } from '../text';
import { normalizeCustomerPhone } from '../phone';
import { MAX_ORDER_VALUE, ORDER_VALUE_TOO_LARGE, OrderEvent, orderValue } from './event';

/**
 * An order entered by hand (care staff for their CTVs): the order event without the parts the
 * system sets. It becomes revision 1 of source `manual`; state changes then make the next revisions.
 * (An order discount above the lines' value counts as that value: every line's R is then 0.)
 */
const { revision: _revision, occurredAt: _occurredAt, ...eventFields } = OrderEvent.shape;

/**
 * The customer's phone typed by care staff: optional (a walk-in customer may give none), but what is
 * typed must be a phone. Unlike an order system's delivery, whose wrong phone is dropped so the order
 * is never lost, a person at a form is told at once: "0912 345 67" is a typo to fix, not a customer
 * with no phone. Stored as an order event's phone is (+84…, or E.164 for a foreign number).
 */
export const ManualCustomerPhone = z
  .string()
  .max(64)
  .nullable()
  .optional()
  .transform((value, ctx) => {
    if (value === null || value === undefined || value.trim() === '') return null;
    const phone = normalizeCustomerPhone(value);
    if (phone === null) {
      ctx.addIssue({
        code: 'custom',
        message: 'not a phone number: a Vietnamese number (0912345678) or a foreign one with its country code (+65 9123 4567)',
      });
      return z.NEVER;
    }
    return phone;
  })
  .meta({
    description: 'the customer’s phone; optional. Vietnamese (stored as +84…) or foreign with its country code (stored in E.164)',
    example: '0912345678',
  });

export const CreateManualOrderInput = z
  .strictObject({
    ...eventFields,
    customer: z.strictObject({ phone: ManualCustomerPhone, name: text(200).optional() }),
    externalId: text(128).optional().meta({ description: 'your reference; one is made when absent' }),
    state: z.enum(['processing', 'approved']).default('processing'),
  })
  .superRefine((order, ctx) => {
    // the same money limit as an order event (the discount check stays a 422, see above)
    if (orderValue(order.lines) > MAX_ORDER_VALUE) ctx.addIssue({ code: 'custom', path: ['lines'], message: ORDER_VALUE_TOO_LARGE });
  })
  .meta({ id: 'CreateManualOrderInput' });
export type CreateManualOrderInput = z.output<typeof CreateManualOrderInput>;

export const MANUAL_SOURCE = 'manual';
