import { ruleViolation } from '../errors';
import { vnPhoneOf } from '../phone';

/**
 * Customer bindings (DOMAIN.md, "Repurchase"): the first completed order credited to a CTV binds its
 * customer to that CTV for the plan's binding period (default 365 days, 0 = lifetime), optionally
 * only for the first N repurchases. Later orders of a bound customer credited to the bound CTV are
 * repurchases.
 *
 * Choices written down here:
 * - The binding starts at the binding order's completion time and lasts bindingDays × 24 h
 *   (Vietnam has no daylight saving, so this is the same as local calendar days); an instant equal
 *   to `endsAt` is outside it.
 * - Whether an order is a repurchase is decided at the order's approval time (the time its plan
 *   version is chosen by). An order approved before the binding started is not a repurchase.
 * - With a cap, the repurchases counted are kept by order id, so recomputing an order counts it
 *   once, and an order that was counted stays a repurchase after the cap is reached. A void or
 *   fully returned repurchase can be released to free its place.
 * - A new binding can only start when the customer has no active binding.
 * - A customer is identified by a normalised Vietnamese phone (DOMAIN.md, API.md). An order with no
 *   phone or a foreign one binds nobody and is never a repurchase (it is credited by its hints
 *   alone); the binding item is keyed by the +84 phone only.
 */
export const DEFAULT_BINDING_DAYS = 365;
const DAY_MS = 86_400_000;

export interface BindingTerms {
  /** 0 = lifetime; default 365 */
  bindingDays?: number;
  /** null or absent = no cap */
  maxRepurchases?: number | null;
}

export interface CustomerBinding {
  /** the customer's normalised phone (+84…) */
  customerPhone: string;
  collaboratorId: string;
  /** the order whose completion bound the customer */
  orderId: string;
  /** the binding order's completion time (ISO 8601) */
  startsAt: string;
  /** ISO 8601 (UTC), or null for a lifetime binding */
  endsAt: string | null;
  maxRepurchases: number | null;
  /** ids of the repurchases counted against the cap (kept only when there is a cap) */
  repurchaseOrderIds: string[];
}

function parseInstant(iso: string, field: string): number {
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) throw ruleViolation(`${field} is not a valid date-time`, field);
  return t;
}

export interface BindingOrderFacts {
  orderId: string;
  /** the order's customer phone (E.164), null when it named none; only a Vietnamese one binds */
  customerPhone: string | null;
  /** the CTV credited with the order (null: not credited) */
  collaboratorId: string | null;
  /** when the order was completed (ISO 8601); null while it is not */
  completedAt: string | null;
}

/** Whether this completed order should bind its customer: credited, completed, and no active binding then. */
export function shouldBind(existing: CustomerBinding | null, order: BindingOrderFacts): boolean {
  if (order.collaboratorId === null || order.completedAt === null || vnPhoneOf(order.customerPhone) === null) return false;
  return !(existing && isBindingActive(existing, order.completedAt));
}

/** The binding created by a customer's first completed, credited order. */
export function createBinding(order: BindingOrderFacts, terms: BindingTerms = {}): CustomerBinding {
  if (order.collaboratorId === null) throw ruleViolation('Only an order credited to a CTV binds its customer', 'collaboratorId');
  if (order.completedAt === null) throw ruleViolation('Only a completed order binds its customer', 'completedAt');
  const customerPhone = vnPhoneOf(order.customerPhone);
  if (customerPhone === null) throw ruleViolation('Only a customer with a Vietnamese phone can be bound', 'customerPhone');
  const days = terms.bindingDays ?? DEFAULT_BINDING_DAYS;
  if (!Number.isSafeInteger(days) || days < 0) throw ruleViolation('bindingDays is a whole number of days, 0 for lifetime', 'bindingDays');
  const max = terms.maxRepurchases ?? null;
  if (max !== null && (!Number.isSafeInteger(max) || max < 1)) {
    throw ruleViolation('maxRepurchases is a whole number of at least 1, or null', 'maxRepurchases');
  }
  const start = parseInstant(order.completedAt, 'completedAt');
  return {
    customerPhone,
    collaboratorId: order.collaboratorId,
    orderId: order.orderId,
    startsAt: order.completedAt,
    endsAt: days === 0 ? null : new Date(start + days * DAY_MS).toISOString(),
    maxRepurchases: max,
    repurchaseOrderIds: [],
  };
}

/** Whether the binding holds at an instant: started, not yet ended, and its cap not used up. */
export function isBindingActive(binding: CustomerBinding, at: string | number): boolean {
  const t = typeof at === 'number' ? at : parseInstant(at, 'at');
  if (t < parseInstant(binding.startsAt, 'startsAt')) return false;
  if (binding.endsAt !== null && t >= parseInstant(binding.endsAt, 'endsAt')) return false;
  return binding.maxRepurchases === null || binding.repurchaseOrderIds.length < binding.maxRepurchases;
}

export interface RepurchaseOrderFacts {
  orderId: string;
  /** the CTV credited with the order */
  collaboratorId: string | null;
  /** the order's approval time (ISO 8601) */
  approvedAt: string;
}

/**
 * Whether an order is a repurchase: credited to the bound CTV, not the binding order itself, and
 * approved while the binding is active (or already counted as one of its repurchases).
 */
export function isRepurchase(binding: CustomerBinding | null, order: RepurchaseOrderFacts): boolean {
  if (!binding || order.collaboratorId !== binding.collaboratorId) return false;
  if (order.orderId === binding.orderId) return false;
  if (binding.repurchaseOrderIds.includes(order.orderId)) return true;
  return isBindingActive(binding, order.approvedAt);
}

/** Count a repurchase against the cap (idempotent; no-op without a cap). */
export function recordRepurchase(binding: CustomerBinding, orderId: string): CustomerBinding {
  if (binding.maxRepurchases === null || binding.repurchaseOrderIds.includes(orderId)) return binding;
  return { ...binding, repurchaseOrderIds: [...binding.repurchaseOrderIds, orderId] };
}

/** Give back a repurchase's place under the cap (its order was voided or fully returned). */
export function releaseRepurchase(binding: CustomerBinding, orderId: string): CustomerBinding {
  if (!binding.repurchaseOrderIds.includes(orderId)) return binding;
  return { ...binding, repurchaseOrderIds: binding.repurchaseOrderIds.filter((id) => id !== orderId) };
}
