import { accountClaimsFrom } from '../../../domain/account-claims';
import { implement, json, toLambda } from '../../http/operation';
import { pageRoutes } from '../../routes/pages';
import { join } from '../../services/pages';

export const operation = implement(pageRoutes.join, async ({ deps, params, body, caller, event }) => {
  const claims = accountClaimsFrom(event.requestContext?.authorizer?.jwt?.claims ?? {});
  const result = await join(deps, params.pageId ?? '', caller!.sub, claims, body);
  return json(result.status, result.body);
});

export const handler = toLambda(operation);
