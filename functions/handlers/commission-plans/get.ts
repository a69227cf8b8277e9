import { notFound } from '../../../domain/errors';
import { implement, json, toLambda } from '../../http/operation';
import { commissionPlanRoutes } from '../../routes/commission-plans';
import { getPlanVersion } from '../../store/plans';

export const operation = implement(
  commissionPlanRoutes.get,
  async ({ deps, tenantId, params }) => {
    const version = Number(params.version);
    const item = Number.isSafeInteger(version) && version > 0 ? await getPlanVersion(deps.store, tenantId, version) : null;
    if (!item) throw notFound('Plan version');
    return json(200, item);
  },
  { serves: ({ store, tenantId, params }) => getPlanVersion(store, tenantId, Number(params.version)) },
);

export const handler = toLambda(operation);
