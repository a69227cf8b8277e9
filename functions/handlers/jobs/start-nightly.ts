import { implement, json, toLambda } from '../../http/operation';
import { startNightly } from '../../jobs/nightly';
import { queueFromEnv } from '../../jobs/queue';
import { jobRoutes } from '../../routes/jobs';

/** 202: the run goes on in the background (SQS in AWS, in-process locally); poll GET …/jobs/{jobId}. */
export const operation = implement(jobRoutes.startNightly, async ({ deps, tenantId, body, actor }) => {
  const job = await startNightly(deps, tenantId, { asOf: body.asOf, mode: body.mode ?? 'auto', requestedBy: actor }, queueFromEnv());
  return json(
    202,
    { jobId: job.id, state: job.state === 'queued' ? 'running' : job.state, asOf: job.asOf },
    { location: `/v1/tenants/${tenantId}/jobs/${job.id}` },
  );
});

export const handler = toLambda(operation);
