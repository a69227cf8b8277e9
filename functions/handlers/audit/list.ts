import { implement, json, toLambda } from '../../http/operation';
import { auditRoutes } from '../../routes/audit';
import { listAudit } from '../../store/audit';

export const operation = implement(auditRoutes.list, async ({ deps, tenantId, query }) => {
  const page = await listAudit(
    deps.store,
    tenantId,
    {
      ...(query.from ? { from: new Date(query.from).toISOString() } : {}),
      ...(query.to ? { to: new Date(query.to).toISOString() } : {}),
      ...(query.action ? { action: query.action } : {}),
      ...(query.actor ? { actor: query.actor } : {}),
    },
    { limit: query.limit, cursor: query.cursor },
  );
  return json(200, { items: page.items.map(({ tenantId: _t, ...e }) => e), nextCursor: page.nextCursor });
});

export const handler = toLambda(operation);
