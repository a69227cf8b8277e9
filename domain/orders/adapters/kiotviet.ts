import * as z from 'zod';
import { DomainError, invalid, type FieldError } from '../../errors';
import { issuesToFieldErrors, type OrderEventInput, type OrderState } from '../event';
import type { DeliveryContext, OrderChange } from './change';
import {
  AdapterFieldError,
  buildEvent,
  customerOf,
  customerPhoneOf,
  DEFAULT_CATEGORY,
  DEFAULT_UNIT,
  hintsOf,
  instantOf,
  mapped,
  NativeAmount,
  NativeId,
  numberedIds,
  personName,
  rankedRevision,
  refFromUrl,
  toVnd,
  type AdapterOptions,
  type NamedValue,
} from './common';

/**
 * KiotViet Retail webhooks (Public API §2.11, read through the mirror
 * anhntservices-1808/kiotviet-public-api-docs docs/webhooks.md; docs/order-systems/kiotviet.md has
 * the tables and the unconfirmed points). A delivery is `{ Id, Attempt, Notifications: [{ Action,
 * Data: [...] }] }` and may carry several documents.
 *
 * Which documents: invoices (hóa đơn) only. A KiotViet order (đặt hàng) is a reservation that the
 * shop turns into one or more invoices when it sells; the invoice is what is delivered, paid and
 * returned (returns are recorded against invoices), and invoice.update carries no link to the order
 * it came from. Taking both would accrue the same sale twice, so `order.update` changes nothing, like
 * product, customer, stock, price-book, category and branch notifications.
 *
 * Mapping of one `invoice.update` Data item:
 * - externalId = `invoice:<Id>` (the prefix keeps KiotViet's invoice ids apart from its order ids,
 *                which are another sequence, should orders ever be taken)
 * - state      = `Status` (documented byte): 2 đã hủy → void; else InvoiceDelivery.Status 5 (đã
 *                chuyển hoàn) → returned, every unit; else returned when looked-up returns give back
 *                units; else 1 hoàn thành → completed; 3 đang xử lý, 5 không giao được → approved (a
 *                failed delivery is not completed: its commission stays pending until the goods come
 *                back or are delivered). Any other Status is refused, naming the field.
 * - revision   = `ModifiedDate` (else `PurchaseDate`: a new invoice may not have been modified yet),
 *                or the latest of the returns looked up against it, in epoch milliseconds × 10 + the
 *                state's rank (processing 1 … void 5), so that two states stamped in the same
 *                millisecond order by the lifecycle. KiotViet sends local times without an offset:
 *                read in the business's time zone.
 * - occurredAt = that instant
 * - lines      = `InvoiceDetails`: lineId `ProductId` (`ProductId-2`, `-3`… when a product appears
 *                again), productId `ProductCode` (else `ProductId`), unitPrice `Price`, discount
 *                `Discount` × quantity (KiotViet's line discount is per unit: the price the cashier
 *                sells at is Price − Discount), quantity `Quantity`, which KiotViet keeps as a double:
 *                a non-whole quantity (goods sold by weight) is refused, naming the field.
 * - orderDiscount = `Discount` (the invoice's money discount). `DiscountRatio`, here and on lines, is
 *                the same discount as a percentage and is not priced; a ratio without its amount is
 *                refused rather than dropped.
 * - shippingFee = `InvoiceDelivery.Price`
 * - customer   = phone `InvoiceDelivery.ContactNumber`, else the customer's `contactNumber` looked up
 *                by `CustomerId`; name `InvoiceDelivery.Receiver`, else `CustomerName`.
 * - attribution = `key: value` or `key=value` pairs in the note (`Description`: `ref`, `ctv_id`,
 *                `opportunity_id`, `seller_id`, as in the other adapters), else `?ref=` of a link in
 *                it. KiotViet has no custom fields on invoices; the note is where a seller types it.
 * - returnedQuantity = every unit when the delivery came back whole; else the units of the returns
 *                looked up against the invoice (not cancelled), placed on the lines of their product
 *                in order, at most each line's quantity.
 *
 * An `invoice.delete` notification (not documented; taken in case KiotViet sends one) is a deletion
 * of each id in its `RemoveId`, at the delivery's receipt time. A bare `{"RemoveId": [...]}` body
 * names no document type (KiotViet documents it for customers, products, categories and branches):
 * it changes nothing, rather than void an invoice that shares a deleted product's id.
 */

export const KIOTVIET_INVOICE_PREFIX = 'invoice:';

/** Invoice `Status` (documented byte values) → state, before returns are considered. */
export const KIOTVIET_INVOICE_STATES: Readonly<Record<number, OrderState>> = {
  1: 'completed',
  2: 'void',
  3: 'approved',
  5: 'approved',
};
/** `InvoiceDelivery.Status` 5: đã chuyển hoàn, the goods came back to the shop. */
export const KIOTVIET_DELIVERY_RETURNED = 5;

const Text = z.string().nullish();

export const KiotVietInvoiceDetail = z.object({
  ProductId: NativeId,
  ProductCode: Text,
  ProductName: Text,
  Quantity: z.number(),
  Price: NativeAmount,
  Discount: NativeAmount.nullish(),
  DiscountRatio: z.number().nullish(),
});

export const KiotVietInvoice = z.object({
  Id: NativeId,
  Code: Text,
  PurchaseDate: Text,
  ModifiedDate: Text,
  CustomerId: NativeId.nullish(),
  CustomerName: Text,
  Discount: NativeAmount.nullish(),
  DiscountRatio: z.number().nullish(),
  Status: z.int(),
  StatusValue: Text,
  Description: Text,
  InvoiceDelivery: z
    .object({
      Status: z.int().nullish(),
      Price: NativeAmount.nullish(),
      Receiver: Text,
      ContactNumber: Text,
    })
    .nullish(),
  InvoiceDetails: z.array(KiotVietInvoiceDetail).min(1).max(500),
});
export type KiotVietInvoice = z.output<typeof KiotVietInvoice>;

const Notification = z.object({
  Action: z.string().min(1),
  Data: z.array(z.unknown()).nullish(),
  RemoveId: z.array(NativeId).nullish(),
});
const Envelope = z.object({
  Id: z.union([z.string(), z.number()]).nullish(),
  Attempt: z.number().nullish(),
  Notifications: z.array(Notification).max(100),
});

/** One document of a delivery, in the delivery's order. */
export type KiotVietItem =
  | { type: 'invoice'; invoice: KiotVietInvoice /** where it sits in the body, for error paths */; path: string }
  | { type: 'deletion'; externalId: string };

export interface KiotVietDelivery {
  items: KiotVietItem[];
}

/** A return document of `GET /returns` (docs/returns.md), the fields the mapping reads. */
export const KiotVietReturn = z.object({
  id: NativeId,
  code: Text,
  invoiceId: NativeId.nullish(),
  returnDate: Text,
  status: z.number().nullish(),
  statusValue: Text,
  createdDate: Text,
  modifiedDate: Text,
  returnDetails: z.array(z.object({ productId: NativeId, productCode: Text, quantity: z.number() })).nullish(),
});
export type KiotVietReturn = z.output<typeof KiotVietReturn>;

/** What the REST API told us about a delivery's documents (absent: the source holds no credentials). */
export interface KiotVietLookups {
  /** a customer's `contactNumber` by KiotViet customer id; null when it has none or is gone */
  customerPhones: ReadonlyMap<string, string | null>;
  /** the returns recorded against an invoice, by invoice id (only invoices that were looked up) */
  returns: ReadonlyMap<string, readonly KiotVietReturn[]>;
}
export const NO_LOOKUPS: KiotVietLookups = { customerPhones: new Map(), returns: new Map() };

/** What the mapping would like to look up for a delivery's invoices. */
export interface KiotVietLookupNeeds {
  /** customers whose phone the invoice lacks */
  customerIds: string[];
  /** invoices whose returns may change their lines, with the time returns can start from (as KiotViet wrote it) */
  invoices: { invoiceId: string; since: string }[];
}

const prefixed = (prefix: string, errors: readonly FieldError[]): FieldError[] =>
  errors.map((e) => ({ path: [prefix, e.path].filter(Boolean).join('.') || 'body', message: e.message }));

function parseAt<S extends z.ZodType>(schema: S, value: unknown, path: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw invalid(prefixed(path, issuesToFieldErrors(result.error.issues)), 'The KiotViet payload is not valid');
  return result.data;
}

const actionOf = (action: string) => {
  const [entity = '', method = ''] = action.trim().toLowerCase().split('.');
  return { entity, method };
};

/** The documents a delivery carries (validated), in order; notifications we do not use are dropped. */
export function parseKiotVietDelivery(payload: unknown): KiotVietDelivery {
  const body = payload as { Notifications?: unknown; RemoveId?: unknown } | null;
  if (body && typeof body === 'object' && body.Notifications === undefined && Array.isArray(body.RemoveId)) return { items: [] };
  const envelope = parseAt(Envelope, payload, '');
  const items: KiotVietItem[] = [];
  envelope.Notifications.forEach((notification, n) => {
    const { entity, method } = actionOf(notification.Action);
    if (entity !== 'invoice') return;
    const data = notification.Data ?? [];
    if (method === 'update') {
      data.forEach((item, d) => {
        const path = `Notifications.${n}.Data.${d}`;
        items.push({ type: 'invoice', invoice: parseAt(KiotVietInvoice, item, path), path });
      });
    } else if (method === 'delete') {
      const ids: string[] = (notification.RemoveId ?? []).map(String);
      data.forEach((item, d) => {
        const path = `Notifications.${n}.Data.${d}`;
        if (typeof item === 'number' || typeof item === 'string') ids.push(String(parseAt(NativeId, item, path)));
        else ids.push(...parseAt(z.object({ RemoveId: z.array(NativeId) }), item, path).RemoveId.map(String));
      });
      for (const id of ids) items.push({ type: 'deletion', externalId: `${KIOTVIET_INVOICE_PREFIX}${id}` });
    }
  });
  return { items };
}

const invoiceStatusState = (invoice: KiotVietInvoice): OrderState | undefined =>
  Object.hasOwn(KIOTVIET_INVOICE_STATES, invoice.Status) ? KIOTVIET_INVOICE_STATES[invoice.Status] : undefined;

/** What the REST API could add to a delivery: a phone the invoice lacks, the returns recorded against it. */
export function kiotVietLookupNeeds(delivery: KiotVietDelivery): KiotVietLookupNeeds {
  const customerIds = new Set<string>();
  const invoices = new Map<string, string>();
  for (const item of delivery.items) {
    if (item.type !== 'invoice') continue;
    const { invoice } = item;
    if (invoice.CustomerId !== null && invoice.CustomerId !== undefined && !customerPhoneOf(invoice.InvoiceDelivery?.ContactNumber)) {
      customerIds.add(String(invoice.CustomerId));
    }
    // a cancelled invoice or a delivery that came back whole: the returns cannot change the lines
    const since = invoice.PurchaseDate ?? invoice.ModifiedDate;
    if (invoice.Status !== 2 && invoice.InvoiceDelivery?.Status !== KIOTVIET_DELIVERY_RETURNED && since) {
      invoices.set(String(invoice.Id), since);
    }
  }
  return { customerIds: [...customerIds], invoices: [...invoices].map(([invoiceId, since]) => ({ invoiceId, since })) };
}

/** The order changes of a delivery, with what the REST API told us merged in. */
export function kiotVietChanges(
  delivery: KiotVietDelivery,
  context: DeliveryContext,
  lookups: KiotVietLookups = NO_LOOKUPS,
  options: AdapterOptions = {},
): OrderChange[] {
  return delivery.items.map((item): OrderChange => {
    if (item.type === 'deletion') {
      const received = Date.parse(context.receivedAt);
      return { type: 'deletion', externalId: item.externalId, revision: rankedRevision(received, 'void'), occurredAt: context.receivedAt };
    }
    return { type: 'order', event: invoiceToEvent(item.invoice, item.path, context, lookups, options) };
  });
}

/** The `contactNumber` of a `GET /customers/{id}` answer (docs/customers.md), null when it has none. */
export function customerPhoneOfDocument(document: unknown, customerId: string): string | null {
  const customer = parseAt(z.object({ contactNumber: Text }), document, `customers/${customerId}`);
  return customer.contactNumber?.trim() || null;
}

/**
 * One page of `GET /returns` (docs/returns.md): how many returns the query has in all, how many this
 * page holds, and those recorded against the invoice (read in full; others are only counted).
 */
export function returnsOfPage(document: unknown, invoiceId: string): { total: number; count: number; returns: KiotVietReturn[] } {
  const page = parseAt(z.object({ total: z.number().nullish(), data: z.array(z.unknown()).nullish() }), document, 'returns');
  const data = page.data ?? [];
  const returns: KiotVietReturn[] = [];
  data.forEach((item, i) => {
    const named = (item as { invoiceId?: unknown } | null)?.invoiceId;
    if (named === null || named === undefined || String(named) !== invoiceId) return;
    returns.push(parseAt(KiotVietReturn, item, `returns.data.${i}`));
  });
  return { total: page.total ?? data.length, count: data.length, returns };
}

const CANCELLED = /^đã\s*h(ủ|uỷ)y$/i;
const isCancelled = (ret: KiotVietReturn) => CANCELLED.test((ret.statusValue ?? '').normalize('NFC').trim());

/** Attribution pairs a seller typed in the invoice's note: `ref: HOA123`, `ctv_id=42`. */
function notePairs(note: string | null | undefined): NamedValue[] {
  if (!note) return [];
  return [...note.matchAll(/([A-Za-z_]+)\s*[:=]\s*([A-Za-z0-9][A-Za-z0-9_.-]{0,63})/g)].map((m) => ({ name: m[1]!, value: m[2]! }));
}
const linkRef = (note: string | null | undefined) =>
  [...(note ?? '').matchAll(/https?:\/\/\S+/g)].map((m) => refFromUrl(m[0])).find((r) => r !== null) ?? null;

/** The phones a customer's contact field may hold (KiotViet lets a shop type several, "0912…, 0987…"). */
const phonesIn = (contact: string | null | undefined) => (contact ?? '').split(/[,;/]/).map((p) => p.trim());

function wholeQuantity(value: number, path: string): number {
  if (!Number.isInteger(value))
    throw new AdapterFieldError(path, `a quantity of ${value} is not a whole number of units; only whole quantities are taken`);
  return value;
}

/** A discount given as a percentage only cannot be priced exactly: refused rather than dropped. */
function moneyDiscount(amount: number | string | null | undefined, ratio: number | null | undefined, path: string): number {
  const discount = toVnd(amount, path);
  if (discount < 0) throw new AdapterFieldError(path, 'the discount is negative');
  if (discount === 0 && typeof ratio === 'number' && ratio > 0) {
    throw new AdapterFieldError(path, `a ${ratio}% discount without its amount cannot be priced; KiotViet normally sends both`);
  }
  return discount;
}

function invoiceToEvent(
  invoice: KiotVietInvoice,
  path: string,
  context: DeliveryContext,
  lookups: KiotVietLookups,
  options: AdapterOptions,
) {
  const input = mapped('KiotViet', () => invoiceToEventInput(invoice, path, context, lookups, options));
  try {
    return buildEvent('KiotViet', () => input);
  } catch (error) {
    // the event's own fields (lines.0.discount) are named under the invoice they came from
    if (error instanceof DomainError) throw new DomainError(error.kind, error.message, prefixed(path, error.errors));
    throw error;
  }
}

function invoiceToEventInput(
  invoice: KiotVietInvoice,
  path: string,
  context: DeliveryContext,
  lookups: KiotVietLookups,
  options: AdapterOptions,
): OrderEventInput {
  const at = (field: string) => `${path}.${field}`;
  const statusState = invoiceStatusState(invoice);
  if (!statusState) throw new AdapterFieldError(at('Status'), `the KiotViet invoice status ${invoice.Status} has no mapping`);

  // a product sold again on the invoice: `ProductId-2`, `-3`…
  const lineIds = numberedIds(
    invoice.InvoiceDetails.map((detail) => String(detail.ProductId)),
    '-',
  );
  const lines = invoice.InvoiceDetails.map((detail, i) => {
    const quantity = wholeQuantity(detail.Quantity, at(`InvoiceDetails.${i}.Quantity`));
    if (quantity < 1) throw new AdapterFieldError(at(`InvoiceDetails.${i}.Quantity`), 'a line sells at least 1 unit');
    const unitPrice = toVnd(detail.Price, at(`InvoiceDetails.${i}.Price`));
    if (unitPrice < 0) throw new AdapterFieldError(at(`InvoiceDetails.${i}.Price`), 'the price is negative');
    const unitDiscount = moneyDiscount(detail.Discount, detail.DiscountRatio, at(`InvoiceDetails.${i}.Discount`));
    const product = String(detail.ProductId);
    return {
      lineId: lineIds[i]!,
      product,
      productId: detail.ProductCode?.trim() || product,
      unit: options.defaultUnit ?? DEFAULT_UNIT,
      category: options.defaultCategory ?? DEFAULT_CATEGORY,
      quantity,
      unitPrice,
      discount: unitDiscount * quantity,
      returnedQuantity: 0,
    };
  });

  const stamp = invoice.ModifiedDate ?? invoice.PurchaseDate;
  if (!stamp) throw new AdapterFieldError(at('ModifiedDate'), 'the invoice has neither ModifiedDate nor PurchaseDate');
  let instant = instantOf(stamp, context.timeZone, at(invoice.ModifiedDate ? 'ModifiedDate' : 'PurchaseDate'));

  const returnedWhole = invoice.InvoiceDelivery?.Status === KIOTVIET_DELIVERY_RETURNED;
  const returns =
    statusState === 'void' || returnedWhole ? [] : (lookups.returns.get(String(invoice.Id)) ?? []).filter((r) => !isCancelled(r));
  for (const ret of returns) {
    const where = `returns.${ret.code ?? ret.id}`;
    const field = ret.modifiedDate ? 'modifiedDate' : ret.createdDate ? 'createdDate' : 'returnDate';
    const time = ret.modifiedDate ?? ret.createdDate ?? ret.returnDate;
    // the invoice with its returns is as new as the latest of them
    if (time) instant = Math.max(instant, instantOf(time, context.timeZone, `${where}.${field}`));
    (ret.returnDetails ?? []).forEach((detail, j) => {
      let units = wholeQuantity(detail.quantity, `${where}.returnDetails.${j}.quantity`);
      const product = String(detail.productId);
      const onInvoice = lines.filter((l) => l.product === product);
      if (onInvoice.length === 0)
        throw new AdapterFieldError(`${where}.returnDetails.${j}.productId`, `the invoice has no line of product ${product}`);
      // the lines of the product in order, each up to its quantity: a unit cannot come back twice
      for (const line of onInvoice) {
        const back = Math.min(units, line.quantity - line.returnedQuantity);
        line.returnedQuantity += back;
        units -= back;
      }
    });
  }
  if (returnedWhole && statusState !== 'void') for (const line of lines) line.returnedQuantity = line.quantity;

  const returnedUnits = lines.reduce((sum, l) => sum + l.returnedQuantity, 0);
  const state: OrderState = statusState === 'void' ? 'void' : returnedUnits > 0 ? 'returned' : statusState;

  const lookedUp =
    invoice.CustomerId !== null && invoice.CustomerId !== undefined ? lookups.customerPhones.get(String(invoice.CustomerId)) : null;
  const phone = customerPhoneOf(invoice.InvoiceDelivery?.ContactNumber) ?? customerPhoneOf(...phonesIn(lookedUp));
  const name = personName(invoice.InvoiceDelivery?.Receiver) ?? personName(invoice.CustomerName);
  const shippingFee = toVnd(invoice.InvoiceDelivery?.Price, at('InvoiceDelivery.Price'));
  if (shippingFee < 0) throw new AdapterFieldError(at('InvoiceDelivery.Price'), 'the delivery fee is negative');
  const note = notePairs(invoice.Description);

  return {
    externalId: `${KIOTVIET_INVOICE_PREFIX}${invoice.Id}`,
    revision: rankedRevision(instant, state),
    state,
    occurredAt: new Date(instant).toISOString(),
    customer: customerOf(phone, name),
    lines: lines.map(({ product: _product, ...line }) => line),
    orderDiscount: moneyDiscount(invoice.Discount, invoice.DiscountRatio, at('Discount')),
    shippingFee,
    ...hintsOf(note, null, linkRef(invoice.Description)),
  };
}
