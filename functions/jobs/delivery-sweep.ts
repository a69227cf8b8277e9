/**
 * The delivery sweep (infra: a schedule every few minutes): processes the deliveries a crash left
 * waiting as `accepted` (functions/services/intake.ts, sweepWaitingDeliveries).
 */
import { depsFromEnv, type Deps } from '../deps';
import { deliveryQueue, sweepWaitingDeliveries } from '../services/intake';

let deps: Deps | undefined;

export async function handler(): Promise<{ found: number; processed: number }> {
  deps ??= depsFromEnv();
  const result = await sweepWaitingDeliveries(deps, deliveryQueue(deps));
  deps.log({ level: 'info', msg: 'delivery sweep', ...result });
  return result;
}
