import { implement, json, toLambda } from '../../http/operation';
import { pageRoutes } from '../../routes/pages';
import { accountClaimsOf, join } from '../../services/pages';

export const operation = implement(pageRoutes.join, async ({ deps, params, body, caller, event }) => {
  const result = await join(deps, params.pageId ?? '', caller!.sub, accountClaimsOf(event), body);
  return json(result.status, result.body);
});

export const handler = toLambda(operation);
