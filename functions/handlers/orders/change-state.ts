import { implement, json, toLambda } from '../../http/operation';
import { etag } from '../../http/versions';
import { orderRoutes } from '../../routes/orders';
import { changeOrderState } from '../../services/member-orders';

export const operation = implement(orderRoutes.changeState, async ({ deps, tenantId, params, body, headers, membership }) => {
  // If-Match is optional here (a change is a new revision, checked against the one stored); when sent, it must match
  const ifMatch = headers['if-match']?.replace(/^W\//, '').replace(/"/g, '').trim();
  const { version, view } = await changeOrderState(deps, tenantId, params.orderId ?? '', membership!, body, ifMatch);
  return json(200, view, etag(version));
});

export const handler = toLambda(operation);
