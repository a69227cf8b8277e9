import { implement, json, toLambda } from '../../http/operation';
import { invitationRoutes } from '../../routes/invitations';
import { listInvitationViews } from '../../services/invitations';

export const operation = implement(invitationRoutes.list, async ({ deps, tenantId, query }) => {
  const { status, ...page } = query;
  return json(200, await listInvitationViews(deps, tenantId, status, page));
});

export const handler = toLambda(operation);
