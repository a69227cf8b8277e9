import { implement, json, toLambda } from '../../http/operation';
import { periodRoutes } from '../../routes/periods';
import { monthsOfBusiness } from '../../services/periods';

/** Closed (and closing) months, newest first, after the month open today (totals: the owner's). */
export const operation = implement(periodRoutes.list, async ({ deps, tenantId, membership }) =>
  json(200, { items: await monthsOfBusiness(deps, tenantId, membership!), nextCursor: null }),
);

export const handler = toLambda(operation);
