import { implement, json, toLambda } from '../../http/operation';
import { etag } from '../../http/versions';
import { meCtvRoutes } from '../../routes/me-ctv';
import { openMyDispute } from '../../services/me-ctv';
import { monthParam } from '../../services/statement-access';
import { disputeView } from '../../services/statement-views';

/** A CTV disputes one line of their statement (a settled line, or an entry it leaves pending). */
export const operation = implement(meCtvRoutes.openDispute, async ({ deps, tenantId, params, body, caller, actor }) => {
  const month = monthParam(params.periodId);
  const dispute = await openMyDispute(deps, tenantId, caller!.sub, month, body, actor);
  return json(201, disputeView(dispute), { location: `/v1/tenants/${tenantId}/me/statements/${month}`, ...etag(dispute.version) });
});

export const handler = toLambda(operation);
