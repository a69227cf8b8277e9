import * as z from 'zod';
import { DeliveryAnswer } from '../../domain/entities/delivery';
import { WebhookHandshakeQuery } from '../../domain/entities/webhook-source';
import { CommissionLineView, Earnings, OrderView, WebhookAnswer } from '../../domain/entities/order-views';
import { ORDER_STATES, OrderEvent } from '../../domain/orders/event';
import { CreateManualOrderInput } from '../../domain/orders/manual';
import { ManualOrderChange } from '../../domain/orders/order';
import { isoDate } from '../../domain/text';
import { ANY_MEMBER, PageQuery, pageOf, route, STAFF } from './route';

export const WEBHOOK_MAX_BYTES = 256 * 1024;

export const OrderListQuery = PageQuery.extend({
  from: isoDate.optional().meta({ description: 'first local day (default: 30 days before `to`)' }),
  to: isoDate.optional().meta({ description: 'last local day (default: today)' }),
  collaboratorId: z.string().max(64).optional(),
  careStaffUserId: z.string().max(128).optional(),
  state: z.enum(ORDER_STATES).optional(),
  sourceId: z
    .string()
    .max(64)
    .optional()
    .meta({ description: 'with externalId: the order an order system knows by that id (the other filters do not apply)' }),
  externalId: z.string().max(128).optional().meta({ description: "the order system's own id of the order; with sourceId" }),
});

const LedgerPage = z
  .object({ period: z.string(), items: z.array(CommissionLineView), nextCursor: z.string().nullable() })
  .meta({ id: 'LedgerPage' });

export const PeriodQuery = z.strictObject({ period: z.string().max(16).meta({ example: '2026-10' }) });

export const orderRoutes = {
  webhook: route({
    id: 'receiveOrderWebhook',
    method: 'POST',
    path: '/v1/webhooks/{tenantId}/{sourceId}/orders',
    handler: 'functions/handlers/orders/webhook.ts',
    auth: 'webhook',
    table: 'write',
    sealingKey: true,
    deliveryQueue: true,
    body: OrderEvent,
    rawBody: true,
    maxBodyBytes: WEBHOOK_MAX_BYTES,
    summary:
      'An order event from an order system, signed with X-Ctv-Signature (or the native scheme of its adapter): stored first, then processed (200), or accepted for a retry or parked for the owner (202)',
    tag: 'orders',
    responses: { 200: WebhookAnswer, 202: DeliveryAnswer },
  }),
  handshake: route({
    id: 'answerWebhookHandshake',
    method: 'GET',
    path: '/v1/webhooks/{tenantId}/{sourceId}/orders',
    handler: 'functions/handlers/orders/handshake.ts',
    auth: 'webhook',
    table: 'read',
    sealingKey: true,
    query: WebhookHandshakeQuery,
    produces: ['text/plain'],
    summary:
      "An order system's subscription handshake (Haravan: hub.mode=subscribe, hub.verify_token, hub.challenge): answers the challenge as plain text when the source's verify token matches",
    tag: 'orders',
    responses: { 200: z.string().meta({ description: 'the hub.challenge received' }) },
  }),
  create: route({
    id: 'createOrder',
    method: 'POST',
    path: '/v1/tenants/{tenantId}/orders',
    handler: 'functions/handlers/orders/create.ts',
    auth: 'jwt',
    roles: STAFF,
    table: 'write',
    body: CreateManualOrderInput,
    idempotent: true,
    summary: 'Enter an order by hand (care staff: for their own CTVs)',
    tag: 'orders',
    responses: { 201: OrderView },
  }),
  list: route({
    id: 'listOrders',
    method: 'GET',
    path: '/v1/tenants/{tenantId}/orders',
    handler: 'functions/handlers/orders/list.ts',
    auth: 'jwt',
    roles: STAFF,
    table: 'read',
    query: OrderListQuery,
    summary: 'Orders created in a date range, newest first, by CTV, care staff or state; or the one an order system knows by its id',
    tag: 'orders',
    // `from` after `to`, or a range longer than allowed
    errors: [422],
    responses: { 200: pageOf(OrderView, 'OrderPage') },
  }),
  get: route({
    id: 'getOrder',
    method: 'GET',
    path: '/v1/tenants/{tenantId}/orders/{orderId}',
    handler: 'functions/handlers/orders/get.ts',
    auth: 'jwt',
    roles: ANY_MEMBER,
    table: 'read',
    summary: 'An order with R per line, why it was (or was not) credited, and its commission lines',
    tag: 'orders',
    responses: { 200: OrderView },
  }),
  changeState: route({
    id: 'changeOrderState',
    method: 'POST',
    path: '/v1/tenants/{tenantId}/orders/{orderId}/state',
    handler: 'functions/handlers/orders/change-state.ts',
    auth: 'jwt',
    roles: STAFF,
    table: 'write',
    body: ManualOrderChange,
    summary: 'Approve, complete, return (some or all lines) or void an order entered by hand',
    tag: 'orders',
    // If-Match is optional here; a stale one is refused
    errors: [412],
    responses: { 200: OrderView },
  }),
  collaboratorEarnings: route({
    id: 'getCollaboratorEarnings',
    method: 'GET',
    path: '/v1/tenants/{tenantId}/collaborators/{collaboratorId}/earnings',
    handler: 'functions/handlers/orders/collaborator-earnings.ts',
    auth: 'jwt',
    roles: ANY_MEMBER,
    table: 'read',
    query: PeriodQuery,
    summary: "A CTV's commission for a month, by kind (quarter and year add up their months)",
    tag: 'commissions',
    responses: { 200: Earnings },
  }),
  collaboratorLedger: route({
    id: 'listCollaboratorLedger',
    method: 'GET',
    path: '/v1/tenants/{tenantId}/collaborators/{collaboratorId}/ledger',
    handler: 'functions/handlers/orders/collaborator-ledger.ts',
    auth: 'jwt',
    roles: ANY_MEMBER,
    table: 'read',
    query: PageQuery.extend(PeriodQuery.shape),
    summary: "A CTV's ledger lines of a month with their traces (why they earned what they earned)",
    tag: 'commissions',
    responses: { 200: LedgerPage },
  }),
  sellerEarnings: route({
    id: 'getSellerEarnings',
    method: 'GET',
    path: '/v1/tenants/{tenantId}/sellers/{userId}/earnings',
    handler: 'functions/handlers/orders/seller-earnings.ts',
    auth: 'jwt',
    roles: ['owner', 'manager', 'seller'],
    table: 'read',
    query: PeriodQuery,
    summary: "A seller's add-on commission for a month, by kind",
    tag: 'commissions',
    responses: { 200: Earnings },
  }),
};
