/**
 * The credit of an order change, once its facts are read (functions/services/orders.ts reads the
 * binding, the CTVs and the hints, and decides who by `decideAttribution`): the attribution it
 * stores, frozen from the order's first accrual on, and the customer binding the change creates
 * or counts a repurchase against (DOMAIN.md "Repurchase").
 */
import type { Level } from '../entities/collaborator';
import type { AttributionDecision } from './attribution';
import { createBinding, isRepurchase, recordRepurchase, shouldBind, type BindingTerms, type CustomerBinding } from './binding';
import type { OrderRecord } from './order';
import { accrues, type OrderAttribution } from './pricing';

/**
 * The attribution of a decision: frozen once the order accrues; a repurchase when it accrues,
 * is approved, and is credited to the CTV of the binding active at its time. The credited CTV's
 * level and its care staff and manager are taken as they are now, and frozen with it.
 */
export function attributionOf(
  decision: AttributionDecision,
  order: { orderId: string; record: Pick<OrderRecord, 'state' | 'approvedAt'> },
  credited: { level: Level; careStaffUserId?: string | null; managerUserId?: string | null } | null,
  activeBinding: CustomerBinding | null,
): OrderAttribution {
  const frozen = accrues(order.record);
  const approvedAt = order.record.approvedAt;
  return {
    ...decision,
    frozen,
    collaboratorLevel: credited?.level ?? 1,
    isRepurchase:
      frozen && approvedAt !== null
        ? isRepurchase(activeBinding, { orderId: order.orderId, collaboratorId: decision.collaboratorId, approvedAt })
        : false,
    careStaffUserId: credited?.careStaffUserId ?? null,
    managerUserId: credited?.managerUserId ?? null,
  };
}

/**
 * The binding an order's change writes, null when none. A repurchase credited by this change
 * (`decidedNow`: the attribution was not frozen before it) takes its place under the binding's
 * cap, once. Otherwise the order's completion binds its customer when the order accrues, is
 * credited (a self-order binds nobody), has a Vietnamese phone, is not the binding order already,
 * and the customer has no binding active at the completion.
 */
export function bindingAfter(change: {
  orderId: string;
  record: Pick<OrderRecord, 'state' | 'completedAt'>;
  attribution: OrderAttribution;
  decidedNow: boolean;
  /** the customer's normalised Vietnamese phone; null: nobody to bind */
  customerPhone: string | null;
  /** the customer's stored binding */
  stored: CustomerBinding | null;
  terms: BindingTerms;
}): CustomerBinding | null {
  const { orderId, record, attribution, stored } = change;
  if (change.decidedNow && attribution.isRepurchase && stored && stored.maxRepurchases !== null) {
    const counted = recordRepurchase(stored, orderId);
    if (counted !== stored) return counted;
  }
  const bindingOrder = {
    orderId,
    customerPhone: change.customerPhone,
    collaboratorId: attribution.selfOrder ? null : attribution.collaboratorId,
    completedAt: record.completedAt,
  };
  if (accrues(record) && !(stored && stored.orderId === orderId) && shouldBind(stored, bindingOrder))
    return createBinding(bindingOrder, change.terms);
  return null;
}
