import { implement, json, toLambda } from '../../http/operation';
import { pageRoutes } from '../../routes/pages';
import { register } from '../../services/pages';

/** The same 202 receipt for a new phone and a known one (see register). */
export const operation = implement(pageRoutes.register, async ({ deps, params, body }) =>
  json(202, await register(deps, params.pageId ?? '', body)),
);

export const handler = toLambda(operation);
