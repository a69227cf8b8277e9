import { notFound } from '../../../domain/errors';
import { implement, json, toLambda } from '../../http/operation';
import { jobRoutes } from '../../routes/jobs';
import { getJob } from '../../store/jobs';
import { jobView } from './view';

export const operation = implement(jobRoutes.get, async ({ deps, tenantId, params }) => {
  const id = params.jobId ?? '';
  const job = /^[\w.-]{1,64}$/.test(id) ? await getJob(deps.store, tenantId, id) : null;
  if (!job) throw notFound('Job');
  return json(200, jobView(job));
});

export const handler = toLambda(operation);
