import * as z from 'zod';
import { isoDateTime } from '../text';
import { invalid, ruleViolation } from '../errors';
import type { AttributionHints, OrderEvent, OrderEventLine, OrderState } from './event';

/**
 * The stored order and how revisions merge into it (pure).
 *
 * Delivery is at-least-once and out of order. The content of the order (customer, lines, discounts,
 * hints) is that of the newest revision received; a repeated or older revision leaves it unchanged
 * (`applied: false`). The *times* of the states, though, are "the occurredAt of the first revision
 * that carries it" (API.md), and a late older revision can be that first one. So the record keeps a
 * stamp (revision, state, occurredAt) of every revision received, and every time below is derived
 * from those stamps alone:
 *
 *   createdAt   = occurredAt of the lowest revision received
 *   approvedAt  = occurredAt of the lowest revision whose state is approved, completed or returned
 *                 (an order that was completed or returned was approved)
 *   completedAt = occurredAt of the lowest revision whose state is completed or returned
 *                 (goods come back after delivery)
 *   returnedAt  = occurredAt of the lowest revision whose state is returned
 *   voidedAt    = occurredAt of the lowest revision whose state is void
 *
 * "First" means lowest revision, not earliest clock: revisions are the order system's own sequence,
 * and its clock may be skewed. Because the stamps form a set keyed by revision and every derived
 * field is a function of that set and of the newest revision, delivering the same revisions in any
 * order, any number of times, ends in the same record. One revision number is one content: a second
 * delivery of a revision already stamped is ignored whatever it carries.
 *
 * The history is bounded (an order changed thousands of times must stay far below DynamoDB's 400 KB
 * item): it keeps, for each state, the stamp of the lowest revision carrying it (all the times above
 * need), and the stamps of the newest RECENT_STAMPS revisions (the recent trail, for support); every
 * other stamp is dropped. That is at most RECENT_STAMPS + 5 stamps. The kept set is a function of
 * the set of revisions received (compacting, then adding a revision, keeps what compacting the whole
 * set keeps), so the record still does not depend on the delivery order. A dropped revision
 * delivered again is no longer recognised as stamped, but it changes nothing: a revision older than
 * the newest keeps the content, and a stamp that was not kept once is not kept again (its state had
 * a lower revision, and it is older than the trail). Only an order system that sends one revision
 * number twice with different states could see the difference.
 */

export interface RevisionStamp {
  revision: number;
  state: OrderState;
  occurredAt: string;
}

export interface OrderRecord {
  externalId: string;
  /** the source (webhook source id, or `manual`) that delivered the newest revision */
  sourceId: string;
  /** the newest revision: the content below is its content */
  revision: number;
  state: OrderState;
  /** occurredAt of the newest revision */
  occurredAt: string;
  /** the phone in E.164 (+84… for a Vietnamese one), or null when the order named none (event.ts `CustomerPhone`) */
  customer: { phone: string | null; name: string | null };
  lines: OrderEventLine[];
  orderDiscount: number;
  shippingFee: number;
  /** what the order named (CTV id, REF ID, coupon, opportunity); the credit decision is stored apart */
  attributionHints: AttributionHints;
  sellerId: string | null;
  /** the stamps kept (see `compactHistory`), ascending by revision */
  history: RevisionStamp[];
  createdAt: string;
  approvedAt: string | null;
  completedAt: string | null;
  returnedAt: string | null;
  voidedAt: string | null;
  /** the earliest receivedAt of any delivery */
  firstReceivedAt: string;
}

export interface ApplyResult {
  /** true when the event is the newest revision so far: its content is now the order's */
  applied: boolean;
  /** true when the record differs from `current` (an older revision can add a stamp and move a time) */
  changed: boolean;
  order: OrderRecord;
}

const APPROVED_OR_LATER: readonly OrderState[] = ['approved', 'completed', 'returned'];
const COMPLETED_OR_LATER: readonly OrderState[] = ['completed', 'returned'];

function firstTimeOf(history: readonly RevisionStamp[], states: readonly OrderState[]): string | null {
  // history is ascending by revision, so the first match is the lowest revision
  return history.find((s) => states.includes(s.state))?.occurredAt ?? null;
}

function insertStamp(history: readonly RevisionStamp[], stamp: RevisionStamp): RevisionStamp[] {
  const next = [...history, stamp];
  next.sort((a, b) => a.revision - b.revision);
  return next;
}

/** How many of the newest stamps the history keeps besides the first stamp of each state. */
export const RECENT_STAMPS = 16;
/** The most stamps a history holds: the recent trail and one first stamp for each of the 5 states. */
export const MAX_HISTORY = RECENT_STAMPS + 5;

/**
 * The stamps worth keeping of a history ascending by revision: for each state the stamp of its
 * lowest revision (every derived time is one of those), and the newest RECENT_STAMPS stamps.
 */
export function compactHistory(history: readonly RevisionStamp[]): RevisionStamp[] {
  const trailFrom = history.length - RECENT_STAMPS;
  const seen = new Set<OrderState>();
  return history.filter((stamp, i) => {
    const first = !seen.has(stamp.state);
    seen.add(stamp.state);
    return first || i >= trailFrom;
  });
}

function sameStamps(a: readonly RevisionStamp[], b: readonly RevisionStamp[]): boolean {
  return (
    a.length === b.length &&
    a.every((s, i) => s.revision === b[i]!.revision && s.state === b[i]!.state && s.occurredAt === b[i]!.occurredAt)
  );
}

function earlier(a: string, b: string): string {
  const ta = Date.parse(a);
  const tb = Date.parse(b);
  if (ta !== tb) return ta < tb ? a : b;
  return a <= b ? a : b; // same instant written two ways: pick one deterministically
}

function content(event: OrderEvent, sourceId: string) {
  return {
    externalId: event.externalId,
    sourceId,
    revision: event.revision,
    state: event.state,
    occurredAt: event.occurredAt,
    customer: { phone: event.customer.phone, name: event.customer.name ?? null },
    lines: event.lines.map((l) => ({ ...l })),
    orderDiscount: event.orderDiscount,
    shippingFee: event.shippingFee,
    attributionHints: { ...event.attribution },
    sellerId: event.sellerId,
  };
}

/**
 * Merge one revision into the stored order (null when the order is new). `receivedAt` is when the
 * delivery arrived (ISO 8601), `sourceId` the webhook source (or `manual`).
 */
export function applyRevision(current: OrderRecord | null, event: OrderEvent, sourceId: string, receivedAt: string): ApplyResult {
  if (!isoDateTime.safeParse(receivedAt).success) {
    throw invalid([{ path: 'receivedAt', message: 'receivedAt must be an ISO 8601 date-time with offset' }]);
  }
  const stamp: RevisionStamp = { revision: event.revision, state: event.state, occurredAt: event.occurredAt };

  if (current === null) {
    const history = [stamp];
    return {
      applied: true,
      changed: true,
      order: { ...content(event, sourceId), history, ...derivedTimes(history), firstReceivedAt: receivedAt },
    };
  }

  if (current.externalId !== event.externalId) {
    throw ruleViolation(`This revision belongs to order ${event.externalId}, not ${current.externalId}`, 'externalId');
  }

  const known = event.revision === current.revision || current.history.some((s) => s.revision === event.revision);
  const firstReceivedAt = earlier(current.firstReceivedAt, receivedAt);
  const unchanged = (): ApplyResult =>
    firstReceivedAt === current.firstReceivedAt
      ? { applied: false, changed: false, order: current }
      : { applied: false, changed: true, order: { ...current, firstReceivedAt } };
  if (known) return unchanged();

  const history = compactHistory(insertStamp(current.history, stamp));
  const applied = event.revision > current.revision;
  // an old revision whose stamp is not kept (its state came earlier; it is older than the trail)
  if (!applied && sameStamps(history, current.history)) return unchanged();
  const base = applied ? content(event, sourceId) : contentOf(current);
  return { applied, changed: true, order: { ...base, history, ...derivedTimes(history), firstReceivedAt } };
}

function contentOf(order: OrderRecord): ReturnType<typeof content> {
  const { externalId, sourceId, revision, state, occurredAt, customer, lines, orderDiscount, shippingFee, attributionHints, sellerId } =
    order;
  return { externalId, sourceId, revision, state, occurredAt, customer, lines, orderDiscount, shippingFee, attributionHints, sellerId };
}

function derivedTimes(history: readonly RevisionStamp[]) {
  return {
    createdAt: history[0]!.occurredAt,
    approvedAt: firstTimeOf(history, APPROVED_OR_LATER),
    completedAt: firstTimeOf(history, COMPLETED_OR_LATER),
    returnedAt: firstTimeOf(history, ['returned']),
    voidedAt: firstTimeOf(history, ['void']),
  };
}

/** The order's newest revision as an event again (what a manual change starts from). */
export function orderToEvent(order: OrderRecord): OrderEvent {
  return {
    externalId: order.externalId,
    revision: order.revision,
    state: order.state,
    occurredAt: order.occurredAt,
    customer: order.customer.name === null ? { phone: order.customer.phone } : { phone: order.customer.phone, name: order.customer.name },
    lines: order.lines.map((l) => ({ ...l })),
    orderDiscount: order.orderDiscount,
    shippingFee: order.shippingFee,
    attribution: { ...order.attributionHints },
    sellerId: order.sellerId,
  };
}

// ---------------------------------------------------------------------------------------------
// Manual changes by care staff

/**
 * What care staff may do to an order by hand. `return` names the units coming back now (added to
 * what was already returned); without `lines` it returns everything not yet returned.
 */
export const ReturnLineInput = z.strictObject({
  lineId: z.string().min(1).max(64),
  quantity: z.int().min(1),
});
export const ManualOrderChange = z
  .discriminatedUnion('action', [
    z.strictObject({ action: z.literal('approve') }),
    z.strictObject({ action: z.literal('complete') }),
    z.strictObject({ action: z.literal('void') }),
    z.strictObject({ action: z.literal('return'), lines: z.array(ReturnLineInput).min(1).max(500).optional() }),
  ])
  .meta({ id: 'ManualOrderChange' });
export type ManualOrderChange = z.output<typeof ManualOrderChange>;
export type ManualAction = ManualOrderChange['action'];

/** Each manual action, the state it leads to and the states it may start from. */
export const MANUAL_MOVES = {
  approve: { to: 'approved', from: ['processing'] },
  complete: { to: 'completed', from: ['approved'] },
  return: { to: 'returned', from: ['approved', 'completed', 'returned'] },
  void: { to: 'void', from: ['processing', 'approved'] },
} as const satisfies Record<ManualAction, { to: OrderState; from: readonly OrderState[] }>;

/**
 * The next revision of an order after a manual change: the whole order again, revision + 1, with
 * the new state (and returned quantities) and the given `occurredAt`. Feed it to `applyRevision`
 * with the source `manual`. Impossible moves are a 422 naming the field that is wrong.
 */
export function manualRevision(order: OrderRecord, change: ManualOrderChange, occurredAt: string): OrderEvent {
  if (!isoDateTime.safeParse(occurredAt).success) {
    throw invalid([{ path: 'occurredAt', message: 'occurredAt must be an ISO 8601 date-time with offset' }]);
  }
  if (order.state === 'void') throw ruleViolation('A void order cannot be changed', 'state');
  const move = MANUAL_MOVES[change.action];
  if (!(move.from as readonly OrderState[]).includes(order.state)) {
    throw ruleViolation(`A ${order.state} order cannot be moved by "${change.action}"`, 'state');
  }

  const next = orderToEvent(order);
  next.revision = order.revision + 1;
  if (!Number.isSafeInteger(next.revision)) throw ruleViolation('The order has no next revision', 'revision');
  next.state = move.to;
  next.occurredAt = occurredAt;
  if (change.action === 'return') next.lines = returnLines(order.lines, change.lines);
  return next;
}

function returnLines(
  lines: readonly OrderEventLine[],
  requested: readonly { lineId: string; quantity: number }[] | undefined,
): OrderEventLine[] {
  if (requested === undefined) {
    if (lines.every((l) => l.returnedQuantity === l.quantity)) {
      throw ruleViolation('Every unit of this order has already been returned', 'lines');
    }
    return lines.map((l) => ({ ...l, returnedQuantity: l.quantity }));
  }
  const byId = new Map(lines.map((l) => [l.lineId, l] as const));
  const extra = new Map<string, number>();
  requested.forEach((r, i) => {
    const line = byId.get(r.lineId);
    if (!line) throw ruleViolation(`The order has no line "${r.lineId}"`, `lines.${i}.lineId`);
    if (extra.has(r.lineId)) throw ruleViolation(`Line "${r.lineId}" is named twice`, `lines.${i}.lineId`);
    if (!Number.isSafeInteger(r.quantity) || r.quantity < 1) {
      throw ruleViolation('A returned quantity is a whole number of at least 1', `lines.${i}.quantity`);
    }
    const left = line.quantity - line.returnedQuantity;
    if (r.quantity > left) {
      throw ruleViolation(`Line "${r.lineId}" has ${left} unit(s) left to return, not ${r.quantity}`, `lines.${i}.quantity`);
    }
    extra.set(r.lineId, r.quantity);
  });
  return lines.map((l) => ({ ...l, returnedQuantity: l.returnedQuantity + (extra.get(l.lineId) ?? 0) }));
}
