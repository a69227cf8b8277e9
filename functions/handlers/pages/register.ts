import { implement, json, toLambda } from '../../http/operation';
import { pageRoutes } from '../../routes/pages';
import { register } from '../../services/pages';

export const operation = implement(pageRoutes.register, async ({ deps, params, body }) => {
  const { created, view } = await register(deps, params.pageId ?? '', body);
  return json(created ? 201 : 200, view);
});

export const handler = toLambda(operation);
