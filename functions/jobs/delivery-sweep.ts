/**
 * The delivery sweep (infra: a schedule every few minutes): processes the deliveries a crash left
 * waiting as `accepted` (functions/services/intake.ts, sweepWaitingDeliveries).
 */
import type { Context } from 'aws-lambda';
import { depsFromEnv, inInvocation, type Deps } from '../deps';
import { deliveryQueue, sweepWaitingDeliveries } from '../services/intake';

let deps: Deps | undefined;

export async function handler(_event?: unknown, context?: Context): Promise<{ found: number; processed: number }> {
  deps ??= depsFromEnv();
  const ready = deps;
  const result = await inInvocation(ready, context, { worker: 'delivery-sweep' }, () =>
    sweepWaitingDeliveries(ready, deliveryQueue(ready)),
  );
  deps.log({ level: 'info', msg: 'delivery sweep', ...result });
  return result;
}
