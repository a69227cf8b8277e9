import { implement, json, toLambda } from '../../http/operation';
import { queueFromEnv } from '../../jobs/queue';
import { periodRoutes } from '../../routes/periods';
import { closeMonthNow } from '../../services/periods';
import { monthParam } from '../../services/statement-access';

/** Close a month now: 202, a nightly run as of the day after it goes on in the background; poll GET …/jobs/{jobId}. */
export const operation = implement(periodRoutes.close, async ({ deps, tenantId, params, actor }) => {
  const job = await closeMonthNow(deps, tenantId, monthParam(params.periodId), actor, queueFromEnv());
  return json(
    202,
    { jobId: job.id, state: job.state === 'queued' ? 'running' : job.state, asOf: job.asOf },
    { location: `/v1/tenants/${tenantId}/jobs/${job.id}` },
  );
});

export const handler = toLambda(operation);
