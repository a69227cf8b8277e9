import * as z from 'zod';
import { text } from '../text';
import { MAX_ORDER_VALUE, ORDER_VALUE_TOO_LARGE, OrderEvent, orderValue } from './event';

/**
 * An order entered by hand (care staff for their CTVs): the order event without the parts the
 * system sets. It becomes revision 1 of source `manual`; state changes then make the next revisions.
 * (An order discount above the lines' value is refused later, as a 422 naming `orderDiscount`.)
 */
const { revision: _revision, occurredAt: _occurredAt, ...eventFields } = OrderEvent.shape;

export const CreateManualOrderInput = z
  .strictObject({
    ...eventFields,
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
