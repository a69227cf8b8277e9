import { notFound } from '../../../domain/errors';
import { implement, json, toLambda } from '../../http/operation';
import { tenantRoutes } from '../../routes/tenants';
import { countDeliveries } from '../../store/deliveries';
import { getTenant } from '../../store/tenants';

/** The business; its owner also sees how many order deliveries wait for them (parked), where they look first. */
export const operation = implement(tenantRoutes.get, async ({ deps, tenantId, membership }) => {
  const isOwner = membership?.roles.includes('owner') ?? false;
  const [tenant, parked] = await Promise.all([getTenant(deps.store, tenantId), isOwner ? countDeliveries(deps.store, tenantId, 'parked') : null]);
  if (!tenant) throw notFound('Business');
  return json(200, parked === null ? tenant : { ...tenant, parkedDeliveries: parked });
});

export const handler = toLambda(operation);
