/**
 * The delivery worker (infra: the delivery queue's consumer): each message names one stored
 * delivery that could not be finished in its request. It is processed again with the same code
 * (functions/services/intake.ts); a failure that may pass sends a new, later message (backoff), so
 * the message itself succeeds. A message that throws (the table unreachable) is retried by SQS and
 * then goes to the dead-letter queue; the delivery stays `accepted`, listed for the owner.
 */
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { Context } from 'aws-lambda';
import { depsFromEnv, inInvocation, type Deps } from '../deps';
import { deliveryQueue, isDeliveryMessage, processStoredDelivery, type DeliveryRetryQueue } from '../services/intake';
import { eachMessage } from './queue';

export function processDeliveryBatch(deps: Deps, queue: DeliveryRetryQueue, event: SQSEvent): Promise<SQSBatchResponse> {
  return eachMessage(event, {
    name: 'delivery worker',
    log: deps.log,
    isMessage: isDeliveryMessage,
    handle: (m) => processStoredDelivery(deps, m.tenantId, m.deliveryId, queue),
    onError: async (m, error) =>
      deps.log({
        level: 'error',
        msg: 'delivery worker: attempt failed',
        tenantId: m.tenantId,
        deliveryId: m.deliveryId,
        error: (error as Error)?.message?.slice(0, 300),
      }),
  });
}

let deps: Deps | undefined;

export async function handler(event: SQSEvent, context?: Context): Promise<SQSBatchResponse> {
  deps ??= depsFromEnv();
  if (!process.env.DELIVERY_QUEUE_URL) throw new Error('DELIVERY_QUEUE_URL is not set: the worker sends later attempts to the queue');
  const ready = deps;
  return inInvocation(ready, context, { worker: 'delivery' }, () => processDeliveryBatch(ready, deliveryQueue(ready), event));
}
