import { implement, json, toLambda } from '../../http/operation';
import { systemRoutes } from '../../routes/system';
import { listMembershipsOfUser } from '../../store/members';

/** A person belongs to a handful of businesses; more than this many would be an abuse, not a use. */
const MAX_MEMBERSHIP_PAGES = 20;

export const operation = implement(systemRoutes.me, async ({ deps, caller }) => {
  const memberships: { tenantId: string; role: string }[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < MAX_MEMBERSHIP_PAGES; i++) {
    const page = await listMembershipsOfUser(deps.store, caller!.sub, { limit: 200, cursor });
    for (const m of page.items) for (const role of m.roles) memberships.push({ tenantId: m.tenantId, role });
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return json(200, { sub: caller!.sub, ...(caller!.email ? { email: caller!.email } : {}), memberships });
});

export const handler = toLambda(operation);
