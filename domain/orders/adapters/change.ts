import { invalid } from '../../errors';
import type { OrderEvent, OrderEventLine } from '../event';
import { orderToEvent, type OrderRecord } from '../order';

/**
 * What one order system delivery says about orders: zero or more changes (KiotViet and Nhanh.vn
 * deliveries can carry several orders; a topic we do not use carries none). Adapters produce them
 * purely from the body and the delivery's context; the intake applies them in order.
 *
 * - `order`: the whole order at a revision (the usual case).
 * - `deletion`: the order system deleted or trashed an order and sent only its id. It voids the
 *   order as stored, if we have it.
 * - `refund`: units of some lines came back, sent apart from the order (Shopify and Sapo Web
 *   `refunds/create`). Added to the stored order's returned quantities, once: the refund's revision
 *   is its creation time in the adapter's revision scale, so an order revision that already
 *   includes the refund (updated at or after it) makes it old news.
 */
export type OrderChange =
  | { type: 'order'; event: OrderEvent }
  | { type: 'deletion'; externalId: string; revision: number; occurredAt: string }
  | { type: 'refund'; externalId: string; revision: number; occurredAt: string; lines: RefundLine[] };

export interface RefundLine {
  /** the order line's id, as in the order's `lineId` */
  lineId: string;
  /** units that came back with this refund (added to what was returned before) */
  quantity: number;
}

/** What an adapter may know of a delivery besides its body. */
export interface DeliveryContext {
  /** the headers kept with the delivery, names lower-cased (vendor `x-…` headers, content-type) */
  headers: Readonly<Record<string, string>>;
  /** when we received the delivery (ISO 8601, UTC): the time of a deletion that carries none */
  receivedAt: string;
  /** the business's IANA time zone: a vendor time without an offset is read in it */
  timeZone: string;
}

/** A refund that names an order we have not received yet: worth another attempt (the order may be on its way). */
export class OrderNotReceivedYet extends Error {
  override name = 'OrderNotReceivedYet';
  constructor(readonly externalId: string) {
    super(`the refund names order ${externalId}, not received yet`);
  }
}

/**
 * The order event a change makes of the stored order (pure), or null when it changes nothing:
 * a deletion of an order we never had or already void, a refund older than the stored revision.
 * A deletion takes the next revision when the order system's clock is behind ours, so that it
 * always applies; the content is the stored order's, voided.
 */
export function eventOfChange(stored: OrderRecord | null, change: OrderChange): OrderEvent | null {
  if (change.type === 'order') return change.event;
  if (change.type === 'deletion') {
    if (!stored || stored.state === 'void') return null;
    const next = orderToEvent(stored);
    next.revision = Math.max(change.revision, stored.revision + 1);
    next.state = 'void';
    next.occurredAt = change.occurredAt;
    return next;
  }
  if (!stored) throw new OrderNotReceivedYet(change.externalId);
  if (change.revision <= stored.revision) return null;
  const next = orderToEvent(stored);
  next.revision = change.revision;
  next.state = 'returned';
  next.occurredAt = change.occurredAt;
  next.lines = withReturned(stored.lines, change.lines);
  return next;
}

function withReturned(lines: readonly OrderEventLine[], refund: readonly RefundLine[]): OrderEventLine[] {
  const back = new Map<string, number>();
  refund.forEach((r, i) => {
    if (!lines.some((l) => l.lineId === r.lineId)) {
      throw invalid(
        [{ path: `refund_line_items.${i}.line_item_id`, message: `the order has no line "${r.lineId}"` }],
        'The refund names a line the order does not have',
      );
    }
    back.set(r.lineId, (back.get(r.lineId) ?? 0) + r.quantity);
  });
  // a unit cannot come back twice: at most the line's quantity is returned
  return lines.map((l) => ({ ...l, returnedQuantity: Math.min(l.quantity, l.returnedQuantity + (back.get(l.lineId) ?? 0)) }));
}
