import { isUtf8 } from 'node:buffer';
import type { Delivery } from '../../store/deliveries';

/** What the owner sees of a delivery (the body only in the single view). */
export function deliveryView(d: Delivery) {
  return {
    id: d.id,
    sourceId: d.sourceId,
    receivedAt: d.receivedAt,
    status: d.status,
    attempts: d.attempts,
    orderIds: d.orderIds,
    errors: d.errors,
    ...(d.discardReason ? { discardReason: d.discardReason } : {}),
    updatedAt: d.updatedAt,
  };
}

export function deliveryDetail(d: Delivery, body: Uint8Array | null) {
  const bytes = Buffer.from(body ?? new Uint8Array());
  const utf8 = isUtf8(bytes);
  return {
    ...deliveryView(d),
    headers: d.headers,
    body: bytes.toString('utf8'),
    ...(utf8 ? {} : { bodyBase64: bytes.toString('base64') }),
  };
}
