import { implement, json, toLambda } from '../../http/operation';
import { orderRoutes } from '../../routes/orders';
import { answerHandshake } from '../../services/intake';

/**
 * An order system's subscription handshake on the webhook URL (Haravan: `hub.mode=subscribe`,
 * `hub.verify_token`, `hub.challenge`): 200 with the challenge as plain text when the source's
 * verify token matches; otherwise the same 401 as a bad signature.
 */
export const operation = implement(orderRoutes.handshake, async ({ deps, params, query }) => {
  const input = { tenantId: params.tenantId ?? '', sourceId: params.sourceId ?? '', query };
  const challenge = await answerHandshake(deps, input);
  return json(200, challenge, {
    'content-type': 'text/plain; charset=utf-8',
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
  });
});

export const handler = toLambda(operation);
