import { readPancakeDelivery } from '../../../domain/orders/adapters/pancake';
import { BAD_SIGNATURE, isOneOf, OK, readJsonBody, type Verdict, type WebhookAdapter } from './adapter';

/** The request header the owner adds to the webhook in Pancake, with the source's secret as its value. */
export const PANCAKE_TOKEN_HEADER = 'x-ctv-token';

const bearerOf = (authorization: string | undefined): string | null => /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1] ?? null;

/**
 * Pancake POS (VENDORS.md §5): no signature; the webhook sends the static request headers the owner
 * defines (key and value) in Pancake. The owner adds `X-Ctv-Token: <the source's secret>`, or
 * `Authorization: Bearer <the source's secret>`; either, compared in constant time, verifies it.
 */
export const pancake: WebhookAdapter = {
  kind: 'pancake',
  verify({ headers, secrets }): Verdict {
    return isOneOf(headers[PANCAKE_TOKEN_HEADER], secrets) || isOneOf(bearerOf(headers.authorization), secrets) ? OK : BAD_SIGNATURE;
  },
  read: async (body, context) => readPancakeDelivery(readJsonBody(body), context),
  // Pancake sends no delivery id that we know of: the body's hash names the delivery
  deliveryIdHeaders: [],
};
