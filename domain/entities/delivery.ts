import * as z from 'zod';
import { text } from '../text';

/**
 * A webhook delivery as the owner sees it (docs/orders.md, "Order intake"): stored before it is processed;
 * `accepted` waits for (another) attempt, `processed` reached its order, `parked` could not be read
 * or mapped and waits for the owner, `discarded` was set aside by the owner.
 */
export const DELIVERY_STATUSES = ['accepted', 'processed', 'parked', 'discarded'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

const FieldErrorView = z.object({ path: z.string(), message: z.string() });

export const DeliveryView = z
  .object({
    id: z.string(),
    sourceId: z.string(),
    receivedAt: z.string(),
    status: z.enum(DELIVERY_STATUSES),
    attempts: z.int().meta({ description: 'processing attempts so far' }),
    orderIds: z.array(z.string()),
    errors: z.array(FieldErrorView).meta({ description: 'why it is parked, or why the last attempt did not finish' }),
    discardReason: z.string().optional(),
    updatedAt: z.string(),
  })
  .meta({ id: 'WebhookDelivery' });

export const DeliveryDetail = DeliveryView.extend({
  headers: z
    .record(z.string(), z.string())
    .meta({ description: 'the headers kept: content type, user agent, the vendor’s x-… headers (never a key)' }),
  body: z.string().meta({ description: 'the raw body received, as UTF-8 text' }),
  bodyBase64: z.string().optional().meta({ description: 'the raw bytes, when they are not UTF-8' }),
}).meta({ id: 'WebhookDeliveryDetail' });

/** The webhook's 202: stored, to be processed later (`accepted`), or parked for the owner. */
export const DeliveryAnswer = z
  .object({
    deliveryId: z.string(),
    status: z.enum(['accepted', 'parked', 'discarded']),
    orderId: z.string().optional(),
    errors: z.array(FieldErrorView).optional(),
  })
  .meta({ id: 'WebhookDeliveryAnswer' });

export const DiscardDeliveryInput = z
  .strictObject({ reason: text(500).meta({ example: 'Đơn thử nghiệm của Haravan' }) })
  .meta({ id: 'DiscardDeliveryInput' });

export const ReplayParkedAnswer = z
  .object({
    replayed: z.int(),
    results: z.array(z.object({ id: z.string(), status: z.enum(DELIVERY_STATUSES) })),
    more: z.boolean().meta({ description: 'parked deliveries of the source remain: call again' }),
  })
  .meta({ id: 'ReplayParkedAnswer' });
