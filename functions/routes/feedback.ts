import * as z from 'zod';
import { isoDateTime, text } from '../../domain/text';
import { ANY_MEMBER, route, STAFF } from './route';

const Stars = z.int().min(1).max(5).meta({ description: '1–5 stars; 4 and 5 count as satisfied in CSAT' });
const Comment = text(1000).optional();

export const FeedbackInput = z
  .strictObject({
    stars: Stars,
    comment: Comment,
    ratedAt: isoDateTime
      .optional()
      .meta({ description: 'when the customer gave it (default now; not in the future, not before the order)' }),
  })
  .meta({ id: 'FeedbackInput' });

export const LinkFeedbackInput = z.strictObject({ stars: Stars, comment: Comment }).meta({ id: 'LinkFeedbackInput' });

export const FeedbackView = z
  .object({
    orderId: z.string(),
    stars: z.int(),
    comment: z.string().optional(),
    ratedAt: z.string(),
    recordedAt: z.string(),
    recordedBy: z.string().meta({ description: 'the account that recorded it, or `customer` (one-time link)' }),
    channel: z.enum(['staff', 'collaborator', 'customer_link']),
    collaboratorId: z.string().nullable(),
    careStaffUserId: z.string().nullable(),
    managerUserId: z.string().nullable().meta({ description: 'the manager whose CSAT it counts for' }),
  })
  .meta({ id: 'Feedback' });

export const FeedbackLinkView = z
  .object({
    orderId: z.string(),
    token: z.string(),
    url: z.string().meta({ description: 'the public path that reads (GET) and takes (POST) the rating' }),
    expiresAt: z.string(),
  })
  .meta({ id: 'FeedbackLink' });

export const FeedbackLinkInfo = z
  .object({
    businessName: z.string(),
    orderExternalId: z.string(),
    orderedAt: z.string(),
    items: z.array(z.object({ productId: z.string(), unit: z.string(), quantity: z.int() })),
    expiresAt: z.string(),
    used: z.boolean(),
  })
  .meta({ id: 'FeedbackLinkInfo' });

/** Customer feedback on an order (one rating per order), by staff, the CTV, or the customer's one-time link. */
export const feedbackRoutes = {
  record: route({
    id: 'recordFeedback',
    method: 'POST',
    path: '/v1/tenants/{tenantId}/orders/{orderId}/feedback',
    handler: 'functions/handlers/feedback/record.ts',
    auth: 'jwt',
    roles: ['owner', 'manager', 'care_staff', 'collaborator'],
    table: 'write',
    body: FeedbackInput,
    idempotent: true,
    summary: "Record the customer's rating of an order (the credited CTV, the order's care staff or manager, or the owner); one per order",
    tag: 'feedback',
    responses: { 201: FeedbackView },
  }),
  get: route({
    id: 'getFeedback',
    method: 'GET',
    path: '/v1/tenants/{tenantId}/orders/{orderId}/feedback',
    handler: 'functions/handlers/feedback/get.ts',
    auth: 'jwt',
    roles: ANY_MEMBER,
    table: 'read',
    summary: "The order's rating, if it has one",
    tag: 'feedback',
    responses: { 200: FeedbackView },
  }),
  createLink: route({
    id: 'createFeedbackLink',
    method: 'POST',
    path: '/v1/tenants/{tenantId}/orders/{orderId}/feedback-links',
    handler: 'functions/handlers/feedback/create-link.ts',
    auth: 'jwt',
    roles: STAFF,
    table: 'write',
    // the link is keyed by its token's hash alone (the public rating page knows nothing else)
    crossTenant: { feedbackLinks: 'write' },
    summary: 'A one-time link for the customer to rate the order, valid 7 days (the token is shown only here)',
    tag: 'feedback',
    // the order is rated already
    errors: [409],
    responses: { 201: FeedbackLinkView },
  }),
  linkInfo: route({
    id: 'getFeedbackLink',
    method: 'GET',
    path: '/v1/feedback/{token}',
    handler: 'functions/handlers/feedback/link-info.ts',
    auth: 'public',
    table: 'read',
    summary: 'What a one-time link rates (for the customer’s rating page)',
    tag: 'feedback',
    // the link is used or expired
    errors: [410],
    responses: { 200: FeedbackLinkInfo },
  }),
  submitByLink: route({
    id: 'submitFeedbackByLink',
    method: 'POST',
    path: '/v1/feedback/{token}',
    handler: 'functions/handlers/feedback/submit.ts',
    auth: 'public',
    table: 'write',
    body: LinkFeedbackInput,
    summary: 'The customer rates the order through the one-time link: once, before it expires (used: 409; expired: 410)',
    tag: 'feedback',
    errors: [409, 410],
    responses: { 201: FeedbackView.omit({ recordedBy: true, careStaffUserId: true, managerUserId: true, collaboratorId: true }) },
  }),
};
