import * as z from 'zod';
import { DELIVERY_STATUSES, DeliveryDetail, DeliveryView, DiscardDeliveryInput, ReplayParkedAnswer } from '../../domain/entities/delivery';
import { OWNER, PageQuery, pageOf, route } from './route';

export const DeliveryListQuery = PageQuery.extend({
  status: z.enum(DELIVERY_STATUSES).default('parked'),
  sourceId: z.string().max(64).optional(),
});

/** The owner's view of the order intake: what was received, what waits, what is parked (docs/orders.md, "Order intake"). */
export const webhookDeliveryRoutes = {
  list: route({
    id: 'listWebhookDeliveries',
    method: 'GET',
    path: '/v1/tenants/{tenantId}/webhook-deliveries',
    handler: 'functions/handlers/webhook-deliveries/list.ts',
    auth: 'jwt',
    roles: OWNER,
    table: 'read',
    query: DeliveryListQuery,
    summary: 'Deliveries of the order systems in one status (parked by default), newest first, by source',
    tag: 'webhooks',
    responses: { 200: pageOf(DeliveryView, 'WebhookDeliveryPage') },
  }),
  get: route({
    id: 'getWebhookDelivery',
    method: 'GET',
    path: '/v1/tenants/{tenantId}/webhook-deliveries/{deliveryId}',
    handler: 'functions/handlers/webhook-deliveries/get.ts',
    auth: 'jwt',
    roles: OWNER,
    table: 'read',
    summary: 'One delivery with its raw body and the headers kept',
    tag: 'webhooks',
    responses: { 200: DeliveryDetail },
  }),
  replay: route({
    id: 'replayWebhookDelivery',
    method: 'POST',
    path: '/v1/tenants/{tenantId}/webhook-deliveries/{deliveryId}/replay',
    handler: 'functions/handlers/webhook-deliveries/replay.ts',
    auth: 'jwt',
    roles: OWNER,
    table: 'write',
    deliveryQueue: true,
    summary: 'Process a delivery again with today’s code and settings (after a fix); the answer is the delivery after it',
    tag: 'webhooks',
    responses: { 202: DeliveryView },
  }),
  discard: route({
    id: 'discardWebhookDelivery',
    method: 'POST',
    path: '/v1/tenants/{tenantId}/webhook-deliveries/{deliveryId}/discard',
    handler: 'functions/handlers/webhook-deliveries/discard.ts',
    auth: 'jwt',
    roles: OWNER,
    table: 'write',
    body: DiscardDeliveryInput,
    summary: 'Set a parked or waiting delivery aside, with a reason (kept 90 days)',
    tag: 'webhooks',
    responses: { 200: DeliveryView },
  }),
  replayParked: route({
    id: 'replayParkedDeliveries',
    method: 'POST',
    path: '/v1/tenants/{tenantId}/webhook-sources/{sourceId}/replay-parked',
    handler: 'functions/handlers/webhook-deliveries/replay-parked.ts',
    auth: 'jwt',
    roles: OWNER,
    table: 'write',
    deliveryQueue: true,
    summary: 'Replay the parked deliveries of one source (up to 25 a call, oldest first)',
    tag: 'webhooks',
    responses: { 202: ReplayParkedAnswer },
  }),
};
