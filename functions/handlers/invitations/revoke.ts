import { implement, json, toLambda } from '../../http/operation';
import { invitationRoutes } from '../../routes/invitations';
import { revokeInvitationById } from '../../services/invitations';

export const operation = implement(invitationRoutes.revoke, async ({ deps, tenantId, params, actor }) => {
  const { before, after } = await revokeInvitationById(deps, tenantId, params.invitationId ?? '', actor);
  return { ...json(204), audit: { before, after } };
});

export const handler = toLambda(operation);
