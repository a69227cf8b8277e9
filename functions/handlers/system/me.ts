import { implement, json, toLambda } from '../../http/operation';
import { systemRoutes } from '../../routes/system';
import { rolesOfAccount } from '../../services/tenants';

export const operation = implement(systemRoutes.me, async ({ deps, caller }) => {
  const memberships = await rolesOfAccount(deps, caller!.sub);
  return json(200, { sub: caller!.sub, ...(caller!.email ? { email: caller!.email } : {}), memberships });
});

export const handler = toLambda(operation);
