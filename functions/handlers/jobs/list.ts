import { implement, json, toLambda } from '../../http/operation';
import { jobRoutes } from '../../routes/jobs';
import { listJobs } from '../../store/jobs';
import { jobView } from './view';

export const operation = implement(jobRoutes.list, async ({ deps, tenantId, query }) => {
  const page = await listJobs(deps.store, tenantId, query);
  return json(200, { items: page.items.map(jobView), nextCursor: page.nextCursor });
});

export const handler = toLambda(operation);
